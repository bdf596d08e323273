"""A burst of keys (a paste, a fast typist over SSH) lands each key in the field focused then."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from peewee import SqliteDatabase
from textual import events
from textual.widgets import Input

from cli_fixtures import Relance, ok
from relance.store.database import close_database
from tui_fixtures import make_app, run_async, settle


def burst(*parts: str) -> list[events.Key]:
    """The key events of typed text and ``tab``/``shift+tab``, as the terminal reads them."""
    keys: list[events.Key] = []
    for part in parts:
        if part in ("tab", "shift+tab"):
            keys.append(events.Key(part, "\t" if part == "tab" else None))
        else:
            keys += [events.Key(char if char.isalnum() else "x", char) for char in part]
    return keys


@run_async
async def test_a_burst_with_tabs_fills_each_field_of_the_client_form(
    book: SqliteDatabase, tmp_path: Path, today: date, relance: Relance
) -> None:
    db = Path(book.database)
    app = make_app(db, tmp_path / "config.toml", today)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        # Posted at once, without waiting for any to be handled: the order a paste arrives in.
        for key in burst(
            "Burst SARL", "tab", "tab", "tab", "Mme B", "tab", "b@burst.fr", "tab", "0102030405"
        ):
            app.post_message(key)
        await settle(pilot, 0.3)
        values = {field.id: field.value for field in app.screen.query(Input)}
        assert values == {
            "field-name": "Burst SARL",
            "field-contact": "Mme B",
            "field-email": "b@burst.fr",
            "field-phone": "0102030405",
            "field-delay": "",
            "field-methods": "",
        }
        for key in burst("shift+tab", "shift+tab"):
            app.post_message(key)
        await settle(pilot, 0.3)
        assert app.focused is app.screen.query_one("#field-contact", Input)
        await pilot.press("ctrl+s")
        await settle(pilot)
    close_database()
    shown = ok(relance("show", "Burst SARL", "--json", "--db", str(db))).json()
    (contact,) = shown["contacts"]
    assert (contact["name"], contact["email"], contact["phone"]) == (
        "Mme B",
        "b@burst.fr",
        "0102030405",
    )
