"""Hostile text typed into the app's forms is stored as typed and shown literally."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from relance.services.clients import add_client
from relance.store.database import close_database, open_database
from relance.store.models import Client, ContactEvent
from relance.tui.client_table import ClientTable
from relance.tui.main_screen import MainScreen
from tui_fixtures import make_app, run_async, screen_text

NAMES = [
    "[bold]Loud[/] & [link=https://evil.example]Co[/link]",
    "[red]Red[/red] \\[escaped] [/]",
    "Bidi عربي שלום Ltd",
]
NOTE = "\u202eRLO\x1b[2J\x1b]0;pwned\x07[blink]x[/]"


async def wait_for(pilot: Pilot[Any], ready: Any, what: str) -> None:
    """Pause until ``ready()`` holds (at most about 10 s)."""
    for _ in range(200):
        await pilot.pause(0.05)
        if ready():
            return
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("name", NAMES)
@run_async
async def test_hostile_name_and_note_typed_in_the_app_show_literally(
    tmp_path: Path, at: datetime, name: str
) -> None:
    db = tmp_path / "book.db"
    open_database(db)
    add_client("Aardvark Existing", at)
    close_database()
    app = make_app(db, tmp_path / "config.toml", at.date())
    async with app.run_test(size=(160, 40)) as pilot:
        table = app.screen.query_one(ClientTable)
        await wait_for(pilot, lambda: table.total == 1, "the first list")
        await pilot.press("a")
        await wait_for(pilot, lambda: bool(app.screen.query("#field-name")), "the client form")
        app.screen.query_one("#field-name", Input).value = name
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the form to close")
        await wait_for(
            pilot,
            lambda: table.current is not None and table.current.name == name,
            "the new client highlighted",
        )
        await pilot.press("n")
        await wait_for(pilot, lambda: bool(app.screen.query(TextArea)), "the note form")
        app.screen.query_one(TextArea).insert(NOTE)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the note to save")
        await wait_for(pilot, lambda: "pwned" in screen_text(app), "the note in the detail")
        shown = screen_text(app)
    # Shown as typed: markup as brackets, escape sequences and bidi marks as visible codes.
    assert name in shown
    assert "\\u202eRLO\\x1b[2J\\x1b]0;pwned\\x07[blink]x[/]" in shown
    assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    # Stored exactly as typed.
    open_database(db)
    try:
        client = Client.get(Client.name == name)
        notes = ContactEvent.select().where(
            (ContactEvent.client == client.id) & (ContactEvent.summary == NOTE)
        )
        assert notes.count() == 1
    finally:
        close_database()
