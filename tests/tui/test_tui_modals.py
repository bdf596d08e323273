"""Each action modal on its own: what ctrl+s writes, what escape and bad input do not."""

from __future__ import annotations

import email
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, SelectionList, Static, TextArea

from relance.config import Config, Creditor
from relance.delivery.outbox import Outbox
from relance.domain.working_days import next_working_day
from relance.services import clients, invoices
from relance.services.calls import OUTCOMES
from relance.services.contact_details import ContactInput, add_contact
from relance.services.contact_marks import mark_contact
from relance.services.drafting import draft_reminder
from relance.services.plans import default_first_date
from relance.services.results import ActionResult
from relance.store.detail import ClientDetail, client_detail
from relance.store.lookup import find_client_id
from relance.store.models import Client
from relance.tui.modals.base import ActionModal
from relance.tui.modals.call import CallModal
from relance.tui.modals.choice import Choice
from relance.tui.modals.client_form import AddClientModal
from relance.tui.modals.contact import ContactModal
from relance.tui.modals.dispute import DisputeModal
from relance.tui.modals.invoice_form import AddInvoiceModal
from relance.tui.modals.note import NoteModal
from relance.tui.modals.payment import PaymentModal
from relance.tui.modals.plan import PREVIEW_DELAY_SECONDS, PlanModal
from relance.tui.modals.reminder import ReminderModal
from relance.tui.modals.snooze import SnoozeModal
from tui_fixtures import ACTION_MOMENT, ModalHostApp, play_modal, settle

HOSTILE_NAME = "[bold red]ACME[/] Industries"
CREDITOR = Creditor(name="Camille Martin", email="camille@example.fr", iban="FR76 3000")


Scenario = Callable[[ModalHostApp, Pilot[None], ActionModal], Awaitable[None]]


@pytest.fixture
def acme(book: SqliteDatabase, at: datetime) -> int:
    """A client with a hostile name, an e-mail address and two overdue invoices."""
    result = clients.add_client(
        HOSTILE_NAME, at, email="compta@acme.example", contact_name="Jeanne Roux"
    )
    invoices.add_invoice(result.client_id, "F-001", "1200.00", "2026-09-01", "2026-10-01", at)
    invoices.add_invoice(result.client_id, "F-002", "800.50", "2026-09-15", "2026-10-15", at)
    return result.client_id


@pytest.fixture
def quiet(book: SqliteDatabase, at: datetime) -> int:
    """A client who owes nothing yet and has no e-mail address."""
    return clients.add_client("Quiet Ltd", at).client_id


def db_path(book: SqliteDatabase) -> Path:
    """The file of the book under test."""
    return Path(book.database)


def run_modal(
    book: SqliteDatabase, today: date, make_modal: Callable[[], ActionModal], scenario: Scenario
) -> ModalHostApp:
    """Open the modal on a test app at 80×24 and play the scenario."""
    path = db_path(book)
    app = ModalHostApp(path, today, Config(path=path.parent / "config.toml", creditor=CREDITOR))
    return play_modal(app, make_modal, scenario, settle)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type text key by key, as a user would."""
    await pilot.press(*["enter" if char == "\n" else char for char in text])


async def save(pilot: Pilot[Any]) -> None:
    """Press ctrl+s and wait for the save to finish."""
    await pilot.press("ctrl+s")
    await settle(pilot)


def shown(screen: Screen[Any], selector: str) -> str:
    """The plain text a Static shows."""
    widget = screen.query_one(selector, Static)
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


def error_under(screen: Screen[Any], field: str) -> str:
    """The error shown under a field ('' when none is visible)."""
    label = screen.query_one(f"#error-{field}", Static)
    return shown(screen, f"#error-{field}") if label.display else ""


def detail(client_id: int, today: date) -> ClientDetail:
    """The client as the database has it now."""
    return client_detail(client_id, today)


def focused_id(app: App[Any]) -> str | None:
    """The id of the focused widget."""
    return app.focused.id if app.focused is not None else None


# The call modal.


def test_call_form_shows_the_numbers_to_call(
    book: SqliteDatabase, at: datetime, today: date
) -> None:
    """The call form heads with each contact's phone; a client with none is told so."""
    with_phone = clients.add_client(
        "Garage Petit", at, phone="06 11 22 33 44", contact_name="M. Petit"
    ).client_id
    without = clients.add_client("Sans Téléphone", at).client_id
    seen: list[str] = []

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        seen.append(shown(modal, "#field-numbers"))
        assert focused_id(app) == "field-outcome"

    run_modal(book, today, lambda: CallModal(with_phone, "Garage Petit"), scenario)
    run_modal(book, today, lambda: CallModal(without, "Sans Téléphone"), scenario)
    assert seen == ["M. Petit: 06 11 22 33 44", "no phone number"]


