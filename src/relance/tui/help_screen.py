"""The help screen: every key of the main screen, the list's markers and the history marks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.keys import REPLACED_KEYS, key_to_character
from textual.screen import ModalScreen
from textual.widgets import Static

from relance.markers import MARKERS
from relance.tui.client_detail import EventMark


@dataclass(frozen=True)
class KeyHelp:
    """One line of the key table: the keys as currently bound, what they do, the binding id."""

    keys: str
    description: str
    binding_id: str


def key_help(sources: Sequence[type[DOMNode]], remapped: Mapping[str, str]) -> list[KeyHelp]:
    """The key table from the bindings that carry a tooltip, with the config's remapped keys.

    The tooltip is the help line, so a binding and its help cannot drift apart; keys inherited
    for the same action (a table's arrow keys beside `j`) are listed after the binding's own.
    """
    lines = []
    listed: set[str] = set()
    for source in sources:
        inherited = list(_bindings_of(source))
        for binding in Binding.make_bindings(source.__dict__.get("BINDINGS", [])):
            # A binding of several keys ("enter,v") comes as one binding per key: list it once.
            if not binding.tooltip or binding.id is None or binding.id in listed:
                continue
            listed.add(binding.id)
            own = [line.key for line in inherited if line.id == binding.id]
            same_action = [
                line.key
                for line in inherited
                if line.action == binding.action and line.id != binding.id
            ]
            keys = ", ".join(dict.fromkeys(_key_display(key) for key in own + same_action))
            lines.append(KeyHelp(remapped.get(binding.id, keys), binding.tooltip, binding.id))
    return lines


def _bindings_of(source: type[DOMNode]) -> Iterator[Binding]:
    """Every binding a widget class has, its bases' first, one key each."""
    for cls in reversed(source.__mro__):
        yield from Binding.make_bindings(cls.__dict__.get("BINDINGS", []))


def _key_display(key: str) -> str:
    """A key as the help shows it: the character it types, or its name (`enter`, `ctrl+p`)."""
    # Textual names a few characters its own way (`slash`): look them up by their Unicode name.
    character = key_to_character(REPLACED_KEYS.get(key, key))
    return character if character is not None and character.isprintable() else key


def help_renderable(keys: list[KeyHelp]) -> Group:
    """The three tables of the help screen."""
    key_table = Table(box=None, padding=(0, 2, 0, 0), show_header=True, header_style="bold")
    key_table.add_column("Key", style="bold", no_wrap=True)
    key_table.add_column("Action")
    key_table.add_column(Text("Id for [keys] in the config"), style="dim", no_wrap=True)
    for line in keys:
        key_table.add_row(Text(line.keys), Text(line.description), Text(line.binding_id))
    marker_table = Table(box=None, padding=(0, 2, 0, 0), show_header=True, header_style="bold")
    marker_table.add_column("Flag", style="bold", no_wrap=True)
    marker_table.add_column("Meaning")
    for marker in MARKERS:
        marker_table.add_row(Text(marker.letter), Text(marker.meaning))
    mark_table = Table(box=None, padding=(0, 2, 0, 0), show_header=True, header_style="bold")
    mark_table.add_column("Mark", style="bold", no_wrap=True)
    mark_table.add_column("History event")
    for word, meaning in EventMark.MEANINGS.items():
        mark_table.add_row(Text(word), Text(meaning))
    return Group(
        Text("Keys", style="bold underline"),
        key_table,
        Text(""),
        Text("Flags in the client list", style="bold underline"),
        marker_table,
        Text(""),
        Text("Marks in the history", style="bold underline"),
        mark_table,
        Text(""),
        Text(
            "Late: days since the oldest unpaid due date. When: the day the next action is "
            "due (highlighted once it has come).",
            style="dim",
        ),
    )


class HelpScreen(ModalScreen[None]):
    """A scrollable sheet of keys and symbols; escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help_close"),
        Binding("j", "scroll_down", show=False, id="help_down"),
        Binding("k", "scroll_up", show=False, id="help_up"),
    ]

    def __init__(self, keys: list[KeyHelp]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        """The help text in a scrollable frame."""
        with VerticalScroll(id="help-frame") as frame:
            frame.border_title = "Help"
            frame.border_subtitle = "escape to close"
            yield Static(help_renderable(self.keys), id="help-text")

    def action_close(self) -> None:
        """Go back to the main screen."""
        self.dismiss(None)

    def action_scroll_down(self) -> None:
        """Scroll the sheet down a line."""
        self.query_one("#help-frame", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        """Scroll the sheet up a line."""
        self.query_one("#help-frame", VerticalScroll).scroll_up()
