"""A per-client dossier for a legal claim: statement, invoices, history and interest, as files."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from relance.config import Creditor
from relance.delivery.letters.basis import basis_lines
from relance.domain.interest import HALF_YEAR_CONVENTION
from relance.domain.jurisdictions import JURISDICTIONS
from relance.domain.money import decimal_string
from relance.literal import printable
from relance.paths import ensure_private_dir
from relance.private_files import write_private, write_private_folder
from relance.services.claims import ClientClaim, InvoiceClaim, detail_with_claim
from relance.spreadsheet import safe_cell
from relance.store.detail import (
    AllocationRow,
    ClientDetail,
    EventRow,
    InvoiceRow,
    PaymentRow,
    allocation_rows,
)

README = "README.txt"
STATEMENT = "statement.txt"
INVOICES_CSV = "invoices.csv"
PAYMENTS_CSV = "payments.csv"
HISTORY_CSV = "history.csv"
HISTORY_TXT = "history.txt"
INTEREST_CSV = "interest.csv"
INTEREST_TXT = "interest.txt"
CLIENT_JSON = "client.json"
# What each file holds, in the order README lists them.
FILE_DESCRIPTIONS = {
    README: "this summary",
    STATEMENT: "the customer statement: invoices and payments with a running balance",
    INVOICES_CSV: "every invoice's data, with the interest and fee on the late ones",
    PAYMENTS_CSV: "every payment received and what it was applied to",
    HISTORY_CSV: "the dated history (reminders, calls, letters…) with the full text sent",
    HISTORY_TXT: "the same history, for reading",
    INTEREST_CSV: "the interest computation: one row per period of each late invoice",
    INTEREST_TXT: "the same computation, for reading, with the convention used",
    CLIENT_JSON: "the client's full record, as `relance show --json` prints it",
}
FILE_MODE = 0o600
RULE = "=" * 72


@dataclass(frozen=True)
class DossierFacts:
    """Everything the dossier is written from, read in one go (nothing is written to the book)."""

    today: date
    creditor: Creditor
    detail: ClientDetail
    claim: ClientClaim
    allocations: tuple[AllocationRow, ...]


class DossierTargetExists(ValueError):
    """The chosen folder or zip already exists with something in it."""


def read_dossier(
    client_id: int,
    today: date,
    creditor: Creditor,
    *,
    court_costs: Mapping[str, int] | None = None,
) -> DossierFacts:
    """Read one client's detail, claim and payment allocations as of ``today``."""
    detail, claim = detail_with_claim(client_id, today, court_costs=court_costs)
    return DossierFacts(today, creditor, detail, claim, allocation_rows(client_id))


def dossier_files(facts: DossierFacts, extra: Mapping[str, str]) -> dict[str, str]:
    """Every file of the dossier by name, README first; ``extra`` adds files made elsewhere."""
    body = {
        STATEMENT: statement_text(facts),
        INVOICES_CSV: invoices_csv(facts),
        PAYMENTS_CSV: payments_csv(facts),
        HISTORY_CSV: history_csv(facts.detail),
        HISTORY_TXT: history_text(facts.detail),
        INTEREST_CSV: interest_csv(facts.claim),
        INTEREST_TXT: interest_text(facts.claim),
        **extra,
    }
    files = {README: readme_text(facts, [README, *body]), **body}
    # People read the .txt files in a terminal: escape sequences are shown there as codes, while
    # the CSV and JSON files keep every text exactly as stored.
    return {
        name: printable(content) if name.endswith(".txt") else content
        for name, content in files.items()
    }


def default_dossier_name(client_id: int, today: date) -> str:
    """``dossier-<client-id>-<today>``."""
    return f"dossier-{client_id}-{today.isoformat()}"


def check_target(target: Path) -> None:
    """Refuse a target that exists and is not an empty folder."""
    if not target.exists() and not target.is_symlink():
        return
    if target.is_dir() and not target.is_symlink() and not any(target.iterdir()):
        return
    raise DossierTargetExists(f"{target} already exists and is not empty; choose another --out")


def write_folder(files: Mapping[str, str], target: Path) -> Path:
    """Write the files (0600) into a new 0700 folder, built beside it and renamed into place."""
    check_target(target)
    ensure_private_dir(target.parent)
    encoded = {name: text.encode("utf-8") for name, text in files.items()}
    return write_private_folder(encoded, target)


