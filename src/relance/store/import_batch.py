"""What an import reads and writes, in sets: a few statements for a whole file, never a few per row.

The import decides everything in Python from what these functions load up front, then writes
it here with one prepared statement per table, run over all the rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any, NamedTuple, TypeVar

from peewee import (
    DatabaseError,
    DataError,
    DateField,
    DateTimeField,
    ExceptionWrapper,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
)

from relance.store.models import (
    Allocation,
    BaseModel,
    Client,
    Contact,
    ContactEvent,
    Invoice,
    Payment,
    database,
)
from relance.store.stored_dates import stored_day

T = TypeVar("T")

# sqlite3's errors turned into Peewee's, as for every other statement the book runs.
_PEEWEE_ERRORS = ExceptionWrapper(
    {
        error.__name__: error
        for error in (
            DatabaseError,
            DataError,
            IntegrityError,
            InterfaceError,
            InternalError,
            NotSupportedError,
            OperationalError,
            ProgrammingError,
        )
    }
)


@dataclass(slots=True)
class BookClient:
    """A client as an import matches rows to it; its identity and ``currency`` may change."""

    id: int
    name: str
    company_id: str
    currency: str
    vat_id: str = ""
    country: str = ""


@dataclass(slots=True)
class BookInvoice:
    """An invoice as an import compares and pays it; ``credited`` is what credit notes settled."""

    id: int
    client_id: int
    number: str
    amount: int
    issued_on: date
    due_on: date
    paid: int
    credited: int = 0


@dataclass(slots=True)
class BookCreditNote:
    """A credit note already in the book: ``used`` is the part already settling invoices."""

    id: int
    client_id: int
    amount: int
    received_on: date
    reference: str
    reversed: bool
    used: int


class ClientRow(NamedTuple):
    """A new client; every other column takes the model's default."""

    id: int
    name: str
    kind: str
    language: str
    jurisdiction: str
    currency: str
    company_id: str
    vat_id: str
    country: str
    created_at: datetime


class ClientChange(NamedTuple):
    """The identity and currency an import settled for a client already in the book."""

    id: int
    company_id: str
    currency: str
    vat_id: str
    country: str


class ContactRow(NamedTuple):
    """The billing address of a new client."""

    id: int
    client: int
    email: str
    is_billing: bool


class InvoiceRow(NamedTuple):
    """A new invoice, with what has been paid on it by the end of the import."""

    id: int
    client: int
    number: str
    issued_on: date
    due_on: date
    amount: int
    currency: str
    paid: int
    source: str
    created_at: datetime


class InvoiceChange(NamedTuple):
    """An invoice already in the book, as the import leaves it."""

    id: int
    amount: int
    issued_on: date
    due_on: date
    paid: int


class PaymentRow(NamedTuple):
    """A payment (or credit note) the import records."""

    id: int
    client: int
    amount: int
    received_on: date
    method: str
    reference: str
    created_at: datetime


class AllocationRow(NamedTuple):
    """The share of a payment that settles an invoice."""

    id: int
    payment: int
    invoice: int
    amount: int


class EventRow(NamedTuple):
    """One history line for a client the import changed."""

    id: int
    client: int
    kind: str
    direction: str
    outcome: str
    summary: str
    happened_at: datetime


@dataclass(frozen=True)
class LastIds:
    """The highest id of each table the import adds to; new rows follow on from these."""

    client: int
    contact: int
    invoice: int
    payment: int
    allocation: int
    event: int


@dataclass
class ImportRows:
    """Every row an import adds or changes, written together by ``write_import_rows``."""

    clients: list[ClientRow]
    client_changes: list[ClientChange]
    contacts: list[ContactRow]
    invoices: list[InvoiceRow]
    invoice_changes: list[InvoiceChange]
    payments: list[PaymentRow]
    allocations: list[AllocationRow]


_LAST_IDS_SQL = """
SELECT (SELECT MAX(id) FROM client), (SELECT MAX(id) FROM contact), (SELECT MAX(id) FROM invoice),
       (SELECT MAX(id) FROM payment), (SELECT MAX(id) FROM allocation),
       (SELECT MAX(id) FROM contact_event)
"""

