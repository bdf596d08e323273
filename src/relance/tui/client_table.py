"""The client list: a DataTable fed one window of triage rows at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

from relance.literal import one_line
from relance.markers import (
    BROKEN_PROMISE,
    DISPUTE,
    PLAN,
    PROMISE,
    SNOOZED,
    UNDELIVERED,
    markers_of,
)
from relance.store.triage import TriageRow
from relance.tui.look import VERY_LATE_DAYS, CellStyles, clip, money, short_date, whole_money

# When the cursor comes this close to either end of the loaded rows, the next page is asked for.
PREFETCH_ROWS = 40
# Rows kept loaded while moving up from a window far down the list: each page added above
# rebuilds the table, which should stay small (the rows dropped below are read again on the way
# back down).
MAX_LOADED_ROWS = 600


@dataclass(frozen=True)
class ColumnLayout:
    """Widths of the list's columns for one width of screen."""

    compact: bool
    name: int


# Room for the next action's words: "friendly reminder" fits whole.
NEXT_ACTION_WIDTH = 17
# Room for a short date of another year, "27 Jan 2027": a year cut to two digits reads as a day.
SHORT_DATE_WIDTH = 11
# Widths of every column but the name: markers, late, outstanding, open invoices, next, date,
# plus one cell of padding each side of the seven columns (the scrollbar gutter is reserved).
_FIXED_WIDE = 4 + 6 + 13 + 4 + NEXT_ACTION_WIDTH + 10 + 7 * 2
_FIXED_COMPACT = 4 + 4 + 9 + 2 + NEXT_ACTION_WIDTH + SHORT_DATE_WIDTH + 7 * 2
MIN_NAME = 12
MAX_NAME = 40
# Tables narrower than this get the compact columns (whole amounts, shorter headings).
COMPACT_BELOW = 96


def layout_for(width: int, compact: bool) -> ColumnLayout:
    """Give the name column whatever the fixed columns leave of the table's width."""
    fixed = _FIXED_COMPACT if compact else _FIXED_WIDE
    return ColumnLayout(compact, max(MIN_NAME, min(MAX_NAME, width - fixed)))


def layout_for_width(width: int) -> ColumnLayout:
    """The columns for a table this wide: compact below ``COMPACT_BELOW``."""
    return layout_for(width, compact=width < COMPACT_BELOW)


def marker_text(row: TriageRow, today: date, styles: CellStyles) -> Text:
    """The marker letters of a row, in a fixed order."""
    style_of = {
        DISPUTE: styles.late,
        BROKEN_PROMISE: styles.late,
        PROMISE: styles.flag,
        PLAN: styles.money,
        SNOOZED: styles.muted,
        UNDELIVERED: styles.late,
    }
    text = Text(no_wrap=True)
    for marker in markers_of(row, today):
        text.append(marker.letter, style_of[marker])
    return text


def row_cells(
    row: TriageRow, today: date, layout: ColumnLayout, styles: CellStyles
) -> tuple[Text, ...]:
    """The cells of one client line; user text is kept literal."""
    snoozed = row.is_snoozed(today)
    name = Text(clip(one_line(row.name), layout.name), no_wrap=True)
    if snoozed:
        name.stylize(styles.muted)
    if row.days_overdue:
        late_style = styles.late if row.days_overdue > VERY_LATE_DAYS else styles.due
        late = Text(f"{row.days_overdue}d", style=late_style, justify="right")
    else:
        late = Text("–", style=styles.muted, justify="right")
    show_money = whole_money if layout.compact else money
    owed = Text(
        show_money(row.outstanding, row.currency) if row.outstanding else "–",
        style=styles.strong if row.outstanding else styles.muted,
        justify="right",
    )
    count = Text(str(row.open_invoices) if row.open_invoices else "", justify="right")
    words = row.next_action
    if row.next_instalment_on is not None:
        # A running plan: the next instalment's date says more than the action's words.
        words = f"instalment {short_date(row.next_instalment_on, today).strip()}"
    action = Text(clip(words, NEXT_ACTION_WIDTH), no_wrap=True)
    when = Text("", no_wrap=True)
    if row.next_action_on is not None:
        shown = short_date(row.next_action_on, today)
        if not layout.compact:
            shown = "today" if row.next_action_on == today else row.next_action_on.isoformat()
        when = Text(shown, no_wrap=True)
        if row.next_action_on <= today and not snoozed:
            action.stylize(styles.due)
            when.stylize(styles.due)
        else:
            when.stylize(styles.muted)
    return (marker_text(row, today, styles), name, late, owed, count, action, when)


