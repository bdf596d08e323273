"""Reading a ``relance-export`` JSON or TOML file back into an empty book, all or nothing."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from relance.domain.money import AmountError, parse_amount
from relance.importing.plan import RowError
from relance.store.database import transaction
from relance.store.errors import StoreError
from relance.store.export import FORMAT_NAME, FORMAT_SCHEMA, HEADER_KEYS
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
        return date.fromisoformat(raw)
    if spec.kind == "moment":
        if not _ISO_MOMENT.fullmatch(raw):
            raise ValueError(f"not an ISO moment: {raw!r} (write it like 2026-11-23T09:30:00)")
        return datetime.fromisoformat(raw)
    if spec.kind == "rate":
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError(f"not a rate: {raw!r} (write it like 12.5)") from None
        if not number.is_finite():
            raise ValueError(f"not a rate: {raw!r} (write it like 12.5)")
    return raw


def _check_row_rules(table: str, line: int, row: dict[str, object], plan: BookExportPlan) -> None:
    """The checks the book's schema makes on a row, so they are reported rather than raised."""
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