def test_call_form_lists_every_number_the_next_to_try_first(
    book: SqliteDatabase, at: datetime, today: date
) -> None:
    """A number marked wrong is still listed, said so, after the number to try next."""
    client_id = clients.add_client(
        "Garage Petit", at, phone="06 11 22 33 44", contact_name="M. Petit"
    ).client_id
    add_contact(client_id, ContactInput(name="Mme Roux", phone="06 55 66 77 88"), at)
    add_contact(client_id, ContactInput(name="Accounts", email="ap@petit.fr"), at)
    mark_contact(client_id, "M. Petit", "wrong-number", at, "a bakery answered")
    seen: list[str] = []

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        seen.append(shown(modal, "#field-numbers"))

    run_modal(book, today, lambda: CallModal(client_id, "Garage Petit"), scenario)
    assert seen == ["Mme Roux: 06 55 66 77 88 · M. Petit: 06 11 22 33 44 (wrong number)"]


def test_call_default_is_no_answer_and_saves_at_once(
    book: SqliteDatabase, acme: int, today: date
) -> None:
    """``c`` then ``ctrl+s``: an unanswered call, follow-up tomorrow."""
    before = len(detail(acme, today).history)

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        assert focused_id(app) == "field-outcome"
        assert modal.query_one("#field-outcome", Choice).value == "no-answer"
        await save(pilot)
        assert app.screen is not modal

    app = run_modal(book, today, lambda: CallModal(acme, HOSTILE_NAME), scenario)
    result = app.results[0]
    assert isinstance(result, ActionResult)
    assert result.client_id == acme
    history = detail(acme, today).history
    assert len(history) == before + 1
    call = history[0]
    assert (call.kind, call.outcome) == ("call", "no-answer")
    assert call.at == datetime.combine(today, ACTION_MOMENT)
    assert call.follow_up_on == today + timedelta(days=1)


def test_call_digits_pick_each_outcome_in_order(
    book: SqliteDatabase, acme: int, today: date
) -> None:
    """Digits 1–7 choose the outcomes in the CLI's order, with the digit shown by each."""
    picked: list[str] = []

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        choice = modal.query_one("#field-outcome", Choice)
        labels = [label for _, label in choice.options]
        assert [label.split()[0] for label in labels] == ["1", "2", "3", "4", "5", "6", "7"]
        for digit in "1245671":
            await pilot.press(digit)
            picked.append(choice.value)
        await pilot.press("2")
        await save(pilot)

    app = run_modal(book, today, lambda: CallModal(acme, HOSTILE_NAME), scenario)
    order = [OUTCOMES[int(digit) - 1] for digit in "1245671"]
    assert picked == order
    assert picked[:2] == ["no-answer", "voicemail"]
    assert app.results[0] is not None
    call = detail(acme, today).history[0]
    assert call.outcome == "voicemail"
    assert call.follow_up_on == today + timedelta(days=2)


def test_call_promise_saves_exactly_what_was_typed(
    book: SqliteDatabase, acme: int, today: date
) -> None:
    """``3`` moves to the amount; amount, date, who and note end up in the promise."""

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        assert modal.query_one("#field-amount", Input).disabled
        await pilot.press("3")
        assert focused_id(app) == "field-amount"
        await type_text(pilot, "450.25")
        await pilot.press("tab")
        await type_text(pilot, "+10")
        await pilot.press("tab")
        await type_text(pilot, "Jeanne")
        await pilot.press("tab")
        await type_text(pilot, "pay [b]fri[/b]\nlater")
        await save(pilot)

    app = run_modal(book, today, lambda: CallModal(acme, HOSTILE_NAME), scenario)
    assert app.results[0] is not None
    client = detail(acme, today)
    call = client.history[0]
    assert call.outcome == "promised"
    assert call.body == "pay [b]fri[/b]\nlater"
    [promise] = client.promises
    assert promise.amount == 45025
    assert promise.due_on == today + timedelta(days=10)
    assert promise.made_by == "Jeanne"
    assert promise.words == "pay [b]fri[/b]\nlater"


