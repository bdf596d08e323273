"""The contacts screen (`e` on a client): add, edit, remove, mark and clear, through the same
services as `relance contact`, each one history line written by the user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from peewee import SqliteDatabase
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TextArea

from relance.config import Config
from relance.services.clients import add_client
from relance.services.contact_details import ContactInput, add_contact, list_contacts
from relance.services.contact_marks import mark_contact
from relance.services.invoices import add_invoice
from relance.store.contacts import ContactDetails
from relance.store.models import ContactEvent
from relance.tui.app import RelanceApp
from relance.tui.contacts_screen import ContactsScreen
from relance.tui.main_screen import MainScreen
from relance.tui.modals.contact_details import (
    ClearMarkModal,
    ContactFormModal,
    MarkContactModal,
    RemoveContactModal,
)
from tui_fixtures import run_async, screen_text, settle

NARROW = (80, 24)
SnapCompare = Callable[..., bool]


def brun(today: date) -> int:
    """A client owing since October, with its billing contact and an accountant."""
    at = datetime.combine(today, time(8, 0))
    client_id = add_client(
        "Atelier Brun", at, email="compta@brun.fr", phone="01 23 45 67 89", contact_name="Mme Brun"
    ).client_id
    add_invoice(client_id, "F-1", "100.00", "2026-09-01", "2026-10-01", at)
    add_contact(
        client_id,
        ContactInput(name="Paul Roux", role="accountant", email="paul@roux.fr", phone="06 11"),
        at,
    )
    return client_id


def app_for(book: SqliteDatabase, tmp_path: Path, today: date) -> RelanceApp:
    """The app over the test's book."""
    db_path = Path(book.database)
    return RelanceApp(db_path, Config(path=tmp_path / "config.toml"), today, db_path.parent / "out")


