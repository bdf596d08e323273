"""The TUI import screen: `I`, a path, a preview of every change or every bad row, ctrl+s."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from rich.text import Text
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static

from locations import TEST_DATA
from relance.store.database import close_database
from relance.store.models import Client, ContactEvent, Invoice, Payment
from relance.tui.app import RelanceApp
from relance.tui.client_table import ClientTable
from relance.tui.import_screen import ImportScreen
from relance.tui.main_screen import MainScreen
from tui_fixtures import make_app, run_async, seed_book, settle

DATA = TEST_DATA
SIZE = (100, 30)
BAD_ROWS = (
    "line 3, column Issued: impossible date: '2026-02-30'",
    "line 4, column Amount: ambiguous amount '1,234': thousands or decimals?",
    "line 5, column Invoice: Invoice is empty",
    "line 6, column Customer: Customer is empty",
    "line 6, column Due date: the due date is before the issue date",
    "line 6, column Balance: the balance is more than the total",
    "line 7, column Amount: ambiguous amount '12.345': thousands or decimals?",
)


@pytest.fixture
def seeded(book: SqliteDatabase, today: date) -> dict[str, int]:
    """The eight-client book of the main-screen tests."""
    return seed_book(today)


@pytest.fixture
def app(book: SqliteDatabase, seeded: dict[str, int], tmp_path: Path, today: date) -> RelanceApp:
    """The real app over the seeded book."""
    return make_app(Path(book.database), tmp_path / "config" / "config.toml", today)


def book_state() -> tuple[list[str], int, int, int]:
    """Client names, invoices, payments and history events, read on the test's thread."""
    try:
        return (
            sorted(client.name for client in Client.select()),
            Invoice.select().count(),
            Payment.select().count(),
            ContactEvent.select().count(),
        )
    finally:
        close_database()


def import_screen(app: RelanceApp) -> ImportScreen:
    """The import screen, which must be the active one."""
    screen = app.screen
    assert isinstance(screen, ImportScreen), f"expected the import screen, found {screen!r}"
    return screen


def shown(screen: Screen[Any], selector: str) -> str:
    """The plain text a Static shows."""
    content = screen.query_one(selector, Static).content
    return content.plain if isinstance(content, Text) else str(content)


def error_under(screen: Screen[Any], field: str) -> str:
    """The error shown under a field ('' when none is visible)."""
    label = screen.query_one(f"#error-{field}", Static)
    return shown(screen, f"#error-{field}") if label.display else ""


async def open_import(pilot: Pilot[Any]) -> ImportScreen:
    """Press `I` on the main screen."""
    await settle(pilot)
    await pilot.press("I")
    await settle(pilot)
    return import_screen(pilot.app)  # type: ignore[arg-type]


async def preview(pilot: Pilot[Any], path: str, mapping: str = "") -> ImportScreen:
    """Type the paths into the fields and press enter to preview."""
    screen = import_screen(pilot.app)  # type: ignore[arg-type]
    screen.query_one("#field-path", Input).value = path
    screen.query_one("#field-mapping", Input).value = mapping
    screen.query_one("#field-path", Input).focus()
    await pilot.press("enter")
    await settle(pilot)
    return screen


@run_async
async def test_preview_shows_the_changes_and_ctrl_s_imports(app: RelanceApp) -> None:
    before = book_state()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        # Typed key by key, as a user does.
        await pilot.press(*str(DATA / "invoices_comma.csv"), "enter")
        await settle(pilot)
        text = shown(screen, "#preview")
        assert "invoices_comma.csv · CSV file" in text
        assert (
            "3 rows: 2 new client(s), 3 new invoice(s), 0 updated amount(s), 0 unchanged, "
            "2 payment(s), 0 credit note(s)" in text
        )
        assert "Acme Ltd: new client, 2 new invoice(s), 1 payment(s)" in text
        assert "Globex: new client, 1 new invoice(s), 1 payment(s)" in text
        # The preview wrote nothing.
        assert book_state() == before

        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, MainScreen)
        table = app.screen.query_one(ClientTable)
        names = [row.name for row in table.triage_rows]
        assert {"Acme Ltd", "Globex"} <= set(names)
        assert any("imported invoices_comma.csv" in n.message for n in app._notifications)
    names, invoices, payments, events = book_state()
    assert {"Acme Ltd", "Globex"} <= set(names)
    assert (invoices, payments) == (before[1] + 3, before[2] + 2)
    # One history line per changed client.
    assert events == before[3] + 2


@run_async
async def test_a_bad_file_shows_every_bad_row_and_writes_nothing(app: RelanceApp) -> None:
    before = book_state()
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot)
        screen = await preview(pilot, str(DATA / "bad_rows.csv"))
        text = shown(screen, "#preview")
        assert "7 errors: nothing can be imported" in text
        for expected in BAD_ROWS:
            assert expected in text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "ctrl+s" not in shown(screen, "#hints")
    assert book_state() == before


@run_async
async def test_escape_after_a_clean_preview_writes_nothing(app: RelanceApp) -> None:
    before = book_state()
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot)
        await preview(pilot, str(DATA / "invoices_comma.csv"))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert book_state() == before


