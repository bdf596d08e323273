"""The baseline: the least a Textual app can do before its first paint."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    """One line of text, nothing else."""

    def compose(self) -> ComposeResult:
        """Show the line the benchmark waits for."""
        yield Static("bare app ready")


if __name__ == "__main__":
    BareApp().run()
