"""Choosing how to read a file: Factur-X PDF, UBL or CII XML, a relance export, or CSV."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from relance.importing.book_export import (
    BookExportPlan,
    is_csv_export,
    read_csv_export,
    sniff_book_export,
)
from relance.importing.csv_source import read_csv
from relance.importing.einvoice import read_xml_file
from relance.importing.facturx import read_facturx
from relance.importing.plan import ImportPlan


def read_plan(path: Path, mapping: Mapping[str, str] | None = None) -> ImportPlan | BookExportPlan:
    """Read a file into an import plan, telling its kind from its first bytes.

    A folder (or its ``manifest.csv``) is a CSV export of a whole book.
    """
    if is_csv_export(path):
        return read_csv_export(path)
    with path.open("rb") as handle:
        start = handle.read(64)
    if start.startswith(b"%PDF"):
        return read_facturx(path)
    if start.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        return read_xml_file(path)
    # A relance export (JSON, or TOML with format = "relance-export") restores a whole book.
    export = sniff_book_export(path)
    if export is not None:
        return export
    return read_csv(path, mapping)
