"""Pilot tests of the main screen: list, detail, filter, sort, palette, themes, layouts."""

from __future__ import annotations

import re
import threading
import tomllib
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual import events
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input

from relance.config import Config
from relance.services import claims
from relance.services.claims import detail_with_claim as real_detail_with_claim
from relance.services.payments import record_payment
from relance.services.results import ActionResult
from relance.store import triage
from relance.store.triage import TriageFilter, triage_window
from relance.tui import client_table, list_reads, main_screen
from relance.tui.app import RelanceApp
from relance.tui.client_detail import ClientDetailPane
from relance.tui.client_table import ClientTable
from relance.tui.help_screen import HelpScreen
from relance.tui.main_screen import EMPTY_BOOK, MainScreen
from relance.tui.modals import call, client_form, dispute, payment
from relance.tui.themes import BUNDLED_THEMES
from tui_fixtures import (
    ESCAPE_NOTE,
    MARKUP_NAME,
    make_app,
    moment,
    run_async,
    screen_text,
    seed_book,
    seed_markup_client,
    settle,
)

NARROW = (80, 24)
WIDE = (200, 60)


@pytest.fixture
def seeded(book: SqliteDatabase, today: date) -> dict[str, int]:
    """The eight-client book."""
    return seed_book(today)


@pytest.fixture
def db_path(book: SqliteDatabase) -> Path:
    """The book's file."""
    return Path(book.database)


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    """A config file path under the test's folder (not created until saved)."""
    return tmp_path / "config" / "config.toml"


def table_of(app: RelanceApp) -> ClientTable:
    """The client list of the main screen."""
    return app.screen.query_one(ClientTable)


def names(app: RelanceApp) -> list[str]:
    """The client names in list order."""
    return [row.name for row in table_of(app).triage_rows]


def detail_of(app: RelanceApp) -> ClientDetailPane:
    """The detail pane of the main screen."""
    return app.screen.query_one(ClientDetailPane)


def cell_plain(app: RelanceApp, row: int, column: int) -> str:
    """The text of one cell of the list as drawn."""
    return str(table_of(app).get_row_at(row)[column].plain)


@run_async
async def test_list_is_sorted_most_days_overdue_first(
    seeded: dict[str, int], db_path: Path, config_path: Path, today: date
) -> None:
    """The list shows every client, the oldest debt first, with days, amounts and markers."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert names(app) == [
            "Atelier Dupont SARL",
            "Northwind Trading Ltd",
            "Studio Lumière",
            "Hôtel Belvédère",
            "Boulangerie Martin",
            "Green Leaf Cafe",
            "Claire Moreau",
            "Zen Yoga",
        ]
        days = [row.days_overdue for row in table_of(app).triage_rows]
        assert days == sorted(days, reverse=True)
        assert cell_plain(app, 0, 2) == "120d"
        assert cell_plain(app, 1, 0) == "D"  # Northwind disputes
        assert cell_plain(app, 2, 0) == "$"  # Studio Lumière has a plan
        assert cell_plain(app, 3, 0) == "Z"  # Hôtel Belvédère is snoozed
        assert cell_plain(app, 4, 0) == "P"  # Boulangerie Martin promised
        assert cell_plain(app, 1, 3) == "€12,500"
        text = screen_text(app)
        assert "Owed €24,580  Overdue €23,500  Late 6/8  DSO" in text
        assert "61–90 €12,500  90+ €3,600" in text


@run_async
async def test_moving_the_cursor_updates_the_detail(
    seeded: dict[str, int], db_path: Path, config_path: Path, today: date
) -> None:
    """The detail pane follows the highlighted client: invoices and history, newest first."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert detail_of(app).client_id == seeded["dupont"]
        await pilot.press("j")
        await settle(pilot)
        pane = detail_of(app)
        assert pane.client_id == seeded["northwind"]
        text = screen_text(app)
        assert "DISPUTE" in text
        assert "F-2026-044" in text
        assert text.index("dispute opened") < text.index("client added")
        await pilot.press("down", "down", "k")
        await settle(pilot)
        assert detail_of(app).client_id == seeded["lumiere"]
        assert "Plan proposed" in screen_text(app)


