"""The payer profile in the app: `b` sets it by hand; the detail shows it and the reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from peewee import SqliteDatabase
from textual.binding import Binding

from relance.store.models import Client, ContactEvent
from relance.tui.main_screen import MainScreen
from relance.tui.modals.profile import ProfileModal
from tui_fixtures import make_app, run_async, screen_text, seed_book, settle

SIZE = (120, 40)


@run_async
async def test_b_sets_the_profile_and_the_detail_shows_it(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    seed_book(today)
    app = make_app(Path(book.database), tmp_path / "config.toml", today)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        row = screen.current
        assert row is not None
        text = screen_text(app)
        assert row.next_action_reason.split(" — ")[1] in text
        assert "Payer: unknown — too little history" in text
        await pilot.press("b")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ProfileModal)
        # The choice starts on the option after the current profile: careless.
        assert modal.value_of("profile") == "careless"
        await pilot.press("down")
        assert modal.value_of("profile") == "bad-faith"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "Payer: bad faith — set by hand; the rules say unknown" in screen_text(app)
    client = Client.get_by_id(row.client_id)
    assert client.profile_override == "bad-faith"
    event = ContactEvent.select().order_by(ContactEvent.id.desc()).first()
    assert (event.client_id, event.outcome) == (row.client_id, "profile-override")


def test_the_key_is_bound_and_in_the_help() -> None:
    from relance.tui.app import RelanceApp
    from relance.tui.client_table import ClientTable
    from relance.tui.help_screen import key_help

    keys = {
        line.binding_id: line.keys for line in key_help([ClientTable, MainScreen, RelanceApp], {})
    }
    assert keys["set_profile"] == "b"
    bound = {b.id: b.key for b in MainScreen.BINDINGS if isinstance(b, Binding)}
    assert bound["set_profile"] == "b"
