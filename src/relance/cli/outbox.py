"""`relance outbox retry|list`: the reminders waiting in the outbox, sent again or listed."""

from __future__ import annotations

from rich import box
from rich.table import Table

from relance.cli.context import Context
from relance.literal import literal, one_line
from relance.paths import outbox_path
from relance.services.outbox import NO_SMTP, Delivery, outbox_entries, retry_outbox


def retry(ctx: Context) -> int:
    """Send every queued message once; exit 0 only when none of them failed."""
    root = outbox_path(ctx.open_book())
    results = retry_outbox(root, ctx.config, ctx.now())
    failed = [result for result in results if not result.ok]
    if ctx.args.json:
        ctx.out.json(
            {
                "outbox": str(root),
                "sent": sum(result.status == "sent" for result in results),
                "failed": len(failed),
                "messages": [result.as_record() for result in results],
            }
        )
    elif not results:
        ctx.out.line(f"nothing queued in the outbox {root}")
    else:
        for result in results:
            ctx.out.line(_result_line(result))
        if ctx.config.smtp is None:
            ctx.out.line(f"{NO_SMTP}: add an [smtp] table to {ctx.config.path} to send them")
    return 1 if failed else 0


def _result_line(result: Delivery) -> str:
    """One line per message: what happened, to whom, and why not when it did not go."""
    words = {"sent": "sent", "gone": "skipped", "waiting": "queued", "damaged": "set aside"}
    word = words.get(result.status, "failed")
    line = f"{word}: {result.client} — {result.subject}"
    if result.status == "sent":
        line += f" (to {', '.join(r for r in result.recipients if r not in result.refused)})"
    if result.reason:
        line += f": {result.reason}"
    return line


def listing(ctx: Context) -> int:
    """Every message in the outbox, oldest first, with its state and the reason it waits."""
    root = outbox_path(ctx.open_book())
    entries = outbox_entries(root)
    if ctx.args.json:
        ctx.out.json([entry.as_record() for entry in entries])
        return 0
    if not entries:
        ctx.out.line(f"the outbox {root} is empty")
        return 0
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column in ("state", "when", "client", "subject", "reason"):
        table.add_column(column)
    for entry in entries:
        when = (entry.sent_at or entry.written_at).replace("T", " ")[:16]
        table.add_row(
            entry.state,
            when,
            literal(one_line(entry.client)),
            literal(one_line(entry.subject)),
            literal(one_line(entry.reason)),
        )
    ctx.out.render(table)
    ctx.out.line(f"outbox: {root}")
    return 0