@run_async
async def test_slash_filters_by_name_and_escape_clears(
    seeded: dict[str, int], db_path: Path, config_path: Path, today: date
) -> None:
    """Typing after `/` narrows the list as you type; escape brings everyone back."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press("l", "u", "m")
        await settle(pilot)
        assert names(app) == ["Studio Lumière"]
        assert detail_of(app).client_id == seeded["lumiere"]
        await pilot.press("escape")
        await settle(pilot)
        assert len(names(app)) == 8
        assert isinstance(app.focused, ClientTable)
        assert not app.screen.query_one("#filter-bar").display


@run_async
async def test_filter_that_matches_nobody_says_so(
    seeded: dict[str, int], db_path: Path, config_path: Path, today: date
) -> None:
    """An empty result shows a message with the filter text, shown literally."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("slash", "left_square_bracket", "x", "enter")
        await settle(pilot)
        assert names(app) == []
        assert "No client matches “[x”" in screen_text(app)
        assert app.screen.check_action("log_call", ()) is None


@run_async
async def test_s_cycles_the_sort_and_keeps_the_client(
    seeded: dict[str, int], db_path: Path, config_path: Path, today: date
) -> None:
    """`s` sorts by outstanding next, then by name; the highlighted client stays highlighted."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")  # Studio Lumière
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert names(app)[0] == "Northwind Trading Ltd"
        outstanding = [row.outstanding for row in table_of(app).triage_rows]
        assert outstanding == sorted(outstanding, reverse=True)
        assert table_of(app).current is not None
        assert table_of(app).current.client_id == seeded["lumiere"]
        assert "sort: outstanding" in screen_text(app)
        await pilot.press("s")
        await settle(pilot)
        assert names(app) == sorted(names(app), key=str.lower)
        assert "sort: name" in screen_text(app)


@run_async
async def test_t_shows_only_actions_due_today(
    seeded: dict[str, int], db_path: Path, config_path: Path, today: date
) -> None:
    """`t` keeps the clients whose next action is due by today; `t` again shows everyone."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        due = [row.name for row in triage_window(today, where=TriageFilter(due_by=today))]
        assert names(app) == due
        assert "Claire Moreau" not in names(app)  # reminder not due before December
        assert "Hôtel Belvédère" not in names(app)  # snoozed for a week
        assert "Atelier Dupont SARL" in names(app)
        assert all(
            row.next_action_on is not None and row.next_action_on <= today
            for row in table_of(app).triage_rows
        )
        assert "due today" in screen_text(app)
        await pilot.press("t")
        await settle(pilot)
        assert len(names(app)) == 8


@run_async
async def test_palette_goes_to_a_client_by_fuzzy_name(
    seeded: dict[str, int], db_path: Path, config_path: Path, today: date
) -> None:
    """ctrl+p, part of a name, enter: the cursor lands on that client, even if filtered out."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("slash", "d", "u", "p", "enter")
        await settle(pilot)
        assert names(app) == ["Atelier Dupont SARL"]
        await pilot.press("ctrl+p")
        await pilot.press(*"green")
        await settle(pilot)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        current = table_of(app).current
        assert current is not None and current.name == "Green Leaf Cafe"
        assert detail_of(app).client_id == seeded["leaf"]
        assert len(names(app)) == 8, "the filter hiding the client was lifted"


@run_async
async def test_theme_switch_from_the_palette_is_saved(
    seeded: dict[str, int], db_path: Path, config_path: Path, today: date
) -> None:
    """Picking a theme in the palette applies it and writes it to the config file."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert app.theme == "relance-dark"
        assert {"relance-light", "relance-high-contrast", "relance-ansi"} <= set(
            app.available_themes
        )
        await pilot.press("ctrl+p")
        await pilot.press(*"theme relance-light")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "relance-light"
        saved = tomllib.loads(config_path.read_text(encoding="utf-8"))
        assert saved["theme"] == "relance-light"
        assert app.config.theme == "relance-light"


