"""Reminders: the rendered text, the .eml in the outbox, and the full text in the history."""

from __future__ import annotations

import email
import email.policy
import re
import stat
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from relance.config import Creditor
from relance.services import reminders
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment
from relance.services.reminders import draft_reminder, send_reminder
from relance.services.validation import InvalidInput
from relance.store.models import Client, Contact, ContactEvent

CREDITOR = Creditor(
    name="Martin, Jeanne",
    email="jeanne@example.fr",
    phone="06 12 34 56 78",
    iban="FR76 3000 6000 0112 3456 7890 189",
)


def owing_client(at: datetime, language: str = "fr", email_address: str = "compta@brun.fr") -> int:
    """A client with two overdue invoices (one partly paid) and one not yet due."""
    client_id = add_client(
        "Atelier Brun", at, email=email_address, contact_name="Mme Brun", language=language
    ).client_id
    add_invoice(client_id, "F-001", "1000.00", "2026-08-01", "2026-08-31", at)
    add_invoice(client_id, "F-002", "234.56", "2026-09-01", "2026-10-01", at)
    add_invoice(client_id, "F-003", "99.00", "2026-11-01", "2026-12-01", at)
    record_payment(client_id, "200.00", at)
    return client_id


@pytest.fixture
def outbox(tmp_path: Path) -> Path:
    """Where reminders are written."""
    return tmp_path / "data" / "relance-outbox"


def test_french_draft_lists_every_overdue_invoice_with_totals(
    book: object, at: datetime, today: date
) -> None:
    client_id = owing_client(at)
    draft = draft_reminder(client_id, today, CREDITOR)
    assert draft.subject == "Relance : factures impayées (2) — 1 034,56 €"
    body = draft.body
    assert body.startswith("Bonjour Mme Brun,\n")
    assert "F-001    2026-08-01  2026-08-31   1 000,00 €  200,00 €  800,00 €     84" in body
    assert "F-002    2026-09-01  2026-10-01     234,56 €    0,00 €  234,56 €     53" in body
    assert "F-003" not in body
    assert "Total restant dû : 1 034,56 €" in body
    assert "FR76 3000 6000 0112 3456 7890 189" in body
    assert body.rstrip().endswith("Martin, Jeanne\njeanne@example.fr\n06 12 34 56 78")
    # Drafting writes nothing.
    assert ContactEvent.select().where(ContactEvent.kind == "email").count() == 0


def test_english_draft(book: object, at: datetime, today: date) -> None:
    client_id = owing_client(at, language="en")
    draft = draft_reminder(client_id, today, Creditor())
    assert draft.subject == "Reminder: 2 overdue invoices — €1,034.56"
    assert draft.body.startswith("Dear Mme Brun,\n")
    assert "F-001    2026-08-01  2026-08-31  €1,000.00  €200.00  €800.00    84" in draft.body
    assert "F-002    2026-09-01  2026-10-01    €234.56    €0.00  €234.56    53" in draft.body
    assert "Total due: €1,034.56" in draft.body
    assert "IBAN" not in draft.body
    assert draft.body.rstrip().endswith("Kind regards,")


def test_second_reminder_is_firmer(book: object, at: datetime, outbox: Path) -> None:
    client_id = owing_client(at)
    send_reminder(client_id, at, outbox, CREDITOR)
    draft = draft_reminder(client_id, at.date(), CREDITOR)
    assert draft.subject == "Relance n°2 : 1 034,56 € restant dus"
    assert "Malgré nos précédentes relances" in draft.body


def test_send_writes_an_rfc5322_file_and_records_the_full_text(
    book: object, at: datetime, outbox: Path
) -> None:
    client_id = owing_client(at)
    draft = draft_reminder(client_id, at.date(), CREDITOR)
    result = send_reminder(client_id, at, outbox, CREDITOR)
    [path] = outbox.iterdir()
    assert Path(result.record["file"]) == path
    assert path.suffix == ".eml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(outbox.stat().st_mode) == 0o700
    raw = path.read_bytes()
    assert b"\r\n" in raw
    message = email.message_from_bytes(raw, policy=email.policy.default)
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Martin, Jeanne", "jeanne@example.fr")
    assert [a.addr_spec for a in message["To"].addresses] == ["compta@brun.fr"]
    assert message["Subject"] == draft.subject
    assert parsedate_to_datetime(message["Date"]) == at.astimezone()
    assert re.fullmatch(r"<[^<>@\s]+@relance\.invalid>", message["Message-ID"])
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().replace("\r\n", "\n") == draft.body
    event = ContactEvent.get_by_id(result.event_id)
    assert (event.kind, event.channel, event.direction, event.outcome) == (
        "email",
        "email",
        "out",
        "written-to-outbox",
    )
    # The text as sent; only the blank space around it is trimmed.
    assert event.body == f"Subject: {draft.subject}\n\n{draft.body.strip()}"
    assert event.summary == f"reminder e-mailed to compta@brun.fr: {draft.subject}"
    assert event.amount == 103456
    assert result.record == {
        "to": ["compta@brun.fr"],
        "subject": draft.subject,
        "total": "1034.56",
        "file": str(path),
    }
    client = Client.get_by_id(client_id)
    # One step of the ladder done; the next 5 days after this contact (Saturday → Monday).
    assert (client.next_action, client.next_action_on) == ("second email", date(2026, 11, 30))


