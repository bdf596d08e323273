"""The whole book as plain data for `relance export`, in the documented ``relance-export`` shape.

Shape (schema 1; also described in docs/export-format.md, which ``relance import`` follows):

- Top-level keys: ``format`` = ``"relance-export"``, ``schema`` = 1 (this shape's version),
  ``book_schema`` (the book's SQLite schema version), ``exported_at`` (ISO moment), then one
  array per table, in an order where every row only refers to rows of earlier arrays:
  ``clients``, ``contacts``, ``invoices``, ``payments``, ``plans``, ``instalments``,
  ``allocations``, ``history``, ``promises``, ``rates``.
- Each row has every column of its table under the column's SQL name (``client_id``,
  ``invoice_id``…), ``id`` first. Ids are the book's own ids and are stable: rows are sorted
  by id and references between arrays use them.
- Amounts (money) are decimal strings with a point and two decimals (``"1234.56"``); dates
  are ISO (``"2026-11-23"``), moments ISO to the second (``"2026-11-23T09:30:00"``);
  booleans are true/false; other integers are numbers; text is exactly as stored.
- Nulls: JSON writes ``null``; TOML has no null, so a null key is left out of its row; CSV
  writes an empty cell (only nullable columns can be null, and none of them holds an empty
  string, so an empty cell in one of them means null).
- Derived columns are exported for readers and recomputed by an importer: on clients
  ``outstanding``, ``open_invoices``, ``oldest_due_on``, ``next_action``, ``next_action_on``,
  ``ladder_step``, ``next_action_reason``, ``payer_profile``; ``paid`` on invoices and
  instalments (the sum of their allocations).
- Not exported: book settings (internal fingerprints of the dunning policy), and the clients'
  ``folded_name`` (the filter's search key), folded again on import.
- CSV: a folder with ``manifest.csv`` (rows ``key,value`` for ``format``, ``schema``,
  ``book_schema``, ``exported_at``) and one ``<table>.csv`` per array, UTF-8 without BOM,
  comma-separated, a header row of column names, RFC 4180 quoting.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peewee import Field

from relance.domain.money import decimal_string
from relance.paths import ensure_private_dir
from relance.private_files import write_private_folder
from relance.spreadsheet import export_cell
from relance.store.models import (
    Allocation,
    BaseModel,
    Client,
    Contact,
    ContactEvent,
    Instalment,
    Invoice,
    Payment,
    PaymentPlan,
    Promise,
    Rate,
    database,
)

FORMAT_NAME = "relance-export"
FORMAT_SCHEMA = 1
MANIFEST_FILE = "manifest.csv"
HEADER_KEYS = ("format", "schema", "book_schema", "exported_at")


@dataclass(frozen=True)
class ExportTable:
    """One array of the export: its name, the model it reads, and its money columns."""

    name: str
    model: type[BaseModel]
    money: frozenset[str]


TABLES = (
    ExportTable("clients", Client, frozenset({"outstanding"})),
    ExportTable("contacts", Contact, frozenset()),
    ExportTable("invoices", Invoice, frozenset({"amount", "amount_excl_tax", "paid"})),
    ExportTable("payments", Payment, frozenset({"amount"})),
    ExportTable("plans", PaymentPlan, frozenset({"total"})),
    ExportTable("instalments", Instalment, frozenset({"amount", "paid"})),
    ExportTable("allocations", Allocation, frozenset({"amount"})),
    ExportTable("history", ContactEvent, frozenset({"amount"})),
    ExportTable("promises", Promise, frozenset({"amount"})),
    ExportTable("rates", Rate, frozenset()),
)


# Search keys the app derives for itself, not data: left out of the export and of a restore.
NOT_EXPORTED = {"clients": frozenset({"folded_name"})}


def exported_fields(table: ExportTable) -> list[Field]:
    """The model fields of a table that the export holds, ``id`` first, in the model's order."""
    hidden = NOT_EXPORTED.get(table.name, frozenset())
    return [field for field in table.model._meta.sorted_fields if field.column_name not in hidden]


def columns_of(table: ExportTable) -> list[str]:
    """The SQL column names of a table, ``id`` first, in the model's order."""
    return [field.column_name for field in exported_fields(table)]


def export_book(moment: datetime) -> dict[str, Any]:
    """Read every exported table of the open book into the documented shape."""
    with _read_snapshot():
        return _read_book(moment)


@contextmanager
def _read_snapshot() -> Iterator[None]:
    """One deferred read transaction, so every array comes from the same state of the book.

    A write transaction (BEGIN IMMEDIATE, as ``transaction()`` opens) would hold up the app
    while a large book is read; a WAL reader blocks nobody.
    """
    with database.manual_commit():
        database.execute_sql("BEGIN DEFERRED")
        try:
            yield
        finally:
            database.execute_sql("COMMIT")


def _read_book(moment: datetime) -> dict[str, Any]:
    """Every exported table, read inside the caller's snapshot."""
    book_schema = database.execute_sql("PRAGMA user_version").fetchone()[0]
    data: dict[str, Any] = {
        "format": FORMAT_NAME,
        "schema": FORMAT_SCHEMA,
        "book_schema": book_schema,
        "exported_at": moment.isoformat(),
    }
    for table in TABLES:
        fields = exported_fields(table)
        names = columns_of(table)
        query = table.model.select(*fields).order_by(table.model.id).tuples()
        data[table.name] = [
            {
                name: _value(value, name in table.money)
                for name, value in zip(names, row, strict=True)
            }
            for row in query.iterator()
        ]
    return data


def without_nulls(data: dict[str, Any]) -> dict[str, Any]:
    """The export with null keys left out of every row, as TOML carries it."""
    return {
        key: [{k: v for k, v in row.items() if v is not None} for row in value]
        if isinstance(value, list)
        else value
        for key, value in data.items()
    }


def write_csv_folder(data: dict[str, Any], folder: Path) -> list[Path]:
    """Write the export as one CSV file per table plus a manifest; returns the files."""
    ensure_private_dir(folder.parent)
    files = {MANIFEST_FILE: _csv_bytes(["key", "value"], _manifest_rows(data))}
    for table in TABLES:
        names = columns_of(table)
        rows = [[_csv_cell(row[name]) for name in names] for row in data[table.name]]
        files[f"{table.name}.csv"] = _csv_bytes(names, rows)
    # Built beside the folder and renamed: never a manifest beside a truncated table.
    write_private_folder(files, folder)
    return [folder / name for name in files]


def _manifest_rows(data: dict[str, Any]) -> list[list[str]]:
    """The header keys of the export as key, value rows."""
    return [[key, str(data[key])] for key in HEADER_KEYS]


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """One CSV table, as the bytes of its file."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def _csv_cell(value: object) -> str:
    """A value as CSV text: empty for null, true/false for booleans, formula-like text marked."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return export_cell(str(value))


def _value(value: object, is_money: bool) -> object:
    """One stored value in the export's form."""
    if value is None or isinstance(value, bool):
        return value
    if is_money and isinstance(value, int):
        return decimal_string(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value
