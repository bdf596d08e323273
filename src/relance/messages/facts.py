"""The facts a message template is given: plain, cleaned, already formatted values."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields
from typing import Any

# Bidirectional overrides and isolates would reorder the text around them in the reader's
# mail client; every other format character (such as the joiner inside emoji) is kept.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def clean(value: str, *, multiline: bool = False) -> str:
    """Client data made harmless in a plain-text message: control characters removed.

    Escape sequences lose their ESC (``\\x1b[31m`` prints as ``[31m``), NUL and the other
    control characters go, tabs become spaces; newlines are kept only in multi-line values
    such as an address. Markup and template syntax stay as typed: the text is never parsed.
    """
    out: list[str] = []
    for char in value.replace("\r\n", "\n").replace("\r", "\n"):
        if char == "\n":
            out.append("\n" if multiline else " ")
        elif char == "\t":
            out.append(" ")
        elif char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
            continue
        else:
            out.append(char)
    text = "".join(out)
    if multiline:
        return "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return " ".join(text.split())


@dataclass(frozen=True)
class ClientFacts:
    """Who the message is to."""

    name: str
    contact_name: str
    kind: str
    jurisdiction: str
    address: str
    # "name: number" for each contact with a phone, billing contacts first.
    phones: tuple[str, ...] = ()


@dataclass(frozen=True)
class CreditorFacts:
    """Who the message is from, as ``[creditor]`` in the config file says."""

    name: str
    address: str
    email: str
    phone: str
    company_number: str
    iban: str
    bic: str = ""

    @property
    def signature(self) -> str:
        """Name, address, e-mail and phone, one per line, leaving out what is not set."""
        parts = (self.name, self.address, self.email, self.phone)
        return "\n".join(part for part in parts if part)


@dataclass(frozen=True)
class InvoiceFacts:
    """One invoice as the message lists it; amounts and dates already written out."""

    number: str
    issued: str
    due: str
    amount: str
    paid: str
    outstanding: str
    days_late: int


@dataclass(frozen=True)
class ContactFacts:
    """One earlier reminder of the current episode: its day and how it was sent."""

    on: str
    kind: str
    channel: str


@dataclass(frozen=True)
class ClaimFacts:
    """The late interest and fixed fee the law allows, with what it rests on."""

    interest: str
    fixed_fees: str
    principal: str
    total: str
    has_interest: bool
    has_fee: bool
    legal_basis: str


@dataclass(frozen=True)
class PromiseFacts:
    """A promise to pay that the client did not keep."""

    made_on: str
    amount: str
    due_on: str
    made_by: str


@dataclass(frozen=True)
class InstalmentFacts:
    """One instalment of a payment plan."""

    number: int
    due: str
    amount: str
    paid: str
    outstanding: str
    is_deposit: bool


@dataclass(frozen=True)
class PlanFacts:
    """The client's current payment plan."""

    status: str
    total: str
    frequency: str
    instalments: tuple[InstalmentFacts, ...]


@dataclass(frozen=True)
class PaymentFacts:
    """The latest payment received."""

    amount: str
    received_on: str
    reference: str


@dataclass(frozen=True)
class StepFacts:
    """The ladder step being drafted, and the deadline a formal step gives."""

    label: str
    number: int
    of: int
    deadline: str
    deadline_days: int


@dataclass(frozen=True)
class MessageFacts:
    """Everything a template may use; see the README's table of template variables."""

    language: str
    today: str
    client: ClientFacts
    creditor: CreditorFacts
    invoices: tuple[InvoiceFacts, ...]
    invoice_table: str
    invoice_count: int
    total: str
    disputed: tuple[InvoiceFacts, ...]
    payment_reference: str
    reminders: tuple[ContactFacts, ...]
    claim: ClaimFacts | None
    route: str
    promise: PromiseFacts | None
    plan: PlanFacts | None
    instalment: InstalmentFacts | None
    payment: PaymentFacts | None
    balance: str
    settled: bool
    step: StepFacts
    # The client's RF reference in groups of four, when an IBAN says where to pay.
    creditor_reference: str = ""

    def variables(self) -> dict[str, Any]:
        """The template's variables: one per field."""
        return {field.name: getattr(self, field.name) for field in fields(self)}
