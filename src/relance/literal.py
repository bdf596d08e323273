"""User-typed text made safe to print: control characters and escape sequences shown, not run."""

from __future__ import annotations

import unicodedata

from rich.text import Text

# Bidi overrides and isolates can reorder what follows them on screen; show them as codes too.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co"}
_KEPT = {"\n", "\t"}


def printable(value: str, *, keep_newlines: bool = True) -> str:
    """Replace control and format characters with visible ``\\x1b``-style codes."""
    out: list[str] = []
    for char in value:
        if char in _KEPT and keep_newlines:
            out.append(char)
        elif unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            code = ord(char)
            if code < 0x100:
                out.append(f"\\x{code:02x}")
            elif code < 0x10000:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def literal(value: str, style: str = "", *, keep_newlines: bool = True) -> Text:
    """A Rich Text that shows the value exactly as typed, never parsed as markup."""
    return Text(printable(value, keep_newlines=keep_newlines), style=style)


def one_line(value: str) -> str:
    """A printable single line: newlines and tabs become spaces."""
    return printable(value.replace("\n", " ").replace("\t", " "), keep_newlines=False)