def write_zip(files: Mapping[str, str], target: Path, folder_name: str) -> Path:
    """Write the files into a new 0600 zip, under one folder, each entry marked 0600."""
    check_target(target)
    if target.exists():
        raise DossierTargetExists(f"{target} is a folder; a zip needs a file name")
    ensure_private_dir(target.parent)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            entry = zipfile.ZipInfo(f"{folder_name}/{name}")
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = (0o100000 | FILE_MODE) << 16
            archive.writestr(entry, text.encode("utf-8"))
    write_private(target, buffer.getvalue())
    return target


def readme_text(facts: DossierFacts, names: list[str]) -> str:
    """What the dossier is, who is owed by whom, the totals, the law, and the files."""
    detail, claim, creditor = facts.detail, facts.claim, facts.creditor
    lines = [
        f"Claim dossier for {detail.name} (client #{detail.client_id})",
        f"Prepared on {facts.today.isoformat()} by relance.",
        "",
        "This folder gathers what a lawyer, a commissaire de justice or a court needs to pursue",
        "the debt: the statement of account, every invoice, every payment, the dated history",
        "of reminders, calls and letters, and the late-interest computation.",
        "",
        "CREDITOR",
        *_identity_lines(
            ("name", creditor.name),
            ("address", creditor.address),
            ("e-mail", creditor.email),
            ("phone", creditor.phone),
            ("company number", creditor.company_number),
            ("IBAN", creditor.iban),
        ),
    ]
    if not any((creditor.name, creditor.address, creditor.company_number)):
        lines.append("  (not set: fill [creditor] in the config file)")
    billing = detail.contacts[0] if detail.contacts else None
    lines += [
        "",
        "DEBTOR",
        *_identity_lines(
            ("name", detail.name),
            ("client id", str(detail.client_id)),
            ("kind", detail.kind),
            ("contact", billing.name if billing else ""),
            ("address", billing.address if billing else ""),
            ("e-mail", billing.email if billing else ""),
            ("phone", billing.phone if billing else ""),
        ),
    ]
    if detail.disputed:
        lines.append("  The client disputes the debt (see the history).")
    currency = claim.currency
    lines += ["", f"TOTALS as of {facts.today.isoformat()} ({currency})"]
    if not claim.invoices:
        lines += [
            f"  Nothing is overdue on {facts.today.isoformat()}: there is no claim to make today.",
            f"  Outstanding, not yet due: {decimal_string(detail.outstanding)} {currency}",
        ]
    else:
        lines += [
            f"  principal overdue     {decimal_string(claim.outstanding):>14} {currency}",
            f"  late interest         {decimal_string(claim.interest):>14} {currency}",
            f"  fixed compensation    {decimal_string(claim.fixed_fees):>14} {currency}",
            f"  total claimable       {decimal_string(claim.total):>14} {currency}",
        ]
        other = sorted({item.currency for item in claim.invoices} - {currency})
        if other:
            lines.append(f"  (invoices in {', '.join(other)} are listed but not in these totals)")
        if claim.time_barred:
            lines += ["", "TIME-BARRED, NOT CLAIMED (left out of the totals and the verdict)"]
            lines += [
                f"  {item.number}: {decimal_string(item.outstanding)} {item.currency} owed, "
                f"due {item.due_on.isoformat()}, barred on {item.limitation.on}"
                for item in claim.time_barred
            ]
        lines += ["", "LIMITATION"]
        for item in claim.invoices:
            barred = " — TIME-BARRED" if item.time_barred else ""
            on = item.limitation.on.isoformat() if item.limitation.on else "unknown"
            lines.append(f"  {item.number}: due {item.due_on.isoformat()}, barred on {on}{barred}")
        lines.append(f"  rule: {claim.invoices[0].limitation.note}")
        lines += ["", "ROUTE"]
        if claim.route is not None:
            fits = "" if claim.route.fits else " (the claim does not fit it)"
            lines.append(f"  {claim.route.name}{fits}: {claim.route.note}")
        lines.append(
            f"  worth it? {claim.verdict}"
            if claim.verdict
            else "  worth it? no verdict: set typical costs in [law.court_costs] to compare"
        )
    lines += ["", "LEGAL BASIS", *legal_basis_lines(claim)]
    for warning in claim.warnings:
        lines.append(f"  warning: {warning}")
    for flag in claim.flags:
        lines.append(f"  flagged rate: {flag}")
    lines += ["", "FILES"]
    lines += [f"  {name:<16} {FILE_DESCRIPTIONS.get(name, '')}".rstrip() for name in names]
    lines += [
        "",
        "Dates are ISO (YYYY-MM-DD); amounts are decimal numbers with a dot; files are UTF-8.",
        "Text typed or sent (names, notes, reminders) is reproduced exactly as recorded.",
    ]
    return "\n".join(lines) + "\n"


