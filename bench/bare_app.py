"""The baseline: the least a Textual app can do before its first paint, and after a key."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    """One line of text; every key rewrites it with a count."""

    keys = 0

    def compose(self) -> ComposeResult:
        """Show the line the benchmark waits for."""
        yield Static("bare app ready", id="line")

    def on_key(self, event: events.Key) -> None:
        """Count the key on the line, the least a key can change on screen."""
        self.keys += 1
        self.query_one("#line", Static).update(f"bare app key {self.keys}")


if __name__ == "__main__":
    BareApp().run()
