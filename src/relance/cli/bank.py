"""`relance bank import|review|accept|set-aside`: bank statements in, matched lines recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from relance.cli.context import Context
from relance.cli.errors import BadInput
from relance.domain.bank_lines import BankLine, BankStatement
from relance.domain.bank_matching import Proposal
from relance.domain.creditor_reference import client_id_from_reference
from relance.domain.money import decimal_string, format_money
from relance.importing.bank import StatementError, read_statement
from relance.services.bank import (
    ALREADY,
    NOT_A_PAYMENT,
    RECORDED,
    REVERSED,
    WAITS,
    ImportReport,
    LineReport,
    accept_line,
    import_statement,
    proposal_record,
    set_aside_line,
    waiting_lines,
)
from relance.store.bank_lines import StoredLine
from relance.store.lookup import find_client_id

# The summary's names for what the import did, in the order it prints them.
SUMMARY = (
    (RECORDED, "matched"),
    (WAITS, "to review"),
    (NOT_A_PAYMENT, "debits"),
    (REVERSED, "reversed"),
    (ALREADY, "already imported"),
)


def bank_import(ctx: Context) -> int:
    """Read every file first (a bad one: exit 2, nothing written), then import each."""
    args = ctx.args
    mapping = Path(args.mapping) if args.mapping else None
    statements: list[tuple[Path, BankStatement]] = []
    for name in args.files:
        path = Path(name)
        try:
            statements.append((path, read_statement(path, mapping=mapping)))
        except StatementError as error:
            raise BadInput(str(error)) from None
    ctx.open_book()
    reports = [
        import_statement(
            statement,
            path.name,
            ctx.now(),
            reference_client=client_id_from_reference,
            tolerance=ctx.config.bank.tolerance,
            dry_run=args.dry_run,
        )
        for path, statement in statements
    ]
    if args.json:
        ctx.out.json(
            {
                "dry_run": args.dry_run,
                "counts": _counts(reports),
                "files": [
                    {
                        "file": str(path),
                        "counts": _counts([report]),
                        "lines": [line.as_record() for line in report.lines],
                    }
                    for (path, _), report in zip(statements, reports, strict=True)
                ],
            }
        )
        return 0
    for (path, _), report in zip(statements, reports, strict=True):
        counts = _counts([report])
        said = ", ".join(f"{label} {counts[_key(label)]}" for _, label in SUMMARY)
        ctx.out.line(f"{path}{' (dry run: nothing written)' if args.dry_run else ''}: {said}")
        for line in report.lines:
            ctx.out.line(_import_line(line))
    return 0


def bank_review(ctx: Context) -> int:
    """List the lines waiting for review, each with its proposals and their reasons."""
    ctx.open_book()
    lines = waiting_lines()
    if ctx.args.json:
        ctx.out.json([_review_record(stored) for stored in lines])
        return 0
    if not lines:
        ctx.out.line("No bank line waits for review.")
        return 0
    for stored in lines:
        ctx.out.line(f"line {stored.line_id}  {_movement(stored.line)}  ({stored.statement})")
        for note in stored.notes:
            ctx.out.line(f"    {note}")
        for rank, proposal in enumerate(stored.proposals, start=1):
            ctx.out.line(f"    {rank}. {_proposal(proposal)}")
            for reason in proposal.reasons:
                ctx.out.line(f"         - {reason}")
    ctx.out.line(
        "relance bank accept LINE [--client C] [--invoice N]… records one; "
        "relance bank set-aside LINE says it is no client payment"
    )
    return 0


def bank_accept(ctx: Context) -> int:
    """Record a waiting line as a payment: its best proposal, or the client picked."""
    args = ctx.args
    line_id = _line_number(args.line)
    ctx.open_book()
    client_id = find_client_id(args.client) if args.client else None
    result = accept_line(line_id, ctx.now(), client_id=client_id, invoice_numbers=args.invoice)
    if args.json:
        ctx.out.json(result.as_record())
    else:
        ctx.out.line(
            f"bank line {line_id}: recorded for {result.client} as payment {result.payment_id}"
        )
    return 0


def bank_set_aside(ctx: Context) -> int:
    """Set a waiting line aside: it is no client payment."""
    args = ctx.args
    line_id = _line_number(args.line)
    ctx.open_book()
    result = set_aside_line(line_id, ctx.now())
    if args.json:
        ctx.out.json(result.as_record())
    else:
        ctx.out.line(f"bank line {line_id}: set aside, not a client payment")
    return 0


def _line_number(text: str) -> int:
    """A LINE argument as the number `bank review` shows."""
    wanted = text.strip().removeprefix("#")
    if not wanted.isdecimal() or len(wanted) > 18:
        raise BadInput(f"LINE: not a bank line number: {text[:40]!r} (see `relance bank review`)")
    return int(wanted)


def _key(label: str) -> str:
    """A summary label as a JSON key."""
    return label.replace(" ", "_")


def _counts(reports: list[ImportReport]) -> dict[str, int]:
    """The summary of one or several imports, by the summary's names."""
    return {
        _key(label): sum(report.counts()[status] for report in reports) for status, label in SUMMARY
    }


def _movement(line: BankLine) -> str:
    """A line's date, signed amount, payer and text, as one line."""
    sign = "+" if line.amount_minor > 0 else "-"
    text = (
        f"{line.booked_on.isoformat()}  {sign}{format_money(abs(line.amount_minor), line.currency)}"
    )
    if line.debtor_name:
        text += f"  from {line.debtor_name}"
    if line.remittance:
        text += f"  “{line.remittance}”"
    return text


def _import_line(report: LineReport) -> str:
    """One bank line of the import: what became of it, and for whom or why."""
    text = f"  {report.status:<16} {_movement(report.line)}"
    if report.line_id is not None:
        text = f"{text}  [line {report.line_id}]"
    if report.client:
        text += f" → {report.client}"
    if report.payment_id is not None:
        text += f" (payment {report.payment_id})"
    if report.status == WAITS:
        best = report.proposals[0] if report.proposals else None
        text += f": best {_proposal(best)}" if best is not None else ""
        text += "".join(f"; {note}" for note in report.notes)
    elif report.status in (NOT_A_PAYMENT, REVERSED) and report.notes:
        text += f": {report.notes[0]}"
    return text


def _proposal(proposal: Proposal) -> str:
    """A proposal in a few words: client, invoices, write-off and score."""
    text = f"{proposal.client} (score {proposal.score})"
    if proposal.invoice_numbers:
        text += f" invoices {', '.join(proposal.invoice_numbers)}"
    if proposal.write_off:
        text += f", {decimal_string(proposal.write_off)} written off"
    return text


def _review_record(stored: StoredLine) -> dict[str, Any]:
    """A waiting line for `bank review --json`."""
    line = stored.line
    return {
        "line": stored.line_id,
        "statement": stored.statement,
        "position": line.position,
        "booked_on": line.booked_on.isoformat(),
        "amount": decimal_string(line.amount_minor),
        "currency": line.currency,
        "debtor": line.debtor_name,
        "debtor_iban": line.debtor_iban,
        "bank_reference": line.bank_reference,
        "creditor_reference": line.creditor_reference,
        "remittance": line.remittance,
        "notes": list(stored.notes),
        "proposals": [proposal_record(p) for p in stored.proposals],
    }
