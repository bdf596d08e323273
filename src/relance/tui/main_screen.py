"""The main screen: totals, the triage list and the highlighted client's detail."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, ClassVar, TypeGuard, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Label, Static
from textual.worker import Worker, WorkerState

from relance import collector
from relance.services.results import ActionResult
from relance.store.database import BookWatch
from relance.store.errors import StoreError
from relance.store.triage import SortKey, Totals, TriageFilter, TriageRow, book_totals
from relance.tui.client_detail import ClientDetailPane
from relance.tui.client_table import ClientTable
from relance.tui.commands import ClientCommands, ImportCommands
from relance.tui.db_thread import in_db_thread
from relance.tui.help_screen import HelpScreen, KeyHelp, key_help
from relance.tui.list_reads import (
    FirstRead,
    ListRead,
    ListRequest,
    ListWindow,
    ReadAfterSave,
    fetch_list,
    fetch_page,
    page_before,
)
from relance.tui.look import CellStyles, user_text
from relance.tui.totals_bar import TotalsBar

if TYPE_CHECKING:
    from relance.services.claims import ClientClaim
    from relance.store.detail import ClientDetail
    from relance.tui.app import RelanceApp
    from relance.tui.modals.base import ActionModal

# Screens at least this wide show the list and the detail side by side.
WIDE_FROM = 140
# The list pane's max-width in the side-by-side layout (relance.tcss).
LIST_MAX_WIDTH = 112
# How often the screen looks whether another program (a CLI command, an import) changed the book.
BOOK_WATCH_SECONDS = 2.0
# Details kept for the clients around the cursor, so that a move shows the next one at once.
DETAIL_CACHE_SIZE = 32
# How long the cursor rests on a client before its neighbours' details are read.
READ_AHEAD_AFTER_SECONDS = 0.03
# Below this the header rounds amounts to whole units to fit on two lines.
TOTALS_COMPACT_BELOW = 110

# Actions that need a highlighted client; they are greyed out when there is none.
CLIENT_ACTIONS = frozenset(
    {
        "log_call",
        "log_contact",
        "send_reminder",
        "write_letter",
        "propose_plan",
        "record_payment",
        "reverse_payment",
        "add_note",
        "snooze",
        "dispute",
        "set_profile",
        "add_invoice",
        "open_client",
    }
)

EMPTY_BOOK = "No clients yet — press a to add one."


def list_width(screen_width: int) -> int:
    """The width the list's rows get on a screen this wide (see relance.tcss).

    Known before the first layout, so the first frame is drawn with the right columns.
    """
    # The pane's round border takes a column each side, the table's scrollbar gutter one more.
    wide = screen_width >= WIDE_FROM
    pane = min(LIST_MAX_WIDTH, screen_width // 2) if wide else screen_width
    return max(0, pane - 3)


def _ready(read: Future[ListWindow] | None) -> TypeGuard[Future[ListWindow]]:
    """True when a list read made ahead has finished without an error."""
    return read is not None and read.done() and read.exception() is None


class ListLoaded(Message):
    """A fresh first window of the list arrived from a worker."""

    def __init__(self, generation: int, window: ListWindow) -> None:
        self.generation = generation
        self.window = window
        super().__init__()


class TotalsLoaded(Message):
    """The header's totals arrived from a worker."""

    def __init__(self, generation: int, totals: Totals) -> None:
        self.generation = generation
        self.totals = totals
        super().__init__()


class PageLoaded(Message):
    """A further window of the list arrived from a worker."""

    def __init__(self, generation: int, offset: int, rows: list[TriageRow]) -> None:
        self.generation = generation
        self.offset = offset
        self.rows = rows
        super().__init__()


class DetailLoaded(Message):
    """One client's detail arrived from a worker (read for the list of that generation)."""

    def __init__(self, detail: ClientDetail, claim: ClientClaim | None, generation: int) -> None:
        self.detail = detail
        self.claim = claim
        self.generation = generation
        super().__init__()