def test_call_bad_promise_shows_errors_under_fields_and_writes_nothing(
    book: SqliteDatabase, acme: int, today: date
) -> None:
    """A bad amount and an impossible date are shown under their fields; a retry clears them."""
    before = len(detail(acme, today).history)
    seen: dict[str, str] = {}

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        await pilot.press("3")
        await type_text(pilot, "12.345")
        await pilot.press("tab")
        await type_text(pilot, "2026-02-30")
        await save(pilot)
        assert app.screen is modal
        seen["amount"] = error_under(modal, "amount")
        seen["on"] = error_under(modal, "on")
        assert len(detail(acme, today).history) == before
        modal.query_one("#field-amount", Input).value = "12.34"
        await save(pilot)
        seen["amount-again"] = error_under(modal, "amount")
        seen["on-again"] = error_under(modal, "on")
        assert app.screen is modal
        await pilot.press("escape")

    app = run_modal(book, today, lambda: CallModal(acme, HOSTILE_NAME), scenario)
    assert "decimal" in seen["amount"] or "12.345" in seen["amount"]
    assert "not a date" in seen["on"]
    assert seen["amount-again"] == ""
    assert "not a date" in seen["on-again"]
    assert app.results == [None]
    assert len(detail(acme, today).history) == before
    assert detail(acme, today).promises == []


def test_call_title_shows_the_name_literally(book: SqliteDatabase, acme: int, today: date) -> None:
    """A name that looks like markup is shown with its brackets."""
    screenshots: list[str] = []

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        screenshots.append(app.export_screenshot())
        await pilot.press("escape")

    run_modal(book, today, lambda: CallModal(acme, HOSTILE_NAME), scenario)
    assert "[bold\u00a0red]ACME[/]" in screenshots[0].replace("&#160;", "\u00a0")


# Escape and failures, on every form.


MODALS: dict[str, Callable[[int], ActionModal]] = {
    "call": lambda cid: CallModal(cid, HOSTILE_NAME),
    "reminder": lambda cid: ReminderModal(cid, HOSTILE_NAME),
    "plan": lambda cid: PlanModal(cid, HOSTILE_NAME),
    "payment": lambda cid: PaymentModal(cid, HOSTILE_NAME),
    "note": lambda cid: NoteModal(cid, HOSTILE_NAME),
    "snooze": lambda cid: SnoozeModal(cid, HOSTILE_NAME),
    "dispute": lambda cid: DisputeModal(cid, HOSTILE_NAME, disputed=False),
    "client": lambda cid: AddClientModal(),
    "invoice": lambda cid: AddInvoiceModal(cid, HOSTILE_NAME),
}
FIRST_FIELDS = {
    "call": "field-outcome",
    "reminder": "field-subject",
    "plan": "field-instalments",
    "payment": "field-amount",
    "note": "field-text",
    "snooze": "field-until",
    "dispute": "field-note",
    "client": "field-name",
    "invoice": "field-number",
}


@pytest.mark.parametrize("kind", sorted(MODALS))
def test_escape_writes_nothing(book: SqliteDatabase, acme: int, today: date, kind: str) -> None:
    """Focus starts on the first field; typing then escape leaves the book as it was."""
    before = detail(acme, today)
    focus: list[str | None] = []

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        focus.append(focused_id(app))
        await type_text(pilot, "5")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not modal

    app = run_modal(book, today, lambda: MODALS[kind](acme), scenario)
    assert focus == [FIRST_FIELDS[kind]]
    assert app.results == [None]
    assert detail(acme, today) == before
    assert not (db_path(book).parent / "outbox").exists()


