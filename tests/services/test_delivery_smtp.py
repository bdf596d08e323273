"""Reminders through a real SMTP server (aiosmtpd on 127.0.0.1): arrival, threading, failures."""

from __future__ import annotations

import ssl
from datetime import datetime, timedelta
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

import pytest

from relance.config import Config, Creditor, SmtpSettings
from relance.delivery.outbox import Outbox
from relance.domain.creditor_reference import client_reference, grouped
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.outbox import retry_outbox
from relance.services.reminders import send_reminder
from relance.store.models import Contact, ContactEvent
from smtp_server import Collector, free_port, self_signed_certificate, smtp_server, start_server

CREDITOR = Creditor(name="Martin, Jeanne", email="jeanne@example.fr", iban="FR76 3000 6000 0112")


def smtp_config(tmp_path: Path, port: int, **options: object) -> Config:
    """A config that sends through the test server."""
    settings = SmtpSettings(
        host=str(options.pop("host", "127.0.0.1")),
        port=port,
        security=str(options.pop("security", "none")),
        **options,  # type: ignore[arg-type]
    )
    return Config(path=tmp_path / "config.toml", creditor=CREDITOR, smtp=settings)


def owing_client(at: datetime) -> int:
    """A client with a billing contact, another contact and two overdue invoices."""
    client_id = add_client(
        "Atelier Brun", at, email="compta@brun.fr", contact_name="Mme Brun"
    ).client_id
    Contact.create(client=client_id, name="Bob", email="bob@brun.fr", is_billing=False)
    add_invoice(client_id, "F-001", "1000.00", "2026-08-01", "2026-08-31", at)
    add_invoice(client_id, "F-002", "234.56", "2026-09-01", "2026-10-01", at)
    return client_id


def events(client_id: int, kind: str) -> list[ContactEvent]:
    """A client's history events of one kind, oldest first."""
    return list(
        ContactEvent.select()
        .where((ContactEvent.client == client_id) & (ContactEvent.kind == kind))
        .order_by(ContactEvent.id)
    )


def test_a_reminder_arrives_whole_and_is_filed_as_sent(
    book: object, at: datetime, tmp_path: Path
) -> None:
    client_id = owing_client(at)
    outbox = tmp_path / "outbox"
    with smtp_server() as server:
        result = send_reminder(client_id, at, smtp_config(tmp_path, server.port), outbox)
    assert result.record["status"] == "sent"
    assert result.summary == "Atelier Brun: reminder for €1,234.56 sent to compta@brun.fr"
    [received] = server.received
    # The billing contact only: the other contact is a fallback.
    assert received.rcpt_tos == ["compta@brun.fr"]
    assert received.mail_from == "jeanne@example.fr"
    message = received.message
    assert [a for _, a in getaddresses([message["To"]])] == ["compta@brun.fr"]
    assert message["From"].addresses[0].display_name == "Martin, Jeanne"
    assert message["Subject"] == result.record["subject"]
    assert parsedate_to_datetime(message["Date"]) == at.astimezone()
    assert message["Message-ID"] == result.record["message_id"]
    assert message["Message-ID"].endswith("@example.fr>")
    assert message["In-Reply-To"] is None and message["References"] is None
    assert message.get_content_charset() == "utf-8"
    text = message.get_content().replace("\r\n", "\n")
    assert "F-001" in text and "F-002" in text and "1 234,56 €" in text
    # The history holds the full text sent, headers first; the delivery is a separate event.
    [reminder] = events(client_id, "email")
    assert reminder.outcome == "queued"
    assert f"Message-ID: {message['Message-ID']}\n" in reminder.body
    assert reminder.body.endswith(text.strip())
    [delivered] = events(client_id, "outbox")
    assert (delivered.outcome, delivered.channel) == ("sent", "email")
    assert delivered.summary == "reminder sent to compta@brun.fr by 127.0.0.1"
    [entry] = Outbox(outbox).entries()
    assert entry.state == "sent" and entry.path.parent.name == "cur"
    assert entry.path.name.endswith(":2,S")
    assert entry.path.read_bytes().replace(b"\r\n", b"\n") == received.content.replace(
        b"\r\n", b"\n"
    )


def test_the_reminder_that_arrives_quotes_the_clients_rf_reference(
    book: object, at: datetime, tmp_path: Path
) -> None:
    client_id = owing_client(at)
    with smtp_server() as server:
        send_reminder(client_id, at, smtp_config(tmp_path, server.port), tmp_path / "outbox")
    [received] = server.received
    text = received.message.get_content().replace("\r\n", "\n")
    assert "sur le compte IBAN FR76 3000 6000 0112 (Martin, Jeanne).\n" in text
    reference = grouped(client_reference(client_id))
    assert f"Référence à indiquer : {reference} (factures F-001, F-002)." in text


