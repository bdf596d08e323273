"""Every key action through the real app: press the key, fill the form, ctrl+s, read the book."""

from __future__ import annotations

import email
from datetime import date, timedelta
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.pilot import Pilot
from textual.widgets import Input, Static

from relance.delivery.outbox import Outbox
from relance.store.detail import ClientDetail, client_detail
from relance.store.lookup import find_client_id, search_clients
from relance.tui.app import RelanceApp
from relance.tui.client_table import ClientTable
from relance.tui.main_screen import MainScreen
from relance.tui.modals.base import ActionModal
from relance.tui.modals.payment import PaymentModal
from relance.tui.modals.plan import PREVIEW_DELAY_SECONDS
from tui_fixtures import make_app, run_async, seed_book, settle

SIZE = (80, 24)


@pytest.fixture
def seeded(book: SqliteDatabase, today: date) -> dict[str, int]:
    """The eight-client book of the main-screen tests."""
    return seed_book(today)


@pytest.fixture
def db_path(book: SqliteDatabase) -> Path:
    """The book's file."""
    return Path(book.database)


@pytest.fixture
def app(db_path: Path, tmp_path: Path, today: date) -> RelanceApp:
    """The real app over the seeded book."""
    return make_app(db_path, tmp_path / "config" / "config.toml", today)


def main_screen(app: RelanceApp) -> MainScreen:
    """The main screen, which must be the active one."""
    screen = app.screen
    assert isinstance(screen, MainScreen), f"expected the main screen, found {screen!r}"
    return screen


def current_id(app: RelanceApp) -> int:
    """The id of the highlighted client."""
    row = main_screen(app).current
    assert row is not None
    return row.client_id


def row_index(app: RelanceApp, client_id: int) -> int:
    """Where a client sits in the list."""
    index = main_screen(app).query_one(ClientTable).index_of(client_id)
    assert index is not None
    return index


async def highlight(pilot: Pilot[Any], client_id: int) -> None:
    """Move the cursor down the list (j) to a client."""
    app = pilot.app
    assert isinstance(app, RelanceApp)
    await settle(pilot)
    for _ in range(20):
        if current_id(app) == client_id:
            return
        await pilot.press("j")
        await settle(pilot)
    raise AssertionError(f"client {client_id} not reached with j")


async def open_form(pilot: Pilot[Any], key: str) -> ActionModal:
    """Press an action key and wait for its form to be ready."""
    await pilot.press(key)
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, ActionModal), f"{key!r} opened {modal!r}"
    return modal


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type text key by key."""
    await pilot.press(*["enter" if char == "\n" else char for char in text])


async def save(pilot: Pilot[Any]) -> None:
    """Press ctrl+s and wait for the save and the list's reload."""
    await pilot.press("ctrl+s")
    await settle(pilot)


def detail(client_id: int, today: date) -> ClientDetail:
    """The client as the database has it now."""
    return client_detail(client_id, today)


@run_async
async def test_c_logs_a_call_and_keeps_the_cursor(
    app: RelanceApp, seeded: dict[str, int], today: date
) -> None:
    """``c`` then ``ctrl+s`` logs an unanswered call for the highlighted client."""
    martin = seeded["martin"]
    calls_before = [e for e in detail(martin, today).history if e.kind == "call"]
    async with app.run_test(size=SIZE) as pilot:
        await highlight(pilot, martin)
        await open_form(pilot, "c")
        await save(pilot)
        assert current_id(app) == martin
    calls = [e for e in detail(martin, today).history if e.kind == "call"]
    assert len(calls) == len(calls_before) + 1
    assert calls[0].outcome == "no-answer"


@run_async
async def test_c_with_a_digit_logs_a_promise(
    app: RelanceApp, seeded: dict[str, int], today: date
) -> None:
    """``c 3`` then amount and date: the promise is recorded."""
    leaf = seeded["leaf"]
    async with app.run_test(size=SIZE) as pilot:
        await highlight(pilot, leaf)
        await open_form(pilot, "c")
        await pilot.press("3")
        await type_text(pilot, "1100")
        await pilot.press("tab")
        await type_text(pilot, "+4")
        await save(pilot)
        assert current_id(app) == leaf
    client = detail(leaf, today)
    assert client.history[0].outcome == "promised"
    [promise] = client.promises
    assert (promise.amount, promise.due_on) == (110000, today + timedelta(days=4))


