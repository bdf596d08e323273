"""Fewer bytes down the line: only the cells a frame really changes, with the colour codes it needs.

Textual repaints whole regions, often the whole screen several times over when a form opens,
and Rich writes every segment as a full style followed by a reset. Over SSH every byte counts,
so the writer keeps a model of what the terminal shows and sends only the difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import get_character_cell_size

# One token of a frame: a CSI sequence (parameters, final byte), an OSC string, another escape,
# a line feed, a run of printable text, or a lone control character.
_TOKEN = re.compile(
    r"\x1b\[([0-9;:?<=>]*)[ -/]*([@-~])"
    r"|(\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))"
    r"|(\x1b.?)"
    r"|(\r?\n)"
    r"|([^\x00-\x1f\x7f]+)"
    r"|([\x00-\x1f\x7f])",
    re.DOTALL,
)
# Private modes that switch or clear the screen buffer: the model no longer holds after them.
_BUFFER_MODES = frozenset({"?47", "?1047", "?1049"})
# Attribute codes that Rich emits and the code that turns each one off.
_ATTRIBUTE_OFF = {
    "1": "22",
    "2": "22",
    "3": "23",
    "4": "24",
    "21": "24",
    "5": "25",
    "6": "25",
    "7": "27",
    "8": "28",
    "9": "29",
    "51": "54",
    "52": "54",
    "53": "55",
}
_OFF_CODES = frozenset(_ATTRIBUTE_OFF.values())
# Attributes that draw something on a blank cell (a line, or the colours swapped); without them a
# space shows its background only, so its foreground and weight need not be sent.
_SEEN_ON_BLANKS = frozenset({"4", "21", "7", "8", "9", "51", "52", "53"})
# Unchanged cells up to this many are written again rather than jumped over with a move.
_SHORT_GAP = 4


@dataclass(frozen=True)
class Pen:
    """What the terminal paints text with: attributes, foreground and background."""

    attributes: frozenset[str] = frozenset()
    foreground: str = ""
    background: str = ""

    def shows_blanks_alike(self, other: Pen) -> bool:
        """Whether a space painted with either pen looks the same."""
        if (self.attributes | other.attributes) & _SEEN_ON_BLANKS:
            return self == other
        return self.background == other.background


DEFAULT_PEN = Pen()


def _colour(params: list[str], index: int) -> tuple[str, int] | None:
    """Read the 38/48 colour that starts at ``params[index]``; None when it is malformed."""
    kind = params[index]
    if index + 2 < len(params) and params[index + 1] == "5":
        return ";".join((kind, "5", params[index + 2])), index + 3
    if index + 4 < len(params) and params[index + 1] == "2":
        return ";".join((kind, "2", *params[index + 2 : index + 5])), index + 5
    return None


def apply_sgr(pen: Pen, params_text: str) -> Pen | None:
    """The pen after one SGR sequence, or None when it holds a code this module does not know."""
    if ":" in params_text:
        return None
    params = params_text.split(";") if params_text else ["0"]
    attributes = set(pen.attributes)
    foreground, background = pen.foreground, pen.background
    index = 0
    while index < len(params):
        code = params[index]
        number = int(code) if code.isdigit() else -1
        if code in ("", "0"):
            attributes, foreground, background = set(), "", ""
        elif code in _ATTRIBUTE_OFF:
            attributes.add(code)
        elif code in _OFF_CODES:
            attributes -= {name for name, off in _ATTRIBUTE_OFF.items() if off == code}
        elif 30 <= number <= 37 or 90 <= number <= 97:
            foreground = code
        elif 40 <= number <= 47 or 100 <= number <= 107:
            background = code
        elif code == "39":
            foreground = ""
        elif code == "49":
            background = ""
        elif code in ("38", "48"):
            read = _colour(params, index)
            if read is None:
                return None
            colour, index = read
            if code == "38":
                foreground = colour
            else:
                background = colour
            continue
        else:
            return None
        index += 1
    return Pen(frozenset(attributes), foreground, background)


def _full(pen: Pen) -> list[str]:
    """The codes that draw ``pen`` from the default pen."""
    codes = sorted(pen.attributes, key=int)
    if pen.foreground:
        codes.append(pen.foreground)
    if pen.background:
        codes.append(pen.background)
    return codes


def pen_change(shown: Pen | None, wanted: Pen) -> str:
    """The shortest SGR sequence that turns the terminal's pen ``shown`` into ``wanted``."""
    if shown == wanted:
        return ""
    if shown is None or not shown.attributes <= wanted.attributes:
        # An attribute goes away: a reset and the whole pen is shorter than tracking which
        # "off" code undoes it (22 turns off bold and dim together).
        return "\x1b[" + ";".join(["0", *_full(wanted)]) + "m"
    codes = sorted(wanted.attributes - shown.attributes, key=int)
    if wanted.foreground != shown.foreground:
        codes.append(wanted.foreground or "39")
    if wanted.background != shown.background:
        codes.append(wanted.background or "49")
    return "\x1b[" + ";".join(codes) + "m"