def test_a_second_reminder_is_threaded_to_the_first(
    book: object, at: datetime, tmp_path: Path
) -> None:
    client_id = owing_client(at)
    with smtp_server() as server:
        config = smtp_config(tmp_path, server.port)
        send_reminder(client_id, at, config, tmp_path / "outbox")
        send_reminder(client_id, at + timedelta(days=8), config, tmp_path / "outbox")
        send_reminder(client_id, at + timedelta(days=16), config, tmp_path / "outbox")
    first, second, third = (r.message for r in server.received)
    assert len({first["Message-ID"], second["Message-ID"], third["Message-ID"]}) == 3
    assert second["In-Reply-To"] == first["Message-ID"]
    assert second["References"] == first["Message-ID"]
    assert third["In-Reply-To"] == second["Message-ID"]
    assert third["References"].split() == [first["Message-ID"], second["Message-ID"]]


def test_the_other_contacts_are_the_fallback(book: object, at: datetime, tmp_path: Path) -> None:
    client_id = owing_client(at)
    Contact.update(email="").where(Contact.is_billing == True).execute()  # noqa: E712
    with smtp_server() as server:
        send_reminder(client_id, at, smtp_config(tmp_path, server.port), tmp_path / "outbox")
    assert server.received[0].rcpt_tos == ["bob@brun.fr"]


def test_a_refusing_server_leaves_it_queued_and_a_retry_sends_it_once(
    book: object, at: datetime, tmp_path: Path
) -> None:
    client_id = owing_client(at)
    outbox = tmp_path / "outbox"
    with smtp_server() as server:
        config = smtp_config(tmp_path, server.port)
        # A temporary refusal (4xx): retried; a 5xx one is held (tests/test_scenarios_outbox.py).
        server.collector.refuse = "451 4.7.1 Try again later"
        result = send_reminder(client_id, at, config, outbox)
        assert server.received == []
        assert result.record["status"] == "failed"
        assert "451 4.7.1 Try again later" in result.record["reason"]
        assert "queued in the outbox" in result.summary and str(outbox) in result.summary
        [entry] = Outbox(outbox).entries()
        assert entry.state == "failed" and entry.path.parent.name == "new"
        assert entry.reason == result.record["reason"] and entry.attempts == 1
        [reminder] = events(client_id, "email")
        assert reminder.outcome == "queued" and "queued" in reminder.summary
        [failure] = events(client_id, "outbox")
        assert failure.outcome == "queued"
        assert "still queued" in failure.summary and "451" in failure.summary

        server.collector.refuse = ""
        later = at + timedelta(hours=2)
        [delivery] = retry_outbox(outbox, config, later)
        assert delivery.status == "sent"
        assert retry_outbox(outbox, config, later) == []
    assert len(server.received) == 1
    assert server.received[0].message["Message-ID"] == result.record["message_id"]
    [entry] = Outbox(outbox).entries()
    assert entry.state == "sent" and entry.attempts == 2 and entry.reason == ""
    assert [e.outcome for e in events(client_id, "outbox")] == ["queued", "sent"]
    assert len(events(client_id, "email")) == 1, "a retry is not a second reminder"


def test_a_stopped_server_leaves_it_queued_until_it_is_back(
    book: object, at: datetime, tmp_path: Path
) -> None:
    client_id = owing_client(at)
    outbox = tmp_path / "outbox"
    port = free_port()
    config = smtp_config(tmp_path, port)
    result = send_reminder(client_id, at, config, outbox)
    assert result.record["status"] == "failed"
    assert f"cannot reach 127.0.0.1:{port}" in result.record["reason"]
    [failed] = retry_outbox(outbox, config, at)
    assert failed.status == "failed" and not failed.ok
    assert Outbox(outbox).entries()[0].attempts == 2
    assert len(events(client_id, "outbox")) == 1, "retries do not fill the history with failures"
    server = start_server(Collector(), port)
    try:
        assert [d.status for d in retry_outbox(outbox, config, at)] == ["sent"]
        assert retry_outbox(outbox, config, at) == []
    finally:
        server.stop()
    assert len(server.received) == 1
    assert server.received[0].rcpt_tos == ["compta@brun.fr"]


