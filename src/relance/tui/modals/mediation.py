"""Recording a mediation before court: a mediator proposed, the mediation failed, or agreed."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.widgets import Input, TextArea

from relance.services.mediation import record_mediation
from relance.tui.modals.base import ActionModal, SaveCall
from relance.tui.modals.choice import Choice

OUTCOME_LABELS = {
    "proposed": "mediator proposed (the letter is drafted and kept)",
    "failed": "mediation failed: the court route is next",
    "agreed": "settlement agreed: pay by a day",
}
DEFAULT_OUTCOME = "proposed"


class MediationModal(ActionModal):
    """The mediation form: what happened, the mediator, what was agreed, a note."""

    ACTION_TITLE = "Mediation"

    DEFAULT_CSS = """
    MediationModal .field-row TextArea {
        height: 4;
    }
    """

    def compose_fields(self) -> ComposeResult:
        """Outcome, mediator, then the amount and day agreed, and a note."""
        yield from self.field(
            "outcome",
            "What",
            Choice(
                list(OUTCOME_LABELS.items()), DEFAULT_OUTCOME, vertical=True, id="field-outcome"
            ),
        )
        yield from self.field(
            "mediator",
            "Mediator",
            Input(placeholder="name (none: chosen together)", id="field-mediator", compact=True),
        )
        yield from self.field(
            "amount",
            "Agreed",
            Input(placeholder="1250.00 (agreed only)", id="field-amount", compact=True),
        )
        yield from self.field(
            "on",
            "Pay by",
            Input(id="field-on", classes="-short", compact=True),
            hint="YYYY-MM-DD, +7, today",
        )
        yield from self.field(
            "note", "Note", TextArea(id="field-note", compact=True, soft_wrap=True)
        )

    def prepare_save(self) -> SaveCall:
        """The mediation as typed."""
        return partial(
            record_mediation,
            self.client,
            self.value_of("outcome"),
            self.host.action_time(),
            self.host.config,
            mediator=self.value_of("mediator"),
            note=self.value_of("note"),
            amount=self.value_of("amount"),
            pay_by=self.value_of("on"),
        )
