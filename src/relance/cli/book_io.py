"""The whole book in and out: `backup`, `restore`, `export` and `report aging`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from relance.cli.context import Context
from relance.cli.errors import BadInput
from relance.cli.output import safe_json, safe_toml
from relance.domain.aging import Bucket
from relance.domain.dates import DateError, parse_date
from relance.domain.money import decimal_string, format_money
from relance.literal import literal
from relance.paths import database_path, ensure_private_dir
from relance.private_files import write_private
from relance.store.aging_report import AgingReport, aging_report
from relance.store.backup import (
    BadBackup,
    TargetExists,
    backup_book,
    default_backup_path,
    restore_book,
)
from relance.store.database import close_database
from relance.store.export import export_book, without_nulls, write_csv_folder


def backup(ctx: Context) -> int:
    """`relance backup [--out PATH]`: a consistent copy of the book; prints its path."""
    book = ctx.open_book()
    if ctx.args.out:
        target = Path(ctx.args.out).expanduser()
    else:
        target = default_backup_path(book, ctx.now())
    try:
        backup_book(book, target)
    except TargetExists as error:
        raise BadInput(str(error)) from None
    ctx.out.line(str(target.absolute()))
    return 0


def restore(ctx: Context) -> int:
    """`relance restore PATH`: replace the book with a checked backup, keeping the old one."""
    # Our own connection must be closed, or the book would look open in another program.
    close_database()
    book = database_path(ctx.args.db)
    try:
        kept = restore_book(Path(ctx.args.path).expanduser(), book, ctx.now())
    except BadBackup as error:
        raise BadInput(str(error)) from None
    ctx.out.line(f"restored {Path(ctx.args.path).absolute()} into {book.absolute()}")
    if kept is not None:
        ctx.out.line(f"the previous book is kept as {kept.absolute()}")
    return 0


def export(ctx: Context) -> int:
    """`relance export --format csv|json|toml [--out PATH]`: everything, in a documented shape."""
    kind = ctx.args.format
    out = Path(ctx.args.out).expanduser() if ctx.args.out else None
    if kind == "csv" and out is None:
        raise BadInput("--out: a folder is required for --format csv")
    if out is not None:
        _refuse_existing(out, folder=kind == "csv")
    ctx.open_book()
    data = export_book(ctx.now())
    if kind == "csv":
        assert out is not None
        write_csv_folder(data, out)
        ctx.out.line(str(out.absolute()))
        return 0
    text = safe_json(data) + "\n" if kind == "json" else safe_toml(without_nulls(data))
    if out is None:
        ctx.out.stream.write(text)
        return 0
    ensure_private_dir(out.parent)
    try:
        write_private(out, text.encode("utf-8"))
    except FileExistsError:
        raise BadInput(f"--out: {out} already exists; choose another") from None
    ctx.out.line(str(out.absolute()))
    return 0


def report_aging(ctx: Context) -> int:
    """`relance report aging [--as-of DATE] [--json]`: open amounts per client by lateness."""
    as_of = ctx.today
    if ctx.args.as_of:
        try:
            as_of = parse_date(ctx.args.as_of, today=ctx.today)
        except DateError as error:
            raise BadInput(f"--as-of: {error}") from None
    ctx.open_book()
    report = aging_report(as_of)
    if ctx.args.json:
        ctx.out.json(aging_record(report))
        return 0
    if not report.lines:
        ctx.out.line(f"Nothing was owed on {as_of.isoformat()}.")
        return 0
    ctx.out.render(aging_table(report))
    return 0


def aging_record(report: AgingReport) -> dict[str, Any]:
    """The aging report for scripts: amounts as decimal strings, buckets by name."""
    return {
        "as_of": report.as_of.isoformat(),
        "buckets": [bucket.value for bucket in Bucket],
        "clients": [
            {
                "client_id": line.client_id,
                "client": line.name,
                "currency": line.currency,
                **_bucket_amounts(line.buckets),
                "total": decimal_string(line.total),
            }
            for line in report.lines
        ],
        "totals": [
            {"currency": currency, **_bucket_amounts(buckets), "total": _sum(buckets)}
            for currency, buckets in report.totals.items()
        ],
    }


def aging_table(report: AgingReport) -> Table:
    """The aging report for people: one row per client and currency, then the totals."""
    table = Table(
        title=f"Aging as of {report.as_of.isoformat()}",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("client", overflow="fold")
    for header in (*(bucket.value for bucket in Bucket), "total"):
        table.add_column(header, justify="right", no_wrap=True)
    for line in report.lines:
        table.add_row(
            Text(str(line.client_id)),
            literal(line.name, keep_newlines=False),
            *_money_cells(line.buckets, line.currency),
        )
    table.add_section()
    for currency, buckets in report.totals.items():
        table.add_row(
            Text(""), Text(f"total {currency}", style="bold"), *_money_cells(buckets, currency)
        )
    return table


def _money_cells(buckets: dict[Bucket, int], currency: str) -> list[Text]:
    """Each bucket then the total, blank where nothing is owed."""
    amounts = [buckets[bucket] for bucket in Bucket] + [sum(buckets.values())]
    return [Text(format_money(amount, currency) if amount else "") for amount in amounts]


def _bucket_amounts(buckets: dict[Bucket, int]) -> dict[str, str]:
    """Every bucket's amount as a decimal string, keyed by the bucket's name."""
    return {bucket.value: decimal_string(buckets[bucket]) for bucket in Bucket}


def _sum(buckets: dict[Bucket, int]) -> str:
    """The total of all buckets as a decimal string."""
    return decimal_string(sum(buckets.values()))


def _refuse_existing(out: Path, *, folder: bool) -> None:
    """An export never overwrites: a file must not exist, a folder must be empty or absent."""
    if folder:
        if out.exists() and (not out.is_dir() or any(os.scandir(out))):
            raise BadInput(f"--out: {out} exists and is not an empty folder")
    elif out.exists():
        raise BadInput(f"--out: {out} already exists; choose another")
