"""Start-up: the list read before the app loads, the first frame's columns, the collector."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from relance import collector
from relance.store.errors import DatabaseLocked
from relance.store.triage import book_totals, triage_window
from relance.tui import list_reads, main_screen
from relance.tui.client_table import ClientTable, layout_for_width
from relance.tui.list_reads import FirstRead
from relance.tui.main_screen import list_width
from relance.tui.totals_bar import TotalsBar
from tui_fixtures import make_app, run_async, seed_book, settle


@pytest.fixture
def db_path(book: SqliteDatabase, today: date) -> Path:
    """The eight-client book's file."""
    seed_book(today)
    return Path(book.database)


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    """A config file path under the test's folder (not created until saved)."""
    return tmp_path / "config" / "config.toml"


@pytest.fixture
def list_reads_counted(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every list read the screen's workers make, recorded."""
    reads: list[object] = []
    real_fetch = main_screen.fetch_list

    def counted(request: list_reads.ListRequest) -> list_reads.ListWindow:
        reads.append(request)
        return real_fetch(request)

    monkeypatch.setattr(main_screen, "fetch_list", counted)
    return reads


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Leave the collector as the test found it: enabled, nothing frozen."""
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


@run_async
async def test_the_list_read_before_the_app_is_shown_without_reading_again(
    db_path: Path, config_path: Path, today: date, list_reads_counted: list[object]
) -> None:
    first = FirstRead(db_path, today).start()
    app = make_app(db_path, config_path, today, first_read=first)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(ClientTable)
        # Already there when the screen mounts: no loading indicator, no worker's read.
        assert not table.loading
        assert [row.name for row in table.triage_rows] == [
            row.name for row in triage_window(today, limit=100)
        ]
        await settle(pilot)
        assert list_reads_counted == []
        assert app.screen.query_one(TotalsBar).totals == book_totals(today)


@run_async
async def test_a_first_read_still_running_is_awaited(
    db_path: Path, config_path: Path, today: date, list_reads_counted: list[object]
) -> None:
    first = FirstRead(db_path, today)  # not started: its results arrive after the mount
    app = make_app(db_path, config_path, today, first_read=first)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(ClientTable)
        assert table.loading
        assert table.triage_rows == []
        first.start()
        await settle(pilot)
        assert not table.loading
        assert [row.name for row in table.triage_rows] == [
            row.name for row in triage_window(today, limit=100)
        ]
        assert list_reads_counted == []


@run_async
async def test_a_first_read_that_failed_is_reported_in_one_line(
    db_path: Path, config_path: Path, today: date
) -> None:
    first = FirstRead(db_path, today)
    busy = "the database is busy in another program; try again in a moment"
    first.window.set_exception(DatabaseLocked(busy))
    app = make_app(db_path, config_path, today, first_read=first)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert [note.message for note in app._notifications] == [busy]
        assert not app.screen.query_one(ClientTable).loading


@pytest.mark.parametrize("width", [80, 100, 139, 140, 200, 231, 260])
@run_async
async def test_the_first_frame_has_the_columns_of_the_laid_out_list(
    width: int, db_path: Path, config_path: Path, today: date
) -> None:
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(ClientTable)
        laid_out = table.scrollable_content_region.width
        # The width guessed before any layout is the one the list gets: no second build.
        assert list_width(width) == laid_out
        assert table.columns_layout == layout_for_width(laid_out)


def test_the_app_turns_the_collector_back_on_once_the_list_is_painted(
    db_path: Path, config_path: Path, today: date, collector_restored: None
) -> None:
    @run_async
    async def open_the_app() -> None:
        app = make_app(db_path, config_path, today)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0, "what start-up built is set aside"

    gc.disable()  # as the executable does before loading anything
    open_the_app()


def test_release_leaves_a_running_collector_alone(collector_restored: None) -> None:
    collector.release()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
