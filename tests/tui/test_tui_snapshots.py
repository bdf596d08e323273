"""Snapshots of the main screen on a fixed book and a fixed day, narrow and wide."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from peewee import SqliteDatabase
from textual.pilot import Pilot

from tui_fixtures import make_app, seed_book

SnapCompare = Callable[..., bool]


async def loaded(pilot: Pilot[Any]) -> None:
    """Wait until the list, the totals and the detail have been read."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_main_screen_at_80x24(
    snap_compare: SnapCompare, book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    """The stacked layout: totals, list, detail, keys."""
    seed_book(today)
    app = make_app(Path(book.database), tmp_path / "config.toml", today)
    assert snap_compare(app, terminal_size=(80, 24), run_before=loaded)


def test_main_screen_at_200x60(
    snap_compare: SnapCompare, book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    """The side-by-side layout, on the second client so the detail shows a dispute."""
    seed_book(today)
    app = make_app(Path(book.database), tmp_path / "config.toml", today)

    async def second_client(pilot: Pilot[Any]) -> None:
        """Move to the second client."""
        await loaded(pilot)
        await pilot.press("j")
        await loaded(pilot)

    assert snap_compare(app, terminal_size=(200, 60), run_before=second_client)


def test_detail_open_at_80x24(
    snap_compare: SnapCompare, book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    """Enter in the narrow layout gives the client's detail the whole body."""
    seed_book(today)
    app = make_app(Path(book.database), tmp_path / "config.toml", today)

    async def open_client(pilot: Pilot[Any]) -> None:
        """Open the top client."""
        await loaded(pilot)
        await pilot.press("enter")
        await loaded(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_client)
