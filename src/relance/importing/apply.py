"""Applying an import plan to the book in one transaction, or rehearsing it (dry run)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from relance.domain.balances import Allocation as Share
from relance.domain.balances import InvoiceBalance, allocate_payment
from relance.domain.jurisdictions import default_jurisdiction
from relance.importing.plan import ImportPlan, PlannedInvoice, RowError
from relance.services.history import record_event
from relance.store.database import transaction
from relance.store.ledger import write_payment
from relance.store.lookup import client_named
from relance.store.models import Client, Contact, Invoice, Payment
from relance.store.summary import refresh_client_summary

# How the payments an import records are marked, so that a re-import recognises them.
PAID_METHOD = "import"
CREDIT_METHOD = "credit note"

Progress = Callable[[int, int], None]


@dataclass
class ClientChanges:
    """What an import changed for one client, for its history event."""

    name: str
    created: bool = False
    new_invoices: int = 0
    updated_invoices: int = 0
    payments: int = 0
    credit_notes: int = 0

    @property
    def changed(self) -> bool:
        """True when anything was written for this client."""
        return bool(
            self.created
            or self.new_invoices
            or self.updated_invoices
            or self.payments
            or self.credit_notes
        )


@dataclass
class ImportOutcome:
    """What an import did (or, in a dry run, would do), or every reason it wrote nothing."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    clients: dict[int, ClientChanges] = field(default_factory=dict)
    unchanged_invoices: int = 0
    written: bool = False

    def total(self, attribute: str) -> int:
        """One counter summed over every client."""
        return sum(int(getattr(changes, attribute)) for changes in self.clients.values())

    @property
    def new_clients(self) -> list[str]:
        """Names of the clients the import creates."""
        return [changes.name for changes in self.clients.values() if changes.created]

    def record(self) -> dict[str, object]:
        """The outcome as plain data, for `--json`."""
        return {
            "written": self.written,
            "rows": self.rows,
            "new_clients": self.new_clients,
            "new_invoices": self.total("new_invoices"),
            "updated_invoices": self.total("updated_invoices"),
            "unchanged_invoices": self.unchanged_invoices,
            "payments": self.total("payments"),
            "credit_notes": self.total("credit_notes"),
            "errors": [
                {"line": error.line, "column": error.column, "reason": error.reason}
                for error in self.errors
            ],
        }


class _Rehearsal(Exception):
    """Raised inside the transaction to roll back a dry run or a refused import."""


def apply_plan(
    plan: ImportPlan,
    at: datetime,
    *,
    dry_run: bool = False,
    default_law: str = "",
    progress: Progress | None = None,
) -> ImportOutcome:
    """Write the plan in one transaction; nothing at all if any row is refused or in a dry run.

    A dry run goes through the very same writes and rolls them back, so its summary is
    exactly what the real import would do.
    """
    outcome = ImportOutcome(rows=len(plan.rows), errors=list(plan.errors))
    _check_duplicates(plan, outcome)
    if outcome.errors:
        return outcome
    try:
        with transaction():
            _apply(plan, at, outcome, default_law, progress)
            if outcome.errors or dry_run:
                raise _Rehearsal
            for client_id, changes in outcome.clients.items():
                if changes.changed:
                    record_event(
                        client_id,
                        "note",
                        _event_summary(plan, changes),
                        at,
                        direction="internal",
                        outcome="import",
                    )
                refresh_client_summary(client_id)
    except _Rehearsal:
        return outcome
    outcome.written = True
    return outcome


def _check_duplicates(plan: ImportPlan, outcome: ImportOutcome) -> None:
    """The same number twice in one file is refused: which one would be right?"""
    seen: dict[str, int] = {}
    for row in plan.rows:
        if row.number in seen:
            outcome.errors.append(
                RowError(row.line, "number", f"{row.number} is already on line {seen[row.number]}")
            )
        seen.setdefault(row.number, row.line)


def _apply(
    plan: ImportPlan,
    at: datetime,
    outcome: ImportOutcome,
    default_law: str,
    progress: Progress | None,
) -> None:
    """Every row's writes; invoices before credit notes so a note finds the invoice it credits."""
    ordered = [row for row in plan.rows if not row.credit_note] + [
        row for row in plan.rows if row.credit_note
    ]
    for done, row in enumerate(ordered, start=1):
        client = _client_for(row, at, outcome, default_law)
        if _currency_ok(row, client, outcome):
            if row.credit_note:
                _credit_note(row, client, at, outcome)
            else:
                _invoice(row, client, at, outcome)
        if progress is not None:
            progress(done, len(ordered))