@run_async
async def test_saved_theme_is_applied_at_start(
    seeded: dict[str, int], db_path: Path, tmp_path: Path, today: date
) -> None:
    """The theme in the config file is the one the app opens with; nothing is rewritten."""
    config = Config(path=tmp_path / "config.toml", theme="relance-ansi")
    app = RelanceApp(db_path, config, today, tmp_path / "outbox")
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert app.theme == "relance-ansi"
        assert app.current_theme.ansi
    assert not (tmp_path / "config.toml").exists()


@run_async
async def test_broken_theme_file_is_reported_and_skipped(
    seeded: dict[str, int], db_path: Path, tmp_path: Path, today: date
) -> None:
    """A bad theme file gives one toast naming it; the good ones still load."""
    user_themes = tmp_path / "themes"
    user_themes.mkdir()
    (user_themes / "broken.toml").write_text('name = "broken"\n[colors]\nprimary = "#zzz"\n')
    (user_themes / "garbage.toml").write_text("this is = = not toml")
    (user_themes / "extra.toml").write_text('name = "extra"\n[colors]\nprimary = "#336699"\n')
    config = Config(path=tmp_path / "config.toml", theme="broken")
    app = RelanceApp(
        db_path, config, today, tmp_path / "outbox", theme_dirs=[BUNDLED_THEMES, user_themes]
    )
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert "broken" not in app.available_themes
        assert "extra" in app.available_themes
        assert app.theme == "relance-dark", "falls back to the default theme"
        messages = [note.message for note in app._notifications]
        failures = [m for m in messages if "broken.toml" in m]
        assert len(failures) == 1
        assert "garbage.toml" in failures[0]
        assert "extra.toml" not in failures[0]


@run_async
async def test_without_any_theme_file_a_builtin_theme_is_used(
    seeded: dict[str, int], db_path: Path, tmp_path: Path, today: date
) -> None:
    """If even the default theme file is broken, a theme built into Textual takes over."""
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "relance-dark.toml").write_text('name = "relance-dark"\n[colors]\n')
    config = Config(path=tmp_path / "config.toml")
    app = RelanceApp(db_path, config, today, tmp_path / "outbox", theme_dirs=[themes])
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        assert names(app)[0] == "Atelier Dupont SARL"
        assert any("relance-dark.toml" in n.message for n in app._notifications)


@run_async
async def test_markup_and_escapes_typed_by_users_show_literally(
    seeded: dict[str, int], db_path: Path, config_path: Path, today: date
) -> None:
    """A name that is Rich markup and a note holding an escape sequence are shown as typed."""
    acme = seed_markup_client(today)
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        app.screen.go_to_client(acme)  # type: ignore[attr-defined]
        await settle(pilot)
        table = table_of(app)
        assert table.current is not None and table.current.client_id == acme
        name_cell = table.get_row_at(table.cursor_row)[1]
        assert name_cell.plain == MARKUP_NAME
        assert not name_cell.spans, "no markup style was applied"
        text = screen_text(app)
        assert MARKUP_NAME in text
        assert "[i]INV-1[/i]" in text
        assert "\\x1b[31mred alert\\x1b[0m" in text
        assert "\x1b" not in text
        assert ESCAPE_NOTE not in text
        await pilot.press("slash", *"ACME")
        await settle(pilot)
        assert names(app) == [MARKUP_NAME]
        assert "“ACME”" in screen_text(app)


