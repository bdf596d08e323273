"""Sending a reminder without a server: queued in the outbox, logged in full, or not at all."""

from __future__ import annotations

import email
import email.policy
import re
import stat
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from relance.config import Config
from relance.delivery.mime import recorded_headers
from relance.delivery.outbox import Outbox
from relance.services import reminders
from relance.services.clients import add_client
from relance.services.drafting import draft_reminder
from relance.services.invoices import add_invoice
from relance.services.reminders import send_reminder
from relance.services.validation import InvalidInput
from relance.store.models import Client, Contact, ContactEvent
from relance.store.steps import UNCONFIRMED_NOTE, undelivered_note
from reminder_fixtures import CREDITOR, owing_client


@pytest.fixture
def outbox(tmp_path: Path) -> Path:
    """Where reminders are written."""
    return tmp_path / "data" / "relance-outbox"


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """A config with a creditor and no [smtp]."""
    return Config(path=tmp_path / "config" / "config.toml", creditor=CREDITOR)


def message_files(outbox: Path) -> list[Path]:
    """Every message and state file in the outbox (its empty folders and lock aside)."""
    if not outbox.exists():
        return []
    return sorted(p for p in outbox.rglob("*") if p.is_file() and p.name != ".lock")


def test_without_smtp_the_reminder_is_queued_and_logged_in_full(
    book: object, at: datetime, outbox: Path, config: Config
) -> None:
    client_id = owing_client(at)
    draft = draft_reminder(client_id, at.date(), config)
    result = send_reminder(client_id, at, config, outbox)
    path = Path(result.record["file"])
    assert path.parent == outbox / "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(outbox.stat().st_mode) == 0o700
    assert result.summary == (
        f"Atelier Brun: reminder for €1,034.56 written to the outbox {outbox}"
        " (no [smtp] configured): send it yourself, then confirm it went"
        " (`relance reminder confirm CLIENT`); until then it does not count"
    )
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Martin, Jeanne", "jeanne@example.fr")
    assert [a.addr_spec for a in message["To"].addresses] == ["compta@brun.fr"]
    assert message["Subject"] == draft.subject
    assert parsedate_to_datetime(message["Date"]) == at.astimezone()
    assert re.fullmatch(r"<[^<>@\s]+@example\.fr>", message["Message-ID"])
    assert message.get_content_type() == "text/plain"
    assert message.get_content().replace("\r\n", "\n") == draft.body.strip() + "\n"
    event = ContactEvent.get_by_id(result.event_id)
    assert (event.kind, event.channel, event.direction, event.outcome) == (
        "email",
        "email",
        "out",
        "written",
    )
    headers = recorded_headers(event.body)
    assert headers["Subject"] == draft.subject
    assert headers["Message-ID"] == message["Message-ID"]
    assert headers["To"] == "compta@brun.fr"
    assert event.body.endswith("\n\n" + draft.body.strip())
    assert event.summary == f"reminder queued for compta@brun.fr: {draft.subject}"
    assert event.amount == 103456
    assert result.record == {
        "to": ["compta@brun.fr"],
        "subject": draft.subject,
        "total": "1034.56",
        "file": str(path),
        "message_id": message["Message-ID"],
        "status": "queued",
        "reason": "no [smtp] configured",
    }
    # No delivery was tried, so there is no delivery event.
    assert ContactEvent.select().where(ContactEvent.kind == "outbox").count() == 0
    # Written for the user to send, it is no step until the user says it went.
    client = Client.get_by_id(client_id)
    assert (client.next_action, client.ladder_step) == ("courteous email", 1)
    assert undelivered_note(client_id) == UNCONFIRMED_NOTE
    confirmed = reminders.confirm_sent(client_id, at, outbox)
    assert confirmed.record == {"message_id": message["Message-ID"], "status": "sent"}
    news = ContactEvent.get_by_id(confirmed.event_id)
    assert (news.kind, news.outcome, news.body) == (
        "outbox",
        "sent",
        f"Message-ID: {message['Message-ID']}",
    )
    assert undelivered_note(client_id) is None
    # Filed among the sent: a server configured later never sends it again.
    [entry] = Outbox(outbox).entries()
    assert entry.state == "sent"
    client = Client.get_by_id(client_id)
    # One step of the ladder done; the next 5 days after this contact (Saturday → Monday).
    assert (client.next_action, client.next_action_on) == ("second email", date(2026, 11, 30))
    with pytest.raises(InvalidInput, match="no reminder waiting for you to confirm"):
        reminders.confirm_sent(client_id, at, outbox)