@run_async
async def test_ctrl_s_before_a_preview_previews_first(app: RelanceApp) -> None:
    before = book_state()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot)
        screen.query_one("#field-path", Input).value = str(DATA / "invoices_comma.csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "3 rows" in shown(screen, "#preview")
        assert book_state() == before
        # Changing the path after the preview: ctrl+s previews again rather than import.
        screen.query_one("#field-path", Input).value = str(DATA / "bad_rows.csv")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "7 errors" in shown(screen, "#preview")
    assert book_state() == before


@run_async
async def test_paths_that_cannot_be_imported_are_explained_under_the_field(
    app: RelanceApp, tmp_path: Path
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x81\x8d\x8f\x90\x9d")
    before = book_state()
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot)
        screen = await preview(pilot, str(tmp_path / "missing.csv"))
        assert error_under(screen, "path").startswith("no file to import at ")
        screen = await preview(pilot, "")
        assert "type the path" in error_under(screen, "path")
        screen = await preview(pilot, "~no-such-user-here/ledger.csv")
        assert error_under(screen, "path") == "no such home folder: ~no-such-user-here/ledger.csv"
        screen = await preview(pilot, "x" * 5000)
        assert error_under(screen, "path") == "not a usable path: File name too long"
        screen = await preview(pilot, str(folder))
        assert "is a folder, not a relance CSV export" in error_under(screen, "path")
        screen = await preview(pilot, str(binary))
        assert error_under(screen, "path") == (
            "not an importable file: the file is neither UTF-8 nor cp1252 text"
        )
        screen = await preview(pilot, str(DATA / "empty.csv"))
        assert error_under(screen, "path") == "not an importable file: the file is empty"
        screen = await preview(pilot, str(DATA / "invoices_comma.csv"), str(tmp_path / "no.toml"))
        assert "cannot read the mapping file" in error_under(screen, "mapping")
        assert error_under(screen, "path") == ""
    assert book_state() == before


@run_async
async def test_a_home_path_and_a_mapping_file(
    app: RelanceApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / "ledger.csv").write_bytes((DATA / "custom_columns.csv").read_bytes())
    (home / "columns.toml").write_bytes((DATA / "custom_mapping.toml").read_bytes())
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot)
        screen = await preview(pilot, "~/ledger.csv", "~/columns.toml")
        assert error_under(screen, "path") == ""
        assert "ledger.csv · CSV file" in shown(screen, "#preview")
        assert "error" not in shown(screen, "#preview")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    _names, invoices, _payments, _events = book_state()
    assert invoices > 8


@run_async
async def test_user_text_in_the_file_is_shown_literally(app: RelanceApp, tmp_path: Path) -> None:
    source = tmp_path / "[red]hostile[x].csv"
    source.write_text(
        "Invoice,Customer,Issued,Due date,Amount\n"
        'H-1,"Evil \x1b[31mCorp",2026-09-01,2026-10-01,10.00\n'
        "H-2,Bad,2026-09-01,2026-10-01,[link=x]money\n",
        encoding="utf-8",
    )
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot)
        screen = await preview(pilot, str(source))
        text = shown(screen, "#preview")
        assert "[red]hostile[x].csv" in text
        assert "line 2, column Customer: contains control characters" in text
        assert "line 3, column Amount: " in text
        assert "[link=x]money" in text
        source.write_text(
            "Invoice,Customer,Issued,Due date,Amount\n"
            "H-1,[bold]Evil[/bold] Corp,2026-09-01,2026-10-01,10.00\n",
            encoding="utf-8",
        )
        screen = await preview(pilot, str(source))
        text = shown(screen, "#preview")
        assert "[bold]Evil[/bold] Corp: new client, 1 new invoice(s)" in text


@run_async
async def test_a_file_changed_after_its_preview_is_refused(app: RelanceApp, tmp_path: Path) -> None:
    source = tmp_path / "moving.csv"
    source.write_bytes((DATA / "invoices_comma.csv").read_bytes())
    before = book_state()
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot)
        screen = await preview(pilot, str(source))
        assert "3 rows" in shown(screen, "#preview")
        source.write_bytes((DATA / "bad_rows.csv").read_bytes())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "the file changed since the preview: 7 error(s)" in error_under(screen, "path")
    assert book_state() == before


@run_async
async def test_the_palette_opens_the_import_screen(app: RelanceApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"import a file")
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        import_screen(app)


@run_async
async def test_the_help_lists_the_import_key(app: RelanceApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert any(line.binding_id == "import_file" for line in screen.key_help())
        bound = {b.id: b.key for b in MainScreen.BINDINGS if isinstance(b, Binding)}
        assert bound["import_file"] == "I"


@run_async
async def test_an_export_is_restored_only_into_an_empty_book(
    app: RelanceApp, tmp_path: Path
) -> None:
    export = tmp_path / "book.json"
    export.write_text(
        '{"format": "relance-export", "schema": 1, "book_schema": 5, '
        '"exported_at": "2026-11-23T09:30:00", "clients": [], "contacts": [], "invoices": [], '
        '"payments": [], "plans": [], "instalments": [], "allocations": [], "history": [], '
        '"promises": [], "rates": []}',
        encoding="utf-8",
    )
    before = book_state()
    async with app.run_test(size=SIZE) as pilot:
        await open_import(pilot)
        screen = await preview(pilot, str(export))
        assert "the book is not empty" in shown(screen, "#form-error")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
    assert book_state() == before