def _identity_lines(*pairs: tuple[str, str]) -> list[str]:
    """``  label: value`` for each value that is set, continuation lines indented."""
    return [
        f"  {label}: " + value.strip().replace("\n", "\n" + " " * (len(label) + 4))
        for label, value in pairs
        if value.strip()
    ]


def legal_basis_lines(claim: ClientClaim) -> list[str]:
    """The regime the claim follows: its law, how the rate is set, the fee and the limitation."""
    regime = JURISDICTIONS.get(claim.jurisdiction.strip().lower())
    if regime is None:
        return [f"  jurisdiction {claim.jurisdiction!r} is unknown to relance: nothing computed"]
    return [f"  {line}" for line in basis_lines(regime, claim.contract_rate, "en")]


@dataclass(frozen=True)
class StatementEntry:
    """One line of the customer statement: an invoice (debit) or a payment or credit (credit)."""

    on: date
    label: str
    # Positive for an invoice, negative for a payment or a credit note.
    amount: int
    balance: int
    invoice: InvoiceRow | None = None
    payment: PaymentRow | None = None


def statement_entries(facts: DossierFacts) -> list[StatementEntry]:
    """Invoices and payments in date order, each with the running balance after it."""
    detail = facts.detail
    entries: list[tuple[date, int, str, int, InvoiceRow | None, PaymentRow | None]] = []
    for inv in detail.invoices:
        label = f"invoice {inv.number} (issued {inv.issued_on}, due {inv.due_on})"
        entries.append((inv.issued_on, 0, label, inv.amount, inv, None))
    by_payment: dict[int, list[AllocationRow]] = {}
    for allocation in facts.allocations:
        by_payment.setdefault(allocation.payment_id, []).append(allocation)
    applied_to: dict[int, str] = {
        payment_id: ", ".join(f"{a.target} {decimal_string(a.amount)}" for a in rows)
        for payment_id, rows in by_payment.items()
    }
    for pay in detail.payments:
        label = "payment" + (f" {pay.method}" if pay.method else "")
        label += f" ref {pay.reference}" if pay.reference else ""
        label += f" → {applied_to[pay.payment_id]}" if pay.payment_id in applied_to else ""
        if pay.credit:
            label += f" (unapplied {decimal_string(pay.credit)})"
        entries.append((pay.received_on, 1, label, -pay.amount, None, pay))
        if pay.reversed_at is not None:
            # A bounced payment: it counts on the day received and is taken back on reversal.
            undone = f"payment of {pay.received_on} reversed"
            undone += f" — {pay.reversal_reason}" if pay.reversal_reason else ""
            entries.append((pay.reversed_at.date(), 2, undone, pay.amount, None, pay))
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    rows: list[StatementEntry] = []
    balance = 0
    for day, _, label, amount, invoice, payment in entries:
        balance += amount
        rows.append(StatementEntry(day, label, amount, balance, invoice, payment))
    return rows