def _client_for(
    row: PlannedInvoice, at: datetime, outcome: ImportOutcome, default_law: str
) -> Client:
    """The client a row belongs to: by company number, then by name, else a new one."""
    client = None
    if row.company_id:
        client = Client.get_or_none(Client.company_id == row.company_id)
    if client is None:
        client = client_named(row.client_name)
    if client is None:
        client = Client.create(
            name=row.client_name,
            kind="b2b",
            language="fr",
            jurisdiction=default_jurisdiction("b2b", default_law),
            currency=row.currency or "EUR",
            company_id=row.company_id,
            created_at=at,
        )
        if row.email:
            Contact.create(client=client, email=row.email, is_billing=True)
        outcome.clients[client.id] = ClientChanges(client.name, created=True)
    elif row.company_id and not client.company_id:
        # The first company number seen for a client lets later files match it by number.
        Client.update(company_id=row.company_id).where(Client.id == client.id).execute()
        client.company_id = row.company_id
    outcome.clients.setdefault(client.id, ClientChanges(client.name))
    return client


def _currency_ok(row: PlannedInvoice, client: Client, outcome: ImportOutcome) -> bool:
    """A client is billed in one currency; a first invoice may still set it."""
    code = row.currency or client.currency
    if code == client.currency:
        return True
    others = Invoice.select().where((Invoice.client == client.id) & (Invoice.number != row.number))
    if others.exists():
        reason = f"{client.name} is billed in {client.currency}, not {code}"
        outcome.errors.append(RowError(row.line, "currency", reason))
        return False
    Client.update(currency=code).where(Client.id == client.id).execute()
    client.currency = code
    return True


def _invoice(row: PlannedInvoice, client: Client, at: datetime, outcome: ImportOutcome) -> None:
    """Add the invoice, or update the one with its number; then record what was paid on it."""
    changes = outcome.clients[client.id]
    invoice = Invoice.get_or_none(Invoice.number == row.number)
    if invoice is None:
        invoice = Invoice.create(
            client=client.id,
            number=row.number,
            issued_on=row.issued,
            due_on=row.due,
            amount=row.total,
            currency=client.currency,
            source="import",
            created_at=at,
        )
        changes.new_invoices += 1
    elif invoice.client_id != client.id:
        owner = Client.get_by_id(invoice.client_id).name
        reason = f"invoice {row.number} belongs to {owner}, not {client.name}"
        outcome.errors.append(RowError(row.line, "number", reason))
        return
    elif invoice.paid > row.total:
        outcome.errors.append(
            RowError(row.line, "amount", f"more than this total is already paid on {row.number}")
        )
        return
    elif (invoice.amount, invoice.issued_on, invoice.due_on) != (row.total, row.issued, row.due):
        Invoice.update(amount=row.total, issued_on=row.issued, due_on=row.due).where(
            Invoice.id == invoice.id
        ).execute()
        changes.updated_invoices += 1
    else:
        outcome.unchanged_invoices += 1
    # Only the part of the payments the book does not know yet: a re-import records nothing.
    missing = row.paid - int(Invoice.get_by_id(invoice.id).paid)
    if missing > 0:
        received_on = min(row.paid_on or row.due, at.date())
        write_payment(
            client.id,
            missing,
            received_on,
            at,
            [Share(invoice.id, missing)],
            method=PAID_METHOD,
            reference=row.number,
        )
        changes.payments += 1


def _credit_note(row: PlannedInvoice, client: Client, at: datetime, outcome: ImportOutcome) -> None:
    """A credit note lowers what the client owes: recorded once as a credit on its invoices."""
    already = Payment.select().where(
        (Payment.client == client.id)
        & (Payment.method == CREDIT_METHOD)
        & (Payment.reference == row.number)
    )
    if already.exists():
        return
    invoices = [
        InvoiceBalance(inv.id, inv.number, inv.due_on, inv.amount, inv.paid)
        for inv in Invoice.select().where(Invoice.client == client.id)
    ]
    credited = next((inv.invoice_id for inv in invoices if inv.number == row.credits_invoice), None)
    allocations, _credit = allocate_payment(row.total, invoices, credited)
    write_payment(
        client.id,
        row.total,
        min(row.issued, at.date()),
        at,
        allocations,
        method=CREDIT_METHOD,
        reference=row.number,
    )
    outcome.clients[client.id].credit_notes += 1


def _event_summary(plan: ImportPlan, changes: ClientChanges) -> str:
    """The history line: which file, how many rows, and what it brought for this client."""
    count = changes.new_invoices + changes.updated_invoices
    parts = [
        f"{number} {label}"
        for number, label in (
            (changes.new_invoices, "new"),
            (changes.updated_invoices, "updated"),
            (changes.payments, "payment(s) recorded"),
            (changes.credit_notes, "credit note(s)"),
        )
        if number
    ]
    return (
        f"imported {count} invoice(s) from {plan.source.name} "
        f"({plan.lines_read} row(s) read): {', '.join(parts) or 'client added'}"
    )
