"""Writing a free note in a client's history."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.widgets import TextArea

from relance.services.clients import add_note
from relance.tui.modals.base import ActionModal, SaveCall


class NoteModal(ActionModal):
    """The note form: one text area; enter starts a new line, ctrl+s saves."""

    ACTION_TITLE = "Add a note"

    DEFAULT_CSS = """
    NoteModal .field-row TextArea {
        height: 8;
    }
    """

    def __init__(self, client_id: int, client_name: str) -> None:
        """A note about this client."""
        super().__init__(client_id, client_name)

    def compose_fields(self) -> ComposeResult:
        """The note's text."""
        yield from self.field(
            "text", "Note", TextArea(id="field-text", compact=True, soft_wrap=True)
        )

    def prepare_save(self) -> SaveCall:
        """The note as typed."""
        return partial(add_note, self.client, self.value_of("text"), self.host.action_time())
