"""Moving through the list: details read ahead, the footer left alone, ready to write."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from rich.console import Console
from rich.text import Text
from textual.pilot import Pilot

from relance.domain import working_days
from relance.services import claims
from relance.services.payments import record_payment
from relance.tui import main_screen
from relance.tui.client_detail import (
    NUMBER_MAX_WIDTH,
    ClientDetailPane,
    FittedColumn,
    fitted_table,
)
from relance.tui.client_table import ClientTable
from relance.tui.look import CellStyles
from relance.tui.main_screen import MainScreen
from tui_fixtures import make_app, moment, run_async, seed_book, settle


@pytest.fixture
def seeded(book: SqliteDatabase, today: date) -> dict[str, int]:
    """The eight-client book."""
    return seed_book(today)


@pytest.fixture
def db_path(book: SqliteDatabase) -> Path:
    """The book's file."""
    return Path(book.database)


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    """A config file path under the test's folder (not created until saved)."""
    return tmp_path / "config" / "config.toml"


@pytest.fixture
def detail_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The clients whose detail the screen read, in order."""
    reads: list[int] = []
    real = claims.detail_with_claim

    def counted(client_id: int, on: date, **options: Any) -> Any:
        reads.append(client_id)
        return real(client_id, on, **options)

    # The screen imports it from the service at every read.
    monkeypatch.setattr(claims, "detail_with_claim", counted)
    return reads


async def settle_moves(pilot: Pilot[Any]) -> None:
    """Let every worker and timer of a move finish (the read-ahead waits for a rest)."""
    for _ in range(2):
        await settle(pilot, main_screen.READ_AHEAD_AFTER_SECONDS * 2)


def table_of(pilot: Pilot[Any]) -> ClientTable:
    """The client list."""
    return pilot.app.screen.query_one(ClientTable)


def shown_client(pilot: Pilot[Any]) -> int | None:
    """The client whose detail the pane shows."""
    return pilot.app.screen.query_one(ClientDetailPane).client_id


@run_async
async def test_the_next_client_is_read_ahead_and_shown_with_the_move(
    seeded: dict[str, int],
    db_path: Path,
    config_path: Path,
    today: date,
    detail_reads: list[int],
) -> None:
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_moves(pilot)
        rows = table_of(pilot).triage_rows
        # The first client, then its neighbour below, read once the cursor rested.
        assert detail_reads == [rows[0].client_id, rows[1].client_id]
        await pilot.press("j")
        # Shown in the frame of the move itself: no "Loading…", no read for it.
        assert shown_client(pilot) == rows[1].client_id
        await settle_moves(pilot)
        assert detail_reads == [rows[0].client_id, rows[1].client_id, rows[2].client_id]
        await pilot.press("k")
        assert shown_client(pilot) == rows[0].client_id
        await settle_moves(pilot)
        assert detail_reads.count(rows[0].client_id) == 1


@run_async
async def test_details_read_before_a_change_are_read_again(
    seeded: dict[str, int],
    db_path: Path,
    config_path: Path,
    today: date,
    detail_reads: list[int],
) -> None:
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_moves(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        second = table_of(pilot).triage_rows[1]
        assert second.client_id in detail_reads, "read ahead before the change"
        detail_reads.clear()
        # Another program records a payment for the neighbour read ahead; the watch reloads.
        record_payment(second.client_id, "10.00", moment(today, 0))
        screen._reload_keeping_cursor()
        await settle_moves(pilot)
        assert second.client_id in detail_reads, "the kept detail was dropped with the reload"
        await pilot.press("j")
        detail = screen.query_one(ClientDetailPane).detail
        assert detail is not None and any(p.amount == 1000 for p in detail.payments)


@run_async
async def test_moving_between_clients_leaves_the_footer_alone(
    seeded: dict[str, int],
    db_path: Path,
    config_path: Path,
    today: date,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refreshes: list[bool] = []
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_moves(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        real: Callable[[], None] = screen.refresh_bindings

        def counted() -> None:
            refreshes.append(screen.current is not None)
            real()

        monkeypatch.setattr(screen, "refresh_bindings", counted)
        await pilot.press("j", "j", "k")
        await settle_moves(pilot)
        assert refreshes == [], "a move does not change which actions are available"
        # A filter matching nobody greys the client actions out, and clearing it brings them back.
        await pilot.press("slash", "z", "z", "z", "z")
        await settle_moves(pilot)
        assert False in refreshes
        await pilot.press("escape")
        await settle_moves(pilot)
        assert refreshes[-1] is True


@run_async
async def test_the_holidays_are_ready_before_the_first_save(
    seeded: dict[str, int], db_path: Path, config_path: Path, today: date
) -> None:
    working_days._public_holidays.cache_clear()
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_moves(pilot)
        assert working_days._public_holidays.cache_info().currsize == 1
        before = working_days._public_holidays.cache_info().hits
        assert not working_days.is_working_day(date(today.year, 12, 25), "FR")
        assert working_days._public_holidays.cache_info().hits == before + 1


def test_a_fitted_table_is_as_wide_as_its_widest_cells() -> None:
    styles = CellStyles.plain()
    rows = [
        (Text("F-1"), Text("€1,200.00")),
        (Text("F-" + "9" * 30), Text("€5.00")),
    ]
    table = fitted_table(
        [FittedColumn("Number", max_width=NUMBER_MAX_WIDTH), FittedColumn("Amount", "right")],
        rows,
        styles,
    )
    for row in rows:
        table.add_row(*row)
    assert [column.width for column in table.columns] == [NUMBER_MAX_WIDTH, len("€1,200.00")]
    console = Console(width=80, file=None, record=True, color_system=None)
    with console.capture() as captured:
        console.print(table)
    lines = captured.get().splitlines()
    amount_width = len("€1,200.00")
    assert lines[0] == "Number".ljust(NUMBER_MAX_WIDTH) + "  " + "Amount".rjust(amount_width)
    assert lines[2].startswith("F-" + "9" * (NUMBER_MAX_WIDTH - 3) + "…")
    assert lines[2].rstrip().endswith("  €5.00")
