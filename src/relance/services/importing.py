"""Importing a file into the book: checking where it is, previewing it, applying it.

The command line (`relance import`) and the TUI's import screen both go through these
functions, so a preview shows exactly what the import then does: one transaction, one
history line per changed client (a restored export keeps its own history instead).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from relance.importing.apply import ImportOutcome, Progress, apply_plan
from relance.importing.book_export import (
    BookExportPlan,
    RestoreOutcome,
    is_csv_export,
    restore_export,
)
from relance.importing.csv_source import MappingError, load_mapping
from relance.importing.plan import ImportPlan, RowError
from relance.importing.reader import read_plan
from relance.services.lapses import judge_client
from relance.services.validation import InvalidInput

# Errors on line 1 with no column, or on the file itself, say the file as a whole is unusable.
FILE_COLUMNS = ("-", "file", "format", "schema")


@dataclass(frozen=True)
class ImportReport:
    """A file read and rehearsed (a preview) or written: what it changes, or why it cannot."""

    source: Path
    kind: str
    outcome: ImportOutcome | RestoreOutcome
    dry_run: bool

    @property
    def errors(self) -> list[RowError]:
        """Every refused value, in file order; empty when the import can go ahead."""
        return self.outcome.errors

    @property
    def is_restore(self) -> bool:
        """True when the file is a relance export, restored whole into an empty book."""
        return isinstance(self.outcome, RestoreOutcome)


def source_path(text: str) -> Path:
    """The file (or CSV export folder) a typed path names, ``~`` expanded; refused with a reason.

    Field: path.
    """
    if not text.strip():
        raise InvalidInput.one("path", "type the path of a CSV file, an e-invoice or an export")
    try:
        path = Path(text.strip()).expanduser()
    except RuntimeError:
        raise InvalidInput.one("path", f"no such home folder: {text.strip()}") from None
    try:
        found = path.exists()
    except (OSError, ValueError) as error:
        # A NUL byte or a name longer than the system allows cannot name a file.
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise InvalidInput.one("path", f"not a usable path: {reason}") from None
    if not found:
        raise InvalidInput.one("path", f"no file to import at {path}")
    if path.is_dir():
        if not is_csv_export(path):
            reason = f"{path} is a folder, not a relance CSV export (it has no manifest.csv)"
            raise InvalidInput.one("path", reason)
        return path
    if not path.is_file():
        raise InvalidInput.one("path", f"{path} is not a regular file")
    if not os.access(path, os.R_OK):
        raise InvalidInput.one("path", f"cannot read {path}: permission denied")
    return path


def mapping_from(text: str) -> dict[str, str] | None:
    """The column mapping a typed path names (a TOML file), or ``None`` when left empty.

    Field: mapping.
    """
    if not text.strip():
        return None
    try:
        return load_mapping(Path(text.strip()).expanduser())
    except MappingError as error:
        raise InvalidInput.one("mapping", str(error)) from None


def read_source(path: Path, mapping: Mapping[str, str] | None) -> ImportPlan | BookExportPlan:
    """Read and check every row of a file, writing nothing; refused when it cannot be read.

    Fields: path (unreadable), mapping (given for a relance export, which has fixed columns).
    """
    try:
        with _collector_paused():
            plan = read_plan(path, mapping)
    except OSError as error:
        raise InvalidInput.one("path", f"cannot read {path}: {error.strerror or error}") from None
    if isinstance(plan, BookExportPlan) and mapping is not None:
        raise InvalidInput.one("mapping", "only for CSV files, not for a relance export")
    return plan


def run_plan(
    plan: ImportPlan | BookExportPlan,
    at: datetime,
    *,
    dry_run: bool,
    default_law: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Apply a plan in one transaction (or rehearse it and roll back); the book must be open.

    An export goes only into an empty book (``BookNotEmpty``, a StoreError, says so).
    """
    if isinstance(plan, BookExportPlan):
        restored = restore_export(plan, dry_run=dry_run)
        return ImportReport(plan.source, plan.kind, restored, dry_run)
    with _collector_paused():
        outcome = apply_plan(
            plan,
            at,
            dry_run=dry_run,
            default_law=default_law,
            progress=progress,
            # Money that came in keeps promises (and is judged against plans) as a payment does.
            settle=lambda client_id: judge_client(client_id, at),
        )
    return ImportReport(plan.source, plan.kind, outcome, dry_run)


def preview_import(
    path_text: str,
    mapping_text: str,
    at: datetime,
    *,
    default_law: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """What importing a file would change, from the very writes rolled back; nothing is kept.

    Fields: path, mapping.
    """
    return _import_path(path_text, mapping_text, at, True, default_law, progress)


def apply_import(
    path_text: str,
    mapping_text: str,
    at: datetime,
    *,
    default_law: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file (read again, as it is now) all or nothing; its errors mean nothing written.

    Fields: path, mapping.
    """
    return _import_path(path_text, mapping_text, at, False, default_law, progress)


def _import_path(
    path_text: str,
    mapping_text: str,
    at: datetime,
    dry_run: bool,
    default_law: str,
    progress: Progress | None,
) -> ImportReport:
    """Read the file as typed, with its mapping, and run its plan (for real or rolled back)."""
    mapping = _checked_mapping(path_text, mapping_text)
    plan = read_source(source_path(path_text), mapping)
    return run_plan(plan, at, dry_run=dry_run, default_law=default_law, progress=progress)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold Python's cycle collector while a file is read or applied.

    A large file makes hundreds of thousands of small objects, next to none of them in a
    cycle, and the collector would walk the whole heap again and again for little: a good
    part of the import's time. It runs as usual once the import is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _checked_mapping(path_text: str, mapping_text: str) -> dict[str, str] | None:
    """Both typed paths checked together, so each field shows its own message at once."""
    errors: dict[str, str] = {}
    mapping = None
    try:
        source_path(path_text)
    except InvalidInput as refusal:
        errors.update(refusal.errors)
    try:
        mapping = mapping_from(mapping_text)
    except InvalidInput as refusal:
        errors.update(refusal.errors)
    if errors:
        raise InvalidInput(errors)
    return mapping


def unusable_file(errors: list[RowError]) -> str:
    """Why the file as a whole cannot be imported, or "" when its errors are about rows."""
    if not errors or not all(error.column in FILE_COLUMNS and error.line <= 1 for error in errors):
        return ""
    return str(errors[0].reason)
