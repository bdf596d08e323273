"""Reminders as MIME messages: UTF-8, dated, identified, and threaded to the previous one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, make_msgid, parseaddr

# A domain nobody owns (RFC 2606), for Message-IDs when the sender's address has none.
FALLBACK_DOMAIN = "relance.invalid"
# The headers a reminder's history event keeps above its text, in this order.
RECORDED_HEADERS = ("Subject", "From", "To", "Date", "Message-ID", "In-Reply-To", "References")


@dataclass(frozen=True)
class OutgoingMail:
    """A message ready to be written out; ``message_id`` is chosen once and kept on retries."""

    sender: str
    recipients: list[str]
    subject: str
    body: str
    at: datetime
    message_id: str
    in_reply_to: str = ""
    references: tuple[str, ...] = ()


def new_message_id(sender: str) -> str:
    """A fresh ``<…@domain>`` id, on the sender's domain when it has one."""
    address = parseaddr(sender)[1]
    domain = address.rpartition("@")[2] if "@" in address else ""
    # make_msgid without a domain asks DNS for the host name, which can hang offline.
    return make_msgid(domain=domain or FALLBACK_DOMAIN)


def envelope_sender(sender: str) -> str:
    """The bare address of a ``Name <address>`` sender, as SMTP's MAIL FROM wants it."""
    return parseaddr(sender)[1] or sender


def build_message(mail: OutgoingMail) -> EmailMessage:
    """A UTF-8 plain-text message with Date, Message-ID and the thread it belongs to."""
    message = EmailMessage(policy=default_policy)
    message["From"] = mail.sender
    message["To"] = ", ".join(mail.recipients)
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.at.astimezone())
    message["Message-ID"] = mail.message_id
    if mail.in_reply_to:
        message["In-Reply-To"] = mail.in_reply_to
    if mail.references:
        message["References"] = " ".join(mail.references)
    # Quoted-printable keeps the file 7-bit (any server takes it) yet readable in a text editor.
    message.set_content(mail.body, charset="utf-8", cte="quoted-printable")
    return message


def message_bytes(mail: OutgoingMail) -> bytes:
    """The message as stored in the outbox: LF line endings, as Maildir readers expect."""
    return build_message(mail).as_bytes(policy=default_policy.clone(linesep="\n"))


def history_text(mail: OutgoingMail) -> str:
    """The full text sent, as the history keeps it: the headers that matter, then the body."""
    values = {
        "Subject": mail.subject,
        "From": mail.sender,
        "To": ", ".join(mail.recipients),
        "Date": format_datetime(mail.at.astimezone()),
        "Message-ID": mail.message_id,
        "In-Reply-To": mail.in_reply_to,
        "References": " ".join(mail.references),
    }
    header = "\n".join(f"{name}: {values[name]}" for name in RECORDED_HEADERS if values[name])
    return f"{header}\n\n{mail.body}"


def recorded_headers(text: str) -> dict[str, str]:
    """The headers at the top of a history text written by ``history_text``."""
    headers: dict[str, str] = {}
    for line in text.split("\n"):
        if not line:
            break
        name, separator, value = line.partition(": ")
        if not separator or name not in RECORDED_HEADERS:
            break
        headers[name] = value
    return headers


def readable_text(data: bytes) -> str:
    """A stored message as a person reads it: the headers that matter, then the plain body."""
    message = message_from_bytes(data, policy=default_policy)
    header = "\n".join(
        f"{name}: {message[name]}" for name in RECORDED_HEADERS if message[name] is not None
    )
    part = (
        message.get_body(preferencelist=("plain",)) if isinstance(message, EmailMessage) else None
    )
    body = part.get_content() if part is not None else ""
    return f"{header}\n\n{body}"