@run_async
async def test_narrow_layout_stacks_and_enter_expands_the_detail(
    seeded: dict[str, int], db_path: Path, config_path: Path, today: date
) -> None:
    """At 80×24 the detail sits under the list; enter gives it the whole body, escape returns."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.has_class("-narrow")
        list_pane = screen.query_one("#list-pane")
        detail = detail_of(app)
        assert detail.region.y > list_pane.region.y
        assert detail.region.x == list_pane.region.x
        assert list_pane.region.right <= 80 and detail.region.bottom <= 24
        await pilot.press("enter")
        await settle(pilot)
        assert screen.has_class("-expanded")
        assert app.focused is detail
        assert not list_pane.display or list_pane.region.height == 0
        assert "History" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.has_class("-expanded")
        assert isinstance(app.focused, ClientTable)


@run_async
async def test_wide_layout_puts_the_detail_beside_the_list(
    seeded: dict[str, int], db_path: Path, config_path: Path, today: date
) -> None:
    """At 200×60 the list is on the left and the detail on the right, both full height."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.has_class("-wide")
        list_pane = screen.query_one("#list-pane")
        detail = detail_of(app)
        assert detail.region.x >= list_pane.region.right
        assert detail.region.y == list_pane.region.y
        assert detail.region.height > 40
        text = screen_text(app)
        assert "Monday 23 November 2026" in text
        assert "Outstanding €24,580.00    Overdue €23,500.00    Late clients 6 of 8" in text
        assert "€3,600.00" in text
        await pilot.press("enter")
        assert app.focused is detail
        await pilot.press("escape")
        assert isinstance(app.focused, ClientTable)


@run_async
async def test_empty_book_says_how_to_start(
    book: SqliteDatabase, db_path: Path, config_path: Path, today: date
) -> None:
    """With no client the app starts, says how to add one, and greys out client actions."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert names(app) == []
        assert EMPTY_BOOK in screen_text(app)
        assert app.screen.check_action("log_call", ()) is None
        assert app.screen.check_action("add_client", ()) is True
        await pilot.press("c", "s", "t", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


@run_async
async def test_help_lists_keys_and_markers(
    seeded: dict[str, int], db_path: Path, tmp_path: Path, today: date
) -> None:
    """`?` opens the help with every key (as remapped) and the list's markers; escape closes."""
    config = Config(path=tmp_path / "config.toml", keys={"cycle_sort": "o"})
    app = RelanceApp(db_path, config, today, tmp_path / "outbox")
    # Tall enough for every key line and the markers below them, without scrolling.
    async with app.run_test(size=(100, 110)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for expected in ("log_call", "record_payment", "ctrl+p", "payment plan", "snoozed"):
            assert expected in text
        assert re.search(r"\bo\s+sort by days overdue", text)
        assert not re.search(r"\bs\s+sort by days overdue", text)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


def test_every_main_screen_key_has_its_help_line() -> None:
    """The help is built from the bindings: a binding without a tooltip would be missing."""
    lines = {line.binding_id: line for line in MainScreen.key_help_for({})}
    bound = {binding.id for binding in MainScreen.BINDINGS if isinstance(binding, Binding)}
    assert bound <= set(lines)
    assert lines["filter"].keys == "/"
    assert lines["cursor_down"].keys == "j, down"
    assert lines["command_palette"].keys == "ctrl+p"


@run_async
async def test_keys_are_remapped_from_the_config(
    seeded: dict[str, int], db_path: Path, tmp_path: Path, today: date
) -> None:
    """`[keys]` maps binding ids to new keys; the old key no longer does the action."""
    config = Config(path=tmp_path / "config.toml", keys={"cycle_sort": "o"})
    app = RelanceApp(db_path, config, today, tmp_path / "outbox")
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("s")
        await settle(pilot)
        assert screen.sort is triage.SortKey.OVERDUE
        await pilot.press("o")
        await settle(pilot)
        assert screen.sort is triage.SortKey.OUTSTANDING


class FakeModal(ModalScreen[ActionResult | None]):
    """Stands in for a form: it dismisses at once with a result prepared by the test."""

    result: ActionResult | None = None
    opened_with: tuple[Any, ...] = ()

    def __init__(self, *args: Any) -> None:
        super().__init__()
        FakeModal.opened_with = args

    def on_mount(self) -> None:
        """Return the prepared result, as a form would after ctrl+s."""
        self.call_after_refresh(self._save)

    def _save(self) -> None:
        """Dismiss with the prepared result."""
        self.dismiss(FakeModal.result)


@pytest.fixture
def fake_modals(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakeModal]]:
    """Replace the main screen's modals with the fake, so its wiring is tested alone."""
    forms = {
        "CallModal": call,
        "PaymentModal": payment,
        "DisputeModal": dispute,
        "AddClientModal": client_form,
    }
    for cls, module in forms.items():
        monkeypatch.setattr(module, cls, FakeModal)
    FakeModal.result = None
    FakeModal.opened_with = ()
    yield FakeModal


