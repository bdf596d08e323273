"""Reading a ``relance-export`` (JSON, TOML or a CSV folder) back into an empty book."""

from __future__ import annotations

import csv
import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from relance.domain.dates import FIRST_DAY, LAST_DAY
from relance.domain.money import AmountError, parse_amount
from relance.importing.export_rules import field_errors
from relance.importing.plan import RowError
from relance.spreadsheet import read_export_cell
from relance.store.database import transaction
from relance.store.errors import StoreError
from relance.store.export import FORMAT_NAME, FORMAT_SCHEMA, HEADER_KEYS, MANIFEST_FILE
from relance.store.restore_export import ColumnSpec, book_is_empty, insert_tables, table_specs

# Money columns the schema requires above zero (CHECK amount > 0); the others may hold 0.
POSITIVE_MONEY = {
    ("invoices", "amount"),
    ("payments", "amount"),
    ("plans", "total"),
    ("instalments", "amount"),
    ("allocations", "amount"),
    ("promises", "amount"),
}
CLIENT_KINDS = ("b2b", "b2c")
# SQLite integers are 64-bit signed.
MAX_INTEGER = 2**63 - 1
# How far into a file to look for the header that marks an export.
SNIFF_BYTES = 4096
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?", re.ASCII)
_TOML_HEADER = re.compile(r'^\s*format\s*=\s*["\']relance-export["\']\s*$', re.MULTILINE)
_JSON_HEADER = re.compile(r'"format"\s*:\s*"relance-export"')
# At most 18 digits: every SQLite integer fits, and a longer cell stays text to be refused.
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}", re.ASCII)
# Header keys a CSV manifest writes as text but that are whole numbers in the export.
NUMBER_HEADER_KEYS = ("schema", "book_schema")


class BookNotEmpty(StoreError):
    """An export is restored only into a book without any row: merging books is not supported."""


@dataclass(frozen=True)
class ExportRowError(RowError):
    """A refused value of an export: ``line`` is the row's position (1-based) in its array."""

    table: str = ""

    def __str__(self) -> str:
        """``clients row 3, column name: reason``, or ``schema: reason`` for the header."""
        if not self.table:
            return f"{self.column}: {self.reason}"
        return f"{self.table} row {self.line}, column {self.column}: {self.reason}"


@dataclass
class BookExportPlan:
    """An export read and checked: every row ready to insert, or every reason it cannot be."""

    source: Path
    kind: str
    tables: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row was read without error."""
        return not self.errors

    @property
    def rows(self) -> int:
        """How many rows the file holds, over every array."""
        return sum(len(rows) for rows in self.tables.values())

    def fail(self, table: str, line: int, column: str, reason: str) -> None:
        """Record one error; checking goes on so that the report lists them all."""
        self.errors.append(ExportRowError(line, column, reason, table))


@dataclass
class RestoreOutcome:
    """What restoring an export wrote (or, in a dry run, would write), or why it wrote nothing."""

    counts: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def rows(self) -> int:
        """Rows over every array."""
        return sum(self.counts.values())

    def record(self) -> dict[str, object]:
        """The outcome as plain data, for `--json`."""
        return {
            "written": self.written,
            "kind": "relance-export",
            "rows": self.rows,
            "tables": dict(self.counts),
            "errors": [
                {"line": error.line, "column": error.column, "reason": error.reason}
                | ({"table": error.table} if isinstance(error, ExportRowError) else {})
                for error in self.errors
            ],
        }


class _Rehearsal(Exception):
    """Raised inside the transaction to roll back a dry run."""


def sniff_book_export(path: Path) -> BookExportPlan | None:
    """Read the file as an export if its start says it is one (JSON or TOML); else ``None``."""
    with path.open("rb") as handle:
        start = handle.read(SNIFF_BYTES)
    head = start.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    if head.lstrip().startswith("{"):
        return _read_json(path, marked=bool(_JSON_HEADER.search(head)))
    if _TOML_HEADER.search(head):
        return _read_toml(path)
    return None


def is_csv_export(path: Path) -> bool:
    """True for a folder holding a CSV export's manifest, or for that manifest itself."""
    if path.is_dir():
        return (path / MANIFEST_FILE).is_file()
    return path.name == MANIFEST_FILE


