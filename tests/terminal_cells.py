"""What a terminal shows, read by pyte: the cells two byte streams must agree on."""

from __future__ import annotations

import pyte

Cell = tuple[object, ...]


def shown_cells(screen: pyte.Screen) -> list[list[Cell]]:
    """Each cell as it looks: a blank with no line or swapped colours shows its background only."""
    rows = []
    for y in range(screen.lines):
        row: list[Cell] = []
        for x in range(screen.columns):
            char = screen.buffer[y][x]
            if char.data == " " and not (char.reverse or char.underscore or char.strikethrough):
                row.append((" ", char.bg))
            else:
                row.append(tuple(char))
        rows.append(row)
    return rows


def cells_of_capture(capture: str, width: int, height: int) -> list[list[Cell]]:
    """The cells of a `tmux capture-pane -e -p` text, each line drawn on its own row."""
    screen = pyte.Screen(width, height)
    stream = pyte.Stream(screen)
    for row, line in enumerate(capture.split("\n")[:height]):
        # tmux carries the pen from one line's end into the next: no reset between lines.
        stream.feed(f"\x1b[{row + 1};1H{line}")
    return shown_cells(screen)
