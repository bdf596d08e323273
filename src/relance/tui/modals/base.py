"""The shared shape of every action form: fields, errors under them, saving in a worker."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import ClassVar, Protocol, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea
from textual.worker import Worker, WorkerState

from relance.config import Config
from relance.literal import literal, one_line
from relance.services.results import ActionResult
from relance.services.validation import InvalidInput
from relance.store.errors import StoreError
from relance.tui.db_thread import in_db_thread
from relance.tui.modals.choice import Choice

SaveCall = Callable[[], ActionResult]
# What the opener of a form runs in the save's worker once the save is done.
AfterSave = Callable[[ActionResult], None]
SAVE_GROUP = "save"
# A save says "saving…" only once it has taken this long: most take a few milliseconds, and
# repainting the form (and the dimmed screen behind it) for them would delay its closing.
SAVING_SHOWN_AFTER_SECONDS = 0.15


@dataclass(frozen=True)
class SaveOutcome:
    """What a save came to: the result, or the refused fields, or a failure message."""

    result: ActionResult | None = None
    errors: Mapping[str, str] = dataclasses.field(default_factory=dict)
    failure: str = ""


def save_in_thread(call: SaveCall, after: AfterSave | None = None) -> SaveOutcome:
    """Run a service call in a worker thread; every way it can end becomes an outcome.

    ``after`` runs on the same thread and connection once the save is committed (to read what
    the form closes onto); it keeps its own errors, so a done save is never reported failed.
    """
    try:
        return SaveOutcome(result=in_db_thread(_save_then, call, after))
    except InvalidInput as refusal:
        return SaveOutcome(errors=refusal.errors)
    except StoreError as error:
        return SaveOutcome(failure=str(error))
    # A crash would lose what the user typed: show the error and keep the form open.
    except Exception as error:
        return SaveOutcome(failure=f"could not save: {error}")


def _save_then(call: SaveCall, after: AfterSave | None) -> ActionResult:
    """Save, then run what follows a save."""
    result = call()
    if after is not None:
        after(result)
    return result


class ModalHost(Protocol):
    """What a modal needs from the app that shows it."""

    today: date
    config: Config
    outbox: Path

    def action_time(self) -> datetime:
        """The moment of the action, on the session's day."""
        ...


def key_hints(*pairs: tuple[str, str]) -> Text:
    """A hint line such as ``ctrl+s save  esc cancel`` with the keys emphasised."""
    text = Text()
    for key, meaning in pairs:
        if text:
            text.append("   ")
        text.append(key, style="bold")
        text.append(f" {meaning}")
    return text


