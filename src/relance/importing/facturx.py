"""Taking the CII XML out of a Factur-X / ZUGFeRD PDF."""

from __future__ import annotations

import logging
from pathlib import Path

from relance.importing.einvoice import read_xml_bytes
from relance.importing.plan import ImportPlan

# Names the Factur-X, ZUGFeRD and XRechnung specifications give the embedded invoice.
KNOWN_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")


def read_facturx(path: Path) -> ImportPlan:
    """Read the invoice embedded in a Factur-X PDF into a plan."""
    # pypdf takes a tenth of a second to import: only reading a PDF pays for it.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    plan = ImportPlan(source=path, kind="facturx")
    # pypdf logs every oddity of real-world PDFs as a warning; the import reports its own errors.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        attachments = PdfReader(path).attachments
        found = {name: contents for name, contents in attachments.items() if contents}
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        plan.fail(0, "-", f"cannot read the PDF: {error}")
        return plan
    chosen = next((found[name] for name in found if name.lower() in KNOWN_NAMES), None)
    if chosen is None:
        xml_names = [name for name in found if name.lower().endswith(".xml")]
        if len(xml_names) != 1:
            plan.fail(0, "-", "no Factur-X / ZUGFeRD invoice XML is embedded in this PDF")
            return plan
        chosen = found[xml_names[0]]
    read_xml_bytes(chosen[0], plan)
    return plan