@run_async
async def test_r_sends_the_reminder_shown(
    app: RelanceApp, seeded: dict[str, int], today: date, db_path: Path
) -> None:
    """``r`` shows the drafted reminder; ``ctrl+s`` logs it and writes it to the outbox."""
    dupont = seeded["dupont"]
    async with app.run_test(size=SIZE) as pilot:
        await highlight(pilot, dupont)
        modal = await open_form(pilot, "r")
        subject = modal.query_one("#field-subject", Input).value
        assert "F-2026-031" in modal.value_of("body")
        await save(pilot)
        # No [smtp]: the app asks whether the user sent it; n leaves it uncounted.
        assert type(app.screen).__name__ == "AskModal"
        await pilot.press("n")
        await settle(pilot)
        assert current_id(app) == dupont
    event = detail(dupont, today).history[0]
    assert event.kind == "email"
    assert event.body.startswith(f"Subject: {subject}\n")
    [entry] = Outbox(app.outbox).entries()
    message = email.message_from_bytes(entry.path.read_bytes(), policy=default_policy)
    assert message["Subject"] == subject
    assert message["To"] == "compta@dupont.example"


@run_async
async def test_p_proposes_the_plan_previewed(
    app: RelanceApp, seeded: dict[str, int], today: date
) -> None:
    """``p``, 4 instalments: the preview and the saved plan agree."""
    leaf = seeded["leaf"]
    async with app.run_test(size=SIZE) as pilot:
        await highlight(pilot, leaf)
        modal = await open_form(pilot, "p")
        await type_text(pilot, "4")
        await settle(pilot, PREVIEW_DELAY_SECONDS + 0.2)
        preview = modal.query_one("#preview-body", Static)
        assert preview.has_class("-refused") is False
        await save(pilot)
        # The proposal is offered for sending at once; escape declines the offer.
        assert type(app.screen).__name__ == "ReminderModal"
        await pilot.press("escape")
        await settle(pilot)
        assert current_id(app) == leaf
        assert main_screen(app).current is not None
        assert main_screen(app).current.has_plan  # type: ignore[union-attr]
    [plan] = detail(leaf, today).plans
    assert plan.total == 110000
    assert [i.amount for i in plan.instalments] == [27500, 27500, 27500, 27500]


@run_async
async def test_dollar_records_a_payment_and_the_cursor_follows_the_client(
    app: RelanceApp, seeded: dict[str, int], today: date
) -> None:
    """Paying Dupont in full moves it down the list; the cursor moves with it."""
    dupont = seeded["dupont"]
    async with app.run_test(size=SIZE) as pilot:
        await highlight(pilot, dupont)
        assert row_index(app, dupont) == 0
        await open_form(pilot, "$")
        await type_text(pilot, "3600.00")
        await pilot.press("tab", "tab")
        await type_text(pilot, "transfer")
        await save(pilot)
        # It settles the invoice: the thank-you is offered; n sends nothing.
        assert type(app.screen).__name__ == "AskModal"
        await pilot.press("n")
        await settle(pilot)
        assert current_id(app) == dupont
        assert row_index(app, dupont) > 0
        assert main_screen(app).query_one(ClientTable).cursor_row == row_index(app, dupont)
    client = detail(dupont, today)
    assert client.outstanding == 0
    assert client.payments[0].amount == 360000
    assert client.payments[0].method == "transfer"


@run_async
async def test_n_adds_a_note(app: RelanceApp, seeded: dict[str, int], today: date) -> None:
    """``n``, some text, ``ctrl+s``: the note is in the history."""
    northwind = seeded["northwind"]
    async with app.run_test(size=SIZE) as pilot:
        await highlight(pilot, northwind)
        await open_form(pilot, "n")
        await type_text(pilot, "Asked for the delivery report [v2]")
        await save(pilot)
        assert current_id(app) == northwind
    event = detail(northwind, today).history[0]
    assert (event.kind, event.summary) == ("note", "Asked for the delivery report [v2]")


@run_async
async def test_z_snoozes_for_a_week(app: RelanceApp, seeded: dict[str, int], today: date) -> None:
    """``z`` then ``ctrl+s``: snoozed for the default week."""
    leaf = seeded["leaf"]
    async with app.run_test(size=SIZE) as pilot:
        await highlight(pilot, leaf)
        await open_form(pilot, "z")
        await save(pilot)
        assert current_id(app) == leaf
    assert detail(leaf, today).snoozed_until == today + timedelta(days=7)


