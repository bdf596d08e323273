"""Commands that read the book or create it: `today`, `show`, `init`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text

from relance.cli.context import Context
from relance.cli.errors import BadInput
from relance.cli.law import claim_record, claim_report
from relance.cli.reports import (
    all_triage_rows,
    client_record,
    client_report,
    flag_letters,
    totals_line,
    triage_record,
    triage_table,
)
from relance.markers import legend
from relance.paths import database_path
from relance.private_files import write_private
from relance.services.claims import detail_with_claim
from relance.store.bank_lines import count_to_review, review_counts_by_client
from relance.store.triage import book_totals, triage_count


def today(ctx: Context) -> int:
    """`relance today`: the triage list, most days overdue first."""
    ctx.open_book()
    rows = all_triage_rows(ctx.today)
    if ctx.args.json:
        waiting = review_counts_by_client()
        ctx.out.json(
            [
                {
                    **triage_record(row, ctx.today),
                    "bank_lines_to_review": waiting.get(row.client_id, 0),
                }
                for row in rows
            ]
        )
        return 0
    if not rows:
        ctx.out.line("No clients yet: add one with `relance client add NAME`.")
        return 0
    for line in ctx.lapses:
        ctx.out.line(line)
    ctx.out.render(triage_table(rows, ctx.today, ctx.out.console.width))
    if any(flag_letters(row, ctx.today) for row in rows):
        ctx.out.render(Text(legend(), style="dim"))
    ctx.out.render(totals_line(book_totals(ctx.today)))
    to_review = count_to_review()
    if to_review:
        plural = "s wait" if to_review > 1 else " waits"
        ctx.out.line(f"{to_review} bank line{plural} for review: relance bank review")
    return 0


def show(ctx: Context) -> int:
    """`relance show CLIENT`: one client with invoices, history, payments, plans, promises."""
    ctx.open_book()
    detail, claim = detail_with_claim(
        ctx.client_id(), ctx.today, court_costs=ctx.config.law.court_costs
    )
    if ctx.args.json:
        ctx.out.json({**client_record(detail, ctx.today), "claim": claim_record(claim)})
    else:
        ctx.out.render(client_report(detail, ctx.today))
        ctx.out.render(claim_report(claim))
    return 0


def init(ctx: Context) -> int:
    """`relance init [--sample]`: create the book and print its path; fill it with the sample."""
    path = database_path(ctx.args.db)
    ctx.open_book(create=True)
    count = 0
    if ctx.args.sample:
        if triage_count() > 0:
            raise BadInput(f"{path} already has clients; --sample only fills an empty book")
        from relance.services.sample import load_sample

        count = load_sample(ctx.today)
    ctx.out.line(str(path.absolute()))
    if ctx.args.sample:
        ctx.out.line(f"loaded the sample book: {count} clients")
        statement = _write_sample_statement(path, ctx.today)
        ctx.out.line(f"a bank statement to try: relance bank import {statement}")
    return 0


def _write_sample_statement(book: Path, today: date) -> Path:
    """Write the sample's bank statement beside the book (kept if one is already there)."""
    from relance.services.sample_statement import STATEMENT_NAME, sample_statement_text

    target = book.absolute().parent / STATEMENT_NAME
    if not target.exists():
        write_private(target, sample_statement_text(today).encode("utf-8"))
    return target
