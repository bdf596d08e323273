"""The bank screen (`B`): a statement imported by its path, then each waiting line accepted,
recorded for another client, or set aside, through the same services as `relance bank`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from peewee import SqliteDatabase
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Static

from relance.config import Config
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.store.models import ContactEvent, Invoice, Payment, StatementLine
from relance.tui.app import RelanceApp
from relance.tui.bank_screen import EMPTY, BankScreen
from relance.tui.main_screen import MainScreen
from relance.tui.modals.bank import BankImportModal, BankPickModal
from relance.tui.modals.reminder import ReminderModal
from tui_fixtures import run_async, screen_text, settle

NARROW = (80, 24)
HEADER = "Compte courant;FR76 3000 4000 0312 3456 7890 143\nDate;Libellé;Référence;Tiers;Montant\n"
# Martin's payment names its invoice (recorded); two 500.00 transfers could be Durand's or
# Lefort's, and a refund fits nobody: three lines wait.
ROWS = (
    "20/11/2026;VIR SEPA RECU /MOTIF F-2026-050;VIR001;;120,00",
    "21/11/2026;VIR SEPA RECU /MOTIF REGLEMENT;VIR002;;500,00",
    "21/11/2026;REMBOURSEMENT MUTUELLE;VIR003;;33,00",
    "22/11/2026;VIR SEPA RECU /MOTIF SOLDE;VIR004;;500,00",
)
SnapCompare = Callable[..., bool]


def seed(at: datetime) -> dict[str, int]:
    """Three clients with overdue invoices; Durand and Lefort both owe 500.00."""
    ids = {}
    for key, name, number, amount in (
        ("durand", "Durand SARL", "F-2026-041", "500.00"),
        ("lefort", "Lefort BTP", "F-2026-042", "500.00"),
        ("martin", "Boulangerie Martin", "F-2026-050", "120.00"),
    ):
        ids[key] = add_client(name, at, email=f"compta@{key}.fr").client_id
        add_invoice(ids[key], number, amount, "2026-09-01", "2026-10-01", at)
    return ids


def statement(folder: Path) -> Path:
    """A French bank's CSV export of the four rows."""
    path = folder / "releve.csv"
    path.write_text(HEADER + "".join(f"{row}\n" for row in ROWS), encoding="utf-8")
    return path


def app_for(book: SqliteDatabase, tmp_path: Path, today: date) -> RelanceApp:
    """The app over the test's book, with no config file."""
    db = Path(book.database)
    return RelanceApp(db, Config(path=tmp_path / "config.toml"), today, db.parent / "outbox")


async def open_bank(pilot: Pilot[Any]) -> BankScreen:
    """Press `B` on the main screen and wait for the waiting lines to be read."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, MainScreen)
    await pilot.press("B")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BankScreen)
    return screen


async def import_file(pilot: Pilot[Any], path: str) -> None:
    """Press `i`, type the path and ctrl+s."""
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(pilot.app.screen, BankImportModal)
    pilot.app.screen.query_one("#field-path", Input).value = path
    await pilot.press("ctrl+s")
    await settle(pilot)


def rows(app: RelanceApp) -> list[list[str]]:
    """The bank table's rows as plain text cells."""
    table = app.screen.query_one("#bank-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


def about(app: RelanceApp) -> str:
    """The highlighted line in full, under the list."""
    return str(app.screen.query_one("#bank-about", Static).content)


def notes(app: RelanceApp) -> list[str]:
    """The notifications shown so far."""
    return [str(note.message) for note in app._notifications]


async def imported(pilot: Pilot[Any], tmp_path: Path) -> BankScreen:
    """The bank screen, with the statement imported through it."""
    screen = await open_bank(pilot)
    await import_file(pilot, str(statement(tmp_path)))
    assert pilot.app.screen is screen
    return screen


@run_async
async def test_importing_a_statement_lists_the_lines_left_with_the_reasons_of_each_proposal(
    book: SqliteDatabase, tmp_path: Path, today: date, at: datetime
) -> None:
    ids = seed(at)
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_bank(pilot)
        assert EMPTY[:40] in screen_text(app)
        await import_file(pilot, str(statement(tmp_path)))
        assert app.screen is screen
        assert notes(app)[-1] == (
            "releve.csv: matched 1, to review 3, debits 0, reversed 0, already imported 0"
        )
        assert [row[:3] for row in rows(app)] == [
            ["2", "2026-11-21", "€500.00"],
            ["3", "2026-11-21", "€33.00"],
            ["4", "2026-11-22", "€500.00"],
        ]
        assert rows(app)[1][4] == "none: pick one (p)"
        assert "Bank lines to review · 3 waiting" in screen_text(app)
        shown = about(app)
        assert "Text VIR SEPA RECU /MOTIF REGLEMENT" in shown
        assert "1. Durand SARL" in shown and "2. Lefort BTP" in shown
        assert "€500.00 is what invoice F-2026-041 still owes" in shown
        assert "Waits: 2 clients owe this amount" in shown
        # Martin's line was certain: recorded through the payment service, invoice settled.
        assert Invoice.get(Invoice.number == "F-2026-050").paid == 12_000
        assert Payment.get(Payment.client == ids["martin"]).method == "bank transfer"
        # Back on the list, the header says how many lines wait.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "Bank review 3" in screen_text(app).splitlines()[0]


@run_async
async def test_a_bad_path_is_refused_next_to_the_field_and_nothing_is_written(
    book: SqliteDatabase, tmp_path: Path, today: date, at: datetime
) -> None:
    seed(at)
    not_a_statement = tmp_path / "notes.txt"
    not_a_statement.write_text("nothing a bank would write\n", encoding="utf-8")
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await open_bank(pilot)
        await import_file(pilot, str(tmp_path / "missing.csv"))
        modal = app.screen
        assert isinstance(modal, BankImportModal)
        error = str(modal.query_one("#error-path", Label).content)
        assert error == f"no such file: {tmp_path / 'missing.csv'}"
        modal.query_one("#field-path", Input).value = str(not_a_statement)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        error = str(modal.query_one("#error-path", Label).content)
        assert error.startswith(f"{not_a_statement} is not a bank statement")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BankScreen)
    assert StatementLine.select().count() == 0
    assert Payment.select().count() == 0