def test_store_failure_is_shown_at_the_top(book: SqliteDatabase, today: date) -> None:
    """A client that no longer exists: the message at the top, the form still open."""

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        await type_text(pilot, "hello")
        await save(pilot)
        assert app.screen is modal
        assert "no client with id 999" in shown(modal, "#form-error")
        assert not modal.saving
        await pilot.press("escape")

    app = run_modal(book, today, lambda: NoteModal(999, "Gone"), scenario)
    assert app.results == [None]


def test_a_second_save_while_saving_is_ignored(
    book: SqliteDatabase, acme: int, today: date
) -> None:
    """While a save runs, ctrl+s does not start another one."""
    before = len(detail(acme, today).history)

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        await type_text(pilot, "once")
        modal.action_save()
        assert modal.saving
        modal.action_save()
        modal.action_cancel()
        await settle(pilot)

    app = run_modal(book, today, lambda: NoteModal(acme, HOSTILE_NAME), scenario)
    assert len(app.results) == 1
    assert isinstance(app.results[0], ActionResult)
    assert len(detail(acme, today).history) == before + 1


# The reminder modal.


def test_reminder_opens_on_the_draft_and_sends_the_edited_text(
    book: SqliteDatabase, acme: int, today: date
) -> None:
    """The rendered message is shown; the edited subject and body are logged and written."""
    config = Config(path=db_path(book).parent / "config.toml", creditor=CREDITOR)
    draft = draft_reminder(acme, today, config)
    shown_on_open: dict[str, str] = {}

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        shown_on_open["subject"] = modal.query_one("#field-subject", Input).value
        shown_on_open["body"] = modal.query_one("#field-body", TextArea).text
        shown_on_open["to"] = shown(modal, "#field-to")
        await pilot.press("end")
        await type_text(pilot, " [urgent]")
        body = modal.query_one("#field-body", TextArea)
        body.focus()
        await pilot.press("ctrl+home")
        await type_text(pilot, "PS: call me.\n")
        await save(pilot)

    app = run_modal(book, today, lambda: ReminderModal(acme, HOSTILE_NAME), scenario)
    assert shown_on_open["subject"] == draft.subject
    assert shown_on_open["body"] == draft.body
    assert shown_on_open["to"] == "Jeanne Roux <compta@acme.example>"
    assert app.results[0] is not None
    subject = f"{draft.subject} [urgent]"
    body = f"PS: call me.\n{draft.body}"
    event = detail(acme, today).history[0]
    assert event.kind == "email"
    # The history keeps the headers, then the text exactly as sent.
    headers, sent_body = event.body.split("\n\n", 1)
    assert headers.startswith(f"Subject: {subject}\n")
    assert sent_body.strip() == body.strip()
    [entry] = Outbox(db_path(book).parent / "outbox").entries()
    message = email.message_from_bytes(entry.path.read_bytes(), policy=default_policy)
    assert message["Subject"] == subject
    assert message["To"] == "compta@acme.example"
    sent = message.get_content().replace("\r\n", "\n")
    assert sent.strip() == body.strip()


def test_reminder_with_nothing_overdue_says_so_and_sends_nothing(
    book: SqliteDatabase, quiet: int, today: date
) -> None:
    """Nothing overdue: the reason is shown, ctrl+s does nothing, the modal stays."""

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        assert "nothing is overdue for Quiet Ltd" in shown(modal, "#form-error")
        await save(pilot)
        assert app.screen is modal
        assert "nothing is overdue" in shown(modal, "#form-error")
        await pilot.press("escape")

    app = run_modal(book, today, lambda: ReminderModal(quiet, "Quiet Ltd"), scenario)
    assert app.results == [None]
    assert [e.kind for e in detail(quiet, today).history] == ["note"]
    assert not (db_path(book).parent / "outbox").exists()


def test_reminder_without_address_says_so_and_sends_nothing(
    book: SqliteDatabase, quiet: int, today: date, at: datetime
) -> None:
    """Overdue but no e-mail address: the draft is shown with the reason; nothing is sent."""
    invoices.add_invoice(quiet, "Q-1", "90.00", "2026-08-01", "2026-09-01", at)

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        assert "no e-mail address" in shown(modal, "#form-error")
        assert "Q-1" in modal.query_one("#field-body", TextArea).text
        await save(pilot)
        assert app.screen is modal
        await pilot.press("escape")

    app = run_modal(book, today, lambda: ReminderModal(quiet, "Quiet Ltd"), scenario)
    assert app.results == [None]
    assert all(e.kind != "email" for e in detail(quiet, today).history)
    assert not (db_path(book).parent / "outbox").exists()


