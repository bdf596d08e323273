"""The week ahead (`w`) and the mediation form (`m`, and `r` at the mediation step) in the app."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from peewee import SqliteDatabase
from textual.widgets import DataTable, Input, Static

from letter_fixtures import CREDITOR, french_client, reach_letter_step
from relance.config import Config
from relance.services.calls import log_call
from relance.services.clients import add_client
from relance.services.contacts import log_contact
from relance.services.invoices import add_invoice
from relance.store.models import Client, ContactEvent
from relance.tui.agenda_screen import AgendaScreen
from relance.tui.app import RelanceApp
from relance.tui.main_screen import MainScreen
from relance.tui.modals.choice import Choice
from relance.tui.modals.mediation import MediationModal
from tui_fixtures import run_async, settle

SIZE = (100, 30)


def mediation_app(db_path: Path, tmp_path: Path, today: date) -> RelanceApp:
    """The app over a book, with the creditor set in its config."""
    config = Config(path=tmp_path / "config.toml", creditor=CREDITOR)
    return RelanceApp(db_path, config, today, tmp_path / "outbox", theme_dirs=[])


def at_mediation_step(name: str) -> int:
    """A French client whose formal notice was posted on 1 November: mediation is next."""
    client_id = french_client(name)
    reach_letter_step(client_id)
    log_contact(client_id, "letter", datetime(2026, 11, 2, 10, 0))
    return client_id


def mediation_events(client_id: int) -> list[ContactEvent]:
    """The client's mediation lines, oldest first."""
    query = ContactEvent.select().where(
        (ContactEvent.client == client_id) & (ContactEvent.kind == "mediation")
    )
    return list(query.order_by(ContactEvent.id))


@run_async
async def test_r_at_the_mediation_step_proposes_a_mediator(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id = at_mediation_step("Atelier Dupont SARL")
    assert Client.get_by_id(client_id).next_action == "mediation"
    app = mediation_app(Path(book.database), tmp_path, today)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, MediationModal)
        assert modal.value_of("outcome") == "proposed"
        modal.query_one("#field-mediator", Input).value = "[bold]Me Roux[/]"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.current is not None
        assert app.screen.current.next_action == "legal route"
    (proposal,) = mediation_events(client_id)
    assert (proposal.outcome, proposal.author) == ("proposed", "user")
    # The mediator's name is kept as typed, markup and all, in the line and the letter.
    assert proposal.summary == "mediation proposed ([bold]Me Roux[/])"
    assert "médiation, confiée à [bold]Me Roux[/]." in proposal.body


@run_async
async def test_m_records_a_failed_mediation_and_the_court_route_follows(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id = at_mediation_step("Atelier Dupont SARL")
    app = mediation_app(Path(book.database), tmp_path, today)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, MediationModal)
        modal.query_one("#field-outcome", Choice).value = "failed"
        # An amount is refused next to its field for anything but an agreement; nothing written.
        modal.query_one("#field-amount", Input).value = "100.00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        error = modal.query_one("#error-amount", Static)
        assert error.display
        assert "only an agreed mediation has an amount" in str(error.render())
        assert mediation_events(client_id) == []
        modal.query_one("#field-amount", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    (failed,) = mediation_events(client_id)
    assert failed.outcome == "failed"
    client = Client.get_by_id(client_id)
    assert client.next_action == "legal route"
    assert "mediation failed on 2026-11-23" in client.next_action_reason


@run_async
async def test_w_shows_the_week_ahead_and_enter_goes_to_the_client(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    first = french_client("Atelier Dupont SARL")
    second = add_client("Boulangerie Martin", datetime(2026, 1, 5, 9, 0)).client_id
    add_invoice(second, "B-1", "900.00", "2026-09-01", "2026-10-01", datetime(2026, 9, 1, 9))
    moment = datetime.combine(today, time(9, 0))
    log_call(first, "promised", moment, promised_amount="100.00", promised_on="2026-11-27")
    log_call(second, "promised", moment, promised_amount="250.00", promised_on="2026-11-25")
    app = mediation_app(Path(book.database), tmp_path, today)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgendaScreen)
        table = screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]
        # Each promise, and the check the day after it (the 28th is a Saturday: the 30th).
        assert rows == [
            ["2026-11-25", "promise", "Boulangerie Martin", "promised €250.00"],
            ["2026-11-26", "action", "Boulangerie Martin", "check promise"],
            ["2026-11-27", "promise", "Atelier Dupont SARL", "promised €100.00"],
        ]
        # The list opens on the latest payer (Dupont); enter on Martin's line highlights Martin.
        await pilot.press("enter")
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.current is not None
        assert main.current.client_id == second


@run_async
async def test_the_palette_opens_the_week_ahead(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    french_client("Atelier Dupont SARL")
    app = mediation_app(Path(book.database), tmp_path, today)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"week ahead")
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgendaScreen)
        # Nothing is due this week: the screen says so.
        assert screen.query_one(DataTable).display is False
        assert "Nothing due in the next 7 days." in str(
            screen.query_one("#agenda-empty", Static).render()
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