# What credit notes settled on an invoice: not a payment in a file's "paid" column.
_CREDITED_SQL = """
(SELECT COALESCE(SUM(a.amount), 0) FROM allocation a JOIN payment p ON p.id = a.payment_id
 WHERE a.invoice_id = i.id AND p.method = ?)
"""

_INVOICE_COLUMNS = "i.id, i.client_id, i.number, i.amount, i.issued_on, i.due_on, i.paid"


def last_ids() -> LastIds:
    """The highest id in each table an import adds to (0 for an empty table)."""
    row = database.execute_sql(_LAST_IDS_SQL).fetchone()
    return LastIds(*(int(value or 0) for value in row))


def clients_matching(
    company_ids: Iterable[str],
    folded_names: Iterable[str],
    client_ids: Iterable[int],
    vat_ids: Iterable[str] = (),
) -> list[BookClient]:
    """Clients with one of these company numbers, VAT ids, casefolded names or ids; lowest first.

    Every client a row could be matched to is there, so the first one per company number or
    name is the one a lookup of the whole table would find first.
    """
    found: dict[int, BookClient] = {}
    for column, values in (
        ("company_id", sorted(set(company_ids))),
        ("vat_id", sorted(set(vat_ids))),
        ("casefold(name)", sorted(set(folded_names))),
        ("id", sorted(set(client_ids))),
    ):
        for chunk in _chunks(values, _max_parameters()):
            sql = (
                "SELECT id, name, company_id, currency, vat_id, country FROM client "
                f"WHERE {column} IN ({_marks(len(chunk))})"
            )
            for client_id, name, company, currency, vat, country in database.execute_sql(
                sql, chunk
            ):
                found[int(client_id)] = BookClient(
                    int(client_id), name, company, currency, vat, country
                )
    return [found[client_id] for client_id in sorted(found)]


def invoices_numbered(numbers: Sequence[str], credit_method: str) -> list[BookInvoice]:
    """The invoices that carry these numbers, with what credit notes settled on each."""
    found: list[BookInvoice] = []
    for chunk in _chunks(numbers, _max_parameters() - 1):
        sql = (
            f"SELECT {_INVOICE_COLUMNS}, {_CREDITED_SQL} FROM invoice i "
            f"WHERE i.number IN ({_marks(len(chunk))})"
        )
        found.extend(_invoice(row) for row in database.execute_sql(sql, (credit_method, *chunk)))
    return found


def invoices_of(client_ids: Sequence[int], credit_method: str) -> list[BookInvoice]:
    """Every invoice of these clients, with what credit notes settled on each."""
    found: list[BookInvoice] = []
    for chunk in _chunks(client_ids, _max_parameters() - 1):
        sql = (
            f"SELECT {_INVOICE_COLUMNS}, {_CREDITED_SQL} FROM invoice i "
            f"WHERE i.client_id IN ({_marks(len(chunk))}) ORDER BY i.id"
        )
        found.extend(_invoice(row) for row in database.execute_sql(sql, (credit_method, *chunk)))
    return found


def invoice_numbers_of(client_id: int, limit: int) -> list[str]:
    """Up to ``limit`` invoice numbers of one client: does it have invoices besides one?"""
    rows = database.execute_sql(
        "SELECT number FROM invoice WHERE client_id = ? LIMIT ?", (client_id, limit)
    )
    return [str(number) for (number,) in rows]


def credit_notes_of(client_ids: Sequence[int], credit_method: str) -> list[BookCreditNote]:
    """Every credit note of these clients (reversed ones too), oldest first."""
    found: list[BookCreditNote] = []
    for chunk in _chunks(client_ids, _max_parameters() - 1):
        sql = f"""
            SELECT p.id, p.client_id, p.amount, p.received_on, p.reference,
                   p.reversed_at IS NOT NULL,
                   (SELECT COALESCE(SUM(a.amount), 0) FROM allocation a
                    WHERE a.payment_id = p.id AND a.invoice_id IS NOT NULL)
            FROM payment p
            WHERE p.method = ? AND p.client_id IN ({_marks(len(chunk))})
            ORDER BY p.received_on, p.id
        """
        found.extend(
            BookCreditNote(
                int(note_id),
                int(client_id),
                int(amount),
                stored_day(received_on),
                str(reference),
                bool(reversed_),
                int(used),
            )
            for note_id, client_id, amount, received_on, reference, reversed_, used in (
                database.execute_sql(sql, (credit_method, *chunk))
            )
        )
    return found


