"""The letter form in the app: `l` opens it, `r` opens it at a letter step, ctrl+s writes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from peewee import SqliteDatabase
from textual.widgets import Input, Label, Static

from letter_fixtures import CREDITOR, french_client, reach_letter_step
from relance.config import Config
from relance.paths import letters_path
from relance.store.models import Client, ContactEvent
from relance.tui.app import RelanceApp
from relance.tui.main_screen import MainScreen
from relance.tui.modals.choice import Choice
from relance.tui.modals.letter import LetterModal
from relance.tui.modals.reminder import ReminderModal
from tui_fixtures import run_async, settle

SIZE = (80, 24)


def letters_app(db_path: Path, tmp_path: Path, today: date) -> RelanceApp:
    """The app over a book, with the creditor set in its config."""
    config = Config(path=tmp_path / "config.toml", creditor=CREDITOR)
    return RelanceApp(db_path, config, today, tmp_path / "outbox", theme_dirs=[])


def events(client_id: int) -> list[ContactEvent]:
    """The client's history, oldest first."""
    query = ContactEvent.select().where(ContactEvent.client == client_id)
    return list(query.order_by(ContactEvent.id))


@run_async
async def test_r_at_the_letter_step_writes_the_formal_notice(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id = french_client()
    reach_letter_step(client_id)
    db_path = Path(book.database)
    app = letters_app(db_path, tmp_path, today)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.current is not None
        assert screen.current.next_action == "formal notice"
        await pilot.press("r")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, LetterModal)
        assert modal.value_of("kind") == "formal-notice"
        preview = str(modal.query_one("#letter-preview", Static).render())
        assert "Mise en demeure de payer" in preview
        assert "pay by 2026-12-01 (8 days)" in preview
        assert "2026-11-23-client-1-formal-notice.pdf" in preview
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert screen.current is not None
        assert screen.current.next_action == "mediation"
    letter = events(client_id)[-1]
    assert (letter.kind, letter.outcome) == ("letter", "formal-notice")
    stored = letters_path(db_path) / "2026-11-23-client-1-formal-notice.pdf"
    assert stored.exists()
    assert f"file: {stored}" in letter.body
    assert Client.get_by_id(client_id).next_action == "mediation"


@run_async
async def test_l_records_the_posting_and_refuses_bad_input(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id = french_client()
    db_path = Path(book.database)
    app = letters_app(db_path, tmp_path, today)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, LetterModal)
        # No letter yet: a proof of posting has nothing to refer to, ctrl+s does nothing.
        modal.query_one("#field-kind", Choice).value = "posted"
        await settle(pilot)
        assert "No letter recorded yet" in str(modal.query_one("#letter-preview", Static).render())
        count = len(events(client_id))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        assert len(events(client_id)) == count
        # The statement first: a note, written where the preview said.
        modal.query_one("#field-kind", Choice).value = "statement"
        await settle(pilot)
        assert "balance 5 000,00 €" in str(modal.query_one("#letter-preview", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert events(client_id)[-1].outcome == "statement"
        # Then the formal letter and its posting.
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        letter = events(client_id)[-1]
        assert letter.kind == "letter"
        await pilot.press("l")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, LetterModal)
        choice = modal.query_one("#field-kind", Choice)
        choice.focus()
        await pilot.press("right", "right")
        await settle(pilot)
        assert modal.value_of("kind") == "posted"
        number = modal.query_one("#field-number", Input)
        assert not number.disabled
        assert "For the letter of 2026-11-23" in str(
            modal.query_one("#letter-preview", Static).render()
        )
        # A date in the future is refused under its field; nothing is written.
        number.focus()
        await pilot.press(*"RR 123")
        modal.query_one("#field-on", Input).value = "2026-12-25"
        count = len(events(client_id))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        error = modal.query_one("#error-on", Label)
        assert "future" in str(error.render())
        assert len(events(client_id)) == count
        modal.query_one("#field-on", Input).value = "2026-11-23"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    posted = events(client_id)[-1]
    assert (posted.kind, posted.outcome) == ("note", "letter-posted")
    assert f"letter: event {letter.id}" in posted.body
    assert "registered mail number: RR 123" in posted.body


@run_async
async def test_r_before_the_letter_step_opens_the_reminder(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    french_client()
    app = letters_app(Path(book.database), tmp_path, today)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.current is not None
        assert screen.current.next_action != "formal notice"
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReminderModal)