async def open_contacts(pilot: Pilot[Any]) -> ContactsScreen:
    """Press `e` on the highlighted client and wait for its contacts."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, MainScreen)
    await pilot.press("e")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ContactsScreen)
    return screen


def rows(app: RelanceApp) -> list[list[str]]:
    """The contacts table's rows as plain text cells."""
    table = app.screen.query_one("#contacts-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


def contact_history(client_id: int) -> list[tuple[str, str, str]]:
    """The client's contact history lines: summary, outcome and author, oldest first."""
    events = (
        ContactEvent.select()
        .where((ContactEvent.client == client_id) & (ContactEvent.kind == "contact"))
        .order_by(ContactEvent.id)
    )
    return [(event.summary, event.outcome, event.author) for event in events]


def named(client_id: int, name: str) -> ContactDetails:
    """The client's contact of this name, as stored now."""
    return next(c for c in list_contacts(client_id) if c.name == name)


def fill(screen: Any, **values: str) -> None:
    """Type these values into the form's fields (the address into its text area)."""
    for name, value in values.items():
        widget = screen.query_one(f"#field-{name}")
        if isinstance(widget, TextArea):
            widget.load_text(value)
        else:
            assert isinstance(widget, Input)
            widget.value = value


def error_under(screen: Any, name: str) -> str:
    """The message shown under a field."""
    label = screen.query_one(f"#error-{name}", Static)
    return str(label.content) if label.has_class("-shown") else ""


@run_async
async def test_the_list_shows_each_contact_with_its_marks(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id = brun(today)
    at = datetime.combine(today, time(9, 0))
    mark_contact(client_id, "Paul Roux", "wrong-number", at, "a bakery answered")
    mark_contact(client_id, "compta@brun.fr", "bounced", at, "550 no such user")
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await open_contacts(pilot)
        shown = rows(app)
        assert [row[0] for row in shown] == ["Mme Brun", "Paul Roux"]
        assert shown[0][1:] == ["compta@brun.fr", "01 23 45 67 89", "bounced billing"]
        assert shown[1][1:] == ["paul@roux.fr", "06 11", "wrong number"]
        about = str(app.screen.query_one("#contacts-about", Static).content)
        assert "Bounced compta@brun.fr: 550 no such user" in about
        await pilot.press("down")
        about = str(app.screen.query_one("#contacts-about", Static).content)
        assert "Wrong number 06 11: a bakery answered" in about


@run_async
async def test_add_a_contact(book: SqliteDatabase, tmp_path: Path, today: date) -> None:
    client_id = brun(today)
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_contacts(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactFormModal)
        fill(
            form,
            name="Léa Petit",
            role="CFO",
            email="lea@brun.fr",
            phone="+33 6 00 00 00 03",
            address="2 rue Neuve\n69002 Lyon",
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert [row[0] for row in rows(app)] == ["Mme Brun", "Paul Roux", "Léa Petit"]
    added = named(client_id, "Léa Petit")
    assert (added.role, added.email, added.phone) == ("CFO", "lea@brun.fr", "+33 6 00 00 00 03")
    assert added.address == "2 rue Neuve\n69002 Lyon"
    # The client had a billing contact: the new one is not.
    assert not added.is_billing
    assert contact_history(client_id)[-1] == (
        "contact added: Léa Petit (CFO, lea@brun.fr, +33 6 00 00 00 03)",
        "added",
        "user",
    )


@run_async
async def test_edit_a_contact_makes_it_the_billing_one(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id = brun(today)
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await open_contacts(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactFormModal)
        assert form.query_one("#field-email", Input).value == "paul@roux.fr"
        fill(form, phone="06 22 22 22 22")
        form.query_one("#field-billing").focus()
        await pilot.press("left")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        assert [row[0] for row in rows(app)] == ["Paul Roux", "Mme Brun"]
    paul = named(client_id, "Paul Roux")
    assert (paul.phone, paul.is_billing) == ("06 22 22 22 22", True)
    assert not named(client_id, "Mme Brun").is_billing
    summary, outcome, author = contact_history(client_id)[-1]
    assert (
        summary
        == "contact Paul Roux changed: phone 06 11 → 06 22 22 22 22, now the billing contact"
    )
    assert (outcome, author) == ("changed", "user")


@run_async
async def test_a_bad_email_is_refused_next_to_the_field_and_nothing_is_written(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id = brun(today)
    before = list_contacts(client_id)
    history_before = contact_history(client_id)
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await open_contacts(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactFormModal)
        fill(form, email="compta at brun", phone="call me")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert error_under(form, "email") == "not an e-mail address: 'compta at brun'"
        assert error_under(form, "phone").startswith("not a phone number: 'call me'")
        assert form.focused is form.query_one("#field-email")
    assert list_contacts(client_id) == before
    assert contact_history(client_id) == history_before


@run_async
async def test_remove_a_contact(book: SqliteDatabase, tmp_path: Path, today: date) -> None:
    client_id = brun(today)
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await open_contacts(pilot)
        await pilot.press("down", "x")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RemoveContactModal)
        assert "Paul Roux" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        assert [row[0] for row in rows(app)] == ["Mme Brun"]
    assert [c.name for c in list_contacts(client_id)] == ["Mme Brun"]
    assert contact_history(client_id)[-1] == (
        "contact removed: Paul Roux (accountant, paul@roux.fr, 06 11)",
        "removed",
        "user",
    )


@run_async
async def test_mark_a_number_wrong_then_clear_it(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id = brun(today)
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await open_contacts(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, MarkContactModal)
        fill(app.screen, reason="a bakery answered")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        assert rows(app)[0][3] == "wrong number billing"
        assert named(client_id, "Mme Brun").phone_wrong == "a bakery answered"
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ClearMarkModal)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        assert rows(app)[0][3] == "billing"
    assert named(client_id, "Mme Brun").phone_wrong is None
    assert contact_history(client_id)[-2:] == [
        (
            "Mme Brun's number 01 23 45 67 89 marked wrong: a bakery answered",
            "marked-wrong-number",
            "user",
        ),
        ("Mme Brun's number 01 23 45 67 89 no longer marked wrong", "cleared-wrong-number", "user"),
    ]


@run_async
async def test_mark_an_address_bounced_moves_the_next_action_to_the_other_address(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id = brun(today)
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await open_contacts(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, MarkContactModal)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        assert rows(app)[0][3] == "bounced billing"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert named(client_id, "Mme Brun").email_bounced == "no reason given"
    assert contact_history(client_id)[-1] == (
        "Mme Brun's address compta@brun.fr marked bounced",
        "marked-bounced",
        "user",
    )


@run_async
async def test_a_mark_with_nothing_to_bear_it_is_refused_in_the_form(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id = brun(today)
    at = datetime.combine(today, time(8, 30))
    add_contact(client_id, ContactInput(name="Front desk", address="1 rue Haute"), at)
    history_before = contact_history(client_id)
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=NARROW) as pilot:
        await open_contacts(pilot)
        await pilot.press("down", "down", "w")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, MarkContactModal)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert error_under(form, "mark") == "Front desk has no phone number to mark wrong"
    assert contact_history(client_id) == history_before


def test_contacts_screen_at_80x24(
    snap_compare: SnapCompare, book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    """Two contacts, the billing one's address bounced, its details under the list."""
    client_id = brun(today)
    at = datetime.combine(today, time(9, 0))
    mark_contact(client_id, "compta@brun.fr", "bounced", at, "550 5.1.1 no such user")
    app = app_for(book, tmp_path, today)

    async def opened(pilot: Pilot[Any]) -> None:
        """Open the contacts."""
        await open_contacts(pilot)

    assert snap_compare(app, terminal_size=NARROW, run_before=opened)


@run_async
async def test_a_contact_typed_as_markup_is_shown_literally(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id = brun(today)
    at = datetime.combine(today, time(8, 30))
    add_contact(
        client_id,
        ContactInput(name="[bold red]Boss[/]", role="[b]cfo", address="1 [i]rue[/i]"),
        at,
    )
    app = app_for(book, tmp_path, today)
    async with app.run_test(size=(100, 24)) as pilot:
        await open_contacts(pilot)
        await pilot.press("down", "down")
        assert rows(app)[2][0] == "[bold red]Bos…"
        text = screen_text(app)
        assert "[bold red]Boss[/]" in text
        assert "[b]cfo" in text
        assert "1 [i]rue[/i]" in text
