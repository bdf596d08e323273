"""What a key sets off, and in what order: the list first, then what can wait."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual import events
from textual.widgets import Static

from relance.store.errors import DatabaseLocked
from relance.store.triage import triage_window
from relance.tui import list_reads, main_screen
from relance.tui.app import RelanceApp
from relance.tui.client_detail import ClientDetailPane
from relance.tui.client_table import ClientTable
from relance.tui.list_reads import ListRequest, ListWindow
from relance.tui.main_screen import MainScreen
from relance.tui.modals import base
from relance.tui.modals.base import ActionModal
from tui_fixtures import make_app, run_async, seed_book, settle

SIZE = (80, 24)


@pytest.fixture
def seeded(book: SqliteDatabase, today: date) -> dict[str, int]:
    """The eight-client book of the main-screen tests."""
    return seed_book(today)


@pytest.fixture
def app(book: SqliteDatabase, tmp_path: Path, today: date) -> RelanceApp:
    """The real app over the seeded book."""
    return make_app(Path(book.database), tmp_path / "config" / "config.toml", today)


class Reads:
    """Every list read from now on, with the thread it ran on; the saves' threads too."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail_after_save: bool = False) -> None:
        self.by_screen: list[tuple[ListRequest, int]] = []
        self.after_save: list[tuple[ListRequest, int]] = []
        self.save_threads: list[int] = []
        real_fetch = list_reads.fetch_list
        real_save_then = base._save_then

        def screen_fetch(request: ListRequest) -> ListWindow:
            self.by_screen.append((request, threading.get_ident()))
            return real_fetch(request)

        def after_save_fetch(request: ListRequest) -> ListWindow:
            self.after_save.append((request, threading.get_ident()))
            if fail_after_save:
                raise DatabaseLocked("the database is busy in another program")
            return real_fetch(request)

        def save_then(call: base.SaveCall, after: base.AfterSave | None) -> Any:
            self.save_threads.append(threading.get_ident())
            return real_save_then(call, after)

        monkeypatch.setattr(main_screen, "fetch_list", screen_fetch)
        monkeypatch.setattr(list_reads, "fetch_list", after_save_fetch)
        monkeypatch.setattr(base, "_save_then", save_then)


def on_close(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bool, int | None]]:
    """Whether a list read was still pending, and who was highlighted, as each form closed."""
    seen: list[tuple[bool, int | None]] = []
    real_after_action = MainScreen._after_action

    def after_action(screen: MainScreen, *args: Any, **kwargs: Any) -> None:
        real_after_action(screen, *args, **kwargs)
        current = screen.current
        seen.append((screen._list_pending, current.client_id if current else None))

    monkeypatch.setattr(MainScreen, "_after_action", after_action)
    return seen


async def highlight(pilot: Any, app: RelanceApp, client_id: int) -> None:
    """Move the cursor down the list to a client."""
    for _ in range(20):
        await settle(pilot)
        current = app.screen.query_one(ClientTable).current
        if current is not None and current.client_id == client_id:
            return
        await pilot.press("j")
    raise AssertionError(f"client {client_id} not reached with j")


async def pay_100(pilot: Any, app: RelanceApp) -> None:
    """Record a payment of 100 from the highlighted client through its form."""
    await pilot.press("$")
    await settle(pilot)
    assert isinstance(app.screen, ActionModal)
    await pilot.press(*"100", "ctrl+s")
    await settle(pilot)


