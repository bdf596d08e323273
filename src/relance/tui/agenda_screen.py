"""The week ahead: promises, instalments, calls, deadlines and next actions, book-wide."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from relance.domain.agenda import DEFAULT_DAYS, AgendaItem
from relance.literal import one_line
from relance.services.agenda import agenda
from relance.tui.db_thread import in_db_thread


def nothing_due_line(days: int) -> str:
    """What the screen says when nothing falls due."""
    return f"Nothing due in the next {days} days."


class AgendaScreen(Screen[int | None]):
    """Everything due in the next days, sorted by date; enter goes to the line's client."""

    DEFAULT_CSS = """
    AgendaScreen #agenda-pane {
        height: 1fr;
        border: round $primary;
        border-title-style: bold;
    }
    AgendaScreen #agenda-table {
        height: 1fr;
    }
    AgendaScreen #agenda-empty {
        padding: 1 2;
        display: none;
    }
    """

    # Each tooltip is the key's line in the help screen.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open_line",
            "Go to client",
            priority=True,
            id="agenda_open",
            tooltip="week ahead: highlight the line's client in the list",
        ),
        Binding(
            "escape,q,w",
            "close",
            "Back",
            id="agenda_close",
            tooltip="week ahead: back to the client list",
        ),
    ]
    AUTO_FOCUS = "#agenda-table"

    def __init__(self, today: date, days: int = DEFAULT_DAYS) -> None:
        super().__init__()
        self.today = today
        self.days = days
        self.items: list[AgendaItem] = []

    def compose(self) -> ComposeResult:
        """The lines, or a word when there are none, then the keys."""
        with Vertical(id="agenda-pane"):
            yield DataTable(id="agenda-table", cursor_type="row", zebra_stripes=True)
            yield Static(nothing_due_line(self.days), id="agenda-empty")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Title the pane and read the agenda."""
        pane = self.query_one("#agenda-pane")
        pane.border_title = f"The week ahead — {self.days} days from {self.today.isoformat()}"
        table = self.query_one(DataTable)
        table.add_columns("day", "what", "client", "")
        table.loading = True
        self._read()

    @work(thread=True, exclusive=True)
    def _read(self) -> None:
        """Read the agenda in the database thread, then show it."""
        items = in_db_thread(agenda, self.today, self.days)
        self.app.call_from_thread(self._show, items)

    def _show(self, items: list[AgendaItem]) -> None:
        """Fill the table; names and words are shown literally, never as markup."""
        self.items = items
        table = self.query_one(DataTable)
        table.loading = False
        table.clear()
        for index, item in enumerate(items):
            table.add_row(
                Text(item.on.isoformat()),
                Text(item.kind.value),
                Text(one_line(item.client_name)),
                Text(one_line(item.what)),
                key=str(index),
            )
        empty = not items
        table.display = not empty
        self.query_one("#agenda-empty").display = empty

    def action_open_line(self) -> None:
        """Close on the highlighted line's client, for the main screen to highlight it."""
        table = self.query_one(DataTable)
        if self.items and 0 <= table.cursor_row < len(self.items):
            self.dismiss(self.items[table.cursor_row].client_id)

    def action_close(self) -> None:
        """Back to the list, selecting nobody."""
        self.dismiss(None)
