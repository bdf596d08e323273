"""Pilot tests: the plan modal's live preview, the reversal form, the broken-promise marker."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from peewee import SqliteDatabase
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList, Static

from relance.config import Config, Creditor
from relance.services import calls, clients, invoices, payments, plans
from relance.store.models import Instalment, Payment, PaymentPlan
from relance.tui.client_table import ClientTable
from relance.tui.modals.base import ActionModal
from relance.tui.modals.payment import ReversePaymentModal
from relance.tui.modals.plan import PREVIEW_DELAY_SECONDS, PlanAnswerModal, PlanModal
from tui_fixtures import ModalHostApp, make_app, play_modal, run_async, settle

Scenario = Callable[[ModalHostApp, Pilot[None], ActionModal], Awaitable[None]]


def run_modal(
    book: SqliteDatabase, today: date, modal: ActionModal, scenario: Scenario
) -> ModalHostApp:
    """Open the modal at 80×24 and play the scenario."""
    path = Path(book.database)
    app = ModalHostApp(
        path, today, Config(path=path.parent / "config.toml", creditor=Creditor(name="Me"))
    )
    return play_modal(app, lambda: modal, scenario, settle)


def text_of(modal: ActionModal, selector: str) -> str:
    """The plain text a Static shows."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(modal.query_one(selector, Static).content)
    return console.export_text()


def owing(at: datetime, name: str = "ACME") -> int:
    """A client owing 1 200.00 since 1 October."""
    client_id = clients.add_client(name, at).client_id
    invoices.add_invoice(client_id, f"{name}-1", "1200.00", "2026-09-01", "2026-10-01", at)
    return client_id


def test_plan_preview_follows_day_and_extras_and_refuses_bad_input(
    book: SqliteDatabase, at: datetime, today: date
) -> None:
    client_id = owing(at)
    previews: list[str] = []
    errors: list[str] = []

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        previews.append(text_of(modal, "#preview-body"))
        modal.query_one("#field-day", Input).value = "40"
        await settle(pilot, PREVIEW_DELAY_SECONDS + 0.2)
        previews.append(text_of(modal, "#preview-body"))
        errors.append(text_of(modal, "#error-day"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        errors.append(text_of(modal, "#error-day"))
        modal.query_one("#field-day", Input).value = "5"
        await settle(pilot, PREVIEW_DELAY_SECONDS + 0.2)
        previews.append(text_of(modal, "#preview-body"))
        modal.query_one("#field-extras").focus()
        await pilot.press("right")
        await settle(pilot, PREVIEW_DELAY_SECONDS + 0.2)
        previews.append(text_of(modal, "#preview-body"))
        await pilot.press("ctrl+s")
        await settle(pilot)

    app = run_modal(book, today, PlanModal(client_id, "ACME"), scenario)
    default, refused, on_the_5th, with_extras = previews
    # The next 20th is a Sunday: Monday the 21st; then 20 January, 22 February (a Monday).
    assert "Mon 21 Dec 2026" in default and "Mon 22 Feb 2027" in default
    assert "interest and fees waived" in default and "€1,200.00" in default
    assert "no schedule" in refused
    assert "from 1 to 31" in errors[0] and errors[1]
    assert "Tue 05 Jan 2027" in on_the_5th and "Fri 05 Feb 2027" in on_the_5th
    assert "including interest" in with_extras and "€1,200.00" not in with_extras.split("Total")[1]
    # Refused with day 40: only the last ctrl+s saved.
    assert len(app.results) == 1 and app.results[0] is not None
    plan = PaymentPlan.get()
    assert plan.total > 120000
    assert [i.due_on for i in plan.instalments.order_by(Instalment.seq)] == [
        date(2026, 12, 21),
        date(2027, 1, 5),
        date(2027, 2, 5),
    ]


def test_reversal_form_picks_a_payment_and_undoes_it(
    book: SqliteDatabase, at: datetime, today: date
) -> None:
    client_id = owing(at)
    payments.record_payment(client_id, "100.00", at - timedelta(days=3), reference="OLD")
    payments.record_payment(client_id, "250.00", at, reference="VIR 2")

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ActionModal) -> None:
        listing = modal.query_one("#field-payment", SelectionList)
        assert listing.option_count == 2
        assert len(listing.selected) == 1
        modal.query_one("#field-reason", Input).focus()
        await pilot.press(*"bounced")
        await pilot.press("ctrl+s")
        await settle(pilot)

    app = run_modal(book, today, ReversePaymentModal(client_id, "ACME"), scenario)
    assert app.results[-1] is not None
    newest = Payment.get(Payment.reference == "VIR 2")
    assert newest.reversed_at is not None and newest.reversal_reason == "bounced"
    assert Payment.get(Payment.reference == "OLD").reversed_at is None


@run_async
async def test_a_broken_promise_moves_the_client_to_the_top(
    book: SqliteDatabase, at: datetime, today: date, tmp_path: Path
) -> None:
    older = owing(at, "Ancien")
    invoices.add_invoice(older, "Ancien-0", "50.00", "2026-05-01", "2026-06-01", at)
    promising = owing(at, "Promis")
    calls.log_call(promising, "promised", at, promised_amount="100", promised_on=today.isoformat())
    db_path = Path(book.database)
    config_path = tmp_path / "config.toml"

    async def first_rows(day: date) -> list[tuple[str, str]]:
        app = make_app(db_path, config_path, day)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            table = app.screen.query_one(ClientTable)
            return [
                (row.name, str(table.get_cell_at((index, 0))))
                for index, row in enumerate(table.triage_rows)
            ]

    assert await first_rows(today) == [("Ancien", ""), ("Promis", "P")]
    assert await first_rows(today + timedelta(days=1)) == [("Promis", "!"), ("Ancien", "")]


@run_async
async def test_p_on_a_proposed_plan_records_the_answer(
    book: SqliteDatabase, at: datetime, today: date, tmp_path: Path
) -> None:
    client_id = owing(at)
    plans.propose_plan(client_id, "3", at)
    app = make_app(Path(book.database), tmp_path / "config.toml", today)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PlanAnswerModal)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, PlanAnswerModal)
        row = app.screen.query_one(ClientTable).triage_rows[0]
        assert row.next_instalment_on == date(2026, 12, 21)
        # Now the plan runs: `p` proposes again, and is told the plan runs.
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PlanModal)
    assert PaymentPlan.get().status == "active"


