"""Letters: write the formal letter or a statement as a PDF, or record the letter's posting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Protocol, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from relance.config import Config, ConfigError
from relance.literal import literal, one_line
from relance.paths import letters_path
from relance.services.letters import (
    FORMAL_NOTICE,
    STATEMENT,
    LetterPlan,
    latest_letter,
    plan_letter,
    record_posting,
    write_letter,
)
from relance.services.validation import InvalidInput
from relance.store.errors import StoreError
from relance.store.letters import LetterEvent
from relance.tui.db_thread import in_db_thread
from relance.tui.modals.base import ActionModal, ModalHost, SaveCall
from relance.tui.modals.choice import Choice

POSTED = "posted"
OPTIONS = [
    (FORMAL_NOTICE, "formal letter"),
    (STATEMENT, "statement"),
    (POSTED, "proof of posting"),
]
POSTING_FIELDS = ("number", "on")
PREVIEW_GROUP = "letter-preview"


class LetterHost(ModalHost, Protocol):
    """The app as the letter form sees it: it also knows where the book is."""

    db_path: Path


@dataclass(frozen=True)
class PostingPreview:
    """The letter a proof of posting would refer to (None: no letter yet)."""

    letter: LetterEvent | None


Preview = LetterPlan | PostingPreview | str


def load_preview(client_id: int, today: date, config: Config, folder: Path, kind: str) -> Preview:
    """What saving would do for this choice, or why it cannot (runs in a worker thread)."""
    try:
        if kind == POSTED:
            return PostingPreview(in_db_thread(latest_letter, client_id))
        return in_db_thread(plan_letter, client_id, today, config, folder, kind=kind)
    except InvalidInput as refusal:
        return "; ".join(refusal.errors.values())
    except (StoreError, ConfigError) as error:
        return str(error)


class LetterModal(ActionModal):
    """The letter form: pick a letter and see its total, deadline and file; ctrl+s writes it."""

    ACTION_TITLE = "Letter"

    DEFAULT_CSS = """
    LetterModal #dialog {
        width: 90;
    }
    LetterModal #letter-preview {
        padding: 0 1;
        margin-top: 1;
        min-height: 3;
    }
    """

    def __init__(self, client_id: int, client_name: str, kind: str = FORMAL_NOTICE) -> None:
        """A letter to this client, starting on ``kind``."""
        super().__init__(client_id, client_name)
        self.first_kind = kind
        self.preview: Preview | None = None

    @property
    def letter_host(self) -> LetterHost:
        """The app, with the book's path."""
        return cast(LetterHost, self.app)

    def compose_fields(self) -> ComposeResult:
        """The choice, what it would produce, then the posting's number and date."""
        yield from self.field(
            "kind", "Write", Choice(OPTIONS, self.first_kind, id="field-kind"), tight=True
        )
        yield Static(Text("Preparing…", style="dim"), id="letter-preview")
        posting = self.first_kind == POSTED
        yield from self.field(
            "number",
            "Registered",
            Input(
                placeholder="registered-mail number",
                id="field-number",
                compact=True,
                disabled=not posting,
            ),
        )
        yield from self.field(
            "on",
            "Posted on",
            Input(
                placeholder=self.host.today.isoformat(),
                id="field-on",
                classes="-short",
                compact=True,
                disabled=not posting,
            ),
            hint="YYYY-MM-DD (empty: today)",
        )

    def on_mount(self) -> None:
        """Focus the choice and work out what it would produce."""
        super().on_mount()
        self.load_preview(self.first_kind)

    @on(Choice.Changed, "#field-kind")
    def kind_changed(self, event: Choice.Changed) -> None:
        """The posting fields only apply to a proof of posting; the preview follows the choice."""
        posting = event.value == POSTED
        for name in POSTING_FIELDS:
            self.query_one(f"#field-{name}", Input).disabled = not posting
        self.clear_errors()
        self.load_preview(event.value)

    def load_preview(self, kind: str) -> None:
        """Read what saving would do, in a worker."""
        self.preview = None
        self.query_one("#letter-preview", Static).update(Text("Preparing…", style="dim"))
        host = self.letter_host
        load = partial(
            load_preview,
            self.client,
            host.today,
            host.config,
            letters_path(host.db_path),
            kind,
        )
        self.run_worker(load, thread=True, group=PREVIEW_GROUP, exclusive=True)

    @on(Worker.StateChanged)
    def preview_loaded(self, event: Worker.StateChanged) -> None:
        """Show the preview, unless the choice moved on meanwhile."""
        if event.worker.group != PREVIEW_GROUP or event.state is not WorkerState.SUCCESS:
            return
        preview = event.worker.result
        expected = self.value_of("kind")
        if isinstance(preview, LetterPlan) and preview.kind != expected:
            return
        if isinstance(preview, PostingPreview) and expected != POSTED:
            return
        self.preview = cast(Preview, preview)
        self.query_one("#letter-preview", Static).update(self.preview_text(self.preview))
        self.query_one("#hints", Static).update(self.hint_line())

    def preview_text(self, preview: Preview) -> Text:
        """The preview in words: title, total, deadline and file, or the letter to refer to."""
        if isinstance(preview, str):
            return Text.assemble(("Nothing to write: ", "bold"), literal(preview))
        if isinstance(preview, PostingPreview):
            if preview.letter is None:
                return Text("No letter recorded yet: write one first.", style="italic")
            letter = preview.letter
            return Text.assemble(
                "For the letter of ",
                (letter.on.isoformat(), "bold"),
                ": ",
                literal(one_line(letter.summary)),
            )
        lines = Text.assemble((preview.title, "bold"))
        label = "balance" if preview.kind == STATEMENT else "total claimed"
        lines.append(f"\n{label} ")
        lines.append(preview.total_text(), style="bold")
        if preview.deadline is not None:
            lines.append("   pay by ")
            lines.append(preview.deadline.isoformat(), style="bold")
            lines.append(f" ({preview.deadline_days} days)")
        lines.append("\nsaved as ")
        lines.append_text(literal(one_line(str(preview.folder / preview.file_name))))
        return lines

    def hint_line(self) -> Text:
        """What ctrl+s does for the current choice."""
        if isinstance(self.preview, str) or (
            isinstance(self.preview, PostingPreview) and self.preview.letter is None
        ):
            return Text.assemble(("esc", "bold"), " close")
        action = "record posting" if isinstance(self.preview, PostingPreview) else "write PDF"
        return Text.assemble(("ctrl+s", "bold"), f" {action}   ", ("esc", "bold"), " cancel")

    def ready_to_save(self) -> bool:
        """Only once the preview says there is something to write."""
        if isinstance(self.preview, PostingPreview):
            return self.preview.letter is not None
        return isinstance(self.preview, LetterPlan)

    def prepare_save(self) -> SaveCall:
        """Write the chosen letter, or record the posting of the latest one."""
        host = self.letter_host
        kind = self.value_of("kind")
        if kind == POSTED:
            letter = self.preview.letter if isinstance(self.preview, PostingPreview) else None
            return partial(
                record_posting,
                self.client,
                host.action_time(),
                tracking_number=self.value_of("number"),
                posted_on=self.value_of("on"),
                letter_event_id=letter.event_id if letter else None,
            )
        return partial(
            write_letter,
            self.client,
            host.action_time(),
            host.config,
            letters_path(host.db_path),
            kind=kind,
        )
