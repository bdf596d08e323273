"""Hostile text for the hypothesis tests: markup, escape sequences, bidi marks, NULs, giants."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# What an attacker (or an unlucky paste) puts in a name, a note, a CSV cell or an argument.
SAMPLES = (
    "[bold]loud[/]",
    "[/]",
    "[link=https://evil.example]click[/link]",
    "[red",
    "\\[bold]",
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\x1b[31mred\x1b[0m",
    "\x9b31m",
    "\u202eevil\u202c",
    "\u200bzero\u200d width",
    "nul\x00byte",
    "lone \ud800 surrogate",
    "\udcff",
    "N" * 10_000,
    "line\nbreak",
    "cr\rreturn",
    "tab\there",
    "  padded  ",
    "'; DROP TABLE client; --",
    "{name} %s %n $(reboot) `id`",
    "😀 ﷺ ｆｕｌｌ",
    '=HYPERLINK("http://evil")',
)

hostile_piece = st.one_of(
    st.sampled_from(SAMPLES),
    # Every code point, surrogates and private use included.
    st.text(st.characters(blacklist_categories=()), max_size=12),
)
hostile_text = st.lists(hostile_piece, min_size=1, max_size=3).map("".join)

# Modest counts: the suite runs on two shared cores.
hostile_settings = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def book_dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, read with a plain connection: to prove nothing was written."""
    raw = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: raw.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            for table in tables
        }
    finally:
        raw.close()