@run_async
async def test_what_broke_since_last_time_is_told_at_start(
    book: SqliteDatabase, today: date, tmp_path: Path
) -> None:
    told = ["Promis: promise broken: €100.00 promised on 2026-11-20 by 2026-11-22, not received"]
    app = make_app(Path(book.database), tmp_path / "config.toml", today, notices=told)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert [str(note.message) for note in app._notifications] == told


@run_async
async def test_p_then_ctrl_s_sends_the_proposal(
    book: SqliteDatabase, at: datetime, today: date, tmp_path: Path
) -> None:
    """Saving a new plan opens the reminder form on its proposal; ctrl+s sends it."""
    from relance.delivery.outbox import Outbox
    from relance.tui.modals.reminder import ReminderModal

    client_id = clients.add_client("ACME", at, email="pay@acme.example", language="en").client_id
    invoices.add_invoice(client_id, "ACME-1", "1200.00", "2026-09-01", "2026-10-01", at)
    app = make_app(Path(book.database), tmp_path / "config.toml", today)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot, PREVIEW_DELAY_SECONDS + 0.2)
        assert isinstance(app.screen, PlanModal)
        await pilot.press("ctrl+s")
        await settle(pilot, 0.5)
        assert isinstance(app.screen, ReminderModal)
        assert app.screen.draft is not None
        assert app.screen.draft.message.template == "plan-proposal"
        assert app.screen.value_of("subject") == "Proposed payment plan — €1,200.00"
        await pilot.press("ctrl+s")
        await settle(pilot, 0.5)
        assert not isinstance(app.screen, ReminderModal)
    assert PaymentPlan.get().status == "proposed"
    [entry] = Outbox(Path(book.database).parent / "outbox").entries()
    assert "Proposed payment plan" in entry.subject
