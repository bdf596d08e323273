"""Importing a bank statement: certain credits recorded as payments, the rest kept for review.

One transaction per statement: every line is kept once (by fingerprint), certain credits go
through ``record_payment`` like the ``$`` key, a returned credit is reversed through
``reverse_payment``, and a dry run does it all and rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from relance.domain.bank_lines import BankLine, BankStatement
from relance.domain.bank_matching import (
    MatchBook,
    Outcome,
    Proposal,
    match_line,
    returns_credit,
)
from relance.domain.money import decimal_string, format_money
from relance.services.payments import REFERENCE_MAX, record_payment, reverse_payment
from relance.services.validation import InvalidInput
from relance.store.bank_lines import (
    DEBIT,
    IMPORTED,
    SET_ASIDE,
    TO_REVIEW,
    LineOrigin,
    StoredLine,
    add_bank_line,
    bank_line,
    credits_returnable,
    known_ibans,
    lines_to_review,
    matching_payers,
    remember_iban,
    settle_bank_line,
    stored_fingerprints,
)
from relance.store.database import transaction
from relance.store.lookup import get_client

BANK_METHOD = "bank transfer"
WRITE_OFF_METHOD = "write-off"
AUTHOR_IMPORT = "bank import"
AUTHOR_REVIEW = "bank review"

# What the report says of a line.
RECORDED = "recorded"
WAITS = "to review"
NOT_A_PAYMENT = "debit"
REVERSED = "reversed"
ALREADY = "already imported"
REPORT_STATUSES = (RECORDED, WAITS, NOT_A_PAYMENT, REVERSED, ALREADY)

ReferenceReader = Callable[[str], int | None]


@dataclass(frozen=True)
class LineReport:
    """What the import did with one bank line."""

    line: BankLine
    status: str
    line_id: int | None = None
    client_id: int | None = None
    client: str = ""
    payment_id: int | None = None
    notes: tuple[str, ...] = ()
    proposals: tuple[Proposal, ...] = ()

    def as_record(self) -> dict[str, Any]:
        """The line as ``bank import --json`` prints it."""
        return {
            "line": self.line_id,
            "position": self.line.position,
            "booked_on": self.line.booked_on.isoformat(),
            "amount": decimal_string(self.line.amount_minor),
            "currency": self.line.currency,
            "debtor": self.line.debtor_name,
            "remittance": self.line.remittance,
            "status": self.status,
            "client_id": self.client_id,
            "client": self.client or None,
            "payment_id": self.payment_id,
            "notes": list(self.notes),
            "proposals": [proposal_record(p) for p in self.proposals],
        }


@dataclass(frozen=True)
class ImportReport:
    """What importing one statement did (or, in a dry run, would do)."""

    statement: str
    dry_run: bool
    lines: list[LineReport] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many lines ended in each status."""
        return {
            status: sum(1 for r in self.lines if r.status == status) for status in REPORT_STATUSES
        }


class _DryRun(Exception):
    """Raised at the end of a dry run so the transaction rolls everything back."""


def proposal_record(proposal: Proposal) -> dict[str, Any]:
    """A proposal for ``--json``."""
    return {
        "client_id": proposal.client_id,
        "client": proposal.client,
        "score": proposal.score,
        "reasons": list(proposal.reasons),
        "invoices": list(proposal.invoice_numbers),
        "write_off": decimal_string(proposal.write_off) if proposal.write_off else None,
    }


