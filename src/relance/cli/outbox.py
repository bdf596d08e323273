"""`relance outbox retry|list|discard|redirect`: the reminders waiting in the outbox."""

from __future__ import annotations

from rich import box
from rich.table import Table

from relance.cli.actions import report
from relance.cli.context import Context
from relance.literal import literal, one_line
from relance.paths import outbox_path
from relance.services.outbox import (
    HELD,
    NO_SMTP,
    Delivery,
    discard_message,
    outbox_entries,
    redirect_message,
    retry_outbox,
)


def retry(ctx: Context) -> int:
    """Send every queued message once; exit 0 only when none failed and none waits refused."""
    root = outbox_path(ctx.open_book())
    names = tuple(ctx.args.names) or None
    results = retry_outbox(root, ctx.config, ctx.now(), names=names)
    failed = [result for result in results if not result.ok]
    held = [entry for entry in outbox_entries(root) if entry.state == "refused"]
    if ctx.args.json:
        ctx.out.json(
            {
                "outbox": str(root),
                "sent": sum(result.status == "sent" for result in results),
                "failed": len(failed),
                "refused": [entry.name for entry in held],
                "messages": [result.as_record() for result in results],
            }
        )
    else:
        if not results and not held:
            ctx.out.line(f"nothing queued in the outbox {root}")
        for result in results:
            ctx.out.line(_result_line(result))
        if results and ctx.config.smtp is None:
            ctx.out.line(f"{NO_SMTP}: add an [smtp] table to {ctx.config.path} to send them")
        tried = {result.name for result in results}
        for entry in held:
            if entry.name not in tried:
                ctx.out.line(
                    f"refused: {literal(one_line(entry.client))} — "
                    f"{literal(one_line(entry.subject))} ({entry.name}): {HELD}"
                )
    return 1 if failed or held else 0


def discard(ctx: Context) -> int:
    """Take one waiting message out of the outbox; it never goes."""
    root = outbox_path(ctx.open_book())
    return report(ctx, discard_message(root, ctx.args.name, ctx.now()))


def redirect(ctx: Context) -> int:
    """Send one waiting message to another address, at once; exit 1 if it did not go."""
    root = outbox_path(ctx.open_book())
    result, delivery = redirect_message(
        root, ctx.args.name, ctx.args.address, ctx.config, ctx.now()
    )
    status = report(ctx, result)
    if not ctx.args.json:
        ctx.out.line(_result_line(delivery))
    return status if delivery.ok or delivery.status == "waiting" else 1


def _result_line(result: Delivery) -> str:
    """One line per message: what happened, to whom, and why not when it did not go."""
    words = {"sent": "sent", "gone": "skipped", "waiting": "queued", "damaged": "set aside"}
    word = "refused" if result.held else words.get(result.status, "failed")
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
