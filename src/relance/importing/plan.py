"""An import plan: every row of a file read and checked before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# Without a due date in the file, an invoice falls due this many days after its issue date
# (the French default for trade debts, and the client's default terms).
DEFAULT_TERMS_DAYS = 30


@dataclass(frozen=True)
class RowError:
    """One refused value: where it is in the file and why."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        """``line N, column C: reason``; an e-invoice's errors name the element instead."""
        if self.line == 0:
            return f"element {self.column}: {self.reason}"
        return f"line {self.line}, column {self.column}: {self.reason}"


@dataclass(frozen=True)
class PlannedInvoice:
    """One invoice (or credit note) read from the file, every value already checked.

    ``paid`` is what the file says has been paid (total − balance); for a credit note
    ``total`` is the credited amount, positive.
    """

    line: int
    client_name: str
    number: str
    issued: date
    due: date
    total: int
    paid: int
    currency: str
    company_id: str = ""
    # The buyer's VAT id (spaces and dots removed) and the ISO code of its country, when known.
    vat_id: str = ""
    country: str = ""
    email: str = ""
    credit_note: bool = False
    credits_invoice: str = ""
    paid_on: date | None = None
    seller: str = ""


@dataclass
class ImportPlan:
    """Everything a file would bring in, with every error found on the way."""

    source: Path
    kind: str
    rows: list[PlannedInvoice] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    lines_read: int = 0

    def fail(self, line: int, column: str, reason: str) -> None:
        """Record one error; reading goes on so that the report lists them all."""
        self.errors.append(RowError(line, column, reason))

    @property
    def ok(self) -> bool:
        """True when every row was read without error."""
        return not self.errors


def default_due(issued: date) -> date:
    """The due date of an invoice whose file gives none."""
    return issued + timedelta(days=DEFAULT_TERMS_DAYS)


def vat_key(raw: str) -> str:
    """A VAT id made comparable: letters and digits only, upper case (``NO987654321MVA``)."""
    return "".join(char for char in raw.upper() if char.isalnum() and char.isascii())


def vat_country(vat_id: str) -> str:
    """The country an EU-style VAT id starts with (Greece's "EL" is GR), "" without a prefix."""
    prefix = vat_id[:2]
    if len(vat_id) < 4 or not prefix.isalpha() or not vat_id[2:].isalnum():
        return ""
    return "GR" if prefix == "EL" else country_code(prefix)


def country_code(raw: str) -> str:
    """An ISO 3166 alpha-2 country code in upper case, "" when the text is not one."""
    code = raw.strip().upper()
    return code if re.fullmatch(r"[A-Z]{2}", code, re.ASCII) else ""


def company_key(raw: str, country: str = "") -> str:
    """A company number made comparable: ``FR:787878784`` for a SIRET, SIREN or French VAT id.

    The country keeps a Norwegian organisation number apart from a French SIREN with the
    same digits; a SIRET names an establishment, so it is cut to its company's SIREN.
    """
    cleaned = "".join(char for char in raw.upper() if char.isalnum())
    if not cleaned:
        return ""
    if re.fullmatch(r"FR[0-9A-Z]{2}[0-9]{9}", cleaned, re.ASCII):
        return f"FR:{cleaned[4:]}"
    place = (country.strip().upper() or "FR")[:2]
    if place == "FR" and re.fullmatch(r"[0-9]{14}", cleaned, re.ASCII):
        cleaned = cleaned[:9]
    return f"{place}:{cleaned}"