def import_statement(
    statement: BankStatement,
    source: str,
    at: datetime,
    *,
    reference_client: ReferenceReader,
    tolerance: int = 0,
    dry_run: bool = False,
) -> ImportReport:
    """Import every line of a statement in one transaction (rolled back for a dry run)."""
    report = ImportReport(source, dry_run)
    try:
        with transaction():
            _import_lines(statement, source, at, reference_client, tolerance, report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _import_lines(
    statement: BankStatement,
    source: str,
    at: datetime,
    reference_client: ReferenceReader,
    tolerance: int,
    report: ImportReport,
) -> None:
    """Weigh and keep each line in the file's order; earlier lines' payments count for later."""
    seen = stored_fingerprints([line.fingerprint() for line in statement.lines])
    book = MatchBook(matching_payers(), known_ibans())
    for line in statement.lines:
        fingerprint = line.fingerprint()
        if fingerprint in seen:
            report.lines.append(LineReport(line, ALREADY))
            continue
        seen.add(fingerprint)
        keep = LineOrigin(source, statement.file_format, at)
        if not line.is_credit:
            report.lines.append(_money_out(line, keep, at, book))
            continue
        found = match_line(line, book, reference_client=reference_client, tolerance=tolerance)
        best = found.best
        notes = found.notes
        payment_id = None
        if found.outcome is Outcome.CERTAIN and best is not None:
            if line.booked_on > at.date():
                notes = (*notes, "booked after today: record it once the day has come")
            else:
                try:
                    payment_id = _record(line, best, at, AUTHOR_IMPORT)
                except InvalidInput as refusal:
                    # Its savepoint rolled back: the line waits, saying what refused it.
                    notes = (*notes, *refusal.errors.values())
        if payment_id is not None and best is not None:
            line_id = add_bank_line(
                line,
                keep,
                IMPORTED,
                client_id=best.client_id,
                payment_id=payment_id,
                proposals=found.proposals,
                notes=found.notes,
            )
            remember_iban(line.debtor_iban, best.client_id, at)
            book.remember_iban(line.debtor_iban, best.client_id)
            book.replace(matching_payers([best.client_id])[0])
            report.lines.append(
                LineReport(
                    line, RECORDED, line_id, best.client_id, best.client, payment_id, found.notes
                )
            )
            continue
        line_id = add_bank_line(line, keep, TO_REVIEW, proposals=found.proposals, notes=notes)
        report.lines.append(
            LineReport(line, WAITS, line_id, notes=notes, proposals=found.proposals)
        )


def _money_out(line: BankLine, keep: LineOrigin, at: datetime, book: MatchBook) -> LineReport:
    """A debit or reversal: kept apart, and when it gives back an earlier credit, undo that."""
    returned = next(
        (
            earlier
            for earlier in credits_returnable(line.account, line.amount_minor, line.currency)
            if returns_credit(line, earlier.line)
        ),
        None,
    )
    if returned is None:
        note = "the bank marks it as a reversal" if line.reversal else "money out"
        line_id = add_bank_line(line, keep, DEBIT, notes=(note,))
        return LineReport(line, NOT_A_PAYMENT, line_id, notes=(note,))
    why = f"returned by the bank: {line.remittance}".strip().rstrip(":")
    client_id = returned.client_id
    payment_id = returned.payment_id
    if returned.status == IMPORTED and client_id is not None and payment_id is not None:
        try:
            reverse_payment(client_id, str(payment_id), at, reason=why, author=AUTHOR_IMPORT)
            note = f"gives back bank line {returned.line_id}: payment {payment_id} reversed"
        except InvalidInput as refusal:
            # Reversed by hand already: its savepoint rolled back, nothing else to undo.
            note = f"gives back bank line {returned.line_id}: " + "; ".join(refusal.errors.values())
        book.replace(matching_payers([client_id])[0])
    else:
        settle_bank_line(returned.line_id, SET_ASIDE, note=f"returned by the bank ({why})")
        note = f"gives back bank line {returned.line_id}, which waited for review: set aside"
    line_id = add_bank_line(line, keep, DEBIT, notes=(note,), returns_line_id=returned.line_id)
    client = get_client(client_id).name if client_id is not None else ""
    return LineReport(line, REVERSED, line_id, client_id, client, payment_id, (note,))


def _record(line: BankLine, proposal: Proposal, at: datetime, author: str) -> int:
    """Record a line as a payment of the proposed client, through the ``$`` key's service."""
    reference = (line.bank_reference or line.end_to_end_id)[:REFERENCE_MAX]
    result = record_payment(
        proposal.client_id,
        decimal_string(line.amount_minor),
        at,
        received_on=line.booked_on.isoformat(),
        method=BANK_METHOD,
        reference=reference,
        invoice_numbers=proposal.invoice_numbers,
        body=bank_line_text(line),
        author=author,
    )
    return int(result.record["payment_id"])


def bank_line_text(line: BankLine) -> str:
    """The bank line a payment came from, as the history keeps it."""
    parts = [
        f"account: {line.account}",
        f"booked: {line.booked_on.isoformat()}",
        f"amount: {format_money(line.amount_minor, line.currency)}",
    ]
    if line.bank_reference:
        parts.append(f"bank reference: {line.bank_reference}")
    if line.end_to_end_id:
        parts.append(f"end-to-end id: {line.end_to_end_id}")
    if line.creditor_reference:
        parts.append(f"creditor reference: {line.creditor_reference}")
    debtor = " ".join(part for part in (line.debtor_name, line.debtor_iban) if part)
    if debtor:
        parts.append(f"debtor: {debtor}")
    if line.remittance:
        parts.append(f"remittance: {line.remittance}")
    return "\n".join(parts)


def waiting_lines() -> list[StoredLine]:
    """The bank lines waiting for review, oldest first."""
    return lines_to_review()


def accept_line(
    line_id: int,
    at: datetime,
    *,
    client_id: int | None = None,
    invoice_numbers: Sequence[str] = (),
) -> LineReport:
    """Record a waiting line as a payment: to its best proposal, or to the client picked.

    The best proposal's write-off (a shortfall within the tolerance) is recorded with it; a
    client or invoices picked by hand take the line as it is.
    """
    with transaction():
        stored = _waiting(line_id)
        line = stored.line
        if client_id is None:
            if invoice_numbers:
                raise InvalidInput.one("client", "pick the client the invoices belong to")
            if stored.best is None:
                raise InvalidInput.one(
                    "client", f"bank line {line_id} has no proposal: pick the client"
                )
            proposal = stored.best
        else:
            name = get_client(client_id).name
            proposal = Proposal(client_id, name, 0, (), tuple(invoice_numbers))
        if line.booked_on > at.date():
            raise InvalidInput.one("line", f"bank line {line_id} is booked after today")
        payment_id = _record(line, proposal, at, AUTHOR_REVIEW)
        if proposal.write_off:
            record_payment(
                proposal.client_id,
                decimal_string(proposal.write_off),
                at,
                received_on=line.booked_on.isoformat(),
                method=WRITE_OFF_METHOD,
                reference=f"bank line {line_id}",
                invoice_numbers=proposal.invoice_numbers,
                body=f"the shortfall of bank line {line_id}, written off\n{bank_line_text(line)}",
                author=AUTHOR_REVIEW,
                summary_lead="difference written off",
            )
        settle_bank_line(
            line_id,
            IMPORTED,
            client_id=proposal.client_id,
            payment_id=payment_id,
            note="accepted in review",
        )
        remember_iban(line.debtor_iban, proposal.client_id, at)
        return LineReport(line, RECORDED, line_id, proposal.client_id, proposal.client, payment_id)


def set_aside_line(line_id: int, at: datetime) -> LineReport:
    """Set a waiting line aside: not a client payment (a refund, a transfer of one's own)."""
    with transaction():
        stored = _waiting(line_id)
        settle_bank_line(line_id, SET_ASIDE, note=f"set aside in review on {at.date().isoformat()}")
        return LineReport(stored.line, SET_ASIDE, line_id)


def _waiting(line_id: int) -> StoredLine:
    """A line that waits for review, or the refusal that says why it cannot be reviewed."""
    stored = bank_line(line_id)
    if stored is None:
        raise InvalidInput.one("line", f"no bank line {line_id}")
    if stored.status != TO_REVIEW:
        said = {IMPORTED: "was recorded", SET_ASIDE: "was set aside", DEBIT: "is money out"}
        raise InvalidInput.one(
            "line", f"bank line {line_id} {said.get(stored.status, stored.status)}: not in review"
        )
    return stored
