"""Scenario: a 550 from the server marks the address bounced; the next reminder goes elsewhere."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from peewee import SqliteDatabase

from relance.config import Config, SmtpSettings
from relance.delivery.outbox import Outbox
from relance.services.contact_details import ContactInput, add_contact, list_contacts
from relance.services.reminders import reminder_recipients, send_reminder
from relance.store.models import Client, ContactEvent
from reminder_fixtures import CREDITOR, owing_client
from smtp_server import smtp_server

GONE = "gone@brun.fr"
OTHER = "lea@brun.fr"
REFUSAL = "550 5.1.1 no such mailbox"


def moment(day: date) -> datetime:
    """Nine in the morning of a day."""
    return datetime.combine(day, time(9, 0))


def next_action(client_id: int) -> tuple[str, int, str]:
    """The client's next action, ladder step and reason, as the list stores them."""
    client = Client.get_by_id(client_id)
    return client.next_action, client.ladder_step, client.next_action_reason


def contact_lines(client_id: int) -> list[tuple[str, str]]:
    """The author and summary of each contact line of the client's history, oldest first."""
    rows = ContactEvent.select().where(
        (ContactEvent.client == client_id) & (ContactEvent.kind == "contact")
    )
    return [(e.author, e.summary) for e in rows.order_by(ContactEvent.id)]


def test_a_550_moves_the_next_reminder_to_the_other_address(
    book: SqliteDatabase, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox"
    start = date(2026, 11, 2)
    client_id = owing_client(moment(start), language="en", email_address=GONE)
    add_contact(client_id, ContactInput(name="Léa Brun", email=OTHER), moment(start))
    with smtp_server() as server:
        server.collector.refuse_recipients[GONE] = REFUSAL
        smtp = SmtpSettings(host="127.0.0.1", port=server.port, security="none")
        config = Config(path=tmp_path / "config.toml", creditor=CREDITOR, smtp=smtp)
        before = next_action(client_id)
        assert before[:2] == ("courteous email", 1)
        assert reminder_recipients(client_id) == [GONE], "the billing contact first"

        # Monday: the server refuses the billing address for good; relance marks it.
        refused = send_reminder(client_id, moment(start), config, outbox)
        assert refused.record["status"] == "failed" and refused.record["to"] == [GONE]
        assert server.received == []
        [gone, lea] = list_contacts(client_id)
        assert (gone.email, gone.email_bounced) == (GONE, REFUSAL)
        assert lea.email_bounced is None
        assert contact_lines(client_id)[-1] == (
            "outbox",
            f"Mme Brun's address {GONE} marked bounced: {REFUSAL}",
        )
        assert next_action(client_id) == before, "a refusal moves nothing"

        # Tuesday: the next reminder goes to the other address, and is the ladder's step.
        tuesday = date(2026, 11, 3)
        assert reminder_recipients(client_id) == [OTHER]
        sent = send_reminder(client_id, moment(tuesday), config, outbox)
        assert sent.record["status"] == "sent" and sent.record["to"] == [OTHER]
        [received] = server.received
        assert received.rcpt_tos == [OTHER]
        assert received.message["To"] == OTHER
        body = received.message.get_content()
        assert "Total due: €1,034.56" in body and "F-001    2026-08-01" in body
        assert sent.summary == "Atelier Brun: reminder for €1,034.56 sent to lea@brun.fr"
        assert next_action(client_id) == (
            "second email",
            2,
            "second email — 70 days late, last reminder 6 days ago, step 2 of 7",
        )
        # The refused message itself waits for the user, still addressed as it was.
        assert [
            (e.state, e.recipients) for e in Outbox(outbox).entries() if e.state == "refused"
        ] == [("refused", (GONE,))]


def test_a_partly_refused_reminder_marks_only_the_refused_address(
    book: SqliteDatabase, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox"
    day = date(2026, 11, 2)
    client_id = owing_client(moment(day), email_address="")
    add_contact(client_id, ContactInput(name="Gone", email=GONE, billing=False), moment(day))
    add_contact(client_id, ContactInput(name="Léa", email=OTHER, billing=False), moment(day))
    with smtp_server() as server:
        server.collector.refuse_recipients[GONE] = REFUSAL
        smtp = SmtpSettings(host="127.0.0.1", port=server.port, security="none")
        config = Config(path=tmp_path / "config.toml", creditor=CREDITOR, smtp=smtp)
        assert reminder_recipients(client_id) == [GONE, OTHER]
        sent = send_reminder(client_id, moment(day), config, outbox)
        assert sent.record["status"] == "sent"
        assert [c.email_bounced for c in list_contacts(client_id)] == [None, REFUSAL, None]
        assert reminder_recipients(client_id) == [OTHER]