def test_the_edited_text_is_what_is_sent(book: object, at: datetime, outbox: Path) -> None:
    client_id = owing_client(at)
    subject = "Facture F-001 — petit rappel"
    body = "Bonjour,\n\nUn petit rappel amical ; merci d'avance.\n\n[bold]Jeanne[/]\n"
    result = send_reminder(client_id, at, outbox, CREDITOR, subject=subject, body=body)
    message = email.message_from_bytes(
        Path(result.record["file"]).read_bytes(), policy=email.policy.default
    )
    assert message["Subject"] == subject
    assert message.get_content().replace("\r\n", "\n") == body
    event = ContactEvent.get_by_id(result.event_id)
    assert event.body == f"Subject: {subject}\n\n{body.strip()}"


def test_without_a_creditor_address_the_sender_is_a_placeholder(
    book: object, at: datetime, outbox: Path
) -> None:
    client_id = owing_client(at)
    result = send_reminder(client_id, at, outbox, Creditor())
    message = email.message_from_bytes(
        Path(result.record["file"]).read_bytes(), policy=email.policy.default
    )
    assert message["From"] == "relance@localhost"


def test_recipients_prefer_the_billing_contact(book: object, at: datetime, outbox: Path) -> None:
    client_id = owing_client(at, email_address="")
    Contact.create(client=client_id, name="Bob", email="bob@brun.fr")
    Contact.create(client=client_id, name="Eve", email="eve@brun.fr")
    assert reminders.reminder_recipients(client_id) == ["bob@brun.fr", "eve@brun.fr"]
    Contact.create(client=client_id, name="Billing", email="billing@brun.fr", is_billing=True)
    assert reminders.reminder_recipients(client_id) == ["billing@brun.fr"]


def eml_files(outbox: Path) -> list[Path]:
    """Every file in the outbox, hidden partial files included."""
    return sorted(outbox.iterdir()) if outbox.exists() else []


def test_nothing_overdue_is_refused(book: object, at: datetime, outbox: Path) -> None:
    client_id = add_client("Punctual", at, email="a@b.fr").client_id
    add_invoice(client_id, "P-1", "10", "2026-11-01", "2026-11-23", at)
    with pytest.raises(InvalidInput) as refused:
        send_reminder(client_id, at, outbox, CREDITOR)
    assert "nothing is overdue" in refused.value.errors["client"]
    with pytest.raises(InvalidInput):
        draft_reminder(client_id, at.date(), CREDITOR)
    assert eml_files(outbox) == []
    assert ContactEvent.select().where(ContactEvent.kind == "email").count() == 0


def test_no_address_is_refused(book: object, at: datetime, outbox: Path) -> None:
    client_id = owing_client(at, email_address="")
    with pytest.raises(InvalidInput) as refused:
        send_reminder(client_id, at, outbox, CREDITOR)
    assert "no e-mail address" in refused.value.errors["to"]
    assert eml_files(outbox) == []
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
    book: object, at: datetime, outbox: Path, subject: str | None, body: str | None, field: str
) -> None:
    client_id = owing_client(at)
    with pytest.raises(InvalidInput) as refused:
        send_reminder(client_id, at, outbox, CREDITOR, subject=subject, body=body)
    assert field in refused.value.errors
    assert eml_files(outbox) == []
    assert ContactEvent.select().where(ContactEvent.kind == "email").count() == 0


def test_a_failed_write_to_the_book_removes_the_file(
    book: object, at: datetime, outbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client_id = owing_client(at)
    before = Client.get_by_id(client_id).next_action

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(reminders, "record_event", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        send_reminder(client_id, at, outbox, CREDITOR)
    assert eml_files(outbox) == []
    assert ContactEvent.select().where(ContactEvent.kind == "email").count() == 0
    assert Client.get_by_id(client_id).next_action == before


def test_a_failed_summary_removes_the_file_and_the_event(
    book: object, at: datetime, outbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client_id = owing_client(at)

    def broken(client_id: int) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(reminders, "refresh_client_summary", broken)
    with pytest.raises(RuntimeError):
        send_reminder(client_id, at, outbox, CREDITOR)
    assert eml_files(outbox) == []
    assert ContactEvent.select().where(ContactEvent.kind == "email").count() == 0
