"""Imported bank lines, the clients a waiting line could be from, and remembered debtor accounts."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from peewee import fn

from relance.domain.bank_lines import BankLine
from relance.domain.bank_matching import (
    DueInstalment,
    OpenInvoice,
    OpenPromise,
    Payer,
    Proposal,
    iban_key,
)
from relance.store.models import (
    BankLineCandidate,
    Client,
    Contact,
    DebtorAccount,
    Instalment,
    Invoice,
    PaymentPlan,
    Promise,
    StatementLine,
)
from relance.store.plans import RUNNING_PLAN_STATUSES
from relance.store.promises import OPEN
from relance.store.stored_dates import stored_day, stored_day_or_none

IMPORTED = "imported"
TO_REVIEW = "to_review"
SET_ASIDE = "set_aside"
DEBIT = "debit"
# SQLite allows this many bound values in one statement; lookups go in chunks of it.
CHUNK = 500


@dataclass(frozen=True)
class LineOrigin:
    """Where and when a line was imported from."""

    statement: str
    file_format: str
    at: datetime


@dataclass(frozen=True)
class StoredLine:
    """A bank line as the book keeps it, with its status and what it was matched to."""

    line_id: int
    line: BankLine
    statement: str
    status: str
    client_id: int | None
    payment_id: int | None
    proposals: tuple[Proposal, ...]
    notes: tuple[str, ...]
    returns_line_id: int | None

    @property
    def best(self) -> Proposal | None:
        """The first proposal, the one accepting takes."""
        return self.proposals[0] if self.proposals else None


def matching_payers(client_ids: Iterable[int] | None = None) -> list[Payer]:
    """Every client (or those given) with names, open invoices, next instalment and promise."""
    wanted = None if client_ids is None else sorted(set(client_ids))
    clients = Client.select(Client.id, Client.name, Client.currency)
    contacts = Contact.select(Contact.client, Contact.name).where(Contact.name != "")
    invoices = (
        Invoice.select(
            Invoice.id, Invoice.client, Invoice.number, Invoice.due_on, Invoice.amount, Invoice.paid
        )
        .where(Invoice.amount > Invoice.paid)
        .order_by(Invoice.due_on, Invoice.number)
    )
    instalments = (
        Instalment.select(Instalment, PaymentPlan.client)
        .join(PaymentPlan)
        .where(
            PaymentPlan.status.in_(RUNNING_PLAN_STATUSES) & (Instalment.paid < Instalment.amount)
        )
        .order_by(Instalment.due_on, Instalment.seq)
    )
    promises = Promise.select().where(Promise.status == OPEN).order_by(Promise.due_on)
    if wanted is not None:
        clients = clients.where(Client.id.in_(wanted))
        contacts = contacts.where(Contact.client.in_(wanted))
        invoices = invoices.where(Invoice.client.in_(wanted))
        instalments = instalments.where(PaymentPlan.client.in_(wanted))
        promises = promises.where(Promise.client.in_(wanted))
    names: dict[int, list[str]] = defaultdict(list)
    for contact in contacts:
        names[int(contact.client_id)].append(str(contact.name))
    owed: dict[int, list[OpenInvoice]] = defaultdict(list)
    for inv in invoices:
        owed[int(inv.client_id)].append(
            OpenInvoice(int(inv.id), str(inv.number), stored_day(inv.due_on), inv.amount - inv.paid)
        )
    next_due: dict[int, DueInstalment] = {}
    for row in instalments:
        next_due.setdefault(
            int(row.plan.client_id),
            DueInstalment(int(row.seq), stored_day(row.due_on), row.amount - row.paid),
        )
    promised: dict[int, OpenPromise] = {}
    for promise in promises:
        promised.setdefault(
            int(promise.client_id), OpenPromise(int(promise.amount), stored_day(promise.due_on))
        )
    return [
        Payer(
            int(client.id),
            str(client.name),
            str(client.currency),
            tuple(names.get(int(client.id), ())),
            tuple(owed.get(int(client.id), ())),
            next_due.get(int(client.id)),
            promised.get(int(client.id)),
        )
        for client in clients
    ]


def known_ibans() -> dict[str, int]:
    """Every remembered debtor account and the client it pays for."""
    query = DebtorAccount.select(DebtorAccount.iban, DebtorAccount.client)
    return {str(row.iban): int(row.client_id) for row in query}


def remember_iban(iban: str, client_id: int, at: datetime) -> None:
    """Remember that this account pays for this client (the latest confirmation wins)."""
    key = iban_key(iban)
    if not key:
        return
    DebtorAccount.insert(iban=key, client=client_id, remembered_at=at).on_conflict(
        conflict_target=[DebtorAccount.iban],
        update={DebtorAccount.client: client_id, DebtorAccount.remembered_at: at},
    ).execute()


def stored_fingerprints(fingerprints: Sequence[str]) -> set[str]:
    """Which of these fingerprints the book already holds."""
    found: set[str] = set()
    for start in range(0, len(fingerprints), CHUNK):
        chunk = list(fingerprints[start : start + CHUNK])
        found.update(
            str(row.fingerprint)
            for row in StatementLine.select(StatementLine.fingerprint).where(
                StatementLine.fingerprint.in_(chunk)
            )
        )
    return found


def add_bank_line(
    line: BankLine,
    origin: LineOrigin,
    status: str,
    *,
    client_id: int | None = None,
    payment_id: int | None = None,
    proposals: Sequence[Proposal] = (),
    notes: Sequence[str] = (),
    returns_line_id: int | None = None,
) -> int:
    """Keep one bank line with what became of it; a waiting line's candidates are kept too."""
    row = StatementLine.create(
        fingerprint=line.fingerprint(),
        statement=origin.statement,
        file_format=origin.file_format,
        position=line.position,
        account=line.account,
        booked_on=line.booked_on,
        value_on=line.value_on,
        amount=line.amount_minor,
        currency=line.currency,
        bank_reference=line.bank_reference,
        end_to_end_id=line.end_to_end_id,
        creditor_reference=line.creditor_reference,
        debtor_name=line.debtor_name,
        debtor_iban=line.debtor_iban,
        remittance=line.remittance,
        reversal=line.reversal,
        repeat=line.repeat,
        status=status,
        client=client_id,
        payment=payment_id,
        returns_line=returns_line_id,
        proposals=_proposals_json(proposals),
        notes="\n".join(notes),
        imported_at=origin.at,
    )
    if status == TO_REVIEW:
        for proposal in proposals:
            BankLineCandidate.create(bank_line=row.id, client=proposal.client_id)
    return int(row.id)


