"""The import screen: a file path, a preview of what the import changes, then ctrl+s to import."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from relance.importing.apply import ImportOutcome, Progress
from relance.importing.book_export import RestoreOutcome
from relance.literal import literal, one_line
from relance.services.importing import ImportReport, apply_import, preview_import, unusable_file
from relance.services.results import ActionResult
from relance.services.validation import InvalidInput
from relance.store.errors import StoreError
from relance.tui.db_thread import in_db_thread
from relance.tui.modals.base import ActionModal, SaveCall, key_hints

PREVIEW_GROUP = "preview"
# Clients listed one by one in the preview; a first import of a whole ledger would be endless.
CLIENTS_SHOWN = 300
# The progress line is redrawn at most this often: each redraw waits for the UI thread.
PROGRESS_EVERY_SECONDS = 0.2
KIND_LABELS = {"csv": "CSV file", "xml": "e-invoice (XML)", "facturx": "Factur-X PDF"}
# The per-client counters of an import, with how the preview words them.
CHANGE_WORDS = (
    ("new_invoices", "new invoice(s)"),
    ("updated_invoices", "updated amount(s)"),
    ("payments", "payment(s)"),
    ("credit_notes", "credit note(s)"),
    ("credits_applied", "earlier credit note(s) applied"),
)


@dataclass(frozen=True)
class PreviewOutcome:
    """What a preview came to: a report, or refused fields, or a failure message."""

    report: ImportReport | None = None
    errors: dict[str, str] = dataclasses.field(default_factory=dict)
    failure: str = ""


def preview_in_thread(call: partial[ImportReport]) -> PreviewOutcome:
    """Run a preview (or an import) in a worker thread; every way it can end becomes an outcome."""
    try:
        return PreviewOutcome(report=in_db_thread(call))
    except InvalidInput as refusal:
        return PreviewOutcome(errors=refusal.errors)
    except StoreError as error:
        return PreviewOutcome(failure=str(error))
    except Exception as error:
        return PreviewOutcome(failure=f"could not read the file: {error}")


def preview_text(report: ImportReport) -> Text:
    """The preview: what the import changes, per client, or every bad row; user text literal."""
    text = Text()
    kind = KIND_LABELS.get(report.kind, report.kind)
    text.append(literal(one_line(report.source.name), "bold"))
    text.append(f" · {kind}\n")
    if report.errors:
        count = len(report.errors)
        text.append(
            f"{count} error{'s' if count != 1 else ''}: nothing can be imported\n",
            style="bold",
        )
        for error in report.errors:
            text.append("  ")
            text.append(literal(one_line(str(error))))
            text.append("\n")
        return text
    outcome = report.outcome
    if isinstance(outcome, RestoreOutcome):
        text.append(f"restores a whole book: {outcome.rows} row(s) into this empty book\n")
        for name, rows in outcome.counts.items():
            text.append(f"  {name}: {rows}\n")
        return text
    text.append(_totals_line(outcome))
    changed = [changes for changes in outcome.clients.values() if changes.changed]
    if not changed:
        text.append("nothing to change: the book already has all of it\n")
        return text
    text.append("per client:\n", style="bold")
    for changes in changed[:CLIENTS_SHOWN]:
        text.append("  ")
        text.append(literal(one_line(changes.name)))
        parts = [
            f"{getattr(changes, attribute)} {words}"
            for attribute, words in CHANGE_WORDS
            if getattr(changes, attribute)
        ]
        if changes.created:
            parts.insert(0, "new client")
        text.append(f": {', '.join(parts)}\n")
    if len(changed) > CLIENTS_SHOWN:
        text.append(f"  … and {len(changed) - CLIENTS_SHOWN} more client(s)\n")
    return text


def _totals_line(outcome: ImportOutcome) -> Text:
    """The counts over the whole file."""
    rows = outcome.rows
    return Text(
        f"{rows} row{'s' if rows != 1 else ''}: "
        f"{len(outcome.new_clients)} new client(s), "
        f"{outcome.total('new_invoices')} new invoice(s), "
        f"{outcome.total('updated_invoices')} updated amount(s), "
        f"{outcome.unchanged_invoices} unchanged, "
        f"{outcome.total('payments')} payment(s), "
        f"{outcome.total('credit_notes')} credit note(s)"
        + (
            f", {outcome.total('credits_applied')} earlier credit note(s) applied"
            if outcome.total("credits_applied")
            else ""
        )
        + "\n"
    )


def import_result(report: ImportReport) -> ActionResult:
    """The import as an action result: the first client it changed, and one line saying what."""
    outcome = report.outcome
    name = one_line(report.source.name)
    if isinstance(outcome, RestoreOutcome):
        return ActionResult(0, f"restored {name}: {outcome.rows} row(s)", None, outcome.record())
    changed = [client_id for client_id, changes in outcome.clients.items() if changes.changed]
    summary = (
        f"imported {name}: {len(outcome.new_clients)} new client(s), "
        f"{outcome.total('new_invoices')} new invoice(s), "
        f"{outcome.total('updated_invoices')} updated, {outcome.total('payments')} payment(s), "
        f"{outcome.total('credit_notes')} credit note(s)"
    )
    return ActionResult(changed[0] if changed else 0, summary, None, outcome.record())


class ImportScreen(ActionModal):
    """Import a CSV file, an e-invoice or a relance export: preview first, then ctrl+s."""

    ACTION_TITLE = "Import a file"

    DEFAULT_CSS = """
    ImportScreen #dialog {
        width: 100;
    }
    ImportScreen .field-label {
        width: 9;
    }
    ImportScreen .field-error {
        padding-left: 9;
    }
    ImportScreen #preview-frame {
        height: auto;
        max-height: 60vh;
        margin-top: 1;
        border-top: solid $panel-lighten-2;
        scrollbar-size-vertical: 1;
    }
    ImportScreen #preview.-bad {
        color: $text-error;
    }
    ImportScreen #preview.-stale {
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "preview", "Preview", priority=True),
    ]

    def __init__(self) -> None:
        """A form not tied to any client."""
        super().__init__()
        self.report: ImportReport | None = None
        self.previewed: tuple[str, str] | None = None
        self.previewing = False

    def compose_fields(self) -> ComposeResult:
        """The file to import, and a mapping file for unusual CSV column titles."""
        yield from self.file_fields("~/invoices.csv, an e-invoice, or an export")

    def compose_below_fields(self) -> ComposeResult:
        """The preview, scrolling on its own under the fields."""
        with VerticalScroll(id="preview-frame"):
            yield Static(Text("Type a path, then press enter to preview."), id="preview")

    def hint_line(self) -> Text:
        """Enter previews; ctrl+s imports once the preview is clean."""
        return key_hints(("enter", "preview"), ("ctrl+s", "import"), ("esc", "cancel"))

    # ---- preview --------------------------------------------------------------------------

    @on(Input.Submitted)
    def next_field_on_enter(self, event: Input.Submitted) -> None:
        """Enter in either field previews the import of what is typed (not: next field)."""
        event.stop()
        # Keeps the form's own handler (enter moves to the next field) from running too.
        event.prevent_default()
        self.action_preview()

    @on(Input.Changed)
    def preview_outdated(self, event: Input.Changed) -> None:
        """A preview is only good for the paths it was made with."""
        if self.previewed is not None and self.typed() != self.previewed:
            self.query_one("#preview", Static).add_class("-stale")
            self.refresh_hints()

    def typed(self) -> tuple[str, str]:
        """The two paths exactly as typed."""
        return (self.value_of("path"), self.value_of("mapping"))

    def action_preview(self) -> None:
        """Read and rehearse the import in a worker; nothing is written."""
        if self.previewing or self.saving:
            return
        path, mapping = self.typed()
        self.clear_errors()
        self.previewing = True
        self.report = None
        self.previewed = None
        self.show_preview(Text("reading the file…"))
        self.refresh_hints()
        call = partial(
            preview_import,
            path,
            mapping,
            self.host.action_time(),
            default_law=self.host.config.law.default_jurisdiction,
            progress=self.progress_reporter(),
        )
        self.run_worker(partial(preview_in_thread, call), thread=True, group=PREVIEW_GROUP)

    def progress_reporter(self) -> Progress:
        """A progress callback for the worker thread, throttled so a huge file stays fast."""
        last = [0.0]

        def report(done: int, total: int) -> None:
            """Redraw the progress line now and then (called on the worker thread)."""
            now = time.monotonic()
            if done != total and now - last[0] < PROGRESS_EVERY_SECONDS:
                return
            last[0] = now
            self.app.call_from_thread(self.show_progress, done, total)

        return report

    def show_progress(self, done: int, total: int) -> None:
        """The progress line while a large file is checked, or imported."""
        if not self.is_attached:
            return
        if self.previewing:
            self.show_preview(Text(f"checking… {done}/{total} rows"))
        elif self.saving:
            self.query_one("#hints", Static).update(Text(f"importing… {done}/{total} rows"))

    @on(Worker.StateChanged)
    def preview_finished(self, event: Worker.StateChanged) -> None:
        """Show the preview, or why the file cannot be read (on the UI thread)."""
        if event.worker.group != PREVIEW_GROUP or event.state is not WorkerState.SUCCESS:
            return
        self.previewing = False
        outcome = event.worker.result
        assert isinstance(outcome, PreviewOutcome)
        if outcome.report is None:
            self.show_preview(Text("Nothing to preview.", style="dim"))
            if outcome.errors:
                self.show_field_errors(outcome.errors)
            else:
                self.show_form_error(outcome.failure)
            self.refresh_hints()
            return
        self.report = outcome.report
        self.previewed = self.typed()
        unusable = unusable_file(outcome.report.errors)
        if unusable:
            self.show_field_errors({"path": f"not an importable file: {unusable}"})
        self.show_preview(preview_text(outcome.report), bad=bool(outcome.report.errors))
        self.refresh_hints()

    def show_preview(self, text: Text, *, bad: bool = False) -> None:
        """Put a text in the preview area, scrolled to its top."""
        preview = self.query_one("#preview", Static)
        preview.update(text)
        preview.set_class(bad, "-bad")
        preview.remove_class("-stale")
        self.query_one("#preview-frame", VerticalScroll).scroll_home(animate=False)

    def refresh_hints(self) -> None:
        """Say whether ctrl+s would import now, or what is missing."""
        if self.saving:
            return
        hints = self.query_one("#hints", Static)
        if self.previewing:
            hints.update(Text("previewing…"))
        elif self.ready_to_save():
            hints.update(self.hint_line())
        else:
            hints.update(key_hints(("enter", "preview"), ("esc", "cancel")))

    # ---- import ---------------------------------------------------------------------------

    def ready_to_save(self) -> bool:
        """Only a clean preview of exactly what is typed may be imported."""
        return (
            not self.previewing
            and self.report is not None
            and not self.report.errors
            and self.previewed == self.typed()
        )

    def action_save(self) -> None:
        """Import after a clean preview; before one, ctrl+s previews instead."""
        if not self.previewing and not self.saving and self.previewed != self.typed():
            self.action_preview()
            return
        super().action_save()

    def prepare_save(self) -> SaveCall:
        """The import of the previewed file, read again as it is now."""
        path, mapping = self.typed()
        return partial(
            _import_or_refuse,
            partial(
                apply_import,
                path,
                mapping,
                self.host.action_time(),
                default_law=self.host.config.law.default_jurisdiction,
                progress=self.progress_reporter(),
            ),
        )

    def show_refusal(self, errors: Mapping[str, str]) -> None:
        """The import was refused: the preview no longer holds, nothing was written."""
        self.report = None
        self.previewed = None
        super().show_refusal(errors)
        self.refresh_hints()

    def show_failure(self, message: str) -> None:
        """The book refused the import (locked, not empty…): nothing was written."""
        super().show_failure(message)
        self.refresh_hints()

    def action_cancel(self) -> None:
        """Close without writing anything; a running preview is rolled back on its own."""
        if not self.saving:
            self.dismiss(None)


def _import_or_refuse(call: partial[ImportReport]) -> ActionResult:
    """Run the import; a file that changed since its preview is refused, nothing written."""
    report = call()
    if report.errors:
        count = len(report.errors)
        raise InvalidInput.one(
            "path",
            f"the file changed since the preview: {count} error(s), nothing imported; "
            "press enter to preview it again",
        )
    return import_result(report)