# The plan modal.


def test_plan_preview_follows_the_fields_and_saves_them(
    book: SqliteDatabase, acme: int, today: date
) -> None:
    """The default schedule is previewed, a change re-previews, ctrl+s proposes that plan."""
    previews: list[str] = []

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        first = modal.query_one("#field-first", Input).value
        assert first == default_first_date(today).isoformat()
        previews.append(preview_text(modal))
        await type_text(pilot, "4")
        await pilot.press("tab", "left")
        await pilot.press("tab", "tab")
        await type_text(pilot, "500")
        await settle(pilot, PREVIEW_DELAY_SECONDS + 0.2)
        previews.append(preview_text(modal))
        await save(pilot)

    app = run_modal(book, today, lambda: PlanModal(acme, HOSTILE_NAME), scenario)
    assert "Total" in previews[0] and "€2,000.50" in previews[0]
    assert "3 instalments" in previews[0]
    assert "5 instalments" in previews[1] and "deposit" in previews[1]
    assert "€500.00" in previews[1]
    assert app.results[0] is not None
    [plan] = detail(acme, today).plans
    assert plan.total == 200050
    assert plan.frequency == "2weeks"
    assert [i.amount for i in plan.instalments] == [50000, 37512, 37512, 37512, 37514]
    first_day = default_first_date(today)
    # Every other Sunday from the 20th: each moves to the Monday after.
    assert [i.due_on for i in plan.instalments] == [
        next_working_day(first_day + timedelta(weeks=n), "FR") for n in (0, 2, 4, 6, 8)
    ]


def preview_text(modal: ActionModal) -> str:
    """The schedule preview as plain text."""
    widget = modal.query_one("#preview-body", Static)
    return "\n".join(line.text for line in widget.render_lines(widget.region.reset_offset))


def test_plan_refusal_is_shown_and_nothing_is_written(
    book: SqliteDatabase, acme: int, today: date
) -> None:
    """A first date in the past and a bad deposit: shown under the fields, no plan."""
    seen: dict[str, str] = {}

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        modal.query_one("#field-first", Input).value = "2020-01-01"
        await settle(pilot, PREVIEW_DELAY_SECONDS + 0.2)
        seen["preview"] = error_under(modal, "first")
        await save(pilot)
        seen["save"] = error_under(modal, "first")
        assert app.screen is modal
        await pilot.press("escape")

    app = run_modal(book, today, lambda: PlanModal(acme, HOSTILE_NAME), scenario)
    assert "past" in seen["preview"]
    assert "past" in seen["save"]
    assert app.results == [None]
    assert detail(acme, today).plans == []


# Payment, note, snooze, dispute.


def test_payment_saves_what_was_typed(book: SqliteDatabase, acme: int, today: date) -> None:
    """Amount, date, method, reference and invoice go into the payment."""

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        assert modal.query_one("#field-on", Input).value == today.isoformat()
        await type_text(pilot, "300.00")
        await pilot.press("tab")
        await type_text(pilot, "-2")
        await pilot.press("tab")
        await type_text(pilot, "transfer")
        await pilot.press("tab")
        await type_text(pilot, "VIR 889")
        await pilot.press("tab")
        await settle(pilot, 0.2)
        checklist = modal.query_one("#field-invoices", SelectionList)
        # The open invoices, oldest due first: tick the second one by hand.
        assert checklist.option_count == 2
        assert checklist.has_focus
        checklist.highlighted = 1
        await pilot.press("space")
        await save(pilot)

    app = run_modal(book, today, lambda: PaymentModal(acme, HOSTILE_NAME), scenario)
    assert app.results[0] is not None
    client = detail(acme, today)
    [payment] = client.payments
    assert payment.amount == 30000
    assert payment.received_on == today - timedelta(days=2)
    assert (payment.method, payment.reference) == ("transfer", "VIR 889")
    paid = {inv.number: inv.paid for inv in client.invoices}
    assert paid == {"F-001": 0, "F-002": 30000}


