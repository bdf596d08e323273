"""The reminder form says who the message goes to, lets the user pick another contact (ctrl+t)
or add one (ctrl+o opens the contacts), and never offers a bounced address; sent through a real
SMTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path

from peewee import SqliteDatabase
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Static

from relance.config import Config, Creditor, SmtpSettings
from relance.services import clients, invoices
from relance.services.contact_details import ContactInput, add_contact
from relance.services.contact_marks import mark_contact
from relance.tui.contacts_screen import ContactsScreen
from relance.tui.modals.contact_details import ContactFormModal
from relance.tui.modals.reminder import ReminderModal
from smtp_server import smtp_server
from tui_fixtures import ModalHostApp, play_modal, settle

CREDITOR = Creditor(name="Camille Martin", email="camille@example.fr")


def config_for(tmp_path: Path, port: int) -> Config:
    """A config sending through 127.0.0.1 at this port."""
    smtp = SmtpSettings(host="127.0.0.1", port=port, security="none")
    return Config(path=tmp_path / "config.toml", creditor=CREDITOR, smtp=smtp)


def roux(at: datetime) -> int:
    """A client owing since October, its billing contact Jeanne and its accountant Paul."""
    client_id = clients.add_client(
        "Boulangerie Roux", at, email="compta@roux.example", contact_name="Jeanne Roux"
    ).client_id
    invoices.add_invoice(client_id, "F-001", "1200.00", "2026-09-01", "2026-10-01", at)
    add_contact(client_id, ContactInput(name="Paul Petit", email="paul@petit.example"), at)
    return client_id


def shown(modal: ReminderModal, selector: str) -> str:
    """The plain text a Static shows."""
    content = modal.query_one(selector, Static).content
    return content.plain if isinstance(content, Text) else str(content)


Scenario = Callable[[ModalHostApp, Pilot[None], ReminderModal], Awaitable[None]]


def run(
    book: SqliteDatabase, today: date, config: Config, client_id: int, scenario: Scenario
) -> ModalHostApp:
    """Open the reminder form on the client at 80×24 and play the scenario."""
    app = ModalHostApp(Path(book.database), today, config)
    return play_modal(app, lambda: ReminderModal(client_id, "Boulangerie Roux"), scenario, settle)


def test_the_form_names_the_recipient_and_ctrl_t_sends_to_another_contact(
    book: SqliteDatabase, tmp_path: Path, today: date, at: datetime
) -> None:
    client_id = roux(at)
    seen: list[str] = []
    with smtp_server() as server:

        async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ReminderModal) -> None:
            seen.append(shown(modal, "#field-to"))
            await pilot.press("ctrl+t")
            seen.append(shown(modal, "#field-to"))
            await pilot.press("ctrl+s")
            await settle(pilot)

        app = run(book, today, config_for(tmp_path, server.port), client_id, scenario)
        received = list(server.received)
    assert seen == ["Jeanne Roux <compta@roux.example>", "Paul Petit <paul@petit.example>"]
    assert app.results and app.results[0] is not None
    assert app.results[0].record["to"] == ["paul@petit.example"]
    [message] = received
    assert message.rcpt_tos == ["paul@petit.example"]
    assert message.message["To"] == "paul@petit.example"


def test_ctrl_t_comes_back_to_the_usual_recipient(
    book: SqliteDatabase, tmp_path: Path, today: date, at: datetime
) -> None:
    client_id = roux(at)
    seen: list[str] = []
    with smtp_server() as server:

        async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ReminderModal) -> None:
            await pilot.press("ctrl+t", "ctrl+t")
            seen.append(shown(modal, "#field-to"))
            await pilot.press("ctrl+s")
            await settle(pilot)

        run(book, today, config_for(tmp_path, server.port), client_id, scenario)
        received = list(server.received)
    assert seen == ["Jeanne Roux <compta@roux.example>"]
    assert [message.rcpt_tos for message in received] == [["compta@roux.example"]]


def test_a_bounced_address_is_shown_as_such_and_never_offered(
    book: SqliteDatabase, tmp_path: Path, today: date, at: datetime
) -> None:
    client_id = roux(at)
    add_contact(client_id, ContactInput(name="Front desk", email="desk@roux.example"), at)
    mark_contact(client_id, "compta@roux.example", "bounced", at, "550 no such user")
    seen: list[str] = []
    with smtp_server() as server:

        async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ReminderModal) -> None:
            seen.append(shown(modal, "#field-to"))
            seen.append(shown(modal, "#to-others"))
            for _ in range(3):
                await pilot.press("ctrl+t")
                seen.append(shown(modal, "#field-to"))
            await pilot.press("escape")

        run(book, today, config_for(tmp_path, server.port), client_id, scenario)
        assert server.received == []
    usual = "Paul Petit <paul@petit.example>, Front desk <desk@roux.example>"
    assert seen == [
        usual,
        "ctrl+t another contact · bounced, not offered: compta@roux.example",
        "Paul Petit <paul@petit.example>",
        "Front desk <desk@roux.example>",
        usual,
    ]


def test_ctrl_o_adds_a_contact_and_the_reminder_goes_to_it(
    book: SqliteDatabase, tmp_path: Path, today: date, at: datetime
) -> None:
    client_id = clients.add_client("Boulangerie Roux", at, phone="04 00 00 00 01").client_id
    invoices.add_invoice(client_id, "F-001", "1200.00", "2026-09-01", "2026-10-01", at)
    seen: list[str] = []
    with smtp_server() as server:

        async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ReminderModal) -> None:
            seen.append(shown(modal, "#form-error"))
            await pilot.press("ctrl+o")
            await settle(pilot)
            assert isinstance(app.screen, ContactsScreen)
            await pilot.press("a")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, ContactFormModal)
            form.query_one("#field-name", Input).value = "Jeanne Roux"
            form.query_one("#field-email", Input).value = "jeanne@roux.example"
            await pilot.press("ctrl+s")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is modal
            seen.append(shown(modal, "#field-to"))
            await pilot.press("ctrl+s")
            await settle(pilot)

        app = run(book, today, config_for(tmp_path, server.port), client_id, scenario)
        received = list(server.received)
    assert seen[0].startswith("Nothing to send: Boulangerie Roux has no e-mail address")
    assert seen[1] == "Jeanne Roux <jeanne@roux.example>"
    assert app.results and app.results[0] is not None
    assert [message.rcpt_tos for message in received] == [["jeanne@roux.example"]]
