"""Running the app on an open book: the list is read before Textual loads, then the app runs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from relance.config import Config
from relance.paths import outbox_path


def check_config(config: Config) -> None:
    """Refuse a ``[keys]`` remap that clashes, before any terminal or book is touched."""
    if config.keys:
        # Only with remaps: the check imports Textual, which the plain start-up defers.
        from relance.tui.keymap_check import refuse_main_screen_clashes

        refuse_main_screen_clashes(config.keys, config.path)


def run_app(db_path: Path, config: Config, today: date, notices: Sequence[str] = ()) -> int:
    """Run the TUI until the user quits; its return code is the exit status."""
    from relance.tui.list_reads import FirstRead

    # Before Textual is imported: the list is read now, the totals while the app loads.
    first_read = FirstRead(db_path, today).start()
    from relance.tui.app import RelanceApp

    outbox = outbox_path(db_path)
    app = RelanceApp(db_path, config, today, outbox, notices=notices, first_read=first_read)
    app.run()
    return app.return_code or 0