def test_passwords_reach_the_server_and_nothing_else(
    book: object,
    at: datetime,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = "s3cret-Pa55-xyzzy"
    client_id = owing_client(at)
    outbox = tmp_path / "outbox"
    monkeypatch.setenv("RELANCE_TEST_SMTP_PASSWORD", secret)
    script = tmp_path / "password.sh"
    script.write_text(f"#!/bin/sh\necho 'unlocking' >&2\necho '{secret}'\n", encoding="utf-8")
    script.chmod(0o700)
    with smtp_server(password=secret) as server:
        from_env = smtp_config(
            tmp_path,
            server.port,
            username="jeanne",
            password_env="RELANCE_TEST_SMTP_PASSWORD",
        )
        from_command = smtp_config(
            tmp_path, server.port, username="jeanne", password_command=(str(script),)
        )
        wrong = smtp_config(
            tmp_path, server.port, username="jeanne", password_command=("echo", "nope")
        )
        assert send_reminder(client_id, at, from_env, outbox).record["status"] == "sent"
        later = at + timedelta(days=8)
        assert send_reminder(client_id, later, from_command, outbox).record["status"] == "sent"
        refused = send_reminder(client_id, later + timedelta(days=8), wrong, outbox)
    logins = server.collector.logins
    assert logins[:2] == [("jeanne", secret), ("jeanne", secret)]
    # smtplib tries each mechanism the server offers before giving up.
    assert {given for _, given in logins[2:]} == {"nope"}
    assert len(server.received) == 2
    assert refused.record["status"] == "failed"
    assert "refused the login: 535" in refused.record["reason"]
    captured = capsys.readouterr()
    assert "unlocking" not in captured.err, "the password command's stderr is not echoed"
    # The book (and its WAL), the outbox and its state files: everything but the script.
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != script:
            assert secret.encode() not in path.read_bytes(), path
    assert secret not in captured.out + captured.err
    assert all(secret not in (e.body + e.summary) for e in ContactEvent.select())
    assert secret not in repr(refused)


def test_a_broken_password_command_keeps_the_message_queued(
    book: object, at: datetime, tmp_path: Path
) -> None:
    client_id = owing_client(at)
    with smtp_server(password="x") as server:
        config = smtp_config(tmp_path, server.port, username="j", password_command=("false",))
        result = send_reminder(client_id, at, config, tmp_path / "outbox")
        missing = smtp_config(tmp_path, server.port, username="j", password_env="RELANCE_NO_SUCH")
        [again] = retry_outbox(tmp_path / "outbox", missing, at)
    assert result.record["reason"] == "smtp.password_command failed (exit status 1)"
    assert again.reason == "the environment variable RELANCE_NO_SUCH (smtp.password_env) is not set"
    assert server.received == []


def test_starttls_with_a_checked_certificate(
    book: object, at: datetime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    client_id = owing_client(at)
    with smtp_server(tls_context=context) as server:
        # Without trusting the certificate, the client refuses to talk: nothing goes in clear.
        untrusted = send_reminder(
            client_id, at, smtp_config(tmp_path, server.port, security="starttls"), tmp_path / "o"
        )
        assert untrusted.record["status"] == "failed"
        assert "TLS with 127.0.0.1" in untrusted.record["reason"]
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        config = smtp_config(tmp_path, server.port, security="starttls")
        [delivery] = retry_outbox(tmp_path / "o", config, at)
    assert delivery.status == "sent"
    assert len(server.received) == 1


def test_a_server_echoing_the_password_never_gets_it_stored_or_shown(
    book: object, at: datetime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "hunter2-Tr0ub4dor"
    monkeypatch.setenv("RELANCE_TEST_SMTP_PASSWORD", secret)
    client_id = owing_client(at)
    outbox = tmp_path / "outbox"
    server = start_server(Collector(echo_password=True), free_port(), password="right")
    try:
        config = smtp_config(
            tmp_path, server.port, username="jeanne", password_env="RELANCE_TEST_SMTP_PASSWORD"
        )
        result = send_reminder(client_id, at, config, outbox)
        retried = retry_outbox(outbox, config, at + timedelta(hours=1))
    finally:
        server.stop()
    # The server did echo it: what relance keeps is the reply with the secret taken out.
    assert ("jeanne", secret) in server.collector.logins
    reasons = [str(result.record["reason"]), result.summary, *(r.reason for r in retried)]
    assert all("[password hidden] is wrong for jeanne" in reason for reason in reasons)
    stored = [event.summary + (event.body or "") for event in ContactEvent.select()]
    stored += [path.read_text("utf-8") for path in outbox.rglob("*") if path.is_file()]
    assert not [text for text in stored + reasons if secret in text]