def statement_text(facts: DossierFacts) -> str:
    """The customer statement: invoices and payments in date order with a running balance."""
    detail = facts.detail
    entries = statement_entries(facts)
    currency = detail.currency
    lines = [
        f"Statement of account — {detail.name} (client #{detail.client_id})",
        f"As of {facts.today.isoformat()}; amounts in {currency}",
        RULE,
        f"{'date':<10}  {'debit':>12}  {'credit':>12}  {'balance':>12}  detail",
    ]
    balance = entries[-1].balance if entries else 0
    for entry in entries:
        debit = decimal_string(entry.amount) if entry.amount > 0 else ""
        credit = decimal_string(-entry.amount) if entry.amount < 0 else ""
        lines.append(
            f"{entry.on.isoformat():<10}  {debit:>12}  {credit:>12}  "
            f"{decimal_string(entry.balance):>12}  {entry.label}"
        )
    lines += [
        RULE,
        f"balance {decimal_string(balance)} {currency}",
        f"outstanding {decimal_string(detail.outstanding)} {currency}, of which overdue "
        f"{decimal_string(detail.overdue)} {currency}",
        "",
        "Invoices",
    ]
    for inv in sorted(detail.invoices, key=lambda row: (row.issued_on, row.number)):
        late = f", {inv.days_overdue} days late" if inv.days_overdue else ""
        lines.append(
            f"  {inv.number}: issued {inv.issued_on}, due {inv.due_on}, amount "
            f"{decimal_string(inv.amount)} {inv.currency}, paid {decimal_string(inv.paid)}, "
            f"outstanding {decimal_string(inv.outstanding)}{late}"
        )
    if not detail.invoices:
        lines.append("  none")
    return "\n".join(lines) + "\n"


def invoices_csv(facts: DossierFacts) -> str:
    """One row per invoice, with interest, fee and limitation on the late ones."""
    late = {item.number: item for item in facts.claim.invoices}
    rows = []
    for inv in sorted(facts.detail.invoices, key=lambda row: (row.issued_on, row.number)):
        item: InvoiceClaim | None = late.get(inv.number)
        rows.append(
            [
                inv.number,
                inv.issued_on.isoformat(),
                inv.due_on.isoformat(),
                inv.currency,
                decimal_string(inv.amount),
                decimal_string(inv.paid),
                decimal_string(inv.outstanding),
                str(inv.days_overdue),
                decimal_string(item.interest.interest) if item else "",
                decimal_string(item.fixed_fee) if item else "",
                item.fee_currency if item else "",
                item.limitation.on.isoformat() if item and item.limitation.on else "",
                ("yes" if item.time_barred else "no") if item else "",
            ]
        )
    header = [
        "number",
        "issued_on",
        "due_on",
        "currency",
        "amount",
        "paid",
        "outstanding",
        "days_overdue",
        "interest",
        "fixed_compensation",
        "fixed_compensation_currency",
        "limitation_on",
        "time_barred",
    ]
    return _csv(header, rows)


def payments_csv(facts: DossierFacts) -> str:
    """One row per payment, oldest first, with what it was applied to."""
    targets: dict[int, list[str]] = {}
    for allocation in facts.allocations:
        targets.setdefault(allocation.payment_id, []).append(
            f"{allocation.target} {decimal_string(allocation.amount)}"
        )
    rows = [
        [
            pay.received_on.isoformat(),
            decimal_string(pay.amount),
            facts.detail.currency,
            pay.method,
            pay.reference,
            decimal_string(pay.allocated),
            decimal_string(pay.credit),
            "; ".join(targets.get(pay.payment_id, []))
            + (f"reversed {pay.reversed_at:%Y-%m-%d}" if pay.reversed_at else ""),
        ]
        for pay in reversed(facts.detail.payments)
    ]
    header = [
        "received_on",
        "amount",
        "currency",
        "method",
        "reference",
        "allocated",
        "unallocated",
        "applied_to",
    ]
    return _csv(header, rows)


def history_csv(detail: ClientDetail) -> str:
    """Every history event, oldest first, with the full text exactly as stored."""
    rows = [
        [
            _moment(event.at),
            event.kind,
            event.channel,
            event.direction,
            event.outcome,
            event.summary,
            "" if event.amount is None else decimal_string(event.amount),
            event.follow_up_action,
            event.follow_up_on.isoformat() if event.follow_up_on else "",
            event.body,
        ]
        for event in _oldest_first(detail.history)
    ]
    header = [
        "at",
        "kind",
        "channel",
        "direction",
        "outcome",
        "summary",
        "amount",
        "follow_up",
        "follow_up_on",
        "text",
    ]
    return _csv(header, rows)


