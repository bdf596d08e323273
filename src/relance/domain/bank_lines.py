"""One line of a bank statement, as every statement reader hands it to the matcher."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class BankLine:
    """One movement on the creditor's account, with what the bank said about who and why."""

    # The statement's account: an IBAN when the file gives one, else the bank's account id.
    account: str
    booked_on: date
    # Signed minor units: a credit (money in) is positive, a debit negative.
    amount_minor: int
    currency: str
    value_on: date | None = None
    # The bank's own identifier of the line (camt AcctSvcrRef/NtryRef, OFX FITID, MT940 bank
    # reference), or "" when the bank gives none; it makes a re-import idempotent.
    bank_reference: str = ""
    end_to_end_id: str = ""
    # A structured creditor reference (ISO 11649 "RF…" or a national one), when the payer used it.
    creditor_reference: str = ""
    debtor_name: str = ""
    debtor_iban: str = ""
    # The free remittance text, lines joined with a space, exactly as the bank wrote it.
    remittance: str = ""
    # True when the bank flags the line as the reversal (return) of an earlier movement.
    reversal: bool = False
    # Where the line sits in its file, for messages ("line 12", "Ntry 3").
    position: str = ""
    # 0 for the first line of its file with this content, 1 for the next identical one, and so
    # on: two equal movements on one day stay two lines (see importing/bank/occurrences.py).
    repeat: int = 0

    @property
    def is_credit(self) -> bool:
        """Whether money came in (only credits can be client payments)."""
        return self.amount_minor > 0 and not self.reversal

    def fingerprint(self) -> str:
        """A stable key of the line: the bank's reference when there is one, else its content."""
        if self.bank_reference:
            basis = f"ref|{self.account}|{self.bank_reference}|{self.amount_minor}"
        else:
            # Two identical movements on one day with no reference would share this key: the
            # readers number such repeats, which `repeat` adds below.
            basis = "|".join(
                (
                    "content",
                    self.account,
                    self.booked_on.isoformat(),
                    str(self.amount_minor),
                    self.currency,
                    self.end_to_end_id,
                    self.creditor_reference,
                    self.debtor_name,
                    self.debtor_iban,
                    self.remittance,
                )
            )
        if self.repeat:
            basis = f"{basis}|repeat {self.repeat}"
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class BankStatement:
    """What one file holds: its lines, in the file's order, and what kind of file it was."""

    file_format: str
    lines: tuple[BankLine, ...]