@run_async
async def test_a_accepts_the_best_proposal_and_the_list_is_read_again(
    book: SqliteDatabase, tmp_path: Path, today: date, at: datetime
) -> None:
    ids = seed(at)
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await imported(pilot, tmp_path)
        await pilot.press("a")
        await settle(pilot)
        assert notes(app)[-1] == "bank line 2: recorded for Durand SARL"
        assert [row[0] for row in rows(app)] == ["3", "4"]
    assert Invoice.get(Invoice.number == "F-2026-041").paid == 50_000
    assert StatementLine.get_by_id(2).status == "imported"
    event = ContactEvent.get(
        (ContactEvent.client == ids["durand"]) & (ContactEvent.kind == "payment")
    )
    assert event.author == "bank review"


@run_async
async def test_p_records_the_line_for_another_client_picked_with_the_proposals_shown(
    book: SqliteDatabase, tmp_path: Path, today: date, at: datetime
) -> None:
    app = app_for(book, tmp_path, today)
    seed(at)
    async with app.run_test(size=NARROW) as pilot:
        await imported(pilot, tmp_path)
        await pilot.press("p")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, BankPickModal)
        # It opens on the proposal after the best (an amount alone names no invoice).
        assert modal.query_one("#field-client", Input).value == "Lefort BTP"
        assert modal.query_one("#field-invoice", Input).value == ""
        modal.query_one("#field-invoice", Input).value = "F-2026-042"
        assert "2. Lefort BTP" in str(modal.query_one("#pick-proposals", Static).content)
        # A client who does not exist is refused under the field, nothing recorded.
        modal.query_one("#field-client", Input).value = "Nobody Ltd"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        assert "no client 'Nobody Ltd'" in str(modal.query_one("#error-client", Label).content)
        modal.query_one("#field-client", Input).value = "Lefort BTP"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BankScreen)
        assert notes(app)[-1].startswith("bank line 2: recorded for Lefort BTP as payment ")
        assert [row[0] for row in rows(app)] == ["3", "4"]
    assert Invoice.get(Invoice.number == "F-2026-042").paid == 50_000
    assert Invoice.get(Invoice.number == "F-2026-041").paid == 0


@run_async
async def test_x_sets_a_line_aside_with_a_history_line_and_a_without_proposal_says_so(
    book: SqliteDatabase, tmp_path: Path, today: date, at: datetime
) -> None:
    ids = seed(at)
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await imported(pilot, tmp_path)
        await pilot.press("down")
        await pilot.pause()
        assert "No client proposed" in about(app)
        await pilot.press("a")
        await settle(pilot)
        assert notes(app)[-1] == "This line has no proposal: p picks the client."
        await pilot.press("x")
        await settle(pilot)
        assert notes(app)[-1] == "bank line 3: set aside, not a client payment"
        assert [row[0] for row in rows(app)] == ["2", "4"]
        # The 500.00 of line 4 is no client's either: its two candidates' history says so.
        await pilot.press("down")
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot)
        assert [row[0] for row in rows(app)] == ["2"]
    assert StatementLine.get_by_id(3).status == "set_aside"
    assert Payment.select().where(Payment.client != ids["martin"]).count() == 0
    aside = ContactEvent.select().where(ContactEvent.outcome == "bank-line-set-aside")
    assert sorted((e.client_id, e.author) for e in aside) == [
        (ids["durand"], "bank review"),
        (ids["lefort"], "bank review"),
    ]


@run_async
async def test_the_reminder_form_warns_while_a_line_that_could_be_the_clients_waits(
    book: SqliteDatabase, tmp_path: Path, today: date, at: datetime
) -> None:
    seed(at)
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=(100, 40)) as pilot:
        await imported(pilot, tmp_path)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("slash")
        for key in "Durand":
            await pilot.press(key)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ReminderModal)
        assert str(modal.query_one("#form-error", Static).content) == (
            "Careful: bank lines 2, 4 waiting for review could be Durand SARL's payment. "
            "Review it first on the bank screen (B)."
        )
        # Still sendable: the line may be someone else's.
        assert modal.ready_to_save()


@run_async
async def test_the_palette_opens_the_bank_screen(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        for key in "bank":
            await pilot.press(key)
        await settle(pilot, 0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BankScreen)


def test_bank_screen_at_80x24(
    snap_compare: SnapCompare, book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    """Three lines waiting after an import; the first one's proposals and reasons under it."""
    seed(datetime.combine(today, time(9, 0)))
    path = statement(tmp_path)
    app = app_for(book, tmp_path, today)

    async def opened(pilot: Pilot[Any]) -> None:
        """Open the bank screen and import the statement."""
        await open_bank(pilot)
        await import_file(pilot, str(path))
        # The import's notification would show the test's temporary folder: dismissed.
        app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=NARROW, run_before=opened)