def _is_narrow(text: str) -> bool:
    """Whether every character of ``text`` takes exactly one cell."""
    return text.isascii() or all(get_character_cell_size(char) == 1 for char in text)


Cell = tuple[str, Pen]


class ScreenWriter:
    """Turns the frames Textual writes into the bytes that change what the terminal shows."""

    def __init__(self, width: int, height: int) -> None:
        """Start with a terminal whose content is unknown, of ``width`` × ``height`` cells."""
        self.width = width
        self.height = height
        self._cells: list[list[Cell | None]] = []
        self.forget()
        # Where the terminal's cursor is and which pen it has, once this writer knows.
        self._cursor: tuple[int, int] | None = None
        self._pen: Pen | None = None

    def forget(self, width: int | None = None, height: int | None = None) -> None:
        """Hold nothing of the screen (after a resize, a redraw, or a write not understood)."""
        self.width = width or self.width
        self.height = height or self.height
        self._cells = [[None] * self.width for _ in range(self.height)]
        self._cursor = None
        self._pen = None

    def render(self, frame: str) -> str:
        """The bytes that bring the terminal to what ``frame`` would have made of it."""
        out: list[str] = []
        if self._pen is None:
            # Textual writes every segment from the default pen: make sure the terminal has it.
            out.append("\x1b[0m")
            self._pen = DEFAULT_PEN
        # The frame's own cursor and pen, as its original bytes would have left the terminal.
        row: int | None = self._cursor[0] if self._cursor else None
        column: int | None = self._cursor[1] if self._cursor else None
        pen = self._pen
        for match in _TOKEN.finditer(frame):
            params, final, osc, _escape, line_end, text, _control = match.groups()
            if final == "m":
                after = apply_sgr(pen, params)
                if after is None:
                    return self._give_up(out, frame, match.start(), row, column, pen)
                pen = after
            elif final in ("H", "f") and params[:1] not in ("?", "<", "=", ">"):
                parts = params.split(";") if params else []
                if len(parts) > 2 or not all(part.isdigit() or part == "" for part in parts):
                    return self._give_up(out, frame, match.start(), row, column, pen)
                row = int(parts[0] or 1) - 1 if parts else 0
                column = int(parts[1] or 1) - 1 if len(parts) > 1 else 0
            elif text is not None:
                if row is None or column is None or not _is_narrow(text):
                    return self._give_up(out, frame, match.start(), row, column, pen)
                if not 0 <= row < self.height or column + len(text) > self.width:
                    return self._give_up(out, frame, match.start(), row, column, pen)
                self._paint(out, row, column, text, pen)
                column += len(text)
            elif line_end is not None:
                if row is None or row + 1 >= self.height:
                    # A line feed on the last line scrolls the screen.
                    return self._give_up(out, frame, match.start(), row, column, pen)
                # Textual follows every line feed with a move, so the column does not matter.
                row, column = row + 1, None
            elif final in ("h", "l") and params[:1] == "?":
                # A private mode (cursor shown, mouse, synchronised output) paints no cell.
                self._catch_up(out, row, column, pen)
                out.append(match.group(0))
                if any("?" + mode in _BUFFER_MODES for mode in params[1:].split(";")):
                    self.forget()
                    out.append("\x1b[0m")
                    self._pen = pen = DEFAULT_PEN
                    row = column = None
            elif osc is not None:
                out.append(osc)
            else:
                # An erase, a scroll, a bell, a query: pass the rest on as it is.
                return self._give_up(out, frame, match.start(), row, column, pen)
        self._catch_up(out, row, column, pen)
        return "".join(out)

    def _paint(self, out: list[str], row: int, column: int, text: str, pen: Pen) -> None:
        """Write the characters of ``text`` that differ from what the terminal shows there."""
        line = self._cells[row]
        pen_shows_on_blanks = bool(pen.attributes & _SEEN_ON_BLANKS)
        index = 0
        while index < len(text):
            at = column + index
            char = text[index]
            known = line[at]
            if known is not None and known[0] == char and _same_look(known, char, pen):
                index += 1
                continue
            self._move(out, row, at, line)
            wanted = pen
            shown = self._pen
            if (
                char == " "
                and not pen_shows_on_blanks
                and shown is not None
                and not shown.attributes & _SEEN_ON_BLANKS
            ):
                # A space needs its background only: keep the pen's other parts as they are.
                wanted = Pen(shown.attributes, shown.foreground, pen.background)
            out.append(pen_change(self._pen, wanted))
            self._pen = wanted
            out.append(char)
            line[at] = (char, pen)
            self._cursor = (row, at + 1) if at + 1 < self.width else None
            index += 1

    def _move(self, out: list[str], row: int, column: int, line: list[Cell | None]) -> None:
        """Put the terminal's cursor at ``row``, ``column``, by the fewest bytes."""
        if self._cursor == (row, column):
            return
        if self._cursor is not None and self._cursor[0] == row and self._pen is not None:
            start = self._cursor[1]
            gap = column - start
            if 0 < gap <= _SHORT_GAP:
                cells = line[start:column]
                # Writing the unchanged cells again is shorter than a move when they all have
                # the pen the terminal already has.
                if all(cell is not None and cell[1] == self._pen for cell in cells):
                    out.append("".join(cell[0] for cell in cells if cell is not None))
                    self._cursor = (row, column)
                    return
            if gap > 0:
                out.append(f"\x1b[{gap}C" if gap > 1 else "\x1b[C")
                self._cursor = (row, column)
                return
        out.append(f"\x1b[{row + 1};{column + 1}H")
        self._cursor = (row, column)

    def _catch_up(
        self, out: list[str], row: int | None, column: int | None, pen: Pen | None
    ) -> None:
        """Leave the terminal's cursor and pen where the original bytes would have left them."""
        if pen is not None and pen != self._pen:
            out.append(pen_change(self._pen, pen))
            self._pen = pen
        if (
            row is not None
            and column is not None
            and self._cursor != (row, column)
            and 0 <= row < self.height
            and 0 <= column < self.width
        ):
            out.append(f"\x1b[{row + 1};{column + 1}H")
            self._cursor = (row, column)

    def _give_up(
        self,
        out: list[str],
        frame: str,
        start: int,
        row: int | None,
        column: int | None,
        pen: Pen,
    ) -> str:
        """Send the rest of ``frame`` as it is, from the state its original had reached there."""
        self.forget()
        if row is None or column is None or not (0 <= row < self.height and column < self.width):
            # The rest relies on a cursor place that cannot be restored: send the whole frame,
            # onto a terminal still as the original found it (nothing of ``out`` goes out).
            return frame
        self._cursor = None
        out.append(pen_change(None, pen))
        out.append(f"\x1b[{row + 1};{column + 1}H")
        out.append(frame[start:])
        self._pen = None
        return "".join(out)


def _same_look(known: Cell, char: str, pen: Pen) -> bool:
    """Whether a cell that shows ``known`` already looks like ``char`` painted with ``pen``."""
    if known[1] == pen:
        return True
    return char == " " and known[1].shows_blanks_alike(pen)