@run_async
async def test_after_an_action_the_list_resorts_and_keeps_the_client(
    seeded: dict[str, int],
    db_path: Path,
    config_path: Path,
    today: date,
    fake_modals: type[FakeModal],
) -> None:
    """A saved form re-reads the list, the cursor follows the client, the summary is shown."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert table_of(app).cursor_row == 0
        dupont = seeded["dupont"]
        record_payment(dupont, "3600.00", datetime.combine(today, moment(today, 0).time()))
        fake_modals.result = ActionResult(dupont, "[b]paid[/b] in full")
        await pilot.press("dollar_sign")
        await settle(pilot)
        assert fake_modals.opened_with == (dupont, "Atelier Dupont SARL")
        table = table_of(app)
        assert table.current is not None and table.current.client_id == dupont
        assert table.cursor_row == len(names(app)) - 2, "now owes nothing: near the bottom"
        assert detail_of(app).client_id == dupont
        assert "Nothing owed" in screen_text(app)
        assert any(n.message == "[b]paid[/b] in full" for n in app._notifications)


@run_async
async def test_cancelled_form_changes_nothing(
    seeded: dict[str, int],
    db_path: Path,
    config_path: Path,
    today: date,
    fake_modals: type[FakeModal],
) -> None:
    """A form dismissed with None leaves the list as it was and says nothing."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await pilot.press("c")
        await settle(pilot)
        assert fake_modals.opened_with == (seeded["northwind"], "Northwind Trading Ltd")
        assert table_of(app).cursor_row == 1
        assert not app._notifications


@run_async
async def test_dispute_and_add_client_forms_get_their_arguments(
    seeded: dict[str, int],
    db_path: Path,
    config_path: Path,
    today: date,
    fake_modals: type[FakeModal],
) -> None:
    """`d` passes whether the client disputes; `a` opens the empty form and reveals the new one."""
    from relance.services.clients import add_client

    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("j", "d")
        await settle(pilot)
        assert fake_modals.opened_with == (seeded["northwind"], "Northwind Trading Ltd", True)
        await pilot.press("slash", *"zen", "enter")
        await settle(pilot)
        new = add_client("Yellow Submarine", moment(today, 0))
        fake_modals.result = new
        await pilot.press("a")
        await settle(pilot)
        assert fake_modals.opened_with == ()
        current = table_of(app).current
        assert current is not None and current.client_id == new.client_id
        assert len(names(app)) == 9


def add_numbered_clients(count: int, today: date) -> None:
    """Clients "Client 000"… each owing one invoice, their due dates spread over a month."""
    from relance.services.clients import add_client
    from relance.services.invoices import add_invoice

    for number in range(count):
        client_id = add_client(f"Client {number:03d}", moment(today, 200)).client_id
        add_invoice(
            client_id,
            f"F-{number:03d}",
            "100.00",
            "2026-01-01",
            f"2026-03-{number % 28 + 1:02d}",
            moment(today, 200),
        )


