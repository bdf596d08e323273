"""Pilot tests: the questions after an action (did you send it? thank the client?)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.pilot import Pilot

from relance.config import Config, Creditor, MessageSettings, SmtpSettings
from relance.delivery.outbox import Outbox
from relance.store.detail import client_detail
from relance.store.models import Client, ContactEvent
from relance.tui.app import RelanceApp
from relance.tui.main_screen import MainScreen
from relance.tui.modals.ask import AskModal
from smtp_server import smtp_server
from tui_fixtures import run_async, screen_text, seed_book, settle

SIZE = (80, 24)
CREDITOR = Creditor(name="Camille Martin", email="camille@example.fr")


@pytest.fixture
def seeded(book: SqliteDatabase, today: date) -> dict[str, int]:
    """The eight-client book of the main-screen tests."""
    return seed_book(today)


def app_with(
    book: SqliteDatabase,
    tmp_path: Path,
    today: date,
    smtp: SmtpSettings | None = None,
    messages: MessageSettings | None = None,
) -> RelanceApp:
    """The real app over the seeded book with this config."""
    db_path = Path(book.database)
    config = Config(
        path=tmp_path / "config" / "config.toml",
        creditor=CREDITOR,
        smtp=smtp,
        messages=messages or MessageSettings(),
    )
    return RelanceApp(db_path, config, today, db_path.parent / "outbox")


async def highlight(pilot: Pilot[Any], app: RelanceApp, client_id: int) -> None:
    """Move the cursor down the list (j) to a client."""
    await settle(pilot)
    for _ in range(20):
        screen = app.screen
        assert isinstance(screen, MainScreen)
        if screen.current is not None and screen.current.client_id == client_id:
            return
        await pilot.press("j")
        await settle(pilot)
    raise AssertionError(f"client {client_id} not reached")


def standing(client_id: int) -> tuple[str, int]:
    """The client's next action and step."""
    client = Client.get_by_id(client_id)
    return client.next_action, client.ladder_step


@run_async
async def test_r_without_smtp_asks_whether_it_was_sent(
    book: SqliteDatabase, seeded: dict[str, int], tmp_path: Path, today: date
) -> None:
    """``r``, ``ctrl+s``: written for the user to send; ``y`` makes it count, from today."""
    dupont = seeded["dupont"]
    app = app_with(book, tmp_path, today)
    before = standing(dupont)
    async with app.run_test(size=SIZE) as pilot:
        await highlight(pilot, app, dupont)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AskModal)
        text = screen_text(app)
        assert "Did you send it?" in text and "y yes" in text
        # Written, not yet counted: the ladder has not moved and the row is marked.
        assert standing(dupont) == before
        assert client_detail(dupont, today).undelivered is not None
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert standing(dupont) != before
    assert standing(dupont)[1] == before[1] + 1
    assert client_detail(dupont, today).undelivered is None
    [entry] = Outbox(app.outbox).entries()
    assert entry.state == "sent"
    [news] = ContactEvent.select().where(ContactEvent.kind == "outbox")
    assert (news.outcome, news.summary) == ("sent", "reminder sent by hand, confirmed by the user")


@run_async
async def test_a_settling_payment_offers_the_thank_you(
    book: SqliteDatabase, seeded: dict[str, int], tmp_path: Path, today: date
) -> None:
    """``$`` paying the invoice off asks to thank the client; ``y`` sends it through [smtp]."""
    dupont = seeded["dupont"]
    with smtp_server() as server:
        smtp = SmtpSettings(host="127.0.0.1", port=server.port, security="none")
        app = app_with(book, tmp_path, today, smtp)
        async with app.run_test(size=SIZE) as pilot:
            await highlight(pilot, app, dupont)
            await pilot.press("$")
            await settle(pilot)
            await pilot.press(*"3600.00")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, AskModal)
            text = screen_text(app)
            assert "The payment settles F-2026-031" in text
            assert "Send the thank-you message now?" in text
            await pilot.press("y")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
        [received] = server.received
    assert received.message["Subject"] == "Merci pour votre règlement"
    assert received.rcpt_tos == ["compta@dupont.example"]
    body = received.message.get_content()
    assert "3 600,00" in body and "Votre compte est à jour." in body
    # Logged under kinds of its own: never a step of the ladder, never a reminder of the day.
    kinds = [e.kind for e in client_detail(dupont, today).history[:3]]
    assert kinds == ["message-outbox", "message", "payment"]


@run_async
async def test_thank_you_always_sends_and_never_does_not_ask(
    book: SqliteDatabase, seeded: dict[str, int], tmp_path: Path, today: date
) -> None:
    """``thank_you = "always"`` sends at once with no question; "never" neither asks nor sends."""
    dupont, leaf = seeded["dupont"], seeded["leaf"]
    with smtp_server() as server:
        smtp = SmtpSettings(host="127.0.0.1", port=server.port, security="none")
        app = app_with(book, tmp_path, today, smtp, MessageSettings("always"))
        async with app.run_test(size=SIZE) as pilot:
            await highlight(pilot, app, dupont)
            await pilot.press("$")
            await settle(pilot)
            await pilot.press(*"3600.00")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
        assert [r.rcpt_tos for r in server.received] == [["compta@dupont.example"]]
        never = app_with(book, tmp_path, today, smtp, MessageSettings("never"))
        owed = client_detail(leaf, today).outstanding
        async with never.run_test(size=SIZE) as pilot:
            await highlight(pilot, never, leaf)
            await pilot.press("$")
            await settle(pilot)
            await pilot.press(*f"{owed // 100}.{owed % 100:02d}")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(never.screen, MainScreen)
        assert client_detail(leaf, today).outstanding == 0
        assert len(server.received) == 1
