"""The outbox: a private Maildir whose messages are staged, queued, claimed once and filed."""

from __future__ import annotations

import email
import email.policy
import fcntl
import mailbox
import os
import stat
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from relance.delivery import outbox as outbox_module
from relance.delivery.mime import (
    OutgoingMail,
    build_message,
    history_text,
    message_bytes,
    new_message_id,
    recorded_headers,
)
from relance.delivery.outbox import Outbox, OutboxBusy

AT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
MAIL = OutgoingMail(
    sender='"Martin, Jeanne" <jeanne@example.fr>',
    recipients=["compta@brun.fr", "Élodie <elodie@brun.fr>"],
    subject="Relance : facture impayée — 1 234,56 €",
    body="Bonjour,\n\nLa facture F-001 reste impayée : 1 234,56 €.\n\nCordialement,\n",
    at=AT,
    message_id="<1.2.3@example.fr>",
    in_reply_to="<0.2.3@example.fr>",
    references=("<a@example.fr>", "<0.2.3@example.fr>"),
)


def parse(raw: bytes) -> EmailMessage:
    """Read a message back the way a mail client would."""
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_the_message_headers_and_body() -> None:
    message = parse(message_bytes(MAIL))
    assert [a.addr_spec for a in message["From"].addresses] == ["jeanne@example.fr"]
    assert message["From"].addresses[0].display_name == "Martin, Jeanne"
    assert [a.addr_spec for a in message["To"].addresses] == ["compta@brun.fr", "elodie@brun.fr"]
    assert message["To"].addresses[1].display_name == "Élodie"
    assert message["Subject"] == MAIL.subject
    assert parsedate_to_datetime(message["Date"]) == AT
    assert message["Message-ID"] == "<1.2.3@example.fr>"
    assert message["In-Reply-To"] == "<0.2.3@example.fr>"
    assert message["References"] == "<a@example.fr> <0.2.3@example.fr>"
    assert message["MIME-Version"] == "1.0"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content() == MAIL.body


def test_the_stored_form_is_7bit_with_lf_and_short_lines() -> None:
    raw = message_bytes(MAIL)
    raw.decode("ascii")
    assert b"\r" not in raw
    assert max(len(line) for line in raw.split(b"\n")) <= 78


def test_message_ids_are_unique_and_on_the_sender_domain() -> None:
    ids = {new_message_id(MAIL.sender) for _ in range(20)}
    assert len(ids) == 20
    assert all(i.startswith("<") and i.endswith("@example.fr>") for i in ids)
    assert new_message_id("relance@localhost").endswith("@localhost>")
    assert new_message_id("").endswith("@relance.invalid>")


def test_the_history_text_keeps_the_headers_it_can_read_back() -> None:
    text = history_text(MAIL)
    assert text.startswith(f"Subject: {MAIL.subject}\nFrom: ")
    assert text.endswith("\n\n" + MAIL.body)
    headers = recorded_headers(text)
    assert headers["Message-ID"] == MAIL.message_id
    assert headers["In-Reply-To"] == MAIL.in_reply_to
    assert headers["References"].split() == list(MAIL.references)
    assert recorded_headers("Subject: x\n\nMessage-ID: <not-a-header>") == {"Subject": "x"}
    assert build_message(MAIL)["Message-ID"] == MAIL.message_id


def stage_and_publish(box: Outbox, mail: OutgoingMail = MAIL) -> str:
    """Queue one message as send_reminder does."""
    with box.locked():
        name = box.stage(mail, 7, "Atelier Brun")
        box.publish(name)
    return name


def test_a_queued_message_is_a_private_maildir_that_mail_readers_open(tmp_path: Path) -> None:
    root = tmp_path / "data" / "outbox"
    name = stage_and_publish(Outbox(root))
    for folder in ("tmp", "new", "cur", "sending", "state"):
        assert stat.S_IMODE((root / folder).stat().st_mode) == 0o700
    queued = root / "new" / name
    assert stat.S_IMODE(queued.stat().st_mode) == 0o600
    assert stat.S_IMODE((root / "state" / f"{name}.json").stat().st_mode) == 0o600
    assert list((root / "tmp").iterdir()) == []
    [(key, message)] = mailbox.Maildir(root, create=False).items()
    assert key == name and message["Message-ID"] == MAIL.message_id
    [entry] = Outbox(root).entries()
    assert (entry.state, entry.client_id, entry.client) == ("queued", 7, "Atelier Brun")
    assert entry.recipients == tuple(MAIL.recipients) and entry.subject == MAIL.subject
    assert entry.written_at == "2026-11-23T09:30:00+00:00"


def test_claiming_is_once_only_and_sent_messages_are_filed_as_seen(tmp_path: Path) -> None:
    box = Outbox(tmp_path)
    name = stage_and_publish(box)
    with box.locked():
        assert box.claim(name) == (tmp_path / "sending" / name).read_bytes()
        assert box.claim(name) is None, "a claimed message cannot be claimed again"
        claimed = box.entry(name)
        assert claimed is not None and claimed.state == "sending"
        box.release(name, "550 no such user", AT)
    entry = box.entry(name)
    assert entry is not None
    assert (entry.state, entry.reason, entry.attempts) == ("failed", "550 no such user", 1)
    assert box.queued() == [entry]
    with box.locked():
        assert box.claim(name) is not None
        box.mark_sent(name, AT)
    [sent] = box.entries()
    assert sent.state == "sent" and sent.path == tmp_path / "cur" / f"{name}:2,S"
    assert (sent.attempts, sent.reason, sent.sent_at) == (2, "", "2026-11-23T09:30:00+00:00")
    assert box.queued() == []
    assert mailbox.Maildir(tmp_path, create=False)[name].get_flags() == "S"


def test_moving_messages_needs_the_lock(tmp_path: Path) -> None:
    box = Outbox(tmp_path)
    with pytest.raises(RuntimeError, match="locked"):
        box.stage(MAIL, 1, "x")
    with pytest.raises(RuntimeError, match="locked"):
        box.claim("anything")


def test_the_lock_keeps_other_processes_out(tmp_path: Path) -> None:
    box = Outbox(tmp_path)
    with box.locked():
        # flock locks belong to an open file: another open of the lock file is another process.
        fd = os.open(tmp_path / ".lock", os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
        with pytest.raises(OutboxBusy, match="another relance"), Outbox(tmp_path).locked(0.1):
            pass
    with Outbox(tmp_path).locked(0.1):
        pass


def test_leftovers_of_a_crash_are_queued_again_or_dropped(tmp_path: Path) -> None:
    box = Outbox(tmp_path)
    interrupted = stage_and_publish(box)
    with box.locked():
        box.claim(interrupted)
        staged = box.stage(MAIL, 7, "Atelier Brun")
    # The process "died" here: one message half-sent, one staged and never published.
    with box.locked():
        assert box.staged_leftovers() == [(staged, MAIL.message_id)]
        assert box.requeue_interrupted() == [interrupted]
        box.discard(staged)
    [entry] = box.entries()
    assert entry.name == interrupted and entry.state == "queued"
    assert "stopped while sending" in entry.reason
    assert list((tmp_path / "tmp").iterdir()) == []
    assert not (tmp_path / "state" / f"{staged}.json").exists()


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(mail: OutgoingMail) -> bytes:
        raise OSError("no space left on device")

    monkeypatch.setattr(outbox_module, "message_bytes", broken)
    box = Outbox(tmp_path)
    with box.locked(), pytest.raises(OSError, match="no space"):
        box.stage(MAIL, 1, "x")
    assert [p for p in tmp_path.rglob("*") if p.is_file() and p.name != ".lock"] == []
