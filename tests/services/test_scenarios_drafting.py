"""Scenarios: `r` drafts what the next action calls for, walking books through the weeks."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from cli_fixtures import Relance, ok
from drafting_fixtures import client_with_invoices, contact
from relance.config import Config
from relance.services import calls, clients, invoices
from relance.services.drafting import call_script, draft_reminder
from relance.services.plans import answer_plan, propose_plan
from relance.services.validation import InvalidInput
from relance.store.detail import client_detail
from smtp_server import smtp_server


def next_action(client_id: int, today: date) -> tuple[str, str]:
    """The stored next action and its reason, as the list and the detail show them."""
    detail = client_detail(client_id, today)
    return detail.next_action, detail.next_action_reason


def on(day: str, hour: int = 10) -> datetime:
    """A moment of an ISO day."""
    return datetime.combine(date.fromisoformat(day), datetime.min.time()).replace(hour=hour)


def test_plan_proposed_then_running_never_gets_the_ladders_reminder(
    book: SqliteDatabase, config: Config
) -> None:
    client_id = client_with_invoices(on("2026-08-01"), language="en")
    # Week 0: no plan yet, the ladder speaks.
    assert draft_reminder(client_id, date(2026, 10, 20), config).template != "plan-proposal"
    # A plan is proposed: `r` drafts the proposal again, not a firm reminder.
    propose_plan(client_id, "3", on("2026-10-20"))
    proposed = draft_reminder(client_id, date(2026, 10, 27), config)
    assert proposed.template == "plan-proposal"
    assert proposed.subject == "Proposed payment plan — €1,500.00"
    assert "in 3 instalments, every month, as follows:" in proposed.body
    assert "firm" not in proposed.template
    # Accepted: the plan holds the ladder, `r` drafts the instalment notice.
    answer_plan(client_id, "accept", on("2026-10-28"))
    action, reason = next_action(client_id, date(2026, 11, 2))
    assert action == "instalment notice"
    assert "the plan holds the ladder" in reason
    notice = draft_reminder(client_id, date(2026, 11, 2), config)
    assert notice.template == "instalment-due"
    assert "the next instalment of your payment plan, €500.00, is due on" in notice.body
    assert "formal notice" not in notice.body.lower()


def test_a_running_promise_gets_no_reminder_until_its_day(
    book: SqliteDatabase, config: Config
) -> None:
    client_id = client_with_invoices(on("2026-08-01"), language="en")
    calls.log_call(
        client_id,
        "promised",
        on("2026-11-12"),
        promised_amount="800.00",
        promised_on="2026-11-20",
    )
    action, reason = next_action(client_id, date(2026, 11, 15))
    assert action == "check promise"
    assert "promised to pay by 2026-11-20" in reason
    with pytest.raises(InvalidInput) as refused:
        draft_reminder(client_id, date(2026, 11, 15), config)
    assert refused.value.errors == {
        "promise": "Garage Petit promised to pay; the ladder waits until 2026-11-23:"
        " check the payment then"
    }
    # The day after the promised day, unpaid: the reminder quotes the broken promise.
    broken = draft_reminder(client_id, date(2026, 11, 23), config)
    assert broken.template == "broken-promise"
    assert "on 12 November you promised to pay €800.00 by 20 November" in broken.body


def test_the_call_step_drafts_the_call_script_with_the_numbers(
    book: SqliteDatabase, config: Config, tmp_path: Path
) -> None:
    client_id = clients.add_client(
        "Garage Petit",
        on("2026-08-01"),
        phone="06 11 22 33 44",
        contact_name="M. Petit",
        email="compta@petit.example",
        language="en",
    ).client_id
    invoices.add_invoice(
        client_id, "G-101", "1000.00", "2026-08-01", "2026-09-01", on("2026-08-01")
    )
    # Week by week: two e-mails, then the ladder calls for a phone call.
    contact(client_id, "email", on("2026-09-08"))
    contact(client_id, "email", on("2026-09-22"))
    action, _ = next_action(client_id, date(2026, 10, 13))
    assert action == "phone call"
    draft = draft_reminder(client_id, date(2026, 10, 13), config)
    assert draft.channel == "phone"
    script = call_script(client_id, date(2026, 10, 13), config)
    assert script.startswith(
        "Call — Garage Petit (M. Petit)\nNumbers to call: M. Petit: 06 11 22 33 44\n\n"
    )
    assert "invoice G-101, €1,000.00" in script


def test_cli_plan_propose_send_mails_the_proposal(relance: Relance, tmp_path: Path) -> None:
    """`plan propose --send` records the plan and e-mails its proposal to a real server."""
    ok(relance("client", "add", "Durand SARL", "--email", "compta@durand.fr"))
    ok(
        relance(
            "invoice", "add", "1", "F-1", "1200.00", "--issued", "2026-09-01", "--due", "2026-10-01"
        )
    )
    with smtp_server() as server:
        config = Path(os.environ["RELANCE_CONFIG"])
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(
            '[creditor]\nname = "Claire Dev"\nemail = "claire@example.fr"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n',
            encoding="utf-8",
        )
        run = ok(relance("plan", "propose", "1", "--instalments", "3", "--send", "--json")).json()
    assert run["status"] == "proposed"
    assert run["sent"]["status"] == "sent"
    [received] = server.received
    assert received.rcpt_tos == ["compta@durand.fr"]
    # A French client (the default): the proposal in French.
    assert received.message["Subject"] == "Proposition d'échéancier — 1 200,00 €"
    assert "1 200,00 € en 3 versements, chaque mois" in received.message.get_content()


def test_cli_plan_propose_send_without_an_address_writes_nothing(relance: Relance) -> None:
    ok(relance("client", "add", "Durand SARL"))
    ok(
        relance(
            "invoice", "add", "1", "F-1", "1200.00", "--issued", "2026-09-01", "--due", "2026-10-01"
        )
    )
    refused = relance("plan", "propose", "1", "--instalments", "3", "--send")
    assert refused.status == 2
    assert (
        refused.err == "relance: --send: the client has no e-mail address; add one to a contact\n"
    )
    assert ok(relance("show", "1", "--json")).json()["plans"] == []
