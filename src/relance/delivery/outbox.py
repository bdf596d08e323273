"""The outbox: reminders written as RFC 5322 ``.eml`` files in a private folder."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path

from relance.paths import ensure_private_dir


@dataclass(frozen=True)
class OutgoingMail:
    """A message ready to be written out."""

    sender: str
    recipients: list[str]
    subject: str
    body: str
    at: datetime


def build_message(mail: OutgoingMail) -> EmailMessage:
    """Build a UTF-8 MIME message with Date and Message-ID headers."""
    message = EmailMessage(policy=SMTP)
    message["From"] = mail.sender
    message["To"] = ", ".join(mail.recipients)
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.at.astimezone())
    message["Message-ID"] = make_msgid(domain="relance.invalid")
    message.set_content(mail.body, charset="utf-8")
    return message


def write_to_outbox(outbox: Path, client_id: int, mail: OutgoingMail) -> Path:
    """Write the message atomically as a 0600 ``.eml`` file and return its path."""
    ensure_private_dir(outbox)
    name = f"{mail.at:%Y%m%dT%H%M%S}-client{client_id}-{uuid.uuid4().hex[:8]}.eml"
    final = outbox / name
    partial = outbox / f".{name}.part"
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(build_message(mail).as_bytes())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return final