def read_csv_export(path: Path) -> BookExportPlan:
    """A CSV export folder (or its ``manifest.csv``): the manifest, then one file per array.

    CSV has no types: each cell is read back as its column expects (whole numbers, true/false,
    an empty cell as null in a nullable column), then checked like a JSON export's value.
    """
    folder = path if path.is_dir() else path.parent
    plan = BookExportPlan(folder, "relance export (CSV)")
    data: dict[str, Any] = {}
    manifest = _csv_rows(folder / MANIFEST_FILE, plan, MANIFEST_FILE)
    if manifest is None:
        return plan
    header, rows = manifest
    if header != ["key", "value"]:
        plan.fail("", 0, MANIFEST_FILE, "must start with the header key,value")
        return plan
    for row in rows:
        if len(row) != 2:
            plan.fail("", 0, MANIFEST_FILE, f"a row must hold a key and a value, not {row!r}")
            continue
        key, value = row
        if key in NUMBER_HEADER_KEYS and _WHOLE_NUMBER.fullmatch(value):
            data[key] = int(value)
        else:
            data[key] = value
    specs = table_specs()
    for name, columns in specs.items():
        table_file = folder / f"{name}.csv"
        if not table_file.exists():
            continue
        read = _csv_rows(table_file, plan, table_file.name)
        if read is not None:
            data[name] = _typed_rows(name, read, columns, plan)
    known = {MANIFEST_FILE, *(f"{name}.csv" for name in specs)}
    for extra in sorted(folder.glob("*.csv")):
        if extra.name not in known:
            plan.fail("", 0, extra.name, "unknown file in the export folder")
    if plan.errors:
        return plan
    check_export(data, plan)
    return plan


def _csv_rows(
    path: Path, plan: BookExportPlan, name: str
) -> tuple[list[str], list[list[str]]] | None:
    """A CSV file's header and rows, or ``None`` (and an error) when it cannot be read."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        plan.fail("", 0, name, f"cannot be read: {error}")
        return None
    if not rows:
        plan.fail("", 0, name, "is empty (a header row is expected)")
        return None
    return rows[0], rows[1:]


def _typed_rows(
    table: str,
    read: tuple[list[str], list[list[str]]],
    columns: list[ColumnSpec],
    plan: BookExportPlan,
) -> list[dict[str, object]]:
    """The rows of one table file as the JSON export would hold them."""
    header, rows = read
    by_name = {spec.name: spec for spec in columns}
    typed: list[dict[str, object]] = []
    for line, cells in enumerate(rows, start=1):
        if len(cells) != len(header):
            plan.fail(table, line, "-", f"has {len(cells)} cells, the header {len(header)}")
            continue
        row: dict[str, object] = {}
        for name, cell in zip(header, cells, strict=True):
            spec = by_name.get(name)
            value = _csv_value(spec, cell)
            if value is not None:
                row[name] = value
            elif spec is not None and spec.nullable:
                row[name] = None
        typed.append(row)
    return typed


def _csv_value(spec: ColumnSpec | None, cell: str) -> object:
    """A CSV cell as its column's type; ``None`` for an empty cell that holds no text."""
    cell = read_export_cell(cell)
    if spec is None:
        return cell
    if cell == "":
        # An empty cell is null in a nullable column and missing in a typed one; text may be "".
        return "" if spec.kind == "text" and not spec.nullable else None
    if spec.kind in ("id", "ref", "int") and _WHOLE_NUMBER.fullmatch(cell):
        return int(cell)
    if spec.kind == "bool" and cell in ("true", "false"):
        return cell == "true"
    return cell


def _read_json(path: Path, *, marked: bool) -> BookExportPlan | None:
    """A JSON object whose ``format`` is ``relance-export``."""
    plan = BookExportPlan(path, "relance export (JSON)")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        if not marked:
            return None
        plan.fail("", 0, "file", f"not valid JSON: {error}")
        return plan
    if not (isinstance(data, dict) and data.get("format") == FORMAT_NAME):
        return None
    check_export(data, plan)
    return plan


