"""The `relance` executable: the command line, able to open the app, with the collector held."""

from __future__ import annotations

from collections.abc import Sequence

from relance import collector


def main() -> int:
    """Run the command line; a command (or the app's first paint) ends start-up."""
    collector.hold()
    try:
        return command_line()
    finally:
        collector.release()


def command_line(argv: Sequence[str] | None = None) -> int:
    """The command line with the app as what `relance` and `relance demo` open."""
    from relance.cli import main as run_command
    from relance.cli.context import AppOpener
    from relance.tui.launch import check_config, run_app

    return run_command(argv, app_opener=AppOpener(check=check_config, run=run_app))
