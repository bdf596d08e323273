"""A theme file's name is shown as codes: neither the palette nor the skipped notice runs it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from peewee import SqliteDatabase

from relance.config import Config
from relance.tui.app import RelanceApp
from relance.tui.themes import BUNDLED_THEMES
from tui_fixtures import run_async, screen_text, seed_book, settle

TITLE_CHANGE = "\x1b]0;pwned\x07"


def write_theme(folder: Path, file_name: str, name: str, primary: str) -> None:
    """A theme file whose name TOML carries as a \\u escape."""
    quoted = json.dumps(name)  # JSON's \\u001b escapes are TOML's too.
    (folder / file_name).write_text(
        f'name = {quoted}\n[colors]\nprimary = "{primary}"\n', encoding="utf-8"
    )


@run_async
async def test_hostile_theme_names_reach_the_screen_as_codes(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    seed_book(today)
    themes = tmp_path / "themes"
    themes.mkdir()
    write_theme(themes, "pwned.toml", f"relance-{TITLE_CHANGE}", "#336699")
    # A file name with an escape in it is named in the skipped notice.
    write_theme(themes, f"bad{TITLE_CHANGE}.toml", "bad", "#zzz")
    config = Config(path=tmp_path / "config.toml")
    app = RelanceApp(
        Path(book.database), config, today, tmp_path / "outbox", theme_dirs=[BUNDLED_THEMES, themes]
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        (notice,) = [n.message for n in app._notifications if "bad" in n.message]
        assert "\x1b" not in notice and "\x07" not in notice
        assert "bad\\x1b]0;pwned\\x07.toml" in notice
        await pilot.press("ctrl+p")
        await pilot.press(*"theme pwned")
        await pilot.pause(0.3)
        shown = screen_text(app)
        assert "\x1b" not in shown and "\x07" not in shown
        assert "relance-\\x1b]0;pwned\\x07" in shown