def settle_bank_line(
    line_id: int,
    status: str,
    *,
    client_id: int | None = None,
    payment_id: int | None = None,
    note: str = "",
) -> None:
    """Give a line its final status (recorded, or set aside); it no longer waits for anyone."""
    row = StatementLine.get_by_id(line_id)
    notes = f"{row.notes}\n{note}".strip() if note else row.notes
    StatementLine.update(
        status=status,
        client=client_id if client_id is not None else row.client_id,
        payment=payment_id if payment_id is not None else row.payment_id,
        notes=notes,
    ).where(StatementLine.id == line_id).execute()
    BankLineCandidate.delete().where(BankLineCandidate.bank_line == line_id).execute()


def bank_line(line_id: int) -> StoredLine | None:
    """One stored line, or None when the book has no line with this number."""
    row = StatementLine.get_or_none(StatementLine.id == line_id)
    return _stored(row) if row is not None else None


def lines_to_review() -> list[StoredLine]:
    """The lines waiting for review, oldest booking first."""
    query = (
        StatementLine.select()
        .where(StatementLine.status == TO_REVIEW)
        .order_by(StatementLine.booked_on, StatementLine.id)
    )
    return [_stored(row) for row in query]


def count_to_review() -> int:
    """How many bank lines wait for review."""
    return int(StatementLine.select().where(StatementLine.status == TO_REVIEW).count())


def review_counts_by_client() -> dict[int, int]:
    """For each client, how many lines waiting for review could be theirs."""
    query = (
        BankLineCandidate.select(BankLineCandidate.client, fn.COUNT(BankLineCandidate.id))
        .group_by(BankLineCandidate.client)
        .tuples()
    )
    # .tuples() yields plain tuples; the stubs type it as the model.
    return {int(client): int(count) for client, count in cast("Iterable[tuple[int, int]]", query)}


def credits_returnable(account: str, amount: int, currency: str) -> list[StoredLine]:
    """Earlier credits of this size on this account not yet returned, newest first."""
    returned = StatementLine.select(StatementLine.returns_line).where(
        StatementLine.returns_line.is_null(False)
    )
    query = (
        StatementLine.select()
        .where(
            (StatementLine.account == account)
            & (StatementLine.amount == abs(amount))
            & (StatementLine.currency == currency)
            & StatementLine.status.in_((IMPORTED, TO_REVIEW))
            & StatementLine.id.not_in(returned)
        )
        .order_by(StatementLine.booked_on.desc(), StatementLine.id.desc())
    )
    return [_stored(row) for row in query]


def _proposals_json(proposals: Sequence[Proposal]) -> str:
    """The proposals as the JSON the table keeps."""
    return json.dumps(
        [
            {
                "client_id": p.client_id,
                "client": p.client,
                "score": p.score,
                "reasons": list(p.reasons),
                "invoices": list(p.invoice_numbers),
                "write_off": p.write_off,
            }
            for p in proposals
        ],
        ensure_ascii=False,
    )


def _stored(row: StatementLine) -> StoredLine:
    """A row as a plain value."""
    line = BankLine(
        account=str(row.account),
        booked_on=stored_day(row.booked_on),
        amount_minor=int(row.amount),
        currency=str(row.currency),
        value_on=stored_day_or_none(row.value_on),
        bank_reference=str(row.bank_reference),
        end_to_end_id=str(row.end_to_end_id),
        creditor_reference=str(row.creditor_reference),
        debtor_name=str(row.debtor_name),
        debtor_iban=str(row.debtor_iban),
        remittance=str(row.remittance),
        reversal=bool(row.reversal),
        position=str(row.position),
        repeat=int(row.repeat),
    )
    proposals = tuple(
        Proposal(
            int(item["client_id"]),
            str(item["client"]),
            int(item["score"]),
            tuple(str(reason) for reason in item["reasons"]),
            tuple(str(number) for number in item["invoices"]),
            int(item["write_off"]),
        )
        for item in json.loads(row.proposals or "[]")
    )
    return StoredLine(
        int(row.id),
        line,
        str(row.statement),
        str(row.status),
        row.client_id,
        row.payment_id,
        proposals,
        tuple(note for note in str(row.notes).splitlines() if note),
        row.returns_line_id,
    )