def write_import_rows(rows: ImportRows) -> None:
    """Write everything an import adds or changes, parents before the rows that point at them."""
    insert_rows(Client, rows.clients)
    update_rows(Client, rows.client_changes)
    insert_rows(Contact, rows.contacts)
    insert_rows(Invoice, rows.invoices)
    update_rows(Invoice, rows.invoice_changes)
    insert_rows(Payment, rows.payments)
    insert_rows(Allocation, rows.allocations)


def add_events(events: Sequence[EventRow]) -> None:
    """Append history lines, as ``record_event`` would one by one."""
    insert_rows(ContactEvent, events)


def insert_rows(model: type[BaseModel], rows: Sequence[NamedTuple]) -> None:
    """Insert rows (named after the model's fields) with one prepared statement.

    Columns the rows do not name get the model's default, exactly as ``Model.create`` gives.
    """
    if not rows:
        return
    named = rows[0]._fields
    fields = model._meta.fields
    defaults = [
        (name, field.default)
        for name, field in fields.items()
        if name not in named and field.default is not None
    ]
    names = [*named, *(name for name, _ in defaults)]
    columns = _sql_columns(model, named, rows)
    # No model default is computed per row; a callable one is called once per statement.
    columns.extend(
        [default() if callable(default) else default] * len(rows) for _, default in defaults
    )
    marks = ", ".join("?" * len(names))
    sql = (
        f'INSERT INTO "{model._meta.table_name}" '
        f"({', '.join(fields[name].column_name for name in names)}) VALUES ({marks})"
    )
    _execute_many(sql, zip(*columns, strict=True))


def update_rows(model: type[BaseModel], rows: Sequence[NamedTuple]) -> None:
    """Set columns of existing rows, found by their id (the first field), with one statement."""
    if not rows:
        return
    named = rows[0]._fields
    fields = model._meta.fields
    columns = _sql_columns(model, named, rows)
    assignments = ", ".join(f"{fields[name].column_name} = ?" for name in named[1:])
    sql = f'UPDATE "{model._meta.table_name}" SET {assignments} WHERE id = ?'
    _execute_many(sql, zip(*columns[1:], columns[0], strict=True))


def _sql_columns(
    model: type[BaseModel], named: Sequence[str], rows: Sequence[NamedTuple]
) -> list[list[Any]]:
    """The rows' values column by column, dates as the text SQLite stores them.

    Peewee has SQLite store a date as ``str(date)`` (and a moment as ``str(datetime)``);
    doing it here once per distinct value spares a Python adapter call per value.
    """
    fields = model._meta.fields
    columns: list[list[Any]] = [list(column) for column in zip(*rows, strict=True)]
    for index, name in enumerate(named):
        if isinstance(fields[name], DateField | DateTimeField):
            texts = {value: None if value is None else str(value) for value in set(columns[index])}
            columns[index] = [texts[value] for value in columns[index]]
    return columns


def _execute_many(sql: str, rows: Iterable[Sequence[Any]]) -> None:
    """Run one write statement over many rows, its errors raised as Peewee's own."""
    with _PEEWEE_ERRORS:
        database.cursor().executemany(sql, rows)


def _max_parameters() -> int:
    """How many ``?`` one statement may hold on this connection (32 766 by default)."""
    return int(database.connection().getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive slices of at most ``size`` items."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _marks(count: int) -> str:
    """``?, ?, …`` for an ``IN`` list."""
    return ", ".join("?" * count)


def _invoice(row: tuple[Any, ...]) -> BookInvoice:
    """An invoice row (with its credited amount last) as the import works on it."""
    invoice_id, client_id, number, amount, issued_on, due_on, paid, credited = row
    return BookInvoice(
        int(invoice_id),
        int(client_id),
        str(number),
        int(amount),
        stored_day(issued_on),
        stored_day(due_on),
        int(paid),
        int(credited),
    )
