"""`relance letter CLIENT` and `relance letter-posted CLIENT`: PDF letters and proof of posting."""

from __future__ import annotations

from pathlib import Path

from relance.cli.actions import action_record, report
from relance.cli.context import Context
from relance.paths import letters_path
from relance.services.letters import record_posting, write_letter


def letter(ctx: Context) -> int:
    """Write the formal letter or a statement; print where the PDF is (the --out copy if any)."""
    db_path = ctx.open_book()
    out = Path(ctx.args.out).expanduser() if ctx.args.out else None
    result = write_letter(
        ctx.client_id(),
        ctx.now(),
        ctx.config,
        letters_path(db_path),
        kind=ctx.args.kind,
        out=out,
    )
    if ctx.args.json:
        ctx.out.json(action_record(result))
    else:
        ctx.out.line(str(Path(result.record["copy"] or result.record["path"]).absolute()))
    return 0


def letter_posted(ctx: Context) -> int:
    """Record the registered-mail number and posting date of the client's latest letter."""
    ctx.open_book()
    result = record_posting(
        ctx.client_id(),
        ctx.now(),
        tracking_number=ctx.args.number,
        posted_on=ctx.args.on,
        letter_event_id=ctx.args.letter,
    )
    return report(ctx, result)
