"""`relance import`: bring a CSV file, an e-invoice or a relance export into the book."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from relance.cli.context import Context
from relance.cli.errors import EXIT_BAD_INPUT, BadInput
from relance.importing.apply import ImportOutcome
from relance.importing.apply import Progress as ProgressCallback
from relance.importing.book_export import BookNotEmpty, RestoreOutcome
from relance.importing.plan import ImportPlan, RowError
from relance.literal import one_line
from relance.paths import database_path
from relance.services.importing import mapping_from, read_source, run_plan, source_path
from relance.services.validation import InvalidInput
from relance.store.database import close_database, open_database

# Below this many rows an import is over before a bar could be read.
PROGRESS_MIN_ROWS = 200
# New clients named in the summary; a first import of a whole ledger would fill the screen.
NAMES_SHOWN = 10


def import_file(ctx: Context) -> int:
    """`relance import PATH [--dry-run] [--mapping FILE]`: exit 2, every error listed, if any."""
    args = ctx.args
    try:
        source = source_path(args.path)
        mapping = mapping_from(args.mapping or "")
        plan = read_source(source, mapping)
    except InvalidInput as refusal:
        raise BadInput(_refusal_line(refusal)) from None
    rows = len(plan.rows) if isinstance(plan, ImportPlan) else 0
    with _book_for(ctx, needed=plan.ok), _progress_bar(rows, source.name) as progress:
        try:
            report = run_plan(
                plan,
                ctx.now(),
                dry_run=args.dry_run,
                default_law=ctx.config.law.default_jurisdiction,
                progress=progress,
            )
        except BookNotEmpty as error:
            raise BadInput(str(error)) from None
    # A CSV export is named by its folder, even when its manifest.csv was given.
    source = report.source
    if args.json:
        ctx.out.json({"file": str(source), "dry_run": args.dry_run, **report.outcome.record()})
    if report.errors:
        _report_errors(source, report.errors)
        return EXIT_BAD_INPUT
    if not args.json:
        if isinstance(report.outcome, RestoreOutcome):
            _report_restore(ctx, source, report.outcome, dry_run=args.dry_run)
        else:
            _report_changes(ctx, source, report.outcome, dry_run=args.dry_run)
    return 0


def _refusal_line(refusal: InvalidInput) -> str:
    """A refused path or mapping as one line; the mapping's own messages name the file."""
    parts = []
    for field, message in refusal.errors.items():
        named = field == "path" or message.startswith(("the mapping file", "cannot read"))
        parts.append(message if named else f"--{field}: {message}")
    return "; ".join(parts)


@contextmanager
def _book_for(ctx: Context, *, needed: bool) -> Iterator[None]:
    """Open the book; a dry run on a book not yet created rehearses on an empty throwaway one."""
    if not needed:
        yield
        return
    if not ctx.args.dry_run or database_path(ctx.args.db).exists():
        ctx.open_book(create=True)
        yield
        return
    # A dry run must not leave an empty book behind, yet can still show what a first import does.
    with tempfile.TemporaryDirectory(prefix="relance-preview-") as folder:
        open_database(Path(folder) / "preview.db")
        try:
            yield
        finally:
            close_database()


def _report_errors(source: Path, errors: list[RowError]) -> None:
    """Every refused value on stderr, one per line, after a line saying nothing was written."""
    count = len(errors)
    print(
        f"relance: {one_line(str(source))}: {count} error{'s' if count != 1 else ''}, "
        "nothing imported",
        file=sys.stderr,
    )
    for error in errors:
        print(f"  {one_line(str(error))}", file=sys.stderr)


def _report_changes(ctx: Context, source: Path, outcome: ImportOutcome, *, dry_run: bool) -> None:
    """What the import wrote, or what it would write."""
    head = "dry run, nothing written" if dry_run else "imported"
    ctx.out.line(f"{head}: {source.name} ({outcome.rows} row{'s' if outcome.rows != 1 else ''})")
    new_clients = outcome.new_clients
    shown = ", ".join(new_clients[:NAMES_SHOWN])
    if len(new_clients) > NAMES_SHOWN:
        shown += f" and {len(new_clients) - NAMES_SHOWN} more"
    listed = f" ({shown})" if new_clients else ""
    ctx.out.line(f"new clients: {len(new_clients)}{listed}")
    ctx.out.line(f"new invoices: {outcome.total('new_invoices')}")
    ctx.out.line(f"updated invoices: {outcome.total('updated_invoices')}")
    ctx.out.line(f"unchanged invoices: {outcome.unchanged_invoices}")
    ctx.out.line(f"payments recorded: {outcome.total('payments')}")
    ctx.out.line(f"credit notes: {outcome.total('credit_notes')}")
    # Only when it happened: a credit note arriving before its invoice is the rare case.
    if outcome.total("credits_applied"):
        ctx.out.line(f"earlier credit notes applied: {outcome.total('credits_applied')}")


def _report_restore(ctx: Context, source: Path, outcome: RestoreOutcome, *, dry_run: bool) -> None:
    """What restoring the export wrote, or would write: rows per array."""
    head = "dry run, nothing written" if dry_run else "restored"
    rows = outcome.rows
    ctx.out.line(f"{head}: {source.name} ({rows} row{'s' if rows != 1 else ''})")
    for name, count in outcome.counts.items():
        ctx.out.line(f"{name}: {count}")


@contextmanager
def _progress_bar(rows: int, name: str) -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr for a large file, only when stderr is a terminal."""
    if rows < PROGRESS_MIN_ROWS or not sys.stderr.isatty():
        yield None
        return
    console = Console(file=sys.stderr, markup=False, highlight=False, emoji=False)
    with Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(one_line(name), total=rows)

        def advance(done: int, total: int) -> None:
            """Move the bar to the row just written."""
            bar.update(task, completed=done, total=total)

        yield advance
