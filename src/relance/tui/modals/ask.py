"""A yes-or-no question after an action: y runs the follow-up through a service, n leaves it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from relance.tui.modals.base import ActionModal, SaveCall, key_hints


class AskModal(ActionModal):
    """One question; ``y`` saves (runs the call in a worker), ``n`` or escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "save", "Yes"),
        Binding("n", "cancel", "No"),
    ]

    def __init__(
        self, client_id: int, client_name: str, title: str, question: Text, call: SaveCall
    ) -> None:
        """Ask ``question`` about this client; ``call`` is what a yes does."""
        super().__init__(client_id, client_name)
        self.title_words = title
        self.question = question
        self.call = call

    def action_title(self) -> str:
        """What is asked, before the client's name."""
        return self.title_words

    def compose_fields(self) -> ComposeResult:
        """The question alone (user text in it is already literal)."""
        yield Static(self.question, id="question")

    def on_mount(self) -> None:
        """Keep the focus on the dialog itself: y and n are read by the screen."""
        self.set_focus(None)

    def hint_line(self) -> Text:
        """The two answers."""
        return key_hints(("y", "yes"), ("n", "no"), ("esc", "no"))

    def prepare_save(self) -> SaveCall:
        """A yes runs the follow-up."""
        return self.call
