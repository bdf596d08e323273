"""The letter's font: a Unicode TrueType font when one is found, else a Latin-1 core font.

fpdf2's built-in fonts only know Latin-1, where "€" and "œ" do not exist; DejaVu Sans (the
``fonts-dejavu-core`` package on Debian and Ubuntu) prints every European text. When no such
font is found the letter still prints, with "EUR" for "€" and the nearest Latin-1 letters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

UNICODE_FAMILY = "LetterSans"
CORE_FAMILY = "helvetica"
REGULAR_NAME = "DejaVuSans.ttf"
BOLD_NAME = "DejaVuSans-Bold.ttf"
# Where Linux distributions, macOS (Homebrew, user fonts) and Windows keep DejaVu Sans.
FONT_FOLDERS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/local/share/fonts"),
    Path("/opt/homebrew/share/fonts"),
    Path.home() / "Library" / "Fonts",
    Path.home() / ".local" / "share" / "fonts",
    Path("C:/Windows/Fonts"),
)
# Control and format characters (escape sequences, bidi overrides) never reach the page.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co"}
# Latin-1 stand-ins for the characters letters use that Latin-1 lacks.
_LATIN1_STAND_INS = {
    "€": "EUR",
    "œ": "oe",
    "Œ": "OE",
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "…": "...",
    "→": "->",
    "\u202f": " ",
    "\u2009": " ",
}


@dataclass(frozen=True)
class LetterFont:
    """The TrueType files to embed, or none for the Latin-1 core font."""

    regular: Path | None = None
    bold: Path | None = None

    @property
    def is_unicode(self) -> bool:
        """True when a TrueType font is embedded and every European character prints."""
        return self.regular is not None

    @property
    def family(self) -> str:
        """The family name the PDF uses."""
        return UNICODE_FAMILY if self.is_unicode else CORE_FAMILY


# The first four bytes of a TrueType or OpenType font file (and of a TrueType collection).
_FONT_SIGNATURES = (b"\x00\x01\x00\x00", b"true", b"OTTO", b"ttcf")


class FontError(ValueError):
    """A configured font file that is missing or is not a TrueType font."""


def find_font(configured: str = "", configured_bold: str = "") -> LetterFont:
    """The configured TrueType font, else DejaVu Sans where it usually lives, else the core font."""
    if configured:
        regular = _font_file(Path(configured).expanduser())
        bold = _font_file(Path(configured_bold).expanduser()) if configured_bold else regular
        return LetterFont(regular, bold)
    for folder in FONT_FOLDERS:
        regular, bold = folder / REGULAR_NAME, folder / BOLD_NAME
        if regular.is_file():
            return LetterFont(regular, bold if bold.is_file() else regular)
    return LetterFont()


def _font_file(path: Path) -> Path:
    """A configured font file, refused with its name when missing or not a font."""
    try:
        with path.open("rb") as handle:
            signature = handle.read(4)
    except OSError as error:
        raise FontError(f"font file {path} cannot be read: {error.strerror or error}") from None
    if signature not in _FONT_SIGNATURES:
        raise FontError(f"font file {path} is not a TrueType or OpenType font")
    return path


def clean_text(value: str, font: LetterFont, *, keep_newlines: bool = False) -> str:
    """Text as it may be printed: no control characters, and Latin-1 only for the core font."""
    kept: list[str] = []
    for char in value:
        if char == "\n" and keep_newlines:
            kept.append(char)
        elif char in "\t\n\r":
            kept.append(" ")
        elif unicodedata.category(char) not in _INVISIBLE:
            kept.append(char)
    text = "".join(kept)
    return text if font.is_unicode else _latin1(text)


def _latin1(text: str) -> str:
    """The nearest Latin-1 text: known stand-ins, accents dropped where needed, else "?"."""
    out: list[str] = []
    for char in text:
        if char in _LATIN1_STAND_INS:
            out.append(_LATIN1_STAND_INS[char])
        elif ord(char) < 0x100:
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)
