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
from relance.importing.apply import ImportOutcome, apply_plan
from relance.importing.apply import Progress as ProgressCallback
from relance.importing.book_export import (
    BookExportPlan,
    BookNotEmpty,
    RestoreOutcome,
    restore_export,
)
from relance.importing.csv_source import MappingError, load_mapping
from relance.importing.plan import RowError
from relance.importing.reader import read_plan
from relance.literal import one_line
from relance.paths import database_path
from relance.store.database import close_database, open_database

# Below this many rows an import is over before a bar could be read.
PROGRESS_MIN_ROWS = 200
# New clients named in the summary; a first import of a whole ledger would fill the screen.
NAMES_SHOWN = 10


def import_file(ctx: Context) -> int:
    """`relance import PATH [--dry-run] [--mapping FILE]`: exit 2, every error listed, if any."""
    args = ctx.args
    source = Path(args.path)
    if not source.is_file():
        raise BadInput(f"no file to import at {source}")
    try:
        mapping = load_mapping(Path(args.mapping)) if args.mapping else None
    except MappingError as error:
        raise BadInput(str(error)) from None
    plan = read_plan(source, mapping)
    if isinstance(plan, BookExportPlan):
        if mapping is not None:
            raise BadInput("--mapping: only for CSV files, not for a relance export")
        return _restore(ctx, source, plan)
    with _book_for(ctx, needed=plan.ok), _progress_bar(len(plan.rows), source.name) as progress:
        outcome = apply_plan(
            plan,
            ctx.now(),
            dry_run=args.dry_run,
            default_law=ctx.config.law.default_jurisdiction,
            progress=progress,
        )
    if args.json:
        ctx.out.json({"file": str(source), "dry_run": args.dry_run, **outcome.record()})
    if outcome.errors:
        _report_errors(source, outcome.errors)
        return EXIT_BAD_INPUT
    if not args.json:
        _report_changes(ctx, source, outcome, dry_run=args.dry_run)
    return 0


def _restore(ctx: Context, source: Path, plan: BookExportPlan) -> int:
    """A `relance export` file: every row back with its id, into an empty book only."""
    args = ctx.args
    with _book_for(ctx, needed=plan.ok):
        try:
            outcome = restore_export(plan, dry_run=args.dry_run)
        except BookNotEmpty as error:
            raise BadInput(str(error)) from None
    if args.json:
        ctx.out.json({"file": str(source), "dry_run": args.dry_run, **outcome.record()})
    if outcome.errors:
        _report_errors(source, outcome.errors)
        return EXIT_BAD_INPUT
    if not args.json:
        _report_restore(ctx, source, outcome, dry_run=args.dry_run)
    return 0


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
