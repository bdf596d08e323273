"""User-typed text shown literally: no markup, no escape sequences, visible codes instead."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from relance.literal import literal, one_line, printable


def test_markup_stays_literal() -> None:
    text = literal("[bold red]ACME[/]")
    assert isinstance(text, Text)
    assert text.plain == "[bold red]ACME[/]"
    assert text.spans == []
    assert literal("[link=http://evil]x[/link]").plain == "[link=http://evil]x[/link]"


def test_markup_stays_literal_when_rendered() -> None:
    console = Console(width=60, color_system=None, force_terminal=False)
    with console.capture() as captured:
        console.print(literal("[bold red]ACME[/] :smile:"))
    assert captured.get() == "[bold red]ACME[/] :smile:\n"


def test_style_is_applied_to_the_whole_text() -> None:
    text = literal("[i]x", "bold")
    assert text.plain == "[i]x"
    assert str(text.style) == "bold"


def test_escape_sequences_become_visible_codes() -> None:
    assert printable("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m"
    assert printable("bell\x07 del\x7f csi\x9b nul\x00") == "bell\\x07 del\\x7f csi\\x9b nul\\x00"
    assert "\x1b" not in literal("\x1b]0;title\x07").plain
    assert literal("\x1b]0;title\x07").plain == "\\x1b]0;title\\x07"


def test_bidi_and_invisible_format_characters_become_visible() -> None:
    assert printable("abc\u202edcba") == "abc\\u202edcba"
    assert printable("\u2066x\u2069") == "\\u2066x\\u2069"
    assert printable("zero\u200bwidth") == "zero\\u200bwidth"
    assert printable("soft\u00adhyphen") == "soft\\xadhyphen"
    # Outside the basic plane the code takes eight digits, so it cannot be misread.
    assert printable("tag\U000e0041") == "tag\\U000e0041"


def test_ordinary_text_is_unchanged() -> None:
    for value in ("Électricité Lenoir", "Zoë & Søn — 1 234,56 €", "東京", "emoji 🎉", "a\\x1b"):
        assert printable(value) == value
        assert literal(value).plain == value


def test_newlines_and_tabs_kept_by_default() -> None:
    assert printable("line one\nline\ttwo") == "line one\nline\ttwo"
    assert literal("a\nb").plain == "a\nb"


def test_newlines_shown_as_codes_when_not_kept() -> None:
    assert printable("a\nb\tc\rd", keep_newlines=False) == "a\\x0ab\\x09c\\x0dd"
    assert literal("a\nb", keep_newlines=False).plain == "a\\x0ab"
    # A carriage return is never kept: it would overwrite the line on screen.
    assert printable("a\rb") == "a\\x0db"


def test_one_line() -> None:
    assert one_line("first\nsecond\tthird") == "first second third"
    assert one_line("esc\x1b[2J\r\n") == "esc\\x1b[2J\\x0d "
    assert "\n" not in one_line("a\n\n\nb")
