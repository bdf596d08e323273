"""Writing a checked ``relance-export`` back into an empty book, every row with its own id."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from peewee import (
    AutoField,
    BooleanField,
    DateField,
    DateTimeField,
    Field,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
)

from relance.store.errors import StoreError
from relance.store.export import TABLES, ExportTable, exported_fields
from relance.store.models import database
from relance.store.triage_index import refresh_all_summaries

# Recomputed after the rows are in, never read from the file (docs/export-format.md).
DERIVED_COLUMNS = {
    "clients": frozenset(
        {
            "outstanding",
            "open_invoices",
            "oldest_due_on",
            "next_action",
            "next_action_on",
            "ladder_step",
            "next_action_reason",
            "payer_profile",
        }
    ),
    "invoices": frozenset({"paid"}),
    "instalments": frozenset({"paid"}),
}
# Percentages kept as decimal text: checked as numbers, stored exactly as written.
RATE_COLUMNS = {("clients", "contract_rate"), ("rates", "rate")}
# Rows per INSERT: well under SQLite's limit on bound variables.
INSERT_BATCH = 50

_RECOMPUTE_PAID = (
    "UPDATE invoice SET paid = COALESCE("
    "(SELECT SUM(amount) FROM allocation WHERE allocation.invoice_id = invoice.id), 0)",
    "UPDATE instalment SET paid = COALESCE("
    "(SELECT SUM(amount) FROM allocation WHERE allocation.instalment_id = instalment.id), 0)",
)


class RestoreRefused(StoreError):
    """The book refused a row the checks let through; the transaction is rolled back."""


@dataclass(frozen=True)
class ColumnSpec:
    """What one column of an export array must hold, read from the model that stores it."""

    name: str
    kind: str  # id, ref, int, money, bool, date, moment, rate or text
    nullable: bool
    required: bool
    default: object
    refers_to: str = ""
    derived: bool = False


def table_specs() -> dict[str, list[ColumnSpec]]:
    """Every export array with its columns, in the export's order."""
    return {table.name: [_spec(table, field) for field in _fields(table)] for table in TABLES}


def _fields(table: ExportTable) -> list[Field]:
    """A model's exported fields in column order."""
    return exported_fields(table)


def _spec(table: ExportTable, field: Field) -> ColumnSpec:
    """One column's expectations, from its Peewee field."""
    name = field.column_name
    refers_to = ""
    if isinstance(field, AutoField):
        kind = "id"
    elif isinstance(field, ForeignKeyField):
        kind = "ref"
        refers_to = next(t.name for t in TABLES if t.model is field.rel_model)
    elif isinstance(field, IntegerField):
        kind = "money" if name in table.money else "int"
    elif isinstance(field, BooleanField):
        kind = "bool"
    elif isinstance(field, DateTimeField):
        kind = "moment"
    elif isinstance(field, DateField):
        kind = "date"
    elif (table.name, name) in RATE_COLUMNS:
        kind = "rate"
    else:
        kind = "text"
    default = field.default
    return ColumnSpec(
        name=name,
        kind=kind,
        nullable=bool(field.null),
        required=default is None and not field.null,
        default=default,
        refers_to=refers_to,
        derived=name in DERIVED_COLUMNS.get(table.name, frozenset()),
    )


def book_is_empty() -> bool:
    """True when no exported table of the open book holds a row."""
    return not any(table.model.select().exists() for table in TABLES)


def insert_tables(rows: Mapping[str, Sequence[Mapping[str, object]]]) -> dict[str, int]:
    """Insert checked rows (column name → value) with their ids, inside the caller's transaction.

    Derived columns are then recomputed: what invoices and instalments have been paid, and
    every client's triage columns. Returns the number of rows per array.
    """
    counts: dict[str, int] = {}
    for table in TABLES:
        fields = {field.column_name: field for field in _fields(table)}
        batch = [
            {fields[name]: value for name, value in row.items()} for row in rows.get(table.name, ())
        ]
        for start in range(0, len(batch), INSERT_BATCH):
            try:
                table.model.insert_many(batch[start : start + INSERT_BATCH]).execute()
            except IntegrityError as error:
                raise RestoreRefused(f"{table.name}: the book refused a row: {error}") from None
        counts[table.name] = len(batch)
    for statement in _RECOMPUTE_PAID:
        database.execute_sql(statement)
    refresh_all_summaries()
    return counts
