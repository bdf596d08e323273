"""Letters: the formal notice or a statement as a PDF, stored, hashed and logged; proof of posting.

The formal letter is the one of the client's jurisdiction: a mise en demeure in France and the
EU, a letter before action in the UK, a final demand in the US. Writing it records a "letter"
event, which completes the letter step of the ladder; a statement is recorded as a note and
moves nothing. Each event's text holds the file's path, the total, the deadline and the
SHA-256 of the PDF, so the letter can be shown unchanged later.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from relance.config import Config, ConfigError, Creditor, refuse_unknown_letters_keys
from relance.delivery.letters.basis import basis_lines
from relance.delivery.letters.content import (
    FormalKind,
    FormalNoticeContent,
    LetterInvoice,
    Party,
    StatementContent,
    StatementLine,
    formal_kind,
)
from relance.delivery.letters.fonts import FontError, LetterFont, find_font
from relance.delivery.letters.wording import formal_title, place_of
from relance.domain.creditor_reference import client_reference, grouped
from relance.domain.epc_qr import MAX_CENTS, CreditTransfer, EpcError, epc_payload
from relance.domain.jurisdictions import JURISDICTIONS
from relance.domain.ladder import Channel
from relance.domain.money import decimal_string, format_money
from relance.domain.policy import Policy
from relance.paths import ensure_private_dir
from relance.private_files import publish, reserved_temporary, write_staged
from relance.services.claims import ClientClaim, InvoiceClaim, detail_with_claim
from relance.services.dossier import read_dossier, statement_entries
from relance.services.letter_kinds import FORMAL_NOTICE, KINDS, STATEMENT
from relance.services.results import ActionResult
from relance.services.validation import Form, InvalidInput
from relance.store.database import transaction
from relance.store.detail import ClientDetail
from relance.store.history import record_event
from relance.store.letters import LETTER_KIND, LetterEvent, letter_events
from relance.store.lookup import get_client
from relance.store.triage_index import active_policy, refresh_client_summary

DEFAULT_DEADLINE_DAYS = 8
MAX_DEADLINE_DAYS = 365
# The pre-action rules of England and Wales give a business 14 days and an individual 30.
UK_MINIMUM_DAYS = {"b2b": 14, "b2c": 30}
# A statement and a proof of posting are notes: neither is a step of the ladder.
NOTE_KIND = "note"
STATEMENT_OUTCOME = "statement"
POSTED_OUTCOME = "letter-posted"
TRACKING_MAX = 60
FILE_MODE = 0o600
LABELS = {
    FormalKind.FORMAL_NOTICE.value: "formal notice (mise en demeure)",
    FormalKind.LETTER_BEFORE_ACTION.value: "letter before action",
    FormalKind.FINAL_DEMAND.value: "final demand",
    STATEMENT: "statement",
}


@dataclass(frozen=True)
class LetterPlan:
    """What a letter would say and where it would go, read without writing anything."""

    client_id: int
    client_name: str
    kind: str
    # The file's kind: formal-notice, letter-before-action, final-demand or statement.
    letter: str
    title: str
    currency: str
    total: int
    deadline: date | None
    deadline_days: int
    next_step: str
    folder: Path
    file_name: str
    language: str

    @property
    def label(self) -> str:
        """The letter's name in the history and in messages."""
        return LABELS[self.letter]

    def total_text(self) -> str:
        """The total as the client's language writes it."""
        return format_money(self.total, self.currency, self.language)


@dataclass(frozen=True)
class _Prepared:
    """A plan and the renderer that turns it into PDF bytes."""

    plan: LetterPlan
    render: Callable[[LetterFont], bytes]


def letters_settings(config: Config) -> dict[str, Any]:
    """The ``[letters]`` table of the config file (empty when absent)."""
    section = config.raw.get("letters", {})
    if not isinstance(section, dict):
        raise ConfigError(f"config file {config.path}: [letters] must be a table")
    refuse_unknown_letters_keys(section, config.path)
    return section