def _read_toml(path: Path) -> BookExportPlan:
    """A TOML file whose ``format`` is ``relance-export``."""
    plan = BookExportPlan(path, "relance export (TOML)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        plan.fail("", 0, "file", f"not valid TOML: {error}")
        return plan
    check_export(data, plan)
    return plan


def check_export(data: dict[str, Any], plan: BookExportPlan) -> None:
    """Check the header and every row of every array, filling ``plan.tables``."""
    schema = data.get("schema")
    if data.get("format") != FORMAT_NAME:
        plan.fail("", 0, "format", f"not a {FORMAT_NAME} file")
        return
    if isinstance(schema, bool) or not isinstance(schema, int) or schema != FORMAT_SCHEMA:
        newer = isinstance(schema, int) and schema > FORMAT_SCHEMA
        hint = " (written by a newer relance)" if newer else ""
        plan.fail("", 0, "schema", f"unknown schema {schema!r}{hint}; this relance reads 1")
        return
    specs = table_specs()
    for key in data:
        if key not in specs and key not in HEADER_KEYS:
            plan.fail("", 0, key, "unknown key at the top of the file")
    ids: dict[str, set[int]] = {}
    for name, columns in specs.items():
        rows = data.get(name)
        if not isinstance(rows, list):
            plan.fail("", 0, name, "missing array" if rows is None else "must be an array of rows")
            rows = []
        plan.tables[name] = []
        ids[name] = set()
        for line, row in enumerate(rows, start=1):
            checked = _check_row(name, line, row, columns, plan)
            if checked is None:
                continue
            row_id = checked.get("id")
            if isinstance(row_id, int):
                if row_id in ids[name]:
                    plan.fail(name, line, "id", f"id {row_id} is already used in {name}")
                ids[name].add(row_id)
            plan.tables[name].append(checked)
    _check_references(plan, specs, ids)
    _check_owners(plan)
    _check_spread(plan)
    _check_unique(plan, "clients", "name")
    _check_unique(plan, "invoices", "number")


def _check_row(
    table: str, line: int, row: object, columns: list[ColumnSpec], plan: BookExportPlan
) -> dict[str, object] | None:
    """One row's values in the form the book stores; derived columns are left out."""
    if not isinstance(row, dict):
        plan.fail(table, line, "-", "must be a table of columns")
        return None
    known = {spec.name for spec in columns}
    for key in row:
        if key not in known:
            plan.fail(table, line, str(key), "unknown column")
    checked: dict[str, object] = {}
    for spec in columns:
        if spec.derived:
            continue
        raw = row.get(spec.name)
        if raw is None and spec.name in row and not spec.nullable:
            plan.fail(table, line, spec.name, "must not be null")
        elif raw is None:
            if spec.required:
                plan.fail(table, line, spec.name, "missing")
            else:
                checked[spec.name] = None if spec.nullable else spec.default
            continue
        try:
            checked[spec.name] = _value(table, spec, raw)
        except ValueError as error:
            plan.fail(table, line, spec.name, str(error))
    _check_row_rules(table, line, checked, plan)
    return checked


def _value(table: str, spec: ColumnSpec, raw: object) -> object:
    """One value read and checked for its column; ``ValueError`` says why it is refused."""
    if spec.kind in ("id", "ref", "int"):
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"must be a whole number, not {raw!r}")
        if spec.kind != "int" and raw <= 0:
            raise ValueError(f"must be a positive id, not {raw}")
        if abs(raw) > MAX_INTEGER:
            raise ValueError(f"is too large: {raw}")
        return raw
    if spec.kind == "bool":
        if not isinstance(raw, bool):
            raise ValueError(f"must be true or false, not {raw!r}")
        return raw
    if not isinstance(raw, str):
        raise ValueError(f"must be a string, not {raw!r}")
    if spec.kind == "money":
        try:
            return parse_amount(raw, allow_zero=(table, spec.name) not in POSITIVE_MONEY)
        except AmountError as error:
            raise ValueError(str(error)) from None
    if spec.kind == "date":
        if not _ISO_DATE.fullmatch(raw):
            raise ValueError(f"not an ISO date: {raw!r} (write it like 2026-11-23)")
        return _in_book_range(date.fromisoformat(raw), raw)
    if spec.kind == "moment":
        if not _ISO_MOMENT.fullmatch(raw):
            raise ValueError(f"not an ISO moment: {raw!r} (write it like 2026-11-23T09:30:00)")
        moment = datetime.fromisoformat(raw)
        _in_book_range(moment.date(), raw)
        return moment
    if spec.kind == "rate":
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError(f"not a rate: {raw!r} (write it like 12.5)") from None
        if not number.is_finite():
            raise ValueError(f"not a rate: {raw!r} (write it like 12.5)")
    return raw


def _in_book_range(day: date, raw: str) -> date:
    """A date of an export, refused when outside the years a book holds (as typed dates are)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"date out of range: {raw!r} (from {FIRST_DAY.year} to {LAST_DAY.year})")
    return day


def _check_row_rules(table: str, line: int, row: dict[str, object], plan: BookExportPlan) -> None:
    """The checks the book's schema makes on a row, so they are reported rather than raised."""
    for column, message in field_errors(table, row).items():
        plan.fail(table, line, column, message)
    if table == "clients" and "kind" in row and row["kind"] not in CLIENT_KINDS:
        plan.fail(table, line, "kind", f"must be b2b or b2c, not {row['kind']!r}")
    pairs = {"invoices": ("issued_on", "due_on"), "rates": ("valid_from", "valid_to")}
    if table in pairs:
        first, last = pairs[table]
        start, end = row.get(first), row.get(last)
        if isinstance(start, date) and isinstance(end, date) and end < start:
            plan.fail(table, line, last, f"is before {first}")


