"""Scenario: a reminder the server refuses moves nothing until it is redirected and accepted."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from peewee import SqliteDatabase

from relance.config import Config, SmtpSettings
from relance.delivery.outbox import Outbox
from relance.markers import UNDELIVERED, markers_of
from relance.services import drafting
from relance.services.calls import log_call
from relance.services.outbox import redirect_message, retry_outbox
from relance.services.remind_due import WAITS_IN_OUTBOX, remind_due
from relance.services.reminders import send_reminder
from relance.store.models import Client
from relance.store.steps import undelivered_note
from relance.store.triage import triage_window
from reminder_fixtures import CREDITOR, owing_client
from smtp_server import smtp_server

GONE = "gone@brun.fr"
REFUSAL = "550 5.1.1 no such mailbox"


def moment(day: date) -> datetime:
    """Nine in the morning of a day."""
    return datetime.combine(day, time(9, 0))


def state(client_id: int) -> tuple[str, int]:
    """The client's next action and ladder step, as the list shows them."""
    client = Client.get_by_id(client_id)
    return client.next_action, client.ladder_step


def row_letters(client_id: int, today: date) -> str:
    """The marker letters of the client's row in the list."""
    [row] = [r for r in triage_window(today) if r.client_id == client_id]
    return "".join(marker.letter for marker in markers_of(row, today))


def test_refused_then_redirected_reminder(book: SqliteDatabase, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    start = date(2026, 11, 2)
    client_id = owing_client(moment(start), language="en", email_address=GONE)
    with smtp_server() as server:
        server.collector.refuse_recipients[GONE] = REFUSAL
        smtp = SmtpSettings(host="127.0.0.1", port=server.port, security="none")
        config = Config(path=tmp_path / "config.toml", creditor=CREDITOR, smtp=smtp)
        before = state(client_id)
        assert before == ("courteous email", 1)

        # Week 1: the server refuses the address for good.
        sent = send_reminder(client_id, moment(start), config, outbox)
        assert sent.record["status"] == "failed" and REFUSAL in str(sent.record["reason"])
        assert state(client_id) == before
        assert UNDELIVERED.letter in row_letters(client_id, start)
        note = undelivered_note(client_id)
        assert note is not None and REFUSAL in note and GONE in note
        [entry] = Outbox(outbox).entries()
        assert entry.state == "refused"
        # Not retried for ever: a plain retry leaves it for the user.
        assert retry_outbox(outbox, config, moment(date(2026, 11, 3))) == []
        # Nor does the next morning's batch write a second one behind it.
        [line] = remind_due(moment(date(2026, 11, 4)), config, outbox)
        assert (line.status, line.reason.split(":")[0]) == ("skipped", WAITS_IN_OUTBOX)
        assert server.received == [] and len(Outbox(outbox).entries()) == 1

        # Week 2: redirected to the right address, accepted, the ladder moves.
        redirected_on = date(2026, 11, 9)
        _, delivery = redirect_message(
            outbox, entry.name, "compta@brun.fr", config, moment(redirected_on)
        )
        assert delivery.status == "sent"
        [received] = server.received
        assert received.rcpt_tos == ["compta@brun.fr"]
        assert str(received.message["To"]) == "compta@brun.fr"
        assert state(client_id) == ("second email", 2)
        assert UNDELIVERED.letter not in row_letters(client_id, redirected_on)
        assert undelivered_note(client_id) is None

        # A wrong-number call is an attempt, not a contact to cite.
        log_call(client_id, "wrong-number", moment(date(2026, 11, 12)))
        later = date(2026, 11, 30)
        body = drafting.draft_reminder(client_id, later, config).body
        cited = next(line for line in body.splitlines() if line.startswith("We reminded you"))
        assert cited == "We reminded you on 9 November 2026 (e-mail)."


def test_the_marker_follows_the_latest_reminder_only(book: SqliteDatabase, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    start = date(2026, 11, 2)
    client_id = owing_client(moment(start), language="en")
    with smtp_server() as server:
        smtp = SmtpSettings(host="127.0.0.1", port=server.port, security="none")
        config = Config(path=tmp_path / "config.toml", creditor=CREDITOR, smtp=smtp)

        # Week 1: the server is busy; the reminder stays queued and marks the row.
        server.collector.refuse = "451 4.3.2 try again later"
        first = send_reminder(client_id, moment(start), config, outbox)
        assert first.record["status"] == "failed"
        assert state(client_id) == ("courteous email", 1)
        assert UNDELIVERED.letter in row_letters(client_id, start)

        # Week 2: a new reminder is accepted; the older one still waits, but the row is clear.
        server.collector.refuse = ""
        second_day = date(2026, 11, 9)
        second = send_reminder(client_id, moment(second_day), config, outbox)
        assert second.record["status"] == "sent"
        assert state(client_id) == ("second email", 2)
        assert UNDELIVERED.letter not in row_letters(client_id, second_day)
        assert undelivered_note(client_id) is None

        # The next day a retry of the older message is refused for good: news of that older
        # message only, so the row stays clear and the ladder where it was.
        server.collector.refuse = "554 5.7.1 rejected"
        retried_day = date(2026, 11, 10)
        [retried] = retry_outbox(outbox, config, moment(retried_day))
        assert (retried.status, retried.held) == ("failed", True)
        assert retried.name == Path(str(first.record["file"])).name
        assert UNDELIVERED.letter not in row_letters(client_id, retried_day)
        assert undelivered_note(client_id) is None
        assert state(client_id) == ("second email", 2)

        # Only the accepted reminder is cited by the next one.
        later = date(2026, 11, 23)
        body = drafting.draft_reminder(client_id, later, config).body
        cited = next(line for line in body.splitlines() if line.startswith("We reminded you"))
        assert cited == "We reminded you on 9 November 2026 (e-mail)."