class ClientTable(DataTable[Text]):
    """The triage list: a window of loaded rows, which asks for the next page near either end.

    The window starts at list position ``first``: a client far down a list of 100 000 is shown
    with the pages around it, not with every row above it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Each tooltip is the key's line in the help screen.
        Binding(
            "j", "cursor_down", "Down", show=False, id="cursor_down", tooltip="move down the list"
        ),
        Binding("k", "cursor_up", "Up", show=False, id="cursor_up", tooltip="move up the list"),
        Binding(
            "enter",
            "screen.open_client",
            "Open",
            show=False,
            id="open_client",
            tooltip="open the client's detail (escape comes back)",
        ),
        # In a row list home and end mean the first and last row, not the first and last column.
        Binding("home", "scroll_top", "First", show=False, id="list_top"),
        Binding("end", "scroll_bottom", "Last", show=False, id="list_bottom"),
    ]

    class NeedMoreRows(Message):
        """The cursor is near the last loaded row and more rows exist after it."""

        def __init__(self, offset: int) -> None:
            # The list position of the first row wanted.
            self.offset = offset
            super().__init__()

    class NeedEarlierRows(Message):
        """The cursor is near the first loaded row and more rows exist before it."""

        def __init__(self, before: int) -> None:
            # The list position of the first loaded row: the rows wanted end just before it.
            self.before = before
            super().__init__()

    def __init__(self, *, id: str | None = None, expected_width: int = 80) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, cell_padding=1)
        self.triage_rows: list[TriageRow] = []
        self.total = 0
        # The list position of the first loaded row.
        self.first = 0
        self.today = date.min  # set by show_rows with the session's today
        self.styles_for_cells = CellStyles.plain()
        # Rows shown before the first layout use the width the screen says they will have.
        self.columns_layout = layout_for_width(expected_width)
        self._asked_for: int | None = None
        self._asked_before: int | None = None
        # While the rows are rebuilt the cursor passes through row 0: no page is asked for then.
        self._rebuilding = False

    @property
    def current(self) -> TriageRow | None:
        """The client under the cursor, if any."""
        if not self.triage_rows or not 0 <= self.cursor_row < len(self.triage_rows):
            return None
        return self.triage_rows[self.cursor_row]

    def index_of(self, client_id: int) -> int | None:
        """Where a client sits among the loaded rows."""
        for index, row in enumerate(self.triage_rows):
            if row.client_id == client_id:
                return index
        return None

    def show_rows(
        self, rows: list[TriageRow], total: int, today: date, cursor: int, first: int = 0
    ) -> None:
        """Replace the list with a fresh window from list position ``first``; cursor on a row."""
        self.today = today
        self.triage_rows = list(rows)
        self.total = total
        self.first = first
        self._asked_for = None
        self._asked_before = None
        self._rebuild(cursor)

    def add_page(self, offset: int, rows: list[TriageRow]) -> None:
        """Add a page read from list position ``offset``, if it still joins what is shown."""
        if offset == self.first + len(self.triage_rows):
            self._asked_for = None
            self.triage_rows.extend(rows)
            self.add_rows(self._cells(row) for row in rows)
        elif rows and offset + len(rows) == self.first:
            # A DataTable cannot insert above its rows: rebuild, the cursor on the same client.
            self._asked_before = None
            self._asked_for = None
            kept = self.triage_rows[: MAX_LOADED_ROWS - len(rows)]
            self.triage_rows = [*rows, *kept]
            self.first = offset
            self._rebuild(self.cursor_row + len(rows))

    def restyle(self, styles: CellStyles) -> None:
        """Redraw every loaded row with the current theme's colours."""
        self.styles_for_cells = styles
        self._rebuild(self.cursor_row)

    def fit_width(self, width: int) -> None:
        """Resize the name column for the table's width; rebuild only when something changed."""
        layout = layout_for_width(width)
        if layout != self.columns_layout:
            self.columns_layout = layout
            self._rebuild(self.cursor_row)

    def on_resize(self) -> None:
        """Fit the columns to the new width."""
        self.fit_width(self.scrollable_content_region.width)

    def _rebuild(self, cursor: int) -> None:
        """Redraw columns and rows from the loaded triage rows."""
        self._rebuilding = True
        try:
            self._redraw(cursor)
        finally:
            self._rebuilding = False
        self._ask_for_pages()

    def _redraw(self, cursor: int) -> None:
        """Clear the table and add the columns and the loaded rows again."""
        self.clear(columns=True)
        compact = self.columns_layout.compact
        self.add_column(Text("⚑" if compact else "Flag"), width=4, key="flags")
        self.add_column("Client", width=self.columns_layout.name, key="name")
        self.add_column(Text("Late", justify="right"), width=4 if compact else 6, key="late")
        self.add_column(
            Text("Owed" if compact else "Outstanding", justify="right"),
            width=9 if compact else 13,
            key="owed",
        )
        self.add_column(
            Text("#" if compact else "Inv.", justify="right"), width=2 if compact else 4, key="open"
        )
        self.add_column("Next action", width=NEXT_ACTION_WIDTH, key="next")
        self.add_column("When", width=SHORT_DATE_WIDTH if compact else 10, key="when")
        self.add_rows(self._cells(row) for row in self.triage_rows)
        if self.triage_rows:
            self.move_cursor(row=max(0, min(cursor, len(self.triage_rows) - 1)), animate=False)

    def _cells(self, row: TriageRow) -> tuple[Text, ...]:
        """The rendered cells of a row for the current layout and theme."""
        return row_cells(row, self.today, self.columns_layout, self.styles_for_cells)

    def watch_cursor_coordinate(
        self, old_coordinate: Coordinate, new_coordinate: Coordinate
    ) -> None:
        """Ask for the next page when the cursor nears either end of what is loaded."""
        super().watch_cursor_coordinate(old_coordinate, new_coordinate)
        if not self._rebuilding:
            self._ask_for_pages()

    def _ask_for_pages(self) -> None:
        """Ask for the page after, or before, the loaded rows if the cursor is near that end."""
        if not self.triage_rows:
            return
        loaded_to = self.first + len(self.triage_rows)
        near_end = self.cursor_row >= len(self.triage_rows) - PREFETCH_ROWS
        if loaded_to < self.total and near_end and self._asked_for != loaded_to:
            self._asked_for = loaded_to
            self.post_message(self.NeedMoreRows(loaded_to))
        near_start = self.cursor_row < PREFETCH_ROWS
        if self.first > 0 and near_start and self._asked_before != self.first:
            self._asked_before = self.first
            self.post_message(self.NeedEarlierRows(self.first))