class MainScreen(Screen[None]):
    """Who owes what and how late, the client under the cursor, and one key per action."""

    # Each tooltip is the key's line in the help screen (and the footer's hover text).
    BINDINGS: ClassVar[list[BindingType]] = [
        # Shown in the list's bottom border rather than the footer, to keep the footer short.
        # Priority: the filter takes focus before the next keys are routed, so letters typed
        # right after `/` (a fast typist, keys batched over SSH) land in it.
        Binding(
            "/",
            "filter",
            "Filter",
            show=False,
            priority=True,
            id="filter",
            tooltip="filter by name; enter keeps it, escape clears it",
        ),
        Binding(
            "s",
            "cycle_sort",
            "Sort",
            show=False,
            id="cycle_sort",
            tooltip="sort by days overdue, outstanding, name, next action",
        ),
        Binding(
            "t",
            "due_today",
            "Due today",
            show=False,
            id="due_today",
            tooltip="only clients with an action due by today",
        ),
        Binding("c", "log_call", "Call", id="log_call", tooltip="log a call"),
        Binding(
            "v",
            "log_contact",
            "Contact",
            show=False,
            id="log_contact",
            tooltip="log a visit, letter, text or legal step, or a promise by e-mail",
        ),
        Binding(
            "r",
            "send_reminder",
            "Remind",
            id="send_reminder",
            tooltip="send a reminder (at a letter step: write the letter)",
        ),
        Binding(
            "l",
            "write_letter",
            "Letter",
            show=False,
            id="write_letter",
            tooltip="letter: formal notice or statement as PDF, proof of posting",
        ),
        Binding(
            "p",
            "propose_plan",
            "Plan",
            id="propose_plan",
            tooltip="propose a payment plan, or record the answer to one proposed",
        ),
        Binding("$", "record_payment", "Paid", id="record_payment", tooltip="record a payment"),
        Binding(
            "u",
            "reverse_payment",
            "Reverse payment",
            show=False,
            id="reverse_payment",
            tooltip="reverse a payment (a bounced transfer)",
        ),
        Binding("n", "add_note", "Note", id="add_note", tooltip="add a note"),
        Binding("z", "snooze", "Snooze", id="snooze", tooltip="snooze the client until a date"),
        Binding("d", "dispute", "Dispute", id="dispute", tooltip="open or resolve a dispute"),
        Binding(
            "b",
            "set_profile",
            "Profile",
            show=False,
            id="set_profile",
            tooltip="set the payer profile: careless, bad faith or automatic",
        ),
        Binding(
            "i", "add_invoice", "Invoice", id="add_invoice", tooltip="add an invoice to the client"
        ),
        Binding("a", "add_client", "Add client", id="add_client", tooltip="add a client"),
        Binding(
            "I",
            "import_file",
            "Import",
            show=False,
            id="import_file",
            tooltip="import a CSV file, an e-invoice or an export (with a preview)",
        ),
        Binding(
            "o",
            "retry_outbox",
            "Outbox",
            show=False,
            id="retry_outbox",
            tooltip="outbox: messages queued, refused and sent",
        ),
        Binding("question_mark", "help", "Help", show=False, id="help", tooltip="this help"),
        Binding(
            "escape",
            "back",
            "Back",
            show=False,
            id="back",
            tooltip="leave the detail, or clear the filter",
        ),
        Binding("q", "quit", "Quit", show=False, id="quit", tooltip="quit"),
    ]
    COMMANDS: ClassVar = {ClientCommands, ImportCommands}
    AUTO_FOCUS = "#clients"

    def __init__(self, first_read: FirstRead | None = None) -> None:
        super().__init__()
        # The first list, read before the app loaded (None: read it on mount).
        self._first_read = first_read
        self.sort = SortKey.OVERDUE
        self.filter_text = ""
        self._filter_read_queued = False
        self.due_only = False
        self.styles_for_cells = CellStyles.plain()
        self.book_size = 0
        self._generation = 0
        self._totals_generation = 0
        self._loaded_once = False
        self._detail_wanted: int | None = None
        # Details read since the list was last read (a reload may mean the book changed).
        self._details: dict[int, tuple[ClientDetail, ClientClaim | None]] = {}
        self._reading_ahead: set[int] = set()
        self._read_ahead_timer: Timer | None = None
        # True from the first list's arrival until it is painted: the detail waits meanwhile.
        self._first_paint_pending = False
        self._list_pending = False
        self._pending_request: ListRequest | None = None
        # Whether the footer's client actions were last shown enabled (None: not yet shown).
        self._actions_with_client: bool | None = None

    @property
    def relance(self) -> RelanceApp:
        """The app, with its session state (today, config)."""
        return cast("RelanceApp", self.app)

    @property
    def today(self) -> date:
        """The session's today, fixed by the app at start-up."""
        return self.relance.today

    def compose(self) -> ComposeResult:
        """Header, then the list and the detail (stacked or side by side), then the keys."""
        # Classes set before the widgets mount are styled once, not restyled in on_mount.
        width = self.app.size.width
        self._set_layout_classes(width, update=False)
        yield TotalsBar(id="totals")
        with Container(id="body"):
            with Vertical(id="list-pane"):
                with Horizontal(id="filter-bar"):
                    yield Label("/", id="filter-prompt")
                    yield Input(
                        placeholder="part of a name · enter keeps · escape clears", id="filter"
                    )
                yield ClientTable(id="clients", expected_width=list_width(width))
                yield Static(id="list-message")
            yield ClientDetailPane(id="detail")
        yield Footer(compact=True, show_command_palette=width >= WIDE_FROM)

    def on_mount(self) -> None:
        """Style for the theme, fit the layout, and start the first load."""
        self.styles_for_cells = CellStyles.from_variables(self.app.get_css_variables())
        self._fit_layout(self.size.width)
        table = self.query_one(ClientTable)
        table.styles_for_cells = self.styles_for_cells
        self.query_one(ClientDetailPane).show_message(Text("Loading…"))
        self._update_titles()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        first, self._first_read = self._first_read, None
        # The totals sum the whole book: read once the list is on screen, not competing with it.
        if first is None:
            self._book_watch = BookWatch(self.relance.db_path)
            self.reload(totals=False)
        else:
            self._book_watch = first.watch
            self.reload(totals=False, prepared=first)
        # A list already read is shown in this very frame; otherwise the table says it loads.
        table.loading = self._list_pending
        self.set_interval(BOOK_WATCH_SECONDS, self._watch_book)

    # ---- layout -------------------------------------------------------------------------

    def on_resize(self) -> None:
        """Switch between the stacked and the side-by-side layout."""
        self._fit_layout(self.size.width)

    def _fit_layout(self, width: int) -> None:
        """Apply the layout classes for a screen width and re-render what depends on it."""
        wide = self._set_layout_classes(width)
        # At 80 columns the actions need the whole footer; ctrl+p is listed in the help.
        self.query_one(Footer).show_command_palette = wide
        self._render_totals()
        self._render_detail()

    def _set_layout_classes(self, width: int, *, update: bool = True) -> bool:
        """Mark the screen wide or narrow for a width; True when it is wide."""
        wide = width >= WIDE_FROM
        self.set_class(wide, "-wide", update=update)
        self.set_class(not wide, "-narrow", update=update)
        if wide:
            self.remove_class("-expanded", update=update)
        return wide

    def _render_totals(self) -> None:
        """Draw the header from the last totals read."""
        bar = self.query_one(TotalsBar)
        if bar.totals is not None:
            compact = self.size.width < TOTALS_COMPACT_BELOW
            bar.show_totals(bar.totals, self.today, self.styles_for_cells, compact=compact)

    def _render_detail(self) -> None:
        """Draw the detail pane from the last detail read."""
        pane = self.query_one(ClientDetailPane)
        if pane.detail is not None:
            self._show_detail(pane.detail)

    def _show_detail(self, detail: ClientDetail) -> None:
        """Put a client's detail in the pane (it picks its own compactness from its width)."""
        self.query_one(ClientDetailPane).show_detail(detail, self.today, self.styles_for_cells)

    def _theme_changed(self, theme: Theme) -> None:
        """Redraw every coloured cell with the new theme's colours."""
        self.styles_for_cells = CellStyles.from_variables(self.app.get_css_variables())
        self.query_one(ClientTable).restyle(self.styles_for_cells)
        self._render_totals()
        self._render_detail()

    # ---- loading ------------------------------------------------------------------------

    @property
    def where(self) -> TriageFilter:
        """The list's current filter."""
        return TriageFilter(self.filter_text, self.today if self.due_only else None)

    @property
    def current(self) -> TriageRow | None:
        """The highlighted client, if any."""
        return self.query_one(ClientTable).current

    def reload(
        self,
        *,
        select_client: int | None = None,
        select_index: int = 0,
        reveal: bool = False,
        totals: bool = True,
        keep_cursor: bool = False,
        prepared: ListRead | None = None,
    ) -> None:
        """Re-read the list (and totals) in a worker; older pending reads are ignored.

        A ``prepared`` read (made while the app started, or by a form's save) is taken instead
        when it answers this very request: shown at once when it is ready, else awaited in the
        list's worker.
        """
        self._generation += 1
        self._list_pending = True
        self._details.clear()
        self._reading_ahead.clear()
        request = ListRequest(
            self.today,
            self.sort,
            self.where,
            select_client,
            select_index,
            reveal,
            totals,
            keep_cursor,
        )
        self._pending_request = request
        window = None
        if prepared is not None and prepared.request.same_window(request):
            window = prepared.window
        if _ready(window):
            self.on_list_loaded(ListLoaded(self._generation, window.result()))
        else:
            self._load_list(self._generation, request, window)
        if totals:
            self._reload_totals()

    def _reload_totals(self) -> None:
        """Sum the book again for the header."""
        self._totals_generation += 1
        self._load_totals(self._totals_generation, self.today)

    @work(thread=True, group="list", exit_on_error=False)
    def _load_list(
        self, generation: int, request: ListRequest, read: Future[ListWindow] | None = None
    ) -> None:
        """Worker: read the first window of the list, or wait for the read already started."""
        if read is not None:
            self.post_message(ListLoaded(generation, read.result()))
            return
        # Every read starts with a look of the watch: what was committed before it (another
        # program's change, or this app's own save) is in this read, so the watch's next tick
        # does not read the list once more for it.
        with contextlib.suppress(StoreError):
            self._book_watch.changed()
        window = in_db_thread(fetch_list, request)
        self.post_message(ListLoaded(generation, window))

    @work(thread=True, group="totals", exit_on_error=False)
    def _load_totals(self, generation: int, today: date) -> None:
        """Worker: sum the book for the header, apart from the list so the list paints first."""
        totals = in_db_thread(book_totals, today)
        self.post_message(TotalsLoaded(generation, totals))

    def on_totals_loaded(self, message: TotalsLoaded) -> None:
        """Show the latest totals asked for."""
        if message.generation == self._totals_generation:
            self.query_one(TotalsBar).totals = message.totals
            self._render_totals()

    @work(thread=True, group="page", exit_on_error=False)
    def _load_page(
        self, generation: int, request: ListRequest, offset: int, limit: int | None = None
    ) -> None:
        """Worker: read a further page of the list."""
        rows = in_db_thread(fetch_page, request, offset, limit)
        self.post_message(PageLoaded(generation, offset, rows))

    @work(thread=True, group="watch", exclusive=True, exit_on_error=False)
    def _watch_book(self) -> None:
        """Worker: when another program committed to the book, reload keeping the cursor."""
        try:
            changed = self._book_watch.changed()
        except StoreError:
            # A look that fails (the book busy a moment) is simply taken again at the next tick.
            return
        if changed:
            self.app.call_from_thread(self._reload_keeping_cursor)

    @work(thread=True, group="detail", exit_on_error=False)
    def _load_detail(self, client_id: int, today: date, generation: int) -> None:
        """Worker: read the highlighted client's detail."""
        self.post_message(self._read_detail(client_id, today, generation))

    @work(thread=True, group="detail-ahead", exit_on_error=False)
    def _load_detail_ahead(self, client_id: int, today: date, generation: int) -> None:
        """Worker: read a neighbour's detail before the cursor gets there."""
        self.post_message(self._read_detail(client_id, today, generation))

    def _read_detail(self, client_id: int, today: date, generation: int) -> DetailLoaded:
        """One client's detail and claim, as the message that brings them to the screen."""
        # Imported here, after the first paint: the claim's interest and letters are not needed
        # to show the list.
        from relance.services.claims import detail_with_claim

        costs = self.relance.config.law.court_costs
        detail, claim = in_db_thread(detail_with_claim, client_id, today, court_costs=costs)
        return DetailLoaded(detail, claim, generation)

    def on_list_loaded(self, message: ListLoaded) -> None:
        """Show a fresh list, keep the cursor where it was asked to be, load the detail."""
        if message.generation != self._generation:
            return
        window = message.window
        if window.where != self.where and not window.lifted:
            # Read under a filter the user has changed since: read again under the new one.
            self.reload(select_index=0, totals=False)
            return
        first_load = not self._loaded_once
        self._loaded_once = True
        self._list_pending = False
        if window.lifted:
            # The client asked for was hidden by the filter, which was lifted to show it.
            self.filter_text = window.where.text
            self.due_only = window.where.due_by is not None
            self.query_one("#filter", Input).value = self.filter_text
            self.query_one("#filter-bar").display = bool(self.filter_text)
        self.book_size = window.book_size
        table = self.query_one(ClientTable)
        table.loading = False
        if self.focused is None:
            # A loading widget cannot take focus, so the first load hands it over here.
            self.set_focus(table)
        table.show_rows(
            window.rows, window.total, self.today, self._cursor_for(window), window.first
        )
        self._update_titles()
        self._show_list_message()
        self._detail_wanted = None
        if first_load:
            # The detail's read (and its first imports) would compete with the first paint of
            # the list for the interpreter: start it once the list is on screen.
            self._first_paint_pending = True
            self.call_after_refresh(self._first_list_painted)
        self._want_detail()
        self._refresh_client_actions()

    def _cursor_for(self, window: ListWindow) -> int:
        """Where the cursor goes: as asked, unless the user moved while the list was read.

        A reload that keeps the cursor (another program's change, a new sort) asked for the
        client highlighted when it started; a client highlighted since then wins.
        """
        current = self.current
        if window.kept is None or current is None or current.client_id == window.kept:
            return window.cursor
        moved_to = next(
            (index for index, row in enumerate(window.rows) if row.client_id == current.client_id),
            None,
        )
        return window.cursor if moved_to is None else moved_to

    def _first_list_painted(self) -> None:
        """Load the detail held back while the first list was painted, and get ready to write."""
        collector.release()
        self._first_paint_pending = False
        self._detail_wanted = None
        self._want_detail()
        self._reload_totals()
        self._prepare_for_writes(self.today)

    @work(thread=True, group="prepare", exit_on_error=False)
    def _prepare_for_writes(self, today: date) -> None:
        """Worker: build this year's public holidays, which the first save otherwise waits for.

        Every write works out the next action on a working day; the holidays package takes a
        tenth of a second to load, better spent while the user reads the list.
        """
        from relance.domain.jurisdictions import default_jurisdiction
        from relance.domain.ladder import country_of
        from relance.domain.working_days import prepare_holidays

        configured = self.relance.config.law.default_jurisdiction
        prepare_holidays(country_of(default_jurisdiction("b2b", configured)), today.year)

    def on_page_loaded(self, message: PageLoaded) -> None:
        """Add a further page to the list, unless the list was reloaded meanwhile."""
        if message.generation == self._generation:
            self.query_one(ClientTable).add_page(message.offset, message.rows)

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        """Keep a client's detail, and show it if it is the highlighted one."""
        client_id = message.detail.client_id
        self._reading_ahead.discard(client_id)
        if message.generation == self._generation:
            # Read since the last reload: nothing changed in the book after it.
            self._details.pop(client_id, None)
            self._details[client_id] = (message.detail, message.claim)
            while len(self._details) > DETAIL_CACHE_SIZE:
                del self._details[next(iter(self._details))]
        row = self.current
        if row is not None and row.client_id == client_id:
            self._put_detail(message.detail, message.claim)
            self._schedule_read_ahead()

    def _put_detail(self, detail: ClientDetail, claim: ClientClaim | None) -> None:
        """Show a client's detail with the claim read along with it."""
        self.query_one(ClientDetailPane).claim = claim
        self._show_detail(detail)

    def _schedule_read_ahead(self) -> None:
        """Read the neighbours once the cursor rests, after this detail has been painted.

        A read in a thread competes with the layout for the interpreter; while the cursor keeps
        moving (a key held down) no read is started at all.
        """
        if self._read_ahead_timer is not None:
            self._read_ahead_timer.stop()
        self._read_ahead_timer = self.set_timer(READ_AHEAD_AFTER_SECONDS, self._read_ahead)

    def _read_ahead(self) -> None:
        """Read the details of the clients just above and below the cursor."""
        table = self.query_one(ClientTable)
        for index in (table.cursor_row + 1, table.cursor_row - 1):
            if not 0 <= index < len(table.triage_rows):
                continue
            client_id = table.triage_rows[index].client_id
            if client_id not in self._details and client_id not in self._reading_ahead:
                self._reading_ahead.add(client_id)
                self._load_detail_ahead(client_id, self.today, self._generation)

    @on(ClientTable.NeedMoreRows)
    def _more_rows(self, message: ClientTable.NeedMoreRows) -> None:
        """Fetch the next page for the list, unless a fresh list is on its way."""
        if self._list_pending:
            return
        request = ListRequest(self.today, self.sort, self.where)
        self._load_page(self._generation, request, message.offset)

    @on(ClientTable.NeedEarlierRows)
    def _earlier_rows(self, message: ClientTable.NeedEarlierRows) -> None:
        """Fetch the page above the loaded rows, unless a fresh list is on its way."""
        if self._list_pending:
            return
        request = ListRequest(self.today, self.sort, self.where)
        self._load_page(self._generation, request, *page_before(message.before))

    @on(DataTable.RowHighlighted, "#clients")
    def _row_highlighted(self) -> None:
        """Follow the cursor with the detail pane."""
        self._want_detail()
        self._refresh_client_actions()

    def _refresh_client_actions(self) -> None:
        """Grey out or bring back the client actions when a client comes or goes.

        Only then: refreshing the bindings rebuilds the footer, which on every move of the
        cursor would cost a layout of the whole screen.
        """
        with_client = self.current is not None
        if with_client != self._actions_with_client:
            self._actions_with_client = with_client
            self.refresh_bindings()

    def _want_detail(self) -> None:
        """Load the highlighted client's detail unless it is already on its way."""
        row = self.current
        pane = self.query_one(ClientDetailPane)
        if row is None:
            self._detail_wanted = None
            pane.show_message(self._empty_detail_text())
            return
        if self._detail_wanted == row.client_id:
            return
        self._detail_wanted = row.client_id
        known = self._details.get(row.client_id)
        if known is not None:
            # Read ahead while the cursor was next to it: shown with the move, in one frame.
            self._put_detail(*known)
            self._schedule_read_ahead()
            return
        if pane.client_id != row.client_id:
            pane.show_message(Text("Loading…", style="dim"), name=row.name)
        if not self._first_paint_pending:
            # Read once the list is painted: a read in a thread would compete with that paint
            # for the interpreter, and the list (a filter narrowed, a form closed) comes first.
            self.call_after_refresh(self._load_wanted_detail, row.client_id, self._generation)

    def _load_wanted_detail(self, client_id: int, generation: int) -> None:
        """Read a client's detail, if it is still the one wanted from the same list."""
        if self._detail_wanted == client_id and self._generation == generation:
            self._load_detail(client_id, self.today, generation)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report a failed read as one line, never a traceback."""
        if event.state is not WorkerState.ERROR or event.worker.group == "detail-ahead":
            # A neighbour read ahead that failed is simply read when the cursor gets there.
            return
        error = event.worker.error
        if event.worker.group == "list":
            self._list_pending = False
        self.query_one(ClientTable).loading = False
        self._detail_wanted = None
        self.notify(str(error) or type(error).__name__, severity="error", markup=False)

    # ---- what the list says about itself -------------------------------------------------

    def _update_titles(self) -> None:
        """Say in the list's border how many clients are shown, under what filter and sort."""
        table = self.query_one(ClientTable)
        pane = self.query_one("#list-pane")
        title = Text("Clients ")
        if self.where == TriageFilter():
            title.append(f"{table.total}")
        else:
            title.append(f"{table.total} of {self.book_size}")
        if self.filter_text:
            title.append(" · name contains ")
            title.append_text(user_text(f"“{self.filter_text}”"))
        if self.due_only:
            title.append(" · due today")
        pane.border_title = title
        pane.border_subtitle = Text(
            f"sort: {self.sort.value} (s) · / filter · t due · ? help · q quit"
        )

    def _show_list_message(self) -> None:
        """Say why the list is empty: an empty book, or a filter that matches nobody."""
        table = self.query_one(ClientTable)
        message = self.query_one("#list-message", Static)
        empty = not table.triage_rows
        message.display = empty
        table.display = not empty
        if empty:
            message.update(self._empty_list_text())

    def _empty_list_text(self) -> Text:
        """The line shown in place of an empty list."""
        if self.book_size == 0:
            return Text(EMPTY_BOOK, style="bold")
        if not self.filter_text:
            return Text("No client has an action due today. Press t to show everyone.")
        text = Text("No client matches ")
        text.append_text(user_text(f"“{self.filter_text}”"))
        if self.due_only:
            text.append(" with an action due today")
        text.append(". Press escape to clear the filter")
        text.append(", t to show everyone." if self.due_only else ".")
        return text

    def _empty_detail_text(self) -> Text:
        """The line shown in the detail pane when no client is highlighted."""
        if not self._loaded_once:
            return Text("Loading…", style="dim")
        if self.book_size == 0:
            return Text(EMPTY_BOOK)
        return Text("No client highlighted.", style="dim")

    # ---- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out the client actions while no client is highlighted."""
        if action in CLIENT_ACTIONS and self.current is None:
            return None
        return True

    def action_filter(self) -> None:
        """Open the name filter and put the cursor in it (in the filter, `/` is just typed)."""
        field = self.query_one("#filter", Input)
        if self.focused is field:
            field.insert_text_at_cursor("/")
            return
        self.query_one("#filter-bar").display = True
        # Focus at once (not after a refresh) so the keys typed right after `/` reach it.
        self.set_focus(field)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        """Narrow the list as the user types."""
        if event.value == self.filter_text:
            return
        self.filter_text = event.value
        self._update_titles()
        # One read at a time, however fast the typing: keys already queued are taken in before
        # it starts, and a read on its way is followed, when it arrives, by one more under the
        # text as it then is (see on_list_loaded).
        if not self._list_pending and not self._filter_read_queued:
            self._filter_read_queued = True
            self.call_later(self._read_filtered)

    def _read_filtered(self) -> None:
        """Read the list under the filter as typed so far."""
        self._filter_read_queued = False
        if not self._list_pending:
            self.reload(select_index=0, totals=False)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        """Keep the filter and go back to the list."""
        if not self.filter_text:
            self.query_one("#filter-bar").display = False
        self.set_focus(self.query_one(ClientTable))

    def action_back(self) -> None:
        """Leave the detail pane, else clear the filter."""
        detail = self.query_one(ClientDetailPane)
        if self.has_class("-expanded") or detail.has_focus_within:
            self.remove_class("-expanded")
            self.set_focus(self.query_one(ClientTable))
            return
        if self.filter_text or self.query_one("#filter-bar").display:
            self.query_one("#filter-bar").display = False
            self.set_focus(self.query_one(ClientTable))
            if self.filter_text:
                current = self.current
                self.filter_text = ""
                self.query_one("#filter", Input).value = ""
                self.reload(select_client=current.client_id if current else None, totals=False)
                self._update_titles()

    def action_cycle_sort(self) -> None:
        """Sort the list the next way, keeping the highlighted client under the cursor."""
        self.sort = self.sort.following()
        self._reload_keeping_cursor(totals=False)

    def action_due_today(self) -> None:
        """Show only the clients whose next action is due today or earlier, or everyone again."""
        self.due_only = not self.due_only
        self._reload_keeping_cursor(totals=False)

    def _reload_keeping_cursor(self, *, totals: bool = True) -> None:
        """Reload with the same client highlighted, or the top row if it is gone."""
        pending = self._pending_request if self._list_pending else None
        if pending is not None:
            # A reload is on its way (after a save, say, that moves the cursor to a new
            # client): read again, but land where that one would have.
            self.reload(
                select_client=pending.select_client,
                select_index=pending.select_index,
                reveal=pending.reveal,
                totals=totals or pending.totals,
                keep_cursor=pending.keep_cursor,
            )
        else:
            current = self.current
            self.reload(
                select_client=current.client_id if current else None,
                totals=totals,
                keep_cursor=True,
            )
        self._update_titles()

    def action_open_client(self) -> None:
        """Focus the detail pane; in the stacked layout it takes the whole body."""
        if self.current is None:
            return
        if self.has_class("-narrow"):
            self.add_class("-expanded")
        self.set_focus(self.query_one(ClientDetailPane))

    def go_to_client(self, client_id: int) -> None:
        """Highlight a client, lifting the filter if it hides it."""
        self.remove_class("-expanded")
        self.set_focus(self.query_one(ClientTable))
        self.reload(select_client=client_id, reveal=True, totals=False)

    def action_help(self) -> None:
        """Show every key (as remapped by the config) and the meaning of the marks."""
        self.app.push_screen(HelpScreen(self.key_help()))

    def key_help(self) -> list[KeyHelp]:
        """The key table, with the keys the config's ``[keys]`` section put in place."""
        return self.key_help_for(self.relance.config.keys)

    @staticmethod
    def key_help_for(remapped: dict[str, str]) -> list[KeyHelp]:
        """The key table of the list, this screen, the outbox and the app, with these remapped."""
        from relance.tui.app import RelanceApp
        from relance.tui.outbox_screen import OutboxScreen

        return key_help([ClientTable, MainScreen, OutboxScreen, RelanceApp], remapped)

    def action_quit(self) -> None:
        """Leave relance."""
        self.app.exit()

    # ---- actions that open a form --------------------------------------------------------

    def _open_form(
        self,
        make: Callable[[TriageRow], ActionModal],
        then: Callable[[TriageRow, ActionResult], None] | None = None,
    ) -> None:
        """Push a form for the highlighted client; refresh everything when it saves.

        ``then`` is called with the row and the result once the form has saved and closed.
        """
        row = self.current
        if row is None:
            return
        self._push_form(make(row), then=partial(then, row) if then else None)

    def _push_form(
        self,
        form: ActionModal,
        *,
        reveal: bool = False,
        then: Callable[[ActionResult], None] | None = None,
    ) -> None:
        """Show a form; its save reads the list again before it closes, to close onto it."""
        after = ReadAfterSave(
            self._book_watch, ListRequest(self.today, self.sort, self.where, reveal=reveal)
        )
        form.after_save = lambda result: after.after(result.client_id)
        self.app.push_screen(
            form, partial(self._after_action, reveal=reveal, after=after, then=then)
        )

    def _open_client_form(self, form: Callable[[int, str], ActionModal]) -> None:
        """Open a form for the highlighted client, given its id and its name."""
        self._open_form(lambda row: form(row.client_id, row.name))

    def _after_action(
        self,
        result: ActionResult | None,
        *,
        reveal: bool,
        after: ReadAfterSave,
        then: Callable[[ActionResult], None] | None = None,
    ) -> None:
        """Show the list read after the save, keep the cursor on the client, say what was done."""
        if result is None:
            return
        self.notify(result.summary, markup=False)
        self.reload(select_client=result.client_id, reveal=reveal, prepared=after.read)
        if then is not None:
            then(result)

    def action_log_call(self) -> None:
        """Log a call for the highlighted client."""
        from relance.tui.modals.call import CallModal

        self._open_client_form(CallModal)

    def action_log_contact(self) -> None:
        """Log a visit, letter, text or legal step, or a promise made by e-mail."""
        from relance.tui.modals.contact import ContactModal

        self._open_client_form(ContactModal)

    def action_send_reminder(self) -> None:
        """Send a reminder to the highlighted client; at a letter step, write the letter."""
        # Imported on use: the letters service (fonts, wording) is not needed to show the list.
        from relance.services.letters import is_letter_step

        row = self.current
        if row is not None and is_letter_step(row.next_action, row.ladder_step):
            self.action_write_letter()
            return
        from relance.tui.modals.reminder import ReminderModal

        self._open_client_form(ReminderModal)

    def action_write_letter(self) -> None:
        """Write a letter to the highlighted client, or record the posting of one."""
        from relance.tui.modals.letter import LetterModal

        self._open_client_form(LetterModal)

    def action_propose_plan(self) -> None:
        """Propose a payment plan, or record the answer to the one already proposed."""
        from relance.tui.modals.plan import PlanAnswerModal, PlanModal
        from relance.tui.modals.reminder import ReminderModal

        def form(row: TriageRow) -> ActionModal:
            # A live plan with no instalment to come is a proposal waiting for its answer.
            if row.has_plan and row.next_instalment_on is None:
                return PlanAnswerModal(row.client_id, row.name)
            return PlanModal(row.client_id, row.name)

        def offer_proposal(row: TriageRow, result: ActionResult) -> None:
            # A new proposal opens the reminder form on it: ctrl+s sends it, escape does not.
            if result.record.get("status") == "proposed":
                self._push_form(ReminderModal(row.client_id, row.name))

        self._open_form(form, offer_proposal)

    def action_record_payment(self) -> None:
        """Record a payment from the highlighted client."""
        from relance.tui.modals.payment import PaymentModal

        self._open_client_form(PaymentModal)

    def action_reverse_payment(self) -> None:
        """Reverse a payment of the highlighted client."""
        from relance.tui.modals.payment import ReversePaymentModal

        self._open_client_form(ReversePaymentModal)

    def action_add_note(self) -> None:
        """Add a note to the highlighted client."""
        from relance.tui.modals.note import NoteModal

        self._open_client_form(NoteModal)

    def action_snooze(self) -> None:
        """Snooze the highlighted client."""
        from relance.tui.modals.snooze import SnoozeModal

        self._open_client_form(SnoozeModal)

    def action_dispute(self) -> None:
        """Open or resolve a dispute with the highlighted client."""
        from relance.tui.modals.dispute import DisputeModal

        self._open_form(lambda row: DisputeModal(row.client_id, row.name, row.disputed))

    def action_set_profile(self) -> None:
        """Set the highlighted client's payer profile by hand, or back to automatic."""
        from relance.tui.modals.profile import ProfileModal

        self._open_form(lambda row: ProfileModal(row.client_id, row.name, row.payer_profile))

    def action_add_invoice(self) -> None:
        """Add an invoice to the highlighted client."""
        from relance.tui.modals.invoice_form import AddInvoiceModal

        self._open_client_form(AddInvoiceModal)

    def action_retry_outbox(self) -> None:
        """Open the outbox; the list is read again on the way back, for its `@` markers."""
        # Imported on use: SMTP, TLS and the e-mail packages are not needed to show the list.
        from relance.tui.outbox_screen import OutboxScreen

        self.app.push_screen(OutboxScreen(), lambda _: self._reload_keeping_cursor())

    def action_add_client(self) -> None:
        """Add a client; once saved it is highlighted, even if the filter would hide it."""
        from relance.tui.modals.client_form import AddClientModal

        self._push_form(AddClientModal(), reveal=True)

    def action_import_file(self) -> None:
        """Import a file after a preview; the list is read again once it is in."""
        from relance.tui.import_screen import ImportScreen

        self._push_form(ImportScreen(), reveal=True)
