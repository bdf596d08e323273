"""Writing results: plain lines and Rich renderables made of literal text, and safe JSON."""

from __future__ import annotations

import json
import os
import unicodedata
from datetime import date, datetime
from typing import Any, TextIO

import tomli_w
from rich.console import Console, RenderableType

from relance.literal import one_line, printable

# Piped output has no terminal width; wide enough that a table of long names stays readable.
PIPE_WIDTH = 120
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co"}


class Output:
    """Standard output for one command: lines, tables and JSON, never interpreting user text."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        width = None if stream.isatty() or "COLUMNS" in os.environ else PIPE_WIDTH
        # markup and emoji off: a client called "[bold]x[/]" or ":fire:" prints as typed.
        self.console = Console(
            file=stream, width=width, highlight=False, markup=False, emoji=False, soft_wrap=False
        )

    def line(self, text: str) -> None:
        """Print one line of text, control characters shown as codes."""
        self.stream.write(one_line(text) + "\n")

    def block(self, text: str) -> None:
        """Print several lines of text as they are, control characters shown as codes."""
        self.stream.write(printable(text).rstrip("\n") + "\n")

    def render(self, renderable: RenderableType) -> None:
        """Print a Rich renderable built from literal text."""
        self.console.print(renderable)

    def json(self, value: Any) -> None:
        """Print a value as indented JSON that cannot carry an escape sequence to the terminal."""
        self.stream.write(safe_json(value) + "\n")


def safe_json(value: Any) -> str:
    """JSON with every control or format character written as a ``\\u`` escape."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=_json_default)
    # json.dumps escapes every character below 0x20 inside strings, so a newline here is layout;
    # DEL, C1 controls and format characters (bidi overrides) it leaves raw, so escape those.
    return "".join(char if char == "\n" else _escaped(char) for char in text)


def _escaped(char: str) -> str:
    """A character, or its JSON escape if a terminal could act on it."""
    if unicodedata.category(char) not in _INVISIBLE_CATEGORIES:
        return char
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def safe_toml(value: dict[str, Any]) -> str:
    """TOML with every control or format character written as a ``\\u`` escape, as in JSON."""
    text = tomli_w.dumps(value)
    # tomli-w writes every string as a basic "…" string, where \u and \U escapes are valid.
    return "".join(char if char == "\n" else _toml_escaped(char) for char in text)


def _toml_escaped(char: str) -> str:
    """A character, or its TOML escape if a terminal could act on it."""
    if unicodedata.category(char) not in _INVISIBLE_CATEGORIES:
        return char
    code = ord(char)
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _json_default(value: Any) -> Any:
    """Dates as ISO strings; anything else as its text."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)