def deadline_days(config: Config) -> int:
    """``[letters] deadline_days``: the days the formal letter gives to pay (8 by default)."""
    value = letters_settings(config).get("deadline_days", DEFAULT_DEADLINE_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DEADLINE_DAYS:
        raise ConfigError(
            f"config file {config.path}: letters.deadline_days must be a whole number of days "
            f"from 1 to {MAX_DEADLINE_DAYS}"
        )
    return value


def letter_font(config: Config) -> LetterFont:
    """``[letters] font`` and ``font_bold`` (TrueType files), else DejaVu Sans, else Latin-1."""
    settings = letters_settings(config)
    regular, bold = settings.get("font", ""), settings.get("font_bold", "")
    if not isinstance(regular, str) or not isinstance(bold, str):
        raise ConfigError(f"config file {config.path}: letters.font must be a file path")
    if bold and not regular:
        raise ConfigError(f"config file {config.path}: letters.font_bold needs letters.font")
    try:
        return find_font(regular, bold)
    except FontError as error:
        raise ConfigError(f"config file {config.path}: letters.font: {error}") from None


def plan_letter(
    client_id: int, today: date, config: Config, letters_dir: Path, *, kind: str
) -> LetterPlan:
    """What the letter would be today: its total, deadline and file (writes nothing)."""
    return _prepare(client_id, today, config, letters_dir, _kind(kind)).plan


def write_letter(
    client_id: int,
    at: datetime,
    config: Config,
    letters_dir: Path,
    *,
    kind: str,
    out: Path | None = None,
) -> ActionResult:
    """Render the letter, keep it in ``letters_dir`` (and a copy at ``out``), and log it.

    ``out`` may be a new file or an existing folder (the copy takes the default name there);
    an existing file is refused. Nothing is logged and no file is left if anything fails.
    """
    picked = _kind(kind)
    target = _copy_target(out) if out is not None else None
    font = letter_font(config)
    # Each file is written under its reserved temporary name and renamed only once the history
    # event is committed: a crash can never leave a letter the history does not know of.
    staged: list[tuple[Path, Path]] = []
    try:
        with transaction():
            prepared = _prepare(client_id, at.date(), config, letters_dir, picked)
            plan = prepared.plan
            data = prepared.render(font)
            digest = hashlib.sha256(data).hexdigest()
            staged.append(_stage_new(ensure_private_dir(letters_dir), plan.file_name, data))
            if target is not None:
                staged.append(_stage_copy(target, plan.file_name, data))
            written = [final for final, _ in staged]
            event_id = _record(plan, at, written, digest)
            refresh_client_summary(client_id)
    except BaseException:
        for _, temporary in staged:
            temporary.unlink(missing_ok=True)
        raise
    for final, temporary in staged:
        publish(temporary, final)
    stored = written[0]
    copy = str(written[1]) if len(written) > 1 else None
    deadline = plan.deadline.isoformat() if plan.deadline else None
    where = f"{stored}" + (f" (copy: {copy})" if copy else "")
    summary = f"{plan.client_name}: {plan.label} written, {plan.total_text()}"
    summary += f", to pay by {deadline}" if deadline else ""
    return ActionResult(
        client_id,
        f"{summary} — {where}",
        event_id,
        {
            "kind": plan.kind,
            "letter": plan.letter,
            "path": str(stored),
            "copy": copy,
            "sha256": digest,
            "total": decimal_string(plan.total),
            "currency": plan.currency,
            "deadline": deadline,
            "next_step": plan.next_step or None,
            "language": plan.language,
        },
    )


def record_posting(
    client_id: int,
    at: datetime,
    *,
    tracking_number: str,
    posted_on: str = "",
    letter_event_id: int | None = None,
) -> ActionResult:
    """Record the registered-mail number and posting date of a letter (the latest by default).

    Fields: ``number`` (one line, required), ``on`` (ISO date, not in the future; empty is
    today), ``letter`` (a letter of this client).
    """
    form = Form()
    if "\n" in tracking_number.strip() or "\r" in tracking_number.strip():
        form.fail("number", "the registered-mail number must be one line")
    number = form.line("number", tracking_number, required=True, limit=TRACKING_MAX)
    today = at.date()
    day = form.day("on", posted_on) if posted_on.strip() else today
    if day is not None and day > today:
        form.fail("on", "the posting date is in the future")
    form.check()
    assert day is not None
    with transaction():
        client = get_client(client_id)
        letters = letter_events(client_id)
        if letter_event_id is None:
            letter = letters[0] if letters else None
            if letter is None:
                raise InvalidInput.one("letter", f"no letter has been recorded for {client.name}")
        else:
            letter = next((row for row in letters if row.event_id == letter_event_id), None)
            if letter is None:
                raise InvalidInput.one(
                    "letter", f"event {letter_event_id} is not a letter to {client.name}"
                )
        if day < letter.on:
            raise InvalidInput.one(
                "on", f"the letter is dated {letter.on.isoformat()}: it was not posted before"
            )
        summary = f"letter posted by registered mail, number {number}, on {day.isoformat()}"
        body = "\n".join(
            [
                f"registered mail number: {number}",
                f"posted on: {day.isoformat()}",
                f"letter: event {letter.event_id} of {letter.on.isoformat()} — {letter.summary}",
            ]
        )
        event_id = record_event(
            client_id,
            NOTE_KIND,
            summary,
            at,
            direction="internal",
            channel=Channel.LETTER.value,
            outcome=POSTED_OUTCOME,
            body=body,
        )
    return ActionResult(
        client_id,
        f"{client.name}: {summary}",
        event_id,
        {
            "tracking_number": number,
            "posted_on": day.isoformat(),
            "letter_event_id": letter.event_id,
        },
    )


def latest_letter(client_id: int) -> LetterEvent | None:
    """The client's most recent letter, which a proof of posting refers to by default (reads)."""
    get_client(client_id)
    letters = letter_events(client_id)
    return letters[0] if letters else None


def is_letter_step(action: str, step: int, policy: Policy | None = None) -> bool:
    """Whether a next action (its label and step number) is a ladder step sent by letter."""
    ladders = (policy or active_policy()).ladders.values()
    for ladder in ladders:
        if 1 <= step <= len(ladder.steps):
            candidate = ladder.steps[step - 1]
            if candidate.label == action and candidate.main_kind == LETTER_KIND:
                return True
    return False


def _kind(kind: str) -> str:
    """One of the two kinds of letter, or a refusal naming them."""
    form = Form()
    picked = form.choice("kind", kind, KINDS)
    form.check()
    return picked


def _prepare(
    client_id: int, today: date, config: Config, letters_dir: Path, kind: str
) -> _Prepared:
    """Read the client and build the letter's content (reads only)."""
    if not config.creditor.name.strip():
        raise InvalidInput.one(
            "creditor",
            f"a letter needs your name and address: fill [creditor] in {config.path}",
        )
    if kind == STATEMENT:
        return _prepare_statement(client_id, today, config, letters_dir)
    days = deadline_days(config)
    detail, claim = detail_with_claim(client_id, today, court_costs=config.law.court_costs)
    if len(claim.time_barred) == len(claim.invoices):
        reason = claim.warnings[0] if claim.warnings else "nothing is overdue"
        if claim.time_barred and not claim.warnings:
            reason = "every late invoice is time-barred"
        raise InvalidInput.one("client", f"no formal letter for {detail.name}: {reason}")
    letter = formal_kind(claim.jurisdiction)
    if letter is FormalKind.LETTER_BEFORE_ACTION:
        days = max(days, UK_MINIMUM_DAYS.get(detail.kind, UK_MINIMUM_DAYS["b2b"]))
    content = _formal_content(detail, claim, config.creditor, today, letter, days)
    plan = LetterPlan(
        client_id=client_id,
        client_name=detail.name,
        kind=FORMAL_NOTICE,
        letter=letter.value,
        title=formal_title(content),
        currency=claim.currency,
        total=claim.total,
        deadline=content.deadline,
        deadline_days=days,
        next_step=_step_after_letter(detail),
        folder=letters_dir,
        file_name=_file_name(today, client_id, letter.value),
        language=content.language,
    )
    # fpdf takes a good part of a second to import: only writing a letter pays for it.
    from relance.delivery.letters.formal_notice import render_formal_notice

    return _Prepared(plan, lambda font: render_formal_notice(content, font))


def _formal_content(
    detail: ClientDetail,
    claim: ClientClaim,
    creditor: Creditor,
    today: date,
    letter: FormalKind,
    days: int,
) -> FormalNoticeContent:
    """The formal letter's words and figures, from the claim the law engine computed."""
    language = "fr" if detail.language == "fr" else "en"
    invoices = {row.number: row for row in detail.invoices}

    def letter_invoice(item: InvoiceClaim) -> LetterInvoice:
        """One late invoice as the letter lists it, with its issue date and amount paid."""
        row = invoices.get(item.number)
        return LetterInvoice(
            number=item.number,
            issued_on=row.issued_on if row else item.due_on,
            due_on=item.due_on,
            currency=item.currency,
            amount=row.amount if row else item.outstanding,
            paid=row.paid if row else 0,
            outstanding=item.outstanding,
            days_late=item.days_late,
            interest=item.interest.interest,
        )

    lines = [letter_invoice(item) for item in claim.invoices if not item.time_barred]
    regime = JURISDICTIONS[claim.jurisdiction]
    return FormalNoticeContent(
        kind=letter,
        language=language,
        jurisdiction=claim.jurisdiction,
        debtor_is_consumer=detail.kind == "b2c",
        creditor=_creditor_party(creditor, language),
        debtor=_debtor_party(detail),
        written_on=today,
        place=place_of(creditor.address),
        currency=claim.currency,
        invoices=tuple(lines),
        principal=claim.outstanding,
        interest=claim.interest,
        fixed_fees=claim.fixed_fees,
        total=claim.total,
        margin=regime.margin,
        contract_rate=claim.contract_rate,
        deadline=today + timedelta(days=days),
        deadline_days=days,
        route=claim.route.name if claim.route else "",
        route_note=claim.route.note if claim.route and claim.route.fits else "",
        legal_basis=tuple(basis_lines(regime, claim.contract_rate, language)),
        iban=creditor.iban,
        bic=creditor.bic,
        reference=_printed_reference(detail.client_id, creditor),
        epc_payload=_epc_payload(detail.client_id, creditor, claim.currency, claim.total),
        time_barred=tuple(letter_invoice(item) for item in claim.time_barred),
    )


def _printed_reference(client_id: int, creditor: Creditor) -> str:
    """The client's RF reference in groups of four, printed only beside an IBAN."""
    return grouped(client_reference(client_id)) if creditor.iban else ""


def _epc_payload(client_id: int, creditor: Creditor, currency: str, total: int) -> str:
    """The EPC QR code of a euro claim paid to the creditor's IBAN, or nothing.

    Other currencies and amounts the format cannot carry get no code: the bank transfer
    details above it still say how to pay.
    """
    if not creditor.iban or currency != "EUR" or not 1 <= total <= MAX_CENTS:
        return ""
    transfer = CreditTransfer(
        name=creditor.name,
        iban=creditor.iban,
        amount_cents=total,
        reference=client_reference(client_id),
        bic=creditor.bic,
    )
    try:
        return epc_payload(transfer)
    except EpcError as error:
        raise InvalidInput.one("creditor", f"no EPC QR code can be drawn: {error}") from None


def _prepare_statement(client_id: int, today: date, config: Config, letters_dir: Path) -> _Prepared:
    """The statement's lines from the dossier's running balance."""
    facts = read_dossier(client_id, today, config.creditor)
    detail = facts.detail
    language = "fr" if detail.language == "fr" else "en"
    lines = tuple(
        StatementLine(
            on=entry.on,
            amount=entry.amount,
            balance=entry.balance,
            invoice_number=entry.invoice.number if entry.invoice else "",
            due_on=entry.invoice.due_on if entry.invoice else None,
            method=entry.payment.method if entry.payment else "",
            reference=entry.payment.reference if entry.payment else "",
        )
        for entry in statement_entries(facts)
    )
    balance = lines[-1].balance if lines else 0
    content = StatementContent(
        language=language,
        creditor=_creditor_party(config.creditor, language),
        debtor=_debtor_party(detail),
        written_on=today,
        place=place_of(config.creditor.address),
        currency=detail.currency,
        lines=lines,
        balance=balance,
        outstanding=detail.outstanding,
        overdue=detail.overdue,
        iban=config.creditor.iban,
        bic=config.creditor.bic,
        reference=_printed_reference(client_id, config.creditor),
    )
    plan = LetterPlan(
        client_id=client_id,
        client_name=detail.name,
        kind=STATEMENT,
        letter=STATEMENT,
        title="Relevé de compte" if language == "fr" else "Statement of account",
        currency=detail.currency,
        total=balance,
        deadline=None,
        deadline_days=0,
        next_step="",
        folder=letters_dir,
        file_name=_file_name(today, client_id, STATEMENT),
        language=language,
    )
    from relance.delivery.letters.statement import render_statement

    return _Prepared(plan, lambda font: render_statement(content, font))


def _creditor_party(creditor: Creditor, language: str) -> Party:
    """The user's identity from ``[creditor]``, as the letterhead prints it."""
    number_label = "SIRET" if language == "fr" else "Company number"
    details = [
        creditor.email,
        creditor.phone,
        f"{number_label} {creditor.company_number}" if creditor.company_number else "",
    ]
    return Party(creditor.name, creditor.address, "", tuple(line for line in details if line))


def _debtor_party(detail: ClientDetail) -> Party:
    """The client, at its billing contact's address (else any contact's)."""
    billing = detail.contacts[0] if detail.contacts else None
    address = billing.address if billing else ""
    if not address:
        address = next((contact.address for contact in detail.contacts if contact.address), "")
    return Party(detail.name, address, billing.name if billing else "")


def _step_after_letter(detail: ClientDetail) -> str:
    """The label of the ladder step that follows the client's letter step, if any."""
    ladder = active_policy().ladder_for(detail.jurisdiction, detail.kind, detail.payer_profile)
    for index, step in enumerate(ladder.steps[:-1]):
        if step.main_kind == LETTER_KIND:
            return ladder.steps[index + 1].label
    return ""


def _file_name(today: date, client_id: int, letter: str) -> str:
    """``2026-11-23-client-12-formal-notice.pdf``."""
    return f"{today.isoformat()}-client-{client_id}-{letter}.pdf"


def _copy_target(out: Path) -> Path:
    """Where ``--out`` puts the copy, refused before anything is rendered if it exists."""
    target = out.expanduser()
    if target.is_dir():
        return target
    if target.exists() or target.is_symlink():
        raise InvalidInput.one("out", f"{target} already exists; choose another path")
    if not target.parent.is_dir():
        raise InvalidInput.one("out", f"no folder {target.parent} to write {target.name} in")
    return target


def _stage_copy(target: Path, default_name: str, data: bytes) -> tuple[Path, Path]:
    """Stage the copy for ``target``, or its default name when ``target`` is a folder."""
    if target.is_dir():
        return _stage_new(target, default_name, data)
    if target.exists() or target.is_symlink():
        raise InvalidInput.one("out", f"{target} already exists; choose another path")
    return target, write_staged(reserved_temporary(target), data, shown=target)


def _stage_new(folder: Path, name: str, data: bytes) -> tuple[Path, Path]:
    """Stage a new 0600 file in a folder, numbering the name when it is taken (or reserved).

    Returns the final name and the temporary file that reserves it until it is published.
    """
    stem, suffix = name.rsplit(".", 1)
    for attempt in range(1, 1000):
        path = folder / (name if attempt == 1 else f"{stem}-{attempt}.{suffix}")
        if path.exists() or path.is_symlink():
            continue
        try:
            return path, write_staged(reserved_temporary(path), data, shown=path)
        except FileExistsError:
            continue
    raise FileExistsError(f"too many letters named {name} in {folder}")


def _record(plan: LetterPlan, at: datetime, files: list[Path], digest: str) -> int:
    """The one history event of the letter: a step for the formal letter, a note otherwise."""
    total = f"{decimal_string(plan.total)} {plan.currency}"
    lines = [f"file: {files[0]}"]
    lines += [f"copy: {path}" for path in files[1:]]
    lines.append(f"sha256: {digest}")
    if plan.kind == STATEMENT:
        lines.append(f"balance: {total}")
        return record_event(
            plan.client_id,
            NOTE_KIND,
            f"statement written: balance {plan.total_text()}",
            at,
            direction="internal",
            outcome=STATEMENT_OUTCOME,
            body="\n".join(lines),
            amount=plan.total,
        )
    assert plan.deadline is not None
    lines.append(f"total claimed: {total}")
    lines.append(f"deadline: {plan.deadline.isoformat()} ({plan.deadline_days} days)")
    if plan.next_step:
        lines.append(f"next step: {plan.next_step}")
    summary = f"{plan.label} written: {plan.total_text()} to pay by {plan.deadline.isoformat()}"
    return record_event(
        plan.client_id,
        LETTER_KIND,
        summary,
        at,
        channel=Channel.LETTER.value,
        outcome=plan.letter,
        body="\n".join(lines),
        amount=plan.total,
    )