def test_payment_refusals_are_shown_under_their_fields(
    book: SqliteDatabase, acme: int, today: date
) -> None:
    """A negative amount, a future date and an unknown invoice: nothing recorded."""
    seen: dict[str, str] = {}

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        await type_text(pilot, "-5")
        await pilot.press("tab")
        await type_text(pilot, "+3")
        await save(pilot)
        seen["amount"] = error_under(modal, "amount")
        seen["on"] = error_under(modal, "on")
        modal.query_one("#field-amount", Input).value = "5"
        modal.query_one("#field-on", Input).value = "2026-02-30"
        await save(pilot)
        seen["on-again"] = error_under(modal, "on")
        seen["amount-again"] = error_under(modal, "amount")
        await pilot.press("escape")

    app = run_modal(book, today, lambda: PaymentModal(acme, HOSTILE_NAME), scenario)
    assert seen["amount"]
    assert "future" in seen["on"]
    assert seen["on-again"]
    assert seen["amount-again"] == ""
    assert app.results == [None]
    assert detail(acme, today).payments == []


def test_note_saves_the_text_as_typed(book: SqliteDatabase, acme: int, today: date) -> None:
    """A note with markup-like text and two lines is stored exactly."""

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        await type_text(pilot, "at [red]fair[/]\nok")
        await save(pilot)

    app = run_modal(book, today, lambda: NoteModal(acme, HOSTILE_NAME), scenario)
    assert app.results[0] is not None
    event = detail(acme, today).history[0]
    assert (event.kind, event.summary) == ("note", "at [red]fair[/]\nok")


def test_empty_note_is_refused(book: SqliteDatabase, acme: int, today: date) -> None:
    """An empty note shows its error and writes nothing."""
    before = len(detail(acme, today).history)
    seen: list[str] = []

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        await save(pilot)
        seen.append(error_under(modal, "text"))
        await pilot.press("escape")

    run_modal(book, today, lambda: NoteModal(acme, HOSTILE_NAME), scenario)
    assert seen == ["text is required"]
    assert len(detail(acme, today).history) == before


def test_snooze_reads_the_date_and_saves_it(book: SqliteDatabase, acme: int, today: date) -> None:
    """``+10`` is read aloud as a day and saved as that day."""
    meaning: list[str] = []

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        await type_text(pilot, "+10")
        await pilot.pause()
        meaning.append(shown(modal, "#snooze-meaning"))
        await save(pilot)

    app = run_modal(book, today, lambda: SnoozeModal(acme, HOSTILE_NAME), scenario)
    assert app.results[0] is not None
    day = today + timedelta(days=10)
    assert day.isoformat() not in meaning[0] and "in 10 days" in meaning[0]
    assert detail(acme, today).snoozed_until == day


def test_snooze_impossible_date_is_refused(book: SqliteDatabase, acme: int, today: date) -> None:
    """An impossible date shows its error under the field and changes nothing."""
    seen: list[str] = []

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        await type_text(pilot, "2026-13-01")
        await save(pilot)
        seen.append(error_under(modal, "until"))
        await pilot.press("escape")

    run_modal(book, today, lambda: SnoozeModal(acme, HOSTILE_NAME), scenario)
    assert "not a date" in seen[0]
    assert detail(acme, today).snoozed_until is None


