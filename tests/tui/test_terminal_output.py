"""The screen writer changes the bytes, never what a terminal (pyte) shows from them."""

from __future__ import annotations

import pyte
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

from relance.tui.terminal_output import ScreenWriter
from terminal_cells import shown_cells

WIDTH, HEIGHT = 24, 6
# What Textual's driver writes around every frame: synchronised output and a hidden cursor.
FRAME_START = "\x1b[?2026h\x1b[?25l"
FRAME_END = "\x1b[?2026l"

colours = st.one_of(
    st.none(),
    st.sampled_from(["default", "red", "bright_blue", "color(123)", "color(7)"]),
    st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)).map(
        lambda rgb: "#{:02x}{:02x}{:02x}".format(*rgb)
    ),
)
flags = st.one_of(st.none(), st.booleans())
styles = st.builds(
    Style,
    color=colours,
    bgcolor=colours,
    bold=flags,
    dim=flags,
    italic=flags,
    underline=flags,
    reverse=flags,
    strike=flags,
    blink=flags,
)
# Narrow characters as the app draws them: text, accents, box drawing, and many blanks.
texts = st.text(alphabet=" abé─│╭╮▁█0", min_size=1, max_size=8)
segments = st.lists(st.tuples(texts, st.one_of(st.none(), styles)), min_size=1, max_size=5)


@st.composite
def layout_updates(draw: st.DrawFn) -> tuple[Region, list[list[Segment]]]:
    """A region of the screen and the segments Textual paints on each of its lines."""
    x = draw(st.integers(0, WIDTH - 1))
    y = draw(st.integers(0, HEIGHT - 1))
    height = draw(st.integers(1, HEIGHT - y))
    lines = []
    for _ in range(height):
        line, room = [], WIDTH - x
        for text, style in draw(segments):
            text = text[:room]
            if text:
                line.append(Segment(text, style))
                room -= len(text)
        lines.append(line)
    width = max(sum(len(segment.text) for segment in line) for line in lines)
    return Region(x, y, max(width, 1), height), lines


frames = st.lists(st.lists(layout_updates(), min_size=1, max_size=4), min_size=1, max_size=6)
systems = st.sampled_from(["truecolor", "256", "standard"])


def render(console: Console, updates: list[tuple[Region, list[list[Segment]]]]) -> str:
    """The bytes Textual's compositor writes for these regions, as one frame."""
    body = "".join(
        LayoutUpdate([[Strip(line)] for line in lines], region).render_segments(console)
        for region, lines in updates
    )
    return FRAME_START + body + FRAME_END


def terminal() -> tuple[pyte.Screen, pyte.Stream]:
    """A fresh emulated terminal of the test's size."""
    screen = pyte.Screen(WIDTH, HEIGHT)
    return screen, pyte.Stream(screen)


def feed_both(frame_list: list[str]) -> tuple[pyte.Screen, pyte.Screen, list[str]]:
    """Feed the frames as they are to one terminal and through a writer to another."""
    original, original_stream = terminal()
    minimised, minimised_stream = terminal()
    writer = ScreenWriter(WIDTH, HEIGHT)
    sent = []
    for frame in frame_list:
        original_stream.feed(frame)
        written = writer.render(frame)
        sent.append(written)
        minimised_stream.feed(written)
        assert shown_cells(minimised) == shown_cells(original), (frame, written)
        if original.cursor.x < WIDTH:
            # Past the last column the cursor waits to wrap, a state no move can restore; Textual
            # starts every frame with a move, so only a cursor on the screen must match.
            assert (minimised.cursor.x, minimised.cursor.y) == (
                original.cursor.x,
                original.cursor.y,
            )
    return original, minimised, sent


@settings(max_examples=150, deadline=None)
@given(system=systems, frame_updates=frames)
def test_the_minimised_stream_shows_what_the_original_shows(
    system: str, frame_updates: list[list[tuple[Region, list[list[Segment]]]]]
) -> None:
    """After every frame, both terminals show the same characters, colours and attributes."""
    console = Console(color_system=system, force_terminal=True, width=WIDTH, height=HEIGHT)  # type: ignore[arg-type]
    frame_list = [render(console, updates) for updates in frame_updates]
    feed_both(frame_list)


def test_a_frame_painted_again_sends_no_cell() -> None:
    """The same frame twice: the second sends only the modes around it, no character."""
    console = Console(color_system="truecolor", force_terminal=True, width=WIDTH, height=HEIGHT)
    line = [Segment("client", Style(color="#ff0000", bgcolor="#000080", bold=True))]
    frame = render(console, [(Region(2, 1, 6, 1), [line])])
    _original, _minimised, sent = feed_both([frame, frame])
    assert "client" in sent[0]
    assert sent[1] == FRAME_START + FRAME_END


@pytest.mark.parametrize(
    "unknown",
    [
        "\x1b[2J",  # erase the screen
        "\x1b[1S",  # scroll up
        "\x1b[58;5;3m",  # an underline colour, an SGR code the writer does not model
        "日本",  # wide characters
    ],
)
def test_an_unknown_sequence_passes_the_rest_of_the_frame_through(unknown: str) -> None:
    """From a sequence it cannot model, the writer sends the frame's rest as it is, then all."""
    console = Console(color_system="truecolor", force_terminal=True, width=WIDTH, height=HEIGHT)
    first = render(console, [(Region(0, 0, 5, 1), [[Segment("hello", Style(color="red"))]])])
    rest = "\x1b[3;1H" + unknown + "\x1b[4;2H\x1b[1mafter\x1b[0m" + FRAME_END
    second = FRAME_START + "\x1b[1;1H\x1b[1mx\x1b[0m" + rest
    _original, _minimised, sent = feed_both([first, second, first])
    assert sent[1].endswith(rest)
    # The model was dropped: the next frame is sent whole, even the cells it already showed.
    assert "hello" in sent[2]
