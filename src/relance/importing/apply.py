"""Applying an import plan to the book in one transaction, or rehearsing it (dry run).

The rows are worked out in memory, in the order they are read, from what a few statements load
up front; everything they change is then written in sets. A file of any length costs a handful
of statements (plus the triage refresh of each client it touches), never a few per row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import count

from relance.domain.balances import Allocation as Share
from relance.domain.balances import InvoiceBalance, allocate_payment
from relance.domain.jurisdictions import default_jurisdiction
from relance.importing.plan import ImportPlan, PlannedInvoice, RowError
from relance.store.database import transaction
from relance.store.import_batch import (
    AllocationRow,
    BookClient,
    BookCreditNote,
    BookInvoice,
    ClientChange,
    ClientRow,
    ContactRow,
    EventRow,
    ImportRows,
    InvoiceChange,
    InvoiceRow,
    PaymentRow,
    add_events,
    clients_matching,
    credit_notes_of,
    invoice_numbers_of,
    invoices_numbered,
    invoices_of,
    last_ids,
    write_import_rows,
)
from relance.store.ledger import apply_open_credit
from relance.store.triage_index import refresh_client_summary

# How the payments an import records are marked, so that a re-import recognises them.
PAID_METHOD = "import"
CREDIT_METHOD = "credit note"

Progress = Callable[[int, int], None]
# However long the file, the progress callback hears of about this many steps.
PROGRESS_STEPS = 100


@dataclass
class ClientChanges:
    """What an import changed for one client, for its history event."""

    name: str
    created: bool = False
    new_invoices: int = 0
    updated_invoices: int = 0
    payments: int = 0
    credit_notes: int = 0
    credits_applied: int = 0

    @property
    def changed(self) -> bool:
        """True when anything was written for this client."""
        return bool(
            self.created
            or self.new_invoices
            or self.updated_invoices
            or self.payments
            or self.credit_notes
            or self.credits_applied
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
            "credits_applied": self.total("credits_applied"),
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
    settle: Callable[[int], object] | None = None,
) -> ImportOutcome:
    """Write the plan in one transaction; nothing at all if any row is refused or in a dry run.

    ``settle`` is called, inside the transaction, for each client the import paid money to:
    the caller judges that client's promises and plans again.

    A dry run works the rows out and writes them exactly as the import does, then rolls
    back, so its summary is exactly what the real import would do.
    """
    outcome = ImportOutcome(rows=len(plan.rows), errors=list(plan.errors))
    _check_duplicates(plan, outcome)
    if outcome.errors:
        return outcome
    try:
        with transaction():
            work = _ImportWork(plan, at, outcome, default_law)
            work.run(progress)
            if outcome.errors:
                raise _Rehearsal
            write_import_rows(work.rows())
            if dry_run:
                raise _Rehearsal
            add_events(work.events())
            for client_id, changes in outcome.clients.items():
                # Credit left by earlier payments goes to the invoices this import brought.
                if changes.new_invoices or changes.updated_invoices:
                    apply_open_credit(client_id)
                if settle is not None and (changes.payments or changes.credit_notes):
                    settle(client_id)
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


class _ImportWork:
    """One import worked out in memory: the book's rows it needs, and every row it changes.

    Each row is decided exactly as if the rows before it had already been written: clients
    created or given a company number by an earlier row are found by the later ones.
    """

    def __init__(
        self, plan: ImportPlan, at: datetime, outcome: ImportOutcome, default_law: str
    ) -> None:
        """Load what the file's rows need: ids, clients, and the invoices they number."""
        self.plan = plan
        self.at = at
        self.today = at.date()
        self.outcome = outcome
        self.default_law = default_law
        self.jurisdiction = ""
        ids = last_ids()
        self.first_new_client = ids.client + 1
        self.client_ids = count(ids.client + 1)
        self.contact_ids = count(ids.contact + 1)
        self.invoice_ids = count(ids.invoice + 1)
        self.payment_ids = count(ids.payment + 1)
        self.allocation_ids = count(ids.allocation + 1)
        self.event_ids = count(ids.event + 1)
        self.new_clients: list[BookClient] = []
        self.changed_clients: dict[int, BookClient] = {}
        self.contacts: list[ContactRow] = []
        self.invoice_samples: dict[int, list[str]] = {}
        # Every invoice loaded or added, and how the book's own were before the import.
        self.invoices: dict[int, BookInvoice] = {}
        self.before: dict[int, tuple[int, date, date, int]] = {}
        self.by_client: dict[int, list[BookInvoice]] = {}
        self.new_invoices: list[tuple[BookInvoice, str]] = []
        self.numbered: dict[str, BookInvoice] = {}
        for invoice in invoices_numbered([row.number for row in plan.rows], CREDIT_METHOD):
            self.numbered[invoice.number] = self._know_invoice(invoice)
        self.clients: dict[int, BookClient] = {}
        self.by_company: dict[str, BookClient] = {}
        self.by_vat: dict[str, BookClient] = {}
        # Every client of a (casefolded) name, oldest first: names match within one country.
        self.by_name: dict[str, list[BookClient]] = {}
        # The clients the rows name (also under the name a buyer of another country is given),
        # and those the invoices they number belong to; lowest id first, so that a lookup by
        # company number or by name finds the oldest client.
        for client in clients_matching(
            (row.company_id for row in plan.rows if row.company_id),
            (name.casefold() for row in plan.rows for name in _names_of(row)),
            (invoice.client_id for invoice in self.numbered.values()),
            (row.vat_id for row in plan.rows if row.vat_id),
        ):
            self._know_client(client)
        self.payments: list[PaymentRow] = []
        self.allocations: list[AllocationRow] = []
        self.recorded_notes: set[tuple[int, str]] = set()
        self.open_notes: dict[int, list[BookCreditNote]] = {}

    def run(self, progress: Progress | None) -> None:
        """Every row in turn; invoices before credit notes so a note finds what it credits."""
        ordered = [row for row in self.plan.rows if not row.credit_note] + [
            row for row in self.plan.rows if row.credit_note
        ]
        total = len(ordered)
        step = max(1, total // PROGRESS_STEPS)
        notes: list[tuple[PlannedInvoice, BookClient]] = []
        for done, row in enumerate(ordered, start=1):
            client = self._client_for(row)
            if self._currency_ok(row, client):
                if row.credit_note:
                    # Allocating a note changes nothing later rows are matched or checked on:
                    # it waits until the notes and invoices it needs are loaded, below.
                    notes.append((row, client))
                else:
                    self._invoice(row, client)
            if progress is not None and (done % step == 0 or done == total):
                progress(done, total)
        self._load_credit_notes(notes)
        for row, client in notes:
            self._credit_note(row, client)
        for client_id, changes in self.outcome.clients.items():
            if changes.new_invoices or changes.updated_invoices:
                self._apply_waiting_credit(client_id)

    def rows(self) -> ImportRows:
        """Every row the import adds or changes, as it leaves them."""
        return ImportRows(
            clients=[
                ClientRow(
                    client.id,
                    client.name,
                    "b2b",
                    "fr",
                    self.jurisdiction,
                    client.currency,
                    client.company_id,
                    client.vat_id,
                    client.country,
                    self.at,
                )
                for client in self.new_clients
            ],
            client_changes=[
                ClientChange(
                    client.id, client.company_id, client.currency, client.vat_id, client.country
                )
                for client in self.changed_clients.values()
            ],
            contacts=self.contacts,
            invoices=[
                InvoiceRow(
                    invoice.id,
                    invoice.client_id,
                    invoice.number,
                    invoice.issued_on,
                    invoice.due_on,
                    invoice.amount,
                    currency,
                    invoice.paid,
                    "import",
                    self.at,
                )
                for invoice, currency in self.new_invoices
            ],
            invoice_changes=[
                InvoiceChange(invoice_id, *_state(self.invoices[invoice_id]))
                for invoice_id, before in self.before.items()
                if _state(self.invoices[invoice_id]) != before
            ],
            payments=self.payments,
            allocations=self.allocations,
        )

    def events(self) -> list[EventRow]:
        """One history line for each client the import changed."""
        return [
            EventRow(
                next(self.event_ids),
                client_id,
                "note",
                "internal",
                "import",
                _event_summary(self.plan, changes),
                self.at,
            )
            for client_id, changes in self.outcome.clients.items()
            if changes.changed
        ]

    def _know_client(self, client: BookClient) -> None:
        """Make a client findable by id, company number, VAT id and name (the first seen wins)."""
        self.clients[client.id] = client
        if client.company_id:
            self.by_company.setdefault(client.company_id, client)
        if client.vat_id:
            self.by_vat.setdefault(client.vat_id, client)
        self.by_name.setdefault(client.name.casefold(), []).append(client)

    def _same_identity(self, row: PlannedInvoice) -> BookClient | None:
        """The client a row names: by company number, then VAT id, then name in its country.

        A name matches only a client of the same country (or of no known country) whose
        numbers do not contradict the row's: two buyers of different countries stay apart.
        """
        client = self.by_company.get(row.company_id) if row.company_id else None
        if client is None and row.vat_id:
            client = self.by_vat.get(row.vat_id)
        if client is not None:
            return client
        for name in _names_of(row):
            for known in self.by_name.get(name.casefold(), []):
                if _may_be(known, row):
                    return known
        return None

    def _know_invoice(self, invoice: BookInvoice) -> BookInvoice:
        """Keep an invoice of the book (once), remembering how it was before the import."""
        known = self.invoices.get(invoice.id)
        if known is not None:
            return known
        self.invoices[invoice.id] = invoice
        self.before[invoice.id] = _state(invoice)
        self.by_client.setdefault(invoice.client_id, []).append(invoice)
        return invoice

    def _client_for(self, row: PlannedInvoice) -> BookClient:
        """The client a row belongs to: by its identity (see ``_same_identity``), else a new one."""
        client = self._same_identity(row)
        if client is None:
            if not self.jurisdiction:
                self.jurisdiction = default_jurisdiction("b2b", self.default_law)
            client = BookClient(
                next(self.client_ids),
                self._free_name(row),
                row.company_id,
                row.currency or "EUR",
                row.vat_id,
                row.country,
            )
            self._know_client(client)
            self.new_clients.append(client)
            if row.email:
                self.contacts.append(ContactRow(next(self.contact_ids), client.id, row.email, True))
            self.outcome.clients[client.id] = ClientChanges(client.name, created=True)
        else:
            self._complete_identity(client, row)
        if client.id not in self.outcome.clients:
            self.outcome.clients[client.id] = ClientChanges(client.name)
        return client

    def _complete_identity(self, client: BookClient, row: PlannedInvoice) -> None:
        """The first company number, VAT id and country seen for a client are kept for later."""
        changed = False
        if row.company_id and not client.company_id:
            client.company_id = row.company_id
            self.by_company.setdefault(row.company_id, client)
            changed = True
        if row.vat_id and not client.vat_id:
            client.vat_id = row.vat_id
            self.by_vat.setdefault(row.vat_id, client)
            changed = True
        if row.country and not client.country:
            client.country = row.country
            changed = True
        if changed:
            self._client_changed(client)

    def _free_name(self, row: PlannedInvoice) -> str:
        """The buyer's name, or with its country when a client of another identity has it."""
        for name in _names_of(row):
            if name.casefold() not in self.by_name:
                return name
        # Both taken by other identities: the company number tells the buyers apart.
        return f"{row.client_name} ({row.company_id or row.vat_id or row.number})"

    def _client_changed(self, client: BookClient) -> None:
        """Note that a client of the book needs its row updated (a new one is written whole)."""
        if client.id < self.first_new_client:
            self.changed_clients[client.id] = client

    def _currency_ok(self, row: PlannedInvoice, client: BookClient) -> bool:
        """A client is billed in one currency; a first invoice may still set it."""
        code = row.currency or client.currency
        if code == client.currency:
            return True
        if self._has_other_invoices(client, row.number):
            reason = f"{client.name} is billed in {client.currency}, not {code}"
            self.outcome.errors.append(RowError(row.line, "currency", reason))
            return False
        client.currency = code
        self._client_changed(client)
        return True

    def _has_other_invoices(self, client: BookClient, number: str) -> bool:
        """True when the client has an invoice other than this number, in the book or the file."""
        if self.outcome.clients[client.id].new_invoices:
            return True
        if client.id >= self.first_new_client:
            return False
        sample = self.invoice_samples.get(client.id)
        if sample is None:
            # Two numbers are enough to know whether one differs from this one.
            sample = self.invoice_samples[client.id] = invoice_numbers_of(client.id, 2)
        return any(other != number for other in sample)

    def _invoice(self, row: PlannedInvoice, client: BookClient) -> None:
        """Add the invoice, or update the one with its number; then record what was paid on it."""
        changes = self.outcome.clients[client.id]
        invoice = self.numbered.get(row.number)
        known_before = invoice is not None
        if invoice is None:
            invoice = BookInvoice(
                next(self.invoice_ids),
                client.id,
                row.number,
                row.total,
                row.issued,
                row.due,
                paid=0,
            )
            self.new_invoices.append((invoice, client.currency))
            self.invoices[invoice.id] = invoice
            self.by_client.setdefault(client.id, []).append(invoice)
            changes.new_invoices += 1
        elif invoice.client_id != client.id:
            owner = self.clients[invoice.client_id].name
            reason = f"invoice {row.number} belongs to {owner}, not {client.name}"
            self.outcome.errors.append(RowError(row.line, "number", reason))
            return
        elif invoice.paid > row.total:
            self.outcome.errors.append(
                RowError(
                    row.line, "amount", f"more than this total is already paid on {row.number}"
                )
            )
            return
        elif (invoice.amount, invoice.issued_on, invoice.due_on) != (
            row.total,
            row.issued,
            row.due,
        ):
            invoice.amount, invoice.issued_on, invoice.due_on = row.total, row.issued, row.due
            changes.updated_invoices += 1
        else:
            self.outcome.unchanged_invoices += 1
        # Only the part of the payments the book does not know yet: a re-import records nothing.
        # What credit notes settled is not a payment in the file's "paid" column, so it is left out.
        missing = row.paid - (invoice.paid - invoice.credited)
        if missing > 0:
            # Without a payment date: an invoice seen for the first time already paid is taken
            # as paid when due; one the book knew unpaid was paid since: the import day is when
            # the book learns of it (dating it back would hide the delay from interest).
            fallback = self.today if known_before else row.due
            received_on = min(row.paid_on or fallback, self.today)
            self._pay(
                client.id,
                missing,
                received_on,
                PAID_METHOD,
                row.number,
                [Share(invoice.id, missing)],
            )
            changes.payments += 1

    def _load_credit_notes(self, notes: Sequence[tuple[PlannedInvoice, BookClient]]) -> None:
        """Load the credit notes, and then the invoices, of the book's clients that need them.

        A credit note row needs its client's notes (is it already recorded?) and invoices
        (what does it settle?); a client with new or changed invoices needs its notes that
        still hold credit, and then its invoices.
        """
        with_notes = {client.id for _, client in notes}
        with_notes.update(
            client_id
            for client_id, changes in self.outcome.clients.items()
            if changes.new_invoices or changes.updated_invoices
        )
        in_book = sorted(client_id for client_id in with_notes if client_id < self.first_new_client)
        if not in_book:
            return
        for note in credit_notes_of(in_book, CREDIT_METHOD):
            self.recorded_notes.add((note.client_id, note.reference))
            # A reversed credit note gave its allocations back for good.
            if not note.reversed:
                self.open_notes.setdefault(note.client_id, []).append(note)
        crediting = {
            client.id for row, client in notes if (client.id, row.number) not in self.recorded_notes
        }
        crediting.update(
            client_id
            for client_id, open_notes in self.open_notes.items()
            if any(note.amount > note.used for note in open_notes)
        )
        in_book = sorted(client_id for client_id in crediting if client_id < self.first_new_client)
        if in_book:
            for invoice in invoices_of(in_book, CREDIT_METHOD):
                self._know_invoice(invoice)

    def _balances(self, client_id: int) -> list[InvoiceBalance]:
        """Every invoice of a client as it stands at this point of the import."""
        return [
            InvoiceBalance(inv.id, inv.number, inv.due_on, inv.amount, inv.paid)
            for inv in self.by_client.get(client_id, [])
        ]

    def _credit_note(self, row: PlannedInvoice, client: BookClient) -> None:
        """A credit note lowers what the client owes: recorded once as a credit on its invoices."""
        if (client.id, row.number) in self.recorded_notes:
            return
        invoices = self._balances(client.id)
        credited = next(
            (inv.invoice_id for inv in invoices if inv.number == row.credits_invoice), None
        )
        allocations, _credit = allocate_payment(row.total, invoices, credited)
        received_on = min(row.issued, self.today)
        note_id = self._pay(
            client.id, row.total, received_on, CREDIT_METHOD, row.number, allocations
        )
        used = sum(share.amount for share in allocations)
        note = BookCreditNote(note_id, client.id, row.total, received_on, row.number, False, used)
        self.open_notes.setdefault(client.id, []).append(note)
        self.outcome.clients[client.id].credit_notes += 1

    def _pay(
        self,
        client_id: int,
        amount: int,
        received_on: date,
        method: str,
        reference: str,
        shares: Sequence[Share],
    ) -> int:
        """Record a payment and its shares, keeping each invoice's ``paid`` equal to them."""
        payment_id = next(self.payment_ids)
        self.payments.append(
            PaymentRow(payment_id, client_id, amount, received_on, method, reference, self.at)
        )
        self._allocate(payment_id, shares)
        return payment_id

    def _allocate(self, payment_id: int, shares: Sequence[Share]) -> None:
        """Apply a payment's shares to the invoices they settle."""
        for share in shares:
            self.allocations.append(
                AllocationRow(next(self.allocation_ids), payment_id, share.invoice_id, share.amount)
            )
            self.invoices[share.invoice_id].paid += share.amount

    def _apply_waiting_credit(self, client_id: int) -> None:
        """Credit notes that found no open invoice when they came in settle the ones that came now.

        A credit note imported before the invoice it credits (another file, an earlier import)
        stays the client's credit; once invoices arrive, its remainder goes to them, oldest due
        first, exactly as it would have had the invoice been there first.
        """
        notes = sorted(self.open_notes.get(client_id, []), key=lambda n: (n.received_on, n.id))
        for note in notes:
            left = note.amount - note.used
            if left <= 0:
                continue
            shares, _still_left = allocate_payment(left, self._balances(client_id))
            self._allocate(note.id, shares)
            note.used += sum(share.amount for share in shares)
            if shares:
                self.outcome.clients[client_id].credits_applied += 1


def _names_of(row: PlannedInvoice) -> tuple[str, ...]:
    """The names a row's client may have: the buyer's own, then with its country code."""
    if not row.country:
        return (row.client_name,)
    return (row.client_name, f"{row.client_name} ({row.country})")


def _may_be(client: BookClient, row: PlannedInvoice) -> bool:
    """Whether a client of the row's name may be its buyer: no country or number differs."""
    if client.country and row.country and client.country != row.country:
        return False
    if client.company_id and row.company_id and client.company_id != row.company_id:
        return False
    return not (client.vat_id and row.vat_id and client.vat_id != row.vat_id)


def _state(invoice: BookInvoice) -> tuple[int, date, date, int]:
    """What an import may change on an invoice: amount, dates and what is paid."""
    return (invoice.amount, invoice.issued_on, invoice.due_on, invoice.paid)


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
            (changes.credits_applied, "earlier credit note(s) applied"),
        )
        if number
    ]
    return (
        f"imported {count} invoice(s) from {plan.source.name} "
        f"({plan.lines_read} row(s) read): {', '.join(parts) or 'client added'}"
    )