def history_text(detail: ClientDetail) -> str:
    """The history for reading: one block per event, the text sent in full."""
    lines = [f"History of {detail.name} (client #{detail.client_id}), oldest first", RULE]
    events = _oldest_first(detail.history)
    if not events:
        lines.append("nothing recorded")
    for event in events:
        facts = [event.kind]
        facts += [f"{name} {value}" for name, value in _event_facts(event) if value]
        lines.append(f"{_moment(event.at)}  {' · '.join(facts)}")
        lines.append(f"  {event.summary}")
        if event.amount is not None:
            lines.append(f"  amount: {decimal_string(event.amount)}")
        if event.follow_up_on:
            lines.append(f"  follow-up: {event.follow_up_action} on {event.follow_up_on}")
        if event.body:
            lines += ["  --- text as recorded ---", event.body, "  --- end of text ---"]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _event_facts(event: EventRow) -> list[tuple[str, str]]:
    """The channel, direction and outcome of an event, by name."""
    return [
        ("channel", event.channel),
        ("direction", event.direction),
        ("outcome", event.outcome),
    ]


def interest_csv(claim: ClientClaim) -> str:
    """One row per period of each late invoice: from, to, days, base, rate and interest."""
    rows = [
        [
            item.number,
            item.currency,
            piece.start.isoformat(),
            piece.end.isoformat(),
            str(piece.days),
            decimal_string(piece.base),
            str(piece.rate),
            decimal_string(piece.interest),
            "yes" if piece.flagged else "no",
            piece.reason,
        ]
        for item in claim.invoices
        for piece in item.interest.pieces
    ]
    header = [
        "invoice",
        "currency",
        "from",
        "to",
        "days",
        "base",
        "rate_percent",
        "interest",
        "flagged",
        "flag_reason",
    ]
    return _csv(header, rows)


def interest_text(claim: ClientClaim) -> str:
    """The computation for reading: per invoice, each period, the totals and the convention."""
    lines = [
        f"Late interest under {claim.jurisdiction}, in {claim.currency}",
        "Simple interest: base × rate × days / (100 × 365), rounded half-up once per period;",
        "from and to are both included; interest runs from the day after the due date.",
        f"Convention: {HALF_YEAR_CONVENTION}.",
        RULE,
    ]
    if claim.contract_rate is not None:
        lines.insert(1, f"Contract rate: {claim.contract_rate} % a year")
    if not claim.invoices:
        lines.append("Nothing is overdue: no interest runs.")
    for item in claim.invoices:
        lines.append(
            f"{item.number}: due {item.due_on}, {item.days_late} days late, outstanding "
            f"{decimal_string(item.outstanding)} {item.currency}"
        )
        for piece in item.interest.pieces:
            mark = " *" if piece.flagged else ""
            lines.append(
                f"  {piece.start}..{piece.end}  {piece.days:>4} days  on "
                f"{decimal_string(piece.base):>12}  at {piece.rate:>6} %  = "
                f"{decimal_string(piece.interest):>10}{mark}"
            )
        if not item.interest.pieces:
            lines.append("  no interest period")
        lines.append(
            f"  interest {decimal_string(item.interest.interest)}, fixed compensation "
            f"{decimal_string(item.fixed_fee)} {item.fee_currency}, total "
            f"{decimal_string(item.total)} {item.currency}"
        )
        if item.time_barred:
            lines.append(f"  time-barred on {item.limitation.on}: not in the total claimable")
        for reason in item.interest.flags:
            lines.append(f"  * {reason}")
        for warning in item.interest.warnings:
            lines.append(f"  warning: {warning}")
        for note in item.interest.notes:
            lines.append(f"  note: {note}")
        lines.append("")
    if claim.invoices:
        lines += [
            RULE,
            f"interest {decimal_string(claim.interest)} {claim.currency}",
            f"fixed compensation {decimal_string(claim.fixed_fees)} {claim.currency}",
            f"total claimable {decimal_string(claim.total)} {claim.currency}",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _csv(header: list[str], rows: list[list[str]]) -> str:
    """CSV text with a header row, every cell quoted as needed, formula-like text marked."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _oldest_first(history: list[EventRow]) -> list[EventRow]:
    """The history in the order it happened."""
    return list(reversed(history))


def _moment(value: datetime | date | str) -> str:
    """A moment in ISO form, to the second."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
