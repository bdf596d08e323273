"""`relance remind --due [--dry-run]`: the morning batch, with a progress bar and a summary."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from relance.cli.context import Context
from relance.literal import one_line
from relance.paths import outbox_path
from relance.services.remind_due import (
    STATUSES,
    BatchLine,
    Candidate,
    batch_failed,
    due_candidates,
    remind_due,
)


def remind_due_command(ctx: Context) -> int:
    """Send every e-mail reminder due today; exit 1 when one should have gone and did not."""
    path = ctx.open_book()
    dry_run = bool(ctx.args.dry_run)
    candidates = due_candidates(ctx.today)
    with _progress_bar(len(candidates)) as advance:
        lines = remind_due(
            ctx.now(),
            ctx.config,
            outbox_path(path),
            dry_run=dry_run,
            progress=advance,
            candidates=candidates,
        )
    counts = Counter(line.status for line in lines)
    if ctx.args.json:
        ctx.out.json(
            {
                "date": ctx.today,
                "dry_run": dry_run,
                "outbox": str(outbox_path(path)),
                "counts": {status: counts.get(status, 0) for status in STATUSES},
                "clients": [line.as_record() for line in lines],
            }
        )
    else:
        shown = ("would send", "skipped", "failed") if dry_run else STATUSES[:4]
        ctx.out.line(", ".join(f"{status} {counts.get(status, 0)}" for status in shown))
        for line in lines:
            ctx.out.line(_line(line))
        if counts.get("queued") and ctx.config.smtp is None:
            ctx.out.line(f"queued in {outbox_path(path)}: no [smtp] configured")
    return 1 if batch_failed(lines) else 0


def _line(line: BatchLine) -> str:
    """One client: what the batch did, and the subject or the reason."""
    text = f"  {line.status:<10} {line.client}"
    if line.subject:
        text += f" — {line.subject}"
    if line.reason:
        text += f": {line.reason}"
    return text


@contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[Candidate], None]]:
    """A progress bar on stderr when it is a terminal, else a callback that does nothing."""
    if total == 0 or not sys.stderr.isatty():
        yield lambda candidate: None
        return
    console = Console(file=sys.stderr, markup=False, emoji=False, highlight=False)
    columns = (TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("reminders", total=total)

        def advance(candidate: Candidate) -> None:
            """Move the bar on by one client, naming it."""
            progress.update(task, advance=1, description=one_line(candidate.client)[:30])

        yield advance
