"""The byte baseline: a bare Textual app with a list, a detail and a form, as relance has."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

ROWS = 40


class Form(ModalScreen[bool]):
    """A form over the dimmed list: a title, two fields, escape or ctrl+s closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(False)"),
        Binding("ctrl+s", "dismiss(True)"),
    ]
    DEFAULT_CSS = "Form { align: center middle; } Form > Vertical { width: 60; height: 12; }"

    def __init__(self, title: str) -> None:
        """A form named ``title``."""
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        """The form's title and fields."""
        with Vertical(classes="box"):
            yield Static(self.title_text)
            yield Input(placeholder="note")
            yield Input(placeholder="amount")


class BareTableApp(App[None]):
    """A DataTable of clients, the detail of the highlighted one, and forms on keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "move(1)"),
        Binding("k", "move(-1)"),
        Binding("c", "form('Log a call')"),
        Binding("r", "form('Send a reminder')"),
        Binding("$", "form('Record a payment')"),
        Binding("slash", "filter"),
    ]

    def compose(self) -> ComposeResult:
        """The list, the detail below it, and a filter line."""
        yield DataTable(cursor_type="row", id="list")
        yield Static("", id="detail")
        yield Input(placeholder="name contains", id="filter")

    def on_mount(self) -> None:
        """Fill the list."""
        table = self.query_one(DataTable)
        table.add_columns("client", "days", "owed", "next")
        for index in range(ROWS):
            table.add_row(f"Client {index:02d} SARL", str(90 - index), f"€{index * 310:,}", "call")
        self.query_one("#filter", Input).display = False
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Show the highlighted client's detail."""
        row = event.cursor_row
        self.query_one("#detail", Static).update(
            f"Client {row:02d} SARL\nOwes €{row * 310:,} · {90 - row} days late\nNext: call"
        )

    def action_move(self, step: int) -> None:
        """Move the list's cursor."""
        table = self.query_one(DataTable)
        table.move_cursor(row=table.cursor_row + step)

    def action_form(self, title: str) -> None:
        """Open a form; a save changes the highlighted row."""
        table = self.query_one(DataTable)

        def saved(done: bool | None) -> None:
            if done:
                table.update_cell_at((table.cursor_row, 3), "called")

        self.push_screen(Form(title), saved)

    def action_filter(self) -> None:
        """Show the filter line, focused."""
        line = self.query_one("#filter", Input)
        line.display = True
        line.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Keep the rows whose name holds the filter's text."""
        if event.input.id != "filter":
            return
        table = self.query_one(DataTable)
        table.clear()
        for index in range(ROWS):
            name = f"Client {index:02d} SARL"
            if event.value.lower() in name.lower():
                table.add_row(name, str(90 - index), f"€{index * 310:,}", "call")


if __name__ == "__main__":
    BareTableApp().run()