@run_async
async def test_d_opens_and_resolves_disputes(
    app: RelanceApp, seeded: dict[str, int], today: date
) -> None:
    """``d`` opens a dispute on Dupont and resolves Northwind's."""
    dupont, northwind = seeded["dupont"], seeded["northwind"]
    async with app.run_test(size=SIZE) as pilot:
        await highlight(pilot, dupont)
        modal = await open_form(pilot, "d")
        assert modal.value_of("note") == ""
        await type_text(pilot, "contests the hours")
        await save(pilot)
        assert current_id(app) == dupont
        await highlight(pilot, northwind)
        modal = await open_form(pilot, "d")
        assert "Resolve" in modal.title_text().plain
        await save(pilot)
        assert current_id(app) == northwind
    assert detail(dupont, today).disputed
    assert detail(dupont, today).history[0].summary == "dispute opened: contests the hours"
    resolved = detail(northwind, today)
    assert not resolved.disputed
    # Back on the ladder, the next step due from the resolution (today), not from the past.
    assert resolved.next_action not in ("", "resolve dispute")
    assert resolved.next_action_on == today
    assert resolved.next_action_reason.endswith("; due today")


@run_async
async def test_a_adds_a_client_and_highlights_it(app: RelanceApp, seeded: dict[str, int]) -> None:
    """``a``, a name, ``ctrl+s``: the client exists and is under the cursor."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_form(pilot, "a")
        await type_text(pilot, "Nouvelle Vague SAS")
        await pilot.press("tab", "tab", "right", "tab")
        await type_text(pilot, "Léa")
        await save(pilot)
        new_id = find_client_id("Nouvelle Vague SAS")
        assert current_id(app) == new_id
    assert new_id not in seeded.values()


@run_async
async def test_i_adds_an_invoice_and_the_cursor_follows_the_client(
    app: RelanceApp, seeded: dict[str, int], today: date
) -> None:
    """An overdue invoice moves Claire Moreau up the list; the cursor stays on her."""
    moreau = seeded["moreau"]
    async with app.run_test(size=SIZE) as pilot:
        await highlight(pilot, moreau)
        before = row_index(app, moreau)
        await open_form(pilot, "i")
        await type_text(pilot, "F-2026-090")
        await pilot.press("tab")
        await type_text(pilot, "250.00")
        await pilot.press("tab", "tab")
        await type_text(pilot, "-200")
        await pilot.press("tab")
        await type_text(pilot, "-170")
        await save(pilot)
        assert current_id(app) == moreau
        assert row_index(app, moreau) < before
    invoice = next(inv for inv in detail(moreau, today).invoices if inv.number == "F-2026-090")
    assert invoice.amount == 25000
    assert invoice.issued_on == today - timedelta(days=200)
    assert invoice.due_on == today - timedelta(days=170)


@pytest.mark.parametrize("key", ["c", "r", "p", "$", "n", "z", "d", "i", "a"])
@run_async
async def test_escape_writes_nothing(
    app: RelanceApp, seeded: dict[str, int], today: date, db_path: Path, key: str
) -> None:
    """Open any form, type in it, escape: the book is unchanged and the cursor has not moved."""
    leaf = seeded["leaf"]
    before = [detail(client_id, today) for client_id in seeded.values()]
    async with app.run_test(size=SIZE) as pilot:
        await highlight(pilot, leaf)
        await open_form(pilot, key)
        await type_text(pilot, "7")
        await pilot.press("escape")
        await settle(pilot)
        assert current_id(app) == leaf
    assert [detail(client_id, today) for client_id in seeded.values()] == before
    assert len(search_clients("", 100)) == len(seeded)
    assert not (db_path.parent / "outbox").exists()


@run_async
async def test_invalid_input_keeps_the_form_open(
    app: RelanceApp, seeded: dict[str, int], today: date
) -> None:
    """A bad amount is shown under its field; the form stays open and nothing is written."""
    dupont = seeded["dupont"]
    before = detail(dupont, today)
    async with app.run_test(size=SIZE) as pilot:
        await highlight(pilot, dupont)
        modal = await open_form(pilot, "$")
        await type_text(pilot, "12,50")
        await save(pilot)
        assert app.screen is modal
        assert isinstance(modal, PaymentModal)
        error = modal.query_one("#error-amount", Static)
        assert error.display
        assert "12,50" in str(error.content)
        await pilot.press("escape")
        await settle(pilot)
        assert current_id(app) == dupont
    assert detail(dupont, today) == before