def _check_references(
    plan: BookExportPlan, specs: dict[str, list[ColumnSpec]], ids: dict[str, set[int]]
) -> None:
    """Every reference points at a row of the array it names, in this same file."""
    for name, columns in specs.items():
        for spec in columns:
            if spec.kind != "ref":
                continue
            for line, row in enumerate(plan.tables[name], start=1):
                target = row.get(spec.name)
                if isinstance(target, int) and target not in ids[spec.refers_to]:
                    plan.fail(name, line, spec.name, f"no row {target} in {spec.refers_to}")


def _check_owners(plan: BookExportPlan) -> None:
    """Rows that tie two records together tie records of one and the same client."""
    tables = plan.tables
    # A reference to a missing client is reported already; comparing with it says nothing.
    clients = {row.get("id") for row in tables["clients"]}
    client_of = {
        name: {row.get("id"): row.get("client_id") for row in tables[name]}
        for name in ("invoices", "payments", "plans", "history")
    }
    client_of["instalments"] = {
        row.get("id"): client_of["plans"].get(row.get("plan_id")) for row in tables["instalments"]
    }

    def compare(
        table: str, line: int, column: str, target: str, row: dict[str, object], owner: object
    ) -> None:
        """Fail when the row ``column`` names belongs to another client than ``owner``."""
        target_id = row.get(column)
        other = client_of[target].get(target_id)
        if target_id is None or other not in clients or owner not in clients or other == owner:
            return
        reason = f"{target} row id {target_id} belongs to client {other}, not client {owner}"
        plan.fail(table, line, column, reason)

    for line, row in enumerate(tables["promises"], start=1):
        compare("promises", line, "event_id", "history", row, row.get("client_id"))
    for line, row in enumerate(tables["history"], start=1):
        compare("history", line, "invoice_id", "invoices", row, row.get("client_id"))
    for line, row in enumerate(tables["allocations"], start=1):
        payer = client_of["payments"].get(row.get("payment_id"))
        if row.get("invoice_id") is None and row.get("instalment_id") is None:
            plan.fail("allocations", line, "invoice_id", "names neither invoice nor instalment")
        compare("allocations", line, "invoice_id", "invoices", row, payer)
        compare("allocations", line, "instalment_id", "instalments", row, payer)


def _check_spread(plan: BookExportPlan) -> None:
    """No payment is spread over invoices (or over instalments) beyond its own amount."""
    amount_of = {row.get("id"): row.get("amount") for row in plan.tables["payments"]}
    for column in ("invoice_id", "instalment_id"):
        spread: dict[object, int] = {}
        for line, row in enumerate(plan.tables["allocations"], start=1):
            payment, amount = row.get("payment_id"), row.get("amount")
            if row.get(column) is None or not isinstance(amount, int):
                continue
            spread[payment] = spread.get(payment, 0) + amount
            limit = amount_of.get(payment)
            if isinstance(limit, int) and spread[payment] > limit:
                reason = f"payments row id {payment} is spread beyond its amount"
                plan.fail("allocations", line, "amount", reason)


def _check_unique(plan: BookExportPlan, table: str, column: str) -> None:
    """A value the book keeps unique appears once."""
    seen: dict[object, int] = {}
    for line, row in enumerate(plan.tables[table], start=1):
        value = row.get(column)
        if value is None:
            continue
        if value in seen:
            plan.fail(table, line, column, f"{value!r} is already in row {seen[value]}")
        seen.setdefault(value, line)


def restore_export(plan: BookExportPlan, *, dry_run: bool = False) -> RestoreOutcome:
    """Insert every row with its id in one transaction; refuses a book that is not empty.

    The history comes back as it was: no event is added, since the goal is the same book.
    A dry run makes the very same writes and rolls them back.
    """
    outcome = RestoreOutcome(errors=list(plan.errors))
    if outcome.errors:
        return outcome
    try:
        with transaction():
            if not book_is_empty():
                raise BookNotEmpty(
                    "the book is not empty: an export is restored only into a new, empty book "
                    "(use --db with a new file); merging books is not supported"
                )
            outcome.counts = insert_tables(plan.tables)
            if dry_run:
                raise _Rehearsal
    except _Rehearsal:
        return outcome
    outcome.written = True
    return outcome
