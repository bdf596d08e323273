"""The outbox: UTF-8 RFC 5322 messages written atomically as private .eml files."""

from __future__ import annotations

import email
import email.policy
import stat
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from relance.delivery import outbox as outbox_module
from relance.delivery.outbox import OutgoingMail, build_message, write_to_outbox

MAIL = OutgoingMail(
    sender='"Martin, Jeanne" <jeanne@example.fr>',
    recipients=["compta@brun.fr", "Élodie <elodie@brun.fr>"],
    subject="Relance : facture impayée — 1 234,56 €",
    body="Bonjour,\n\nLa facture F-001 reste impayée : 1 234,56 €.\n\nCordialement,\n",
    at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
)


def parse(raw: bytes) -> email.message.EmailMessage:
    """Read a message back the way a mail client would."""
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def test_build_message_headers_and_body() -> None:
    message = parse(build_message(MAIL).as_bytes())
    assert [a.addr_spec for a in message["From"].addresses] == ["jeanne@example.fr"]
    assert message["From"].addresses[0].display_name == "Martin, Jeanne"
    assert [a.addr_spec for a in message["To"].addresses] == ["compta@brun.fr", "elodie@brun.fr"]
    assert message["To"].addresses[1].display_name == "Élodie"
    assert message["Subject"] == MAIL.subject
    assert parsedate_to_datetime(message["Date"]) == MAIL.at
    assert message["Message-ID"].endswith("@relance.invalid>")
    assert message["MIME-Version"] == "1.0"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().replace("\r\n", "\n") == MAIL.body


def test_the_wire_form_has_ascii_headers_crlf_and_short_lines() -> None:
    raw = build_message(MAIL).as_bytes()
    headers, _, body = raw.partition(b"\r\n\r\n")
    headers.decode("ascii")
    assert body.decode("utf-8").replace("\r\n", "\n") == MAIL.body
    lines = raw.split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in headers.split(b"\r\n")) <= 78
    assert max(len(line) for line in lines) <= 998


def test_message_ids_are_unique() -> None:
    ids = {build_message(MAIL)["Message-ID"] for _ in range(20)}
    assert len(ids) == 20


def test_write_to_outbox(tmp_path: Path) -> None:
    box = tmp_path / "new" / "outbox"
    path = write_to_outbox(box, 7, MAIL)
    assert path.parent == box
    assert path.name.startswith("20261123T093000-client7-")
    assert path.suffix == ".eml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(box.stat().st_mode) == 0o700
    assert parse(path.read_bytes())["Subject"] == MAIL.subject
    second = write_to_outbox(box, 7, MAIL)
    assert second != path
    assert sorted(p.name for p in box.iterdir()) == sorted([path.name, second.name])


def test_a_failed_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(mail: OutgoingMail) -> object:
        raise OSError("no space left on device")

    monkeypatch.setattr(outbox_module, "build_message", broken)
    box = tmp_path / "outbox"
    with pytest.raises(OSError, match="no space"):
        write_to_outbox(box, 1, MAIL)
    assert list(box.iterdir()) == []