@run_async
async def test_list_is_loaded_one_page_at_a_time(
    book: SqliteDatabase,
    db_path: Path,
    config_path: Path,
    today: date,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only one window is read at first; moving down reads the next one, never the whole book."""
    add_numbered_clients(45, today)
    monkeypatch.setattr(list_reads, "PAGE_SIZE", 20)
    monkeypatch.setattr(client_table, "PREFETCH_ROWS", 5)
    limits: list[int] = []
    real_window = list_reads.triage_window

    def spy(*args: Any, **kwargs: Any) -> list[triage.TriageRow]:
        limits.append(args[3] if len(args) > 3 else kwargs.get("limit", 100))
        return real_window(*args, **kwargs)

    monkeypatch.setattr(list_reads, "triage_window", spy)
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        table = table_of(app)
        assert table.row_count == 20
        assert table.total == 45
        await pilot.press("pagedown")
        await settle(pilot)
        assert table.row_count == 20, "the cursor is not yet near the end"
        await pilot.press("end")
        await settle(pilot)
        assert table.row_count == 40
        await pilot.press("end")
        await settle(pilot)
        assert table.row_count == 45
        assert max(limits) == 20
        assert [row.name for row in table.triage_rows] == [
            row.name for row in real_window(today, limit=100)
        ]


@run_async
async def test_a_client_far_down_the_list_is_shown_with_the_pages_around_it(
    book: SqliteDatabase,
    db_path: Path,
    config_path: Path,
    today: date,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Going to row 100 reads two pages, not five; moving up or down reads one page more."""
    add_numbered_clients(130, today)
    monkeypatch.setattr(list_reads, "PAGE_SIZE", 20)
    monkeypatch.setattr(client_table, "PREFETCH_ROWS", 5)
    ordered = triage_window(today, limit=200)
    target = ordered[100]
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        _, reads = held_list_reads(monkeypatch, lambda request: False)
        screen.go_to_client(target.client_id)
        await settle(pilot)
        table = table_of(app)
        assert len(reads) == 1
        # Row 100 is in the page 100–119; the page before it comes too.
        assert table.first == 80
        assert table.triage_rows == ordered[80:120]
        assert table.current == target
        await pilot.press("home")
        await settle(pilot)
        assert table.first == 60
        assert table.triage_rows == ordered[60:120]
        current = table.current
        assert current is not None and current.client_id == ordered[80].client_id
        await pilot.press("end")
        await settle(pilot)
        assert table.triage_rows == ordered[60:140]
        for _ in range(4):
            await pilot.press("home")
            await settle(pilot)
        assert table.first == 0
        assert table.triage_rows == ordered[:140]
        assert len(reads) == 1, "the pages are read by the page worker, not by a reload"


@run_async
async def test_moving_up_from_far_down_keeps_the_table_small(
    book: SqliteDatabase,
    db_path: Path,
    config_path: Path,
    today: date,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pages added above drop rows below past a cap; moving back down reads them again."""
    add_numbered_clients(130, today)
    monkeypatch.setattr(list_reads, "PAGE_SIZE", 20)
    monkeypatch.setattr(client_table, "PREFETCH_ROWS", 5)
    monkeypatch.setattr(client_table, "MAX_LOADED_ROWS", 50)
    ordered = triage_window(today, limit=200)
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.go_to_client(ordered[100].client_id)
        await settle(pilot)
        table = table_of(app)
        assert table.triage_rows == ordered[80:120]
        await pilot.press("home")
        await settle(pilot)
        # Twenty rows above, and only thirty of the forty below are kept.
        assert table.first == 60
        assert table.triage_rows == ordered[60:110]
        current = table.current
        assert current is not None and current.client_id == ordered[80].client_id
        await pilot.press("end")
        await settle(pilot)
        assert table.triage_rows == ordered[60:130]


@run_async
async def test_a_failed_read_is_reported_in_one_line(
    seeded: dict[str, int],
    db_path: Path,
    config_path: Path,
    today: date,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A store error in a worker becomes a notification with its message; the app keeps going."""
    from relance.store.errors import DatabaseLocked

    def locked(client_id: int, on: date, **options: object) -> None:
        raise DatabaseLocked("the database is busy in another program; try again in a moment")

    # The screen imports it from the service when it reads a detail.
    monkeypatch.setattr(claims, "detail_with_claim", locked)
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert "the database is busy in another program; try again in a moment" in messages
        assert isinstance(app.screen, MainScreen)
        assert len(names(app)) == 8
        monkeypatch.setattr(claims, "detail_with_claim", real_detail_with_claim)
        await pilot.press("j")
        await settle(pilot)
        assert detail_of(app).client_id == seeded["northwind"]


@run_async
async def test_keys_typed_right_after_slash_go_to_the_filter(
    seeded: dict[str, int], db_path: Path, config_path: Path, today: date
) -> None:
    """The list has focus once loaded, and fast typing after `/` never triggers actions."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, ClientTable)
        driver = app._driver
        assert driver is not None
        # Queue the four keys at once, as a fast typist or a paste would, with no pause between.
        for key, char in (("slash", "/"), ("g", "g"), ("a", "a"), ("r", "r")):
            event = events.Key(key, char)
            event.set_sender(app)
            driver.send_message(event)
        await settle(pilot)
        assert isinstance(app.screen, MainScreen), "`a` did not open the add-client form"
        assert app.screen.query_one("#filter", Input).value == "gar"
        await pilot.press("slash")
        assert app.screen.query_one("#filter", Input).value == "gar/", "in the filter `/` is text"


def held_list_reads(
    monkeypatch: pytest.MonkeyPatch, held: Callable[[main_screen.ListRequest], bool]
) -> tuple[threading.Event, list[main_screen.ListRequest]]:
    """From now on, record every list read and hold those ``held`` picks until the release."""
    release = threading.Event()
    reads: list[main_screen.ListRequest] = []
    real_fetch = main_screen.fetch_list

    def fetch(request: main_screen.ListRequest) -> main_screen.ListWindow:
        reads.append(request)
        if held(request):
            release.wait(timeout=10)
        return real_fetch(request)

    monkeypatch.setattr(main_screen, "fetch_list", fetch)
    return release, reads


@run_async
async def test_a_reload_read_before_the_filter_changed_does_not_undo_it(
    seeded: dict[str, int],
    db_path: Path,
    config_path: Path,
    today: date,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another program's change reloads the list while `/` is being typed: the filter stays."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        # The read started before the filter is typed ends after it: hold it until then.
        release, _ = held_list_reads(monkeypatch, lambda request: request.where == TriageFilter())
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen._reload_keeping_cursor()
        await pilot.press("slash", "l", "u", "m")
        release.set()
        await settle(pilot)
        assert screen.query_one("#filter-bar").display
        assert screen.filter_text == "lum"
        assert names(app) == ["Studio Lumière"]


@run_async
async def test_typing_fast_in_the_filter_reads_once_more_not_once_per_key(
    seeded: dict[str, int],
    db_path: Path,
    config_path: Path,
    today: date,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Keys typed while a read is on its way start one more read when it arrives, not six."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        release, reads = held_list_reads(monkeypatch, lambda request: request.where.text == "s")
        await pilot.press("slash", "s")
        # The read for "s" starts at once, with no pause; the rest is typed while it runs.
        for _ in range(100):
            if reads:
                break
            await pilot.pause(0.01)
        assert [read.where.text for read in reads] == ["s"]
        await pilot.press("t", "u", "d", "i", "o")
        release.set()
        await settle(pilot)
        assert [read.where.text for read in reads] == ["s", "studio"]
        assert names(app) == ["Studio Lumière"]


@run_async
async def test_a_move_made_while_the_list_is_read_again_is_kept(
    seeded: dict[str, int],
    db_path: Path,
    config_path: Path,
    today: date,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another program's change reloads the list; `j` pressed meanwhile is not undone."""
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        first, second = table_of(app).triage_rows[:2]
        # Hold the keep-the-cursor read until the user has moved.
        release, _ = held_list_reads(monkeypatch, lambda request: request.keep_cursor)
        screen._reload_keeping_cursor()
        await pilot.press("j")
        release.set()
        await settle(pilot)
        current = table_of(app).current
        assert current is not None and current.client_id == second.client_id != first.client_id


@run_async
async def test_a_save_of_the_app_itself_is_not_read_twice(
    seeded: dict[str, int],
    db_path: Path,
    config_path: Path,
    today: date,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The list read after a save has seen it: the book watch does not read the list again."""
    monkeypatch.setattr(main_screen, "BOOK_WATCH_SECONDS", 0.05)
    app = make_app(db_path, config_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        _, reads = held_list_reads(monkeypatch, lambda request: False)
        # A save through a form: its own worker reads the list after it (list_reads.fetch_list).
        monkeypatch.setattr(list_reads, "fetch_list", main_screen.fetch_list)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        for _ in range(6):
            await pilot.pause(0.05)
        await settle(pilot)
        assert len(reads) == 1
