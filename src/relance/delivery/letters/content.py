"""What a letter says, gathered by the service before rendering: plain values, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class FormalKind(StrEnum):
    """The formal letter of each legal system, named as the ladders name its template."""

    # France and the EU: the mise en demeure.
    FORMAL_NOTICE = "formal-notice"
    # England and Wales: the letter before action of the pre-action rules.
    LETTER_BEFORE_ACTION = "letter-before-action"
    # United States: the final demand before small claims.
    FINAL_DEMAND = "final-demand"


def formal_kind(jurisdiction: str) -> FormalKind:
    """The formal letter a client's jurisdiction calls for."""
    if jurisdiction == "uk-b2b":
        return FormalKind.LETTER_BEFORE_ACTION
    if jurisdiction == "us":
        return FormalKind.FINAL_DEMAND
    return FormalKind.FORMAL_NOTICE


@dataclass(frozen=True)
class Party:
    """Who writes or who owes: a name, a postal address, a person and a few identity lines."""

    name: str
    address: str = ""
    attention: str = ""
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class LetterInvoice:
    """One late invoice as the formal letter lists it."""

    number: str
    issued_on: date
    due_on: date
    currency: str
    amount: int
    paid: int
    outstanding: int
    days_late: int
    interest: int


@dataclass(frozen=True)
class FormalNoticeContent:
    """Everything the formal letter says."""

    kind: FormalKind
    language: str
    jurisdiction: str
    debtor_is_consumer: bool
    creditor: Party
    debtor: Party
    written_on: date
    place: str
    currency: str
    invoices: tuple[LetterInvoice, ...]
    principal: int
    interest: int
    fixed_fees: int
    total: int
    # The statutory margin over the reference rate (France 10, EU and UK 8), from the regime.
    margin: Decimal
    contract_rate: Decimal | None
    deadline: date
    deadline_days: int
    # The court route the claim fits (``injonction de payer``, ``small claims``…) and its note.
    route: str
    route_note: str
    legal_basis: tuple[str, ...]
    iban: str = ""
    bic: str = ""
    # The client's RF reference in groups of four, given with the IBAN.
    reference: str = ""
    # The EPC QR code's payload: only for a euro claim paid to an IBAN.
    epc_payload: str = ""
    # Late invoices past their limitation date: named apart, never in the total claimed.
    time_barred: tuple[LetterInvoice, ...] = ()


@dataclass(frozen=True)
class StatementLine:
    """One line of the statement: an invoice (debit) or a payment or credit note (credit)."""

    on: date
    amount: int
    balance: int
    invoice_number: str = ""
    due_on: date | None = None
    method: str = ""
    reference: str = ""

    @property
    def is_invoice(self) -> bool:
        """True for a debit line."""
        return self.amount > 0


@dataclass(frozen=True)
class StatementContent:
    """Everything the customer statement says."""

    language: str
    creditor: Party
    debtor: Party
    written_on: date
    place: str
    currency: str
    lines: tuple[StatementLine, ...]
    balance: int
    outstanding: int
    overdue: int
    iban: str = ""
    bic: str = ""
    reference: str = ""
