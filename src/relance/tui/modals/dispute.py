"""Opening or resolving a dispute: a disputed client leaves the reminder sequence."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Label, Static, TextArea

from relance.literal import one_line
from relance.services.clients import set_dispute
from relance.tui.modals.base import ActionModal, SaveCall


class DisputeModal(ActionModal):
    """The dispute form: says what ctrl+s will do, with an optional note."""

    DEFAULT_CSS = """
    DisputeModal #dispute-effect {
        padding: 0 1;
        margin-bottom: 1;
    }
    DisputeModal #error-on {
        padding-left: 1;
    }
    """

    def __init__(self, client_id: int, client_name: str, disputed: bool) -> None:
        """Open the dispute if the client is not disputing, else resolve it."""
        super().__init__(client_id, client_name)
        self.opening = not disputed

    def action_title(self) -> str:
        """Open or resolve, depending on the client's state."""
        return "Open a dispute" if self.opening else "Resolve the dispute"

    def compose_fields(self) -> ComposeResult:
        """What will happen, then the note."""
        name = one_line(self.client_name)
        if self.opening:
            effect = Text.assemble(
                ("Open a dispute", "bold"),
                f": {name} leaves the reminder sequence until the dispute is resolved.",
            )
        else:
            effect = Text.assemble(
                ("Resolve the dispute", "bold"),
                f": reminders and calls to {name} resume.",
            )
        yield Static(effect, id="dispute-effect")
        yield Label("", id="error-on", classes="field-error")
        yield from self.field(
            "note",
            "Note",
            TextArea(id="field-note", compact=True, soft_wrap=True),
        )

    def hint_line(self) -> Text:
        """ctrl+s confirms the change."""
        verb = "open dispute" if self.opening else "resolve dispute"
        return Text.assemble(("ctrl+s", "bold"), f" {verb}   ", ("esc", "bold"), " cancel")

    def prepare_save(self) -> SaveCall:
        """The change, with the note as typed."""
        return partial(
            set_dispute,
            self.client,
            self.opening,
            self.host.action_time(),
            note=self.value_of("note"),
        )
