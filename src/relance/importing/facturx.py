"""Taking the CII XML out of a Factur-X / ZUGFeRD PDF."""

from __future__ import annotations

import logging
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from relance.importing.einvoice import read_xml_bytes
from relance.importing.plan import ImportPlan

# Names the Factur-X, ZUGFeRD and XRechnung specifications give the embedded invoice.
KNOWN_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")
# An invoice XML is tens of kilobytes; past this a "PDF" is a decompression bomb.
MAX_XML_BYTES = 20_000_000

if TYPE_CHECKING:
    from pypdf.generic import EmbeddedFile


def read_facturx(path: Path) -> ImportPlan:
    """Read the invoice embedded in a Factur-X PDF into a plan."""
    # pypdf takes a tenth of a second to import: only reading a PDF pays for it.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    plan = ImportPlan(source=path, kind="facturx")
    # pypdf logs every oddity of real-world PDFs as a warning; the import reports its own errors.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        # Only the names are read here: other attachments are never decompressed.
        found = {file.name: file for file in PdfReader(path).attachment_list}
        chosen = next((found[name] for name in found if name.lower() in KNOWN_NAMES), None)
        if chosen is None:
            xml_names = [name for name in found if name.lower().endswith(".xml")]
            if len(xml_names) != 1:
                plan.fail(0, "-", "no Factur-X / ZUGFeRD invoice XML is embedded in this PDF")
                return plan
            chosen = found[xml_names[0]]
        xml = _capped_contents(chosen)
    except (PyPdfError, ValueError, KeyError, TypeError, zlib.error) as error:
        plan.fail(0, "-", f"cannot read the PDF: {error}")
        return plan
    read_xml_bytes(xml, plan)
    return plan


def _capped_contents(attachment: EmbeddedFile) -> bytes:
    """The attachment's bytes, decompressed no further than MAX_XML_BYTES."""
    stream = attachment._embedded_file
    filters = stream.get("/Filter")
    if filters is None:
        data = bytes(stream.get_data())
    elif filters == "/FlateDecode" or list(filters) == ["/FlateDecode"]:
        if stream.get("/DecodeParms"):
            raise ValueError("the invoice XML uses a compression relance does not read")
        inflater = zlib.decompressobj()
        data = inflater.decompress(stream._data, MAX_XML_BYTES + 1)
    else:
        raise ValueError("the invoice XML uses a compression relance does not read")
    if len(data) > MAX_XML_BYTES:
        raise ValueError(f"the invoice XML is larger than {MAX_XML_BYTES // 1_000_000} MB")
    return data