def test_dispute_opens_then_resolves(book: SqliteDatabase, acme: int, today: date) -> None:
    """The form says what it will do; ctrl+s does it, with the note."""
    effects: list[str] = []

    async def opening(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        effects.append(shown(modal, "#dispute-effect"))
        await type_text(pilot, "contests F-002")
        await save(pilot)

    run_modal(book, today, lambda: DisputeModal(acme, HOSTILE_NAME, disputed=False), opening)
    client = detail(acme, today)
    assert client.disputed
    assert client.history[0].summary == "dispute opened: contests F-002"

    async def resolving(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        effects.append(shown(modal, "#dispute-effect"))
        await save(pilot)

    run_modal(book, today, lambda: DisputeModal(acme, HOSTILE_NAME, disputed=True), resolving)
    assert not detail(acme, today).disputed
    assert effects[0].startswith("Open a dispute") and HOSTILE_NAME in effects[0]
    assert effects[1].startswith("Resolve the dispute")


def test_dispute_already_open_is_refused(book: SqliteDatabase, acme: int, today: date) -> None:
    """Opening a dispute twice is refused with the service's message."""
    clients.set_dispute(acme, True, datetime.combine(today, ACTION_MOMENT))
    before = len(detail(acme, today).history)
    seen: list[str] = []

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        await save(pilot)
        seen.append(error_under(modal, "on"))
        await pilot.press("escape")

    run_modal(book, today, lambda: DisputeModal(acme, HOSTILE_NAME, disputed=False), scenario)
    assert seen == [f"{HOSTILE_NAME} is already disputed"]
    assert len(detail(acme, today).history) == before


# Adding clients and invoices.


def test_add_client_saves_every_field(book: SqliteDatabase, today: date) -> None:
    """Name, kind, language and contact details are stored as typed."""

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        await type_text(pilot, "[i]Dupont[/i]")
        await pilot.press("tab", "right", "tab", "right", "tab")
        await type_text(pilot, "Marc")
        await pilot.press("tab")
        await type_text(pilot, "m@dp.fr")
        await pilot.press("tab")
        await type_text(pilot, "06 12")
        await pilot.press("tab")
        await type_text(pilot, "3 rue X\nParis")
        await save(pilot)

    app = run_modal(book, today, AddClientModal, scenario)
    result = app.results[0]
    assert result is not None
    client_id = find_client_id("[i]Dupont[/i]")
    assert result.client_id == client_id
    client = detail(client_id, today)
    assert (client.kind, client.language) == ("b2c", "en")
    [contact] = client.contacts
    assert (contact.name, contact.email, contact.phone) == (
        "Marc",
        "m@dp.fr",
        "06 12",
    )
    assert contact.address == "3 rue X\nParis"


def test_add_client_refusals(book: SqliteDatabase, acme: int, today: date) -> None:
    """An empty name, then a name already taken and a bad e-mail: shown, nothing added."""
    seen: dict[str, str] = {}

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        await save(pilot)
        seen["empty"] = error_under(modal, "name")
        modal.query_one("#field-name", Input).value = HOSTILE_NAME
        modal.query_one("#field-email", Input).value = "not an address"
        await save(pilot)
        seen["email"] = error_under(modal, "email")
        modal.query_one("#field-email", Input).value = ""
        await save(pilot)
        seen["taken"] = error_under(modal, "name")
        seen["email-again"] = error_under(modal, "email")
        assert focused_id(app) == "field-name"
        await pilot.press("escape")

    app = run_modal(book, today, AddClientModal, scenario)
    assert seen["empty"] == "name is required"
    assert "not an e-mail address" in seen["email"]
    assert seen["taken"] == f"a client named {HOSTILE_NAME!r} already exists"
    assert seen["email-again"] == ""
    assert app.results == [None]


def test_add_client_with_its_payment_terms(book: SqliteDatabase, today: date) -> None:
    """A bad method is refused next to its field; then the terms are stored and in the history."""
    seen: dict[str, str] = {}

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        modal.query_one("#field-name", Input).value = "Verrerie Blanc"
        modal.query_one("#field-delay", Input).value = "45"
        modal.query_one("#field-end_of_month", Choice).value = "yes"
        modal.query_one("#field-methods", Input).value = "transfer, bitcoin"
        await save(pilot)
        seen["methods"] = error_under(modal, "methods")
        seen["clients"] = str(Client.select().count())
        modal.query_one("#field-methods", Input).value = "card, transfer"
        await save(pilot)

    app = run_modal(book, today, AddClientModal, scenario)
    assert seen["methods"].startswith("unknown payment method 'bitcoin'")
    assert seen["clients"] == "0"  # the refused save wrote nothing
    result = app.results[-1]
    assert result is not None
    client = detail(result.client_id, today)
    assert (client.terms.delay_days, client.terms.end_of_month, client.terms.methods) == (
        45,
        True,
        "transfer,card",
    )
    [added] = client.history
    assert added.summary == "client added, terms 45 days end of month by bank transfer, card"


def test_add_invoice_saves_what_was_typed(book: SqliteDatabase, acme: int, today: date) -> None:
    """Number, amount and dates as typed; the due date follows the issue date until typed."""
    dues: list[str] = []

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        assert modal.query_one("#field-issued", Input).value == today.isoformat()
        assert modal.query_one("#field-due", Input).value == (today + timedelta(30)).isoformat()
        await type_text(pilot, "F-003")
        await pilot.press("tab")
        await type_text(pilot, "1500.00")
        await pilot.press("tab", "tab")
        await type_text(pilot, "2026-11-01")
        await pilot.pause()
        dues.append(modal.query_one("#field-due", Input).value)
        await save(pilot)

    app = run_modal(book, today, lambda: AddInvoiceModal(acme, HOSTILE_NAME), scenario)
    assert dues == ["2026-12-01"]
    assert app.results[0] is not None
    invoice = next(inv for inv in detail(acme, today).invoices if inv.number == "F-003")
    assert (invoice.amount, invoice.currency) == (150000, "EUR")
    assert (invoice.issued_on, invoice.due_on) == (date(2026, 11, 1), date(2026, 12, 1))


def test_add_invoice_refusals(book: SqliteDatabase, acme: int, today: date) -> None:
    """Due before issue, bad amount, then a duplicate number: shown, nothing added."""
    seen: dict[str, str] = {}

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        modal.query_one("#field-number", Input).value = "F-009"
        modal.query_one("#field-amount", Input).value = "12,5.0"
        modal.query_one("#field-due", Input).value = "2026-11-01"
        await save(pilot)
        seen["due"] = error_under(modal, "due")
        seen["amount"] = error_under(modal, "amount")
        modal.query_one("#field-number", Input).value = "F-001"
        modal.query_one("#field-amount", Input).value = "10"
        modal.query_one("#field-due", Input).value = "+30"
        await save(pilot)
        seen["number"] = error_under(modal, "number")
        seen["due-again"] = error_under(modal, "due")
        await pilot.press("escape")

    app = run_modal(book, today, lambda: AddInvoiceModal(acme, HOSTILE_NAME), scenario)
    assert seen["due"] == "the due date is before the issue date"
    assert seen["amount"]
    assert seen["number"] == "invoice F-001 already exists"
    assert seen["due-again"] == ""
    assert app.results == [None]
    assert sorted(inv.number for inv in detail(acme, today).invoices) == ["F-001", "F-002"]


def test_contact_visit_with_a_promise_is_held_like_a_call(
    book: SqliteDatabase, acme: int, today: date
) -> None:
    """``v``: a visit where the client promised; the promise holds the ladder."""

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        assert focused_id(app) == "field-channel"
        assert modal.query_one("#field-channel", Choice).value == "visit"
        await pilot.press("tab")
        await type_text(pilot, "300")
        await pilot.press("tab")
        await type_text(pilot, "+5")
        await pilot.press("tab")
        await type_text(pilot, "[b]M. Roche[/b]")
        await save(pilot)

    app = run_modal(book, today, lambda: ContactModal(acme, HOSTILE_NAME), scenario)
    assert app.results[0] is not None
    client = detail(acme, today)
    assert client.history[0].kind == "visit"
    [promise] = client.promises
    assert (promise.amount, promise.due_on) == (30000, today + timedelta(days=5))
    assert promise.made_by == "[b]M. Roche[/b]"


def test_contact_email_without_a_promise_is_refused_under_its_field(
    book: SqliteDatabase, acme: int, today: date
) -> None:
    """An e-mail from the client is logged only as a promise: refused, nothing written."""
    before = len(detail(acme, today).history)

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        choice = modal.query_one("#field-channel", Choice)
        while choice.value != "email":
            await pilot.press("down")
        await save(pilot)
        assert app.screen is modal
        message = str(modal.query_one("#error-channel", Static).render())
        assert "only with its promise" in message

    run_modal(book, today, lambda: ContactModal(acme, HOSTILE_NAME), scenario)
    assert len(detail(acme, today).history) == before