@run_async
async def test_a_form_closes_onto_the_list_read_by_its_save(
    app: RelanceApp, seeded: dict[str, int], today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save's worker reads the changed list: the form closes onto it, with no second read."""
    martin = seeded["martin"]
    async with app.run_test(size=SIZE) as pilot:
        await highlight(pilot, app, martin)
        reads = Reads(monkeypatch)
        closed = on_close(monkeypatch)
        await pay_100(pilot, app)
        assert isinstance(app.screen, MainScreen)
        # Already shown in the frame that closed the form: nothing left to read, cursor kept.
        assert closed == [(False, martin)]
        assert [request.select_client for request, _ in reads.after_save] == [martin]
        assert [thread for _, thread in reads.after_save] == reads.save_threads
        assert reads.by_screen == []
        rows = app.screen.query_one(ClientTable).triage_rows
        assert rows == triage_window(today, limit=len(rows))
        paid_down = next(row for row in rows if row.client_id == martin)
        assert paid_down.outstanding == 143_000 - 10_000


@run_async
async def test_a_read_after_the_save_that_fails_is_made_again_by_the_screen(
    app: RelanceApp, seeded: dict[str, int], today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save is done whatever the read after it met: no failure shown, the list read afresh."""
    martin = seeded["martin"]
    async with app.run_test(size=SIZE) as pilot:
        await highlight(pilot, app, martin)
        reads = Reads(monkeypatch, fail_after_save=True)
        await pay_100(pilot, app)
        assert isinstance(app.screen, MainScreen)
        assert len(reads.after_save) == 1
        assert [request.select_client for request, _ in reads.by_screen] == [martin]
        assert [note.severity for note in app._notifications] == ["information"]
        rows = app.screen.query_one(ClientTable).triage_rows
        assert rows == triage_window(today, limit=len(rows))


def slow_saves(monkeypatch: pytest.MonkeyPatch, seconds: float) -> list[float]:
    """Make every save take at least ``seconds``; return when each began."""
    began: list[float] = []
    real_save_then = base._save_then

    def save_then(call: base.SaveCall, after: base.AfterSave | None) -> Any:
        began.append(time.monotonic())
        time.sleep(seconds)
        return real_save_then(call, after)

    monkeypatch.setattr(base, "_save_then", save_then)
    return began


def hints(modal: ActionModal) -> str:
    """The form's bottom line as shown."""
    return str(modal.query_one("#hints", Static).render())


@run_async
async def test_a_slow_save_says_saving_and_refuses_a_second_one(
    app: RelanceApp, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past a moment the hints say "saving…"; ctrl+s meanwhile does not save twice."""
    began = slow_saves(monkeypatch, 0.6)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ActionModal)
        assert "ctrl+s" in hints(modal)
        await pilot.press("ctrl+s")
        await pilot.pause(base.SAVING_SHOWN_AFTER_SECONDS + 0.15)
        assert app.screen is modal
        assert hints(modal) == "saving…"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert len(began) == 1


@run_async
async def test_a_quick_save_closes_without_saying_saving(
    app: RelanceApp, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save quicker than the delay never repaints the form with "saving…"."""
    shown: list[bool] = []
    real_show = ActionModal._show_saving

    def show_saving(modal: ActionModal, on: bool) -> None:
        shown.append(on)
        real_show(modal, on)

    monkeypatch.setattr(ActionModal, "_show_saving", show_saving)
    slow_saves(monkeypatch, 0.0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.pause(base.SAVING_SHOWN_AFTER_SECONDS + 0.1)
        assert isinstance(app.screen, MainScreen)
    assert True not in shown


def queue_keys(app: RelanceApp, keys: str) -> None:
    """Put keys in the app's queue all at once, as a paste or `tmux send-keys` does."""
    driver = app._driver
    assert driver is not None
    for char in keys:
        event = events.Key("slash" if char == "/" else char, char)
        event.set_sender(app)
        driver.send_message(event)


@run_async
async def test_a_name_typed_all_at_once_is_read_once(
    app: RelanceApp, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys already queued are all in the filter before its read starts: one read, not two."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reads = Reads(monkeypatch)
        queue_keys(app, "/studio")
        await settle(pilot)
        assert [request.where.text for request, _ in reads.by_screen] == ["studio"]
        rows = app.screen.query_one(ClientTable).triage_rows
        assert [row.name for row in rows] == ["Studio Lumière"]


@run_async
async def test_the_detail_is_read_after_the_narrowed_list_is_painted(
    app: RelanceApp, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A filter that highlights another client paints the list before reading that detail."""
    events_seen: list[str] = []
    real_render_lines = ClientTable.render_lines
    real_load_detail = MainScreen._load_detail

    def render_lines(table: ClientTable, crop: Any) -> Any:
        names = [row.name for row in table.triage_rows]
        if names == ["Studio Lumière"] and "list painted" not in events_seen:
            events_seen.append("list painted")
        return real_render_lines(table, crop)

    def load_detail(screen: MainScreen, client_id: int, *args: Any) -> Any:
        if client_id == seeded["lumiere"]:
            events_seen.append("detail read")
        return real_load_detail(screen, client_id, *args)

    monkeypatch.setattr(ClientTable, "render_lines", render_lines)
    monkeypatch.setattr(MainScreen, "_load_detail", load_detail)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        queue_keys(app, "/studio")
        await settle(pilot)
        assert events_seen[:2] == ["list painted", "detail read"]
        pane = app.screen.query_one(ClientDetailPane)
        assert pane.client_id == seeded["lumiere"]