class ActionModal(ModalScreen[ActionResult | None]):
    """A form for one action: ctrl+s saves through a service in a worker, escape cancels."""

    DEFAULT_CSS = """
    ActionModal {
        align: center middle;
        background: $background 60%;
    }
    ActionModal #dialog {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-color: $text;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    ActionModal #form-error {
        display: none;
        width: 1fr;
        color: $text-error;
        background: $error 15%;
        padding: 0 1;
        margin-bottom: 1;
    }
    ActionModal #form-error.-shown {
        display: block;
    }
    ActionModal #fields {
        height: auto;
        max-height: 1fr;
        scrollbar-size-vertical: 1;
    }
    ActionModal .field-row {
        height: auto;
        margin-top: 1;
    }
    ActionModal .field-row.-tight, ActionModal #fields > .field-row:first-child {
        margin-top: 0;
    }
    ActionModal .field-label {
        width: 13;
        color: $text-muted;
    }
    ActionModal .field-row.-active > .field-label {
        color: $text-accent;
        text-style: bold;
    }
    ActionModal .field-row Input {
        width: 1fr;
        padding: 0 1;
        background: $panel;
    }
    ActionModal .field-row Input.-short {
        width: 16;
    }
    ActionModal .field-row Input:focus {
        background: $primary 25%;
    }
    ActionModal .field-row Input:disabled {
        background: $panel 50%;
        color: $text-disabled;
    }
    ActionModal .field-row TextArea {
        width: 1fr;
        height: 4;
        padding: 0 1;
        background: $panel;
        & > .text-area--cursor-line {
            background: transparent;
        }
    }
    ActionModal .field-row TextArea:focus {
        background: $primary 15%;
    }
    ActionModal .field-hint {
        width: auto;
        color: $text-muted;
        padding-left: 2;
    }
    ActionModal .field-error {
        display: none;
        color: $text-error;
        padding-left: 13;
    }
    ActionModal .field-error.-shown {
        display: block;
    }
    ActionModal #hints {
        dock: bottom;
        width: 1fr;
        height: 2;
        padding-top: 1;
        color: $text-muted;
        text-align: right;
    }
    ActionModal #hints.-saving {
        color: $text-warning;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so ctrl+s saves even while an Input or TextArea has the focus.
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
        # Priority, so the focus moves as the app reads the key: a plain binding runs only once
        # the field has handled the keys queued before it, and a fast burst (a paste, typing
        # over SSH) would send the keys after a tab to the field it left.
        Binding("tab", "next_field", "Next field", show=False, priority=True),
        Binding("shift+tab", "previous_field", "Previous field", show=False, priority=True),
    ]

    ACTION_TITLE: ClassVar[str] = ""
    """What the form does, shown before the client's name in the title."""

    EXTRA_HINTS: ClassVar[tuple[tuple[str, str], ...]] = ()
    """Keys particular to one form, shown in the hint line before save and cancel."""

    def __init__(self, client_id: int | None = None, client_name: str = "") -> None:
        """Remember which client the form acts on."""
        super().__init__()
        self.client_id = client_id
        self.client_name = client_name
        self.saving = False
        self._saving_shown: Timer | None = None
        # Set by whoever opens the form: run after a successful save, in its worker.
        self.after_save: AfterSave | None = None

    @property
    def host(self) -> ModalHost:
        """The app, seen through the attributes the modals rely on."""
        return cast(ModalHost, self.app)

    @property
    def client(self) -> int:
        """The id of the client acted on (every form but "add client" has one)."""
        assert self.client_id is not None
        return self.client_id

    def action_title(self) -> str:
        """What the form does."""
        return self.ACTION_TITLE

    def title_text(self) -> Text:
        """The dialog title: the action, then the client's name exactly as stored."""
        if not self.client_name:
            return Text(self.action_title())
        return Text.assemble(f"{self.action_title()} · ", Text(one_line(self.client_name)))

    def compose(self) -> ComposeResult:
        """The frame shared by every form around the fields of this one."""
        with Vertical(id="dialog") as dialog:
            dialog.border_title = self.title_text()
            yield Static("", id="form-error")
            with VerticalScroll(id="fields"):
                yield from self.compose_fields()
            yield from self.compose_below_fields()
            yield Static(self.hint_line(), id="hints")

    def compose_fields(self) -> ComposeResult:
        """The form's own fields; each subclass yields them with ``field``."""
        raise NotImplementedError

    def compose_below_fields(self) -> ComposeResult:
        """Anything that stays in view under the (scrolling) fields; nothing by default."""
        yield from ()

    def hint_line(self) -> Text:
        """The keys of this form."""
        return key_hints(*self.EXTRA_HINTS, ("ctrl+s", "save"), ("esc", "cancel"))

    @staticmethod
    def field(
        name: str,
        label: str,
        widget: Widget,
        *,
        hint: str | Text = "",
        tight: bool = False,
    ) -> ComposeResult:
        """A labelled row for one field, with the label that shows its error right under it."""
        parts: list[Widget] = [Label(Text(label), classes="field-label"), widget]
        if hint:
            shown = hint if isinstance(hint, Text) else Text(hint)
            parts.append(Static(shown, classes="field-hint", id=f"hint-{name}"))
        yield Horizontal(*parts, classes="field-row -tight" if tight else "field-row")
        yield Label("", id=f"error-{name}", classes="field-error")

    @classmethod
    def file_fields(cls, placeholder: str) -> ComposeResult:
        """The rows of a file import: its path, and a mapping file for unusual CSV titles."""
        yield from cls.field(
            "path", "File", Input(placeholder=placeholder, id="field-path", compact=True)
        )
        yield from cls.field(
            "mapping",
            "Mapping",
            Input(
                placeholder="optional: a TOML [columns] file, for CSV only",
                id="field-mapping",
                compact=True,
            ),
        )

    def on_mount(self) -> None:
        """Start with the focus on the first field."""
        self.focus_first_field()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Light up the label of the field being typed in."""
        for row in self.query(".field-row.-active"):
            row.remove_class("-active")
        for ancestor in event.widget.ancestors:
            if ancestor.has_class("field-row"):
                ancestor.add_class("-active")
                break

    def focus_first_field(self) -> None:
        """Focus the first widget of the form that can take the focus."""
        for widget in self.query_one("#fields").query("*"):
            if widget.focusable:
                widget.focus()
                return

    def value_of(self, name: str) -> str:
        """The raw text of a field, exactly as the user typed it."""
        widget = self.query_one(f"#field-{name}")
        if isinstance(widget, Input):
            return widget.value
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Choice):
            return widget.value
        raise TypeError(f"field {name} has no text value")

    @on(Input.Submitted)
    def next_field_on_enter(self, event: Input.Submitted) -> None:
        """Enter in a one-line field moves on to the next field, as tab does."""
        event.stop()
        self.focus_next()

    def ready_to_save(self) -> bool:
        """Whether ctrl+s may save now; forms that load something first say no until then."""
        return True

    def prepare_save(self) -> SaveCall:
        """Read the fields (on the UI thread) and return the service call to run."""
        raise NotImplementedError

    def action_next_field(self) -> None:
        """Move the focus to the next field at once."""
        self.focus_next()

    def action_previous_field(self) -> None:
        """Move the focus to the previous field at once."""
        self.focus_previous()

    def action_save(self) -> None:
        """Run the service in a worker; one save at a time."""
        if self.saving or not self.ready_to_save():
            return
        call = self.prepare_save()
        self.clear_errors()
        self.set_saving(True)
        self.run_worker(
            partial(save_in_thread, call, self.after_save), thread=True, group=SAVE_GROUP
        )

    def action_cancel(self) -> None:
        """Close without writing anything (not while a save is on its way)."""
        if not self.saving:
            self.dismiss(None)

    @on(Worker.StateChanged)
    def save_finished(self, event: Worker.StateChanged) -> None:
        """Close on success, or show why nothing was saved (on the UI thread)."""
        if event.worker.group != SAVE_GROUP or event.state is not WorkerState.SUCCESS:
            return
        outcome = event.worker.result
        assert isinstance(outcome, SaveOutcome)
        if outcome.result is not None:
            self.dismiss(outcome.result)
        elif outcome.errors:
            self.show_refusal(outcome.errors)
        else:
            self.show_failure(outcome.failure)

    def set_saving(self, saving: bool) -> None:
        """Refuse a second save while one runs, and say so if it takes a while."""
        self.saving = saving
        if saving:
            self._saving_shown = self.set_timer(
                SAVING_SHOWN_AFTER_SECONDS, partial(self._show_saving, True)
            )
            return
        if self._saving_shown is not None:
            self._saving_shown.stop()
            self._saving_shown = None
        self._show_saving(False)

    def _show_saving(self, shown: bool) -> None:
        """Put "saving…" in place of the key hints, or the hints back."""
        hints = self.query_one("#hints", Static)
        if hints.has_class("-saving") == shown:
            return
        hints.set_class(shown, "-saving")
        hints.update(Text("saving…") if shown else self.hint_line())

    def clear_errors(self) -> None:
        """Hide every error from the previous attempt."""
        # Only the shown ones: updating a label lays the form out again, which a save that
        # closes the form at once should not wait for.
        for label in self.query(".field-error.-shown"):
            cast(Static, label).update("")
            label.remove_class("-shown")
        if self.query_one("#form-error").has_class("-shown"):
            self.show_form_error("")

    def show_refusal(self, errors: Mapping[str, str]) -> None:
        """Show each refused field's message under it; nothing was written."""
        self.set_saving(False)
        self.show_field_errors(errors)

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        """Put each message under its field, or at the top when the form has no such field."""
        self.clear_errors()
        general: list[str] = []
        for name, message in errors.items():
            labels = self.query(f"#error-{name}")
            if labels:
                label = cast(Static, labels.first())
                label.update(literal(message, keep_newlines=False))
                label.add_class("-shown")
            else:
                general.append(message)
        self.show_form_error("\n".join(general))
        self.focus_first_error(errors)

    def focus_first_error(self, fields: Iterable[str]) -> None:
        """Put the cursor in the first refused field so it can be corrected at once."""
        for name in fields:
            for widget in self.query(f"#field-{name}"):
                if widget.focusable:
                    widget.focus()
                    return

    def show_failure(self, message: str) -> None:
        """Show a storage failure at the top of the form; the form stays open."""
        self.set_saving(False)
        self.show_form_error(message)

    def show_form_error(self, message: str) -> None:
        """Set or clear the message at the top of the form."""
        label = self.query_one("#form-error", Static)
        label.update(literal(message))
        label.set_class(bool(message), "-shown")