def test_the_edited_text_is_what_is_sent(
    book: object, at: datetime, outbox: Path, config: Config
) -> None:
    client_id = owing_client(at)
    subject = "Facture F-001 — petit rappel"
    body = "Bonjour,\n\nUn petit rappel amical ; merci d'avance.\n\n[bold]Jeanne[/]\n"
    result = send_reminder(client_id, at, config, outbox, subject=subject, body=body)
    message = email.message_from_bytes(
        Path(result.record["file"]).read_bytes(), policy=email.policy.default
    )
    assert message["Subject"] == subject
    assert message.get_content().replace("\r\n", "\n") == body.strip() + "\n"
    event = ContactEvent.get_by_id(result.event_id)
    assert event.body.startswith(f"Subject: {subject}\n")
    assert event.body.endswith(f"\n\n{body.strip()}")


def test_without_a_creditor_address_the_sender_is_a_placeholder(
    book: object, at: datetime, outbox: Path, tmp_path: Path
) -> None:
    client_id = owing_client(at)
    bare = Config(path=tmp_path / "config.toml")
    result = send_reminder(client_id, at, bare, outbox)
    message = email.message_from_bytes(
        Path(result.record["file"]).read_bytes(), policy=email.policy.default
    )
    assert message["From"] == "relance@localhost"


def test_recipients_prefer_the_billing_contact(book: object, at: datetime) -> None:
    client_id = owing_client(at, email_address="")
    Contact.create(client=client_id, name="Bob", email="bob@brun.fr")
    Contact.create(client=client_id, name="Eve", email="eve@brun.fr")
    assert reminders.reminder_recipients(client_id) == ["bob@brun.fr", "eve@brun.fr"]
    Contact.create(client=client_id, name="Billing", email="billing@brun.fr", is_billing=True)
    assert reminders.reminder_recipients(client_id) == ["billing@brun.fr"]


def test_nothing_overdue_is_refused(
    book: object, at: datetime, outbox: Path, config: Config
) -> None:
    client_id = add_client("Punctual", at, email="a@b.fr").client_id
    add_invoice(client_id, "P-1", "10", "2026-11-01", "2026-11-23", at)
    with pytest.raises(InvalidInput) as refused:
        send_reminder(client_id, at, config, outbox)
    assert "client" in refused.value.errors
    assert message_files(outbox) == []
    assert ContactEvent.select().where(ContactEvent.kind == "email").count() == 0


def test_no_address_is_refused(book: object, at: datetime, outbox: Path, config: Config) -> None:
    client_id = owing_client(at, email_address="")
    with pytest.raises(InvalidInput) as refused:
        send_reminder(client_id, at, config, outbox)
    assert "no e-mail address" in refused.value.errors["to"]
    assert message_files(outbox) == []
    assert ContactEvent.select().where(ContactEvent.kind == "email").count() == 0


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [
        ("", None, "subject"),
        ("Hello\nBcc: everyone@example.com", None, "subject"),
        ("Hi\r\nX-Evil: 1", None, "subject"),
        (None, "   ", "body"),
        (None, "nul \x00 byte", "body"),
    ],
)
def test_bad_edits_are_refused(
    book: object,
    at: datetime,
    outbox: Path,
    config: Config,
    subject: str | None,
    body: str | None,
    field: str,
) -> None:
    client_id = owing_client(at)
    with pytest.raises(InvalidInput) as refused:
        send_reminder(client_id, at, config, outbox, subject=subject, body=body)
    assert field in refused.value.errors
    assert message_files(outbox) == []
    assert ContactEvent.select().where(ContactEvent.kind == "email").count() == 0


@pytest.mark.parametrize("failing", ["record_event", "refresh_client_summary"])
def test_a_failed_write_to_the_book_removes_the_file(
    book: object,
    at: datetime,
    outbox: Path,
    config: Config,
    monkeypatch: pytest.MonkeyPatch,
    failing: str,
) -> None:
    client_id = owing_client(at)
    before = Client.get_by_id(client_id).next_action

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(reminders, failing, broken)
    with pytest.raises(RuntimeError, match="disk full"):
        send_reminder(client_id, at, config, outbox)
    assert message_files(outbox) == []
    assert ContactEvent.select().where(ContactEvent.kind == "email").count() == 0
    assert Client.get_by_id(client_id).next_action == before
