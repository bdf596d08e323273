"""The outbox: a Maildir of reminders waiting to go (``new/``) or gone (``cur/``).

Layout of the folder (0700, every file 0600)::

    tmp/      a message being written: it moves to new/ once its history event is committed
    new/      queued: waiting for SMTP (none configured, or the server was down or refused)
    cur/      sent, with the Maildir "seen" flag (``name:2,S``)
    sending/  claimed by the process sending it right now (not part of the Maildir)
    state/    one ``NAME.json`` per message: client, subject, recipients, Message-ID,
              attempts and the server's reason for the last failure
    damaged/  set aside by a retry: a queued entry that is not a file, or whose state file
              is missing or damaged (never sent, listed with what is wrong)
    .lock     taken (flock, exclusive) by whoever writes, sends or tidies up

A mail reader pointed at the folder (``mutt -f``) sees queued messages as new and sent ones as
read. A queued message whose last attempt failed is listed as "failed" with the reason.
"""

from __future__ import annotations

import email
import email.policy
import errno
import fcntl
import json
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from relance.delivery.mime import OutgoingMail, message_bytes
from relance.paths import ensure_private_dir
from relance.private_files import write_private

FOLDERS = ("tmp", "new", "cur", "sending", "state")
DAMAGED = "damaged"
SEEN_SUFFIX = ":2,S"
LOCK_NAME = ".lock"
# The history kind of a reminder's delivery news (store.steps.DELIVERY_KIND says the same).
REMINDER_NEWS = "outbox"
# Long enough for another process to finish sending one message to a slow server.
LOCK_TIMEOUT_SECONDS = 90.0
LOCK_POLL_SECONDS = 0.05


class OutboxBusy(OSError):
    """Another relance process kept the outbox locked for too long."""


@dataclass(frozen=True)
class OutboxEntry:
    """One message in the outbox and what is known of its delivery."""

    name: str
    state: str  # queued, failed, refused (for good, held), sending, sent or damaged
    path: Path
    client_id: int
    client: str
    subject: str
    recipients: tuple[str, ...]
    sender: str
    message_id: str
    written_at: str
    attempts: int = 0
    last_attempt: str = ""
    reason: str = ""
    sent_at: str = ""
    # The history kind of its delivery news: a reminder's counts on the ladder, others not.
    news_kind: str = REMINDER_NEWS

    def as_record(self) -> dict[str, Any]:
        """The entry as ``outbox list --json`` prints it."""
        return {
            "name": self.name,
            "state": self.state,
            "client_id": self.client_id,
            "client": self.client,
            "subject": self.subject,
            "to": list(self.recipients),
            "message_id": self.message_id,
            "written_at": self.written_at,
            "attempts": self.attempts,
            "last_attempt": self.last_attempt or None,
            "reason": self.reason or None,
            "sent_at": self.sent_at or None,
            "file": str(self.path),
        }


@dataclass
class Outbox:
    """The Maildir outbox of one book."""

    root: Path
    _locked: bool = field(default=False, repr=False)

    def folder(self, name: str) -> Path:
        """One of the outbox's folders, created private if missing."""
        return ensure_private_dir(self.root / name)

    @contextmanager
    def locked(self, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
        """Hold the outbox's exclusive lock: one writer or sender at a time, across processes."""
        if self._locked:
            # The same process going through two steps of one send keeps the lock it has.
            yield
            return
        ensure_private_dir(self.root)
        fd = os.open(self.root / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise OutboxBusy(
                            errno.EWOULDBLOCK,
                            "another relance is sending from the outbox; try again in a minute",
                        ) from None
                    time.sleep(LOCK_POLL_SECONDS)
            self._locked = True
            try:
                yield
            finally:
                self._locked = False
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def stage(
        self,
        mail: OutgoingMail,
        client_id: int,
        client: str,
        *,
        reason: str = "",
        news_kind: str = REMINDER_NEWS,
    ) -> str:
        """Write a message into ``tmp/`` (flushed to disk) with its state file; return its name.

        ``reason`` says why it will wait, when that is known already (no server configured);
        ``news_kind`` is the history kind its delivery news is logged under.
        """
        self._require_lock()
        if not all((self.root / folder).is_dir() for folder in FOLDERS):
            for folder in FOLDERS:
                self.folder(folder)
        name = f"{time.time_ns()}.R{uuid.uuid4().hex}.relance"
        self._write_state(
            name,
            {
                "client_id": client_id,
                "client": client,
                "subject": mail.subject,
                "to": list(mail.recipients),
                "from": mail.sender,
                "message_id": mail.message_id,
                "written_at": mail.at.isoformat(timespec="seconds"),
                "attempts": 0,
                "last_attempt": "",
                "reason": reason,
                "sent_at": "",
                "news_kind": news_kind,
            },
        )
        try:
            write_private(self.root / "tmp" / name, message_bytes(mail))
        except BaseException:
            self._state_path(name).unlink(missing_ok=True)
            raise
        return name

    def publish(self, name: str) -> Path:
        """Queue a staged message: ``tmp/`` to ``new/`` in one rename.

        The directory is not flushed: should a crash lose the rename, the message is found in
        ``tmp/`` and queued again by the next retry, since its history event was committed.
        """
        self._require_lock()
        target = self.root / "new" / name
        os.replace(self.root / "tmp" / name, target)
        return target

    def discard(self, name: str) -> None:
        """Remove a staged message that was never logged, so it can never go out."""
        (self.root / "tmp" / name).unlink(missing_ok=True)
        self._state_path(name).unlink(missing_ok=True)

    def claim(self, name: str) -> bytes | None:
        """Take a queued message for sending (``new/`` to ``sending/``); None if gone already.

        The rename is atomic: of two processes claiming the same message, one gets it.
        """
        self._require_lock()
        claimed = self.folder("sending") / name
        try:
            os.replace(self.root / "new" / name, claimed)
        except FileNotFoundError:
            return None
        return claimed.read_bytes()

    def mark_sent(self, name: str, at: datetime) -> Path:
        """The server took a claimed message: file it as sent (``cur/``, seen)."""
        state = self._read_state(name)
        state.update(
            attempts=int(state.get("attempts", 0)) + 1,
            last_attempt=at.isoformat(timespec="seconds"),
            reason="",
            sent_at=at.isoformat(timespec="seconds"),
        )
        self._write_state(name, state)
        target = self.folder("cur") / f"{name}{SEEN_SUFFIX}"
        os.replace(self.root / "sending" / name, target)
        _sync_dir(target.parent)
        return target

    def release(self, name: str, reason: str, at: datetime, *, held: bool = False) -> Path:
        """A claimed message did not go: back to ``new/`` with the reason.

        ``held`` (a permanent refusal) keeps it out of later retries until the user acts on it.
        """
        state = self._read_state(name)
        state.update(
            attempts=int(state.get("attempts", 0)) + 1,
            last_attempt=at.isoformat(timespec="seconds"),
            reason=reason,
            held=held,
        )
        self._write_state(name, state)
        target = self.folder("new") / name
        os.replace(self.root / "sending" / name, target)
        _sync_dir(target.parent)
        return target

    def note_waiting(self, name: str, reason: str) -> None:
        """Say why a queued message was not even tried (no server configured)."""
        state = self._read_state(name)
        if state.get("reason") != reason:
            state["reason"] = reason
            self._write_state(name, state)

    def staged_leftovers(self) -> list[tuple[str, str]]:
        """Messages a crashed process left in ``tmp/``, with their Message-IDs."""
        self._require_lock()
        folder = self.root / "tmp"
        if not folder.is_dir():
            return []
        return [
            (path.name, self._read_state(path.name).get("message_id", ""))
            for path in sorted(folder.iterdir())
        ]

    def requeue_interrupted(self) -> list[str]:
        """Put back in ``new/`` what a crashed process left in ``sending/``.

        Only called with the lock held, so nobody is sending: whatever is there was being sent
        when its process died. It is queued again with the same Message-ID.
        """
        self._require_lock()
        folder = self.root / "sending"
        if not folder.is_dir():
            return []
        names = sorted(path.name for path in folder.iterdir())
        for name in names:
            state = self._read_state(name)
            state["reason"] = "relance stopped while sending it; it may have gone out already"
            self._write_state(name, state)
            os.replace(folder / name, self.folder("new") / name)
        return names

    def entries(self) -> list[OutboxEntry]:
        """Every message in the outbox, oldest first."""
        found: list[OutboxEntry] = []
        for folder, default_state in (
            ("new", "queued"),
            ("sending", "sending"),
            ("cur", "sent"),
            (DAMAGED, DAMAGED),
        ):
            directory = self.root / folder
            if not directory.is_dir():
                continue
            for path in directory.iterdir():
                name = path.name.partition(":")[0]
                found.append(_entry(name, default_state, path, self._read_state(name)))
        return sorted(found, key=lambda entry: (entry.written_at, entry.name))

    def set_aside_damaged(self) -> list[OutboxEntry]:
        """Move every damaged queued entry to ``damaged/``, so it is never sent; return them."""
        self._require_lock()
        damaged = [
            entry
            for entry in self.entries()
            if entry.state == DAMAGED and entry.path.parent.name == "new"
        ]
        for entry in damaged:
            os.replace(entry.path, self.folder(DAMAGED) / entry.path.name)
        return damaged

    def queued(self) -> list[OutboxEntry]:
        """The messages waiting to be sent (refused ones included), oldest first."""
        return [entry for entry in self.entries() if entry.state in ("queued", "failed", "refused")]

    def entry(self, name: str) -> OutboxEntry | None:
        """One message by name, wherever it is now."""
        state = self._read_state(name)
        places = (("new", name, "queued"), ("sending", name, "sending"))
        for folder, file_name, shown in (*places, ("cur", f"{name}{SEEN_SUFFIX}", "sent")):
            path = self.root / folder / file_name
            if path.exists():
                return _entry(name, shown, path, state)
        return None

    def withdraw(self, name: str) -> bool:
        """Remove a queued message for good (the user discarded it); False if it is not queued."""
        self._require_lock()
        queued = self.root / "new" / name
        if not queued.exists():
            return False
        queued.unlink()
        self._state_path(name).unlink(missing_ok=True)
        return True

    def readdress(self, name: str, recipients: tuple[str, ...]) -> bool:
        """Send a queued message to other addresses from now on; False if it is not queued."""
        self._require_lock()
        queued = self.root / "new" / name
        if not queued.exists():
            return False
        mail = email.message_from_bytes(queued.read_bytes(), policy=email.policy.default)
        del mail["To"]
        mail["To"] = ", ".join(recipients)
        state = self._read_state(name)
        state.update(to=list(recipients), held=False, reason="")
        self._write_state(name, state)
        # Replaced in one piece: the queued message is the old one or the readdressed one.
        write_private(queued, mail.as_bytes(), overwrite=True)
        return True

    def _require_lock(self) -> None:
        """Moving messages about is only safe under the lock."""
        if not self._locked:
            raise RuntimeError("the outbox must be locked for this")

    def _state_path(self, name: str) -> Path:
        """Where a message's state file lives."""
        return self.root / "state" / f"{name}.json"

    def _read_state(self, name: str) -> dict[str, Any]:
        """A message's state; an unreadable one is empty rather than fatal for the listing."""
        try:
            value = json.loads(self._state_path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    def _write_state(self, name: str, state: dict[str, Any]) -> None:
        """Replace a message's state file atomically."""
        # Not fsync'd: the message file is the record; this only says how its delivery went.
        write_private(
            self.folder("state") / f"{name}.json",
            json.dumps(state, ensure_ascii=False, indent=1).encode("utf-8"),
            overwrite=True,
            sync=False,
        )


def _damage(path: Path, data: dict[str, Any]) -> str:
    """What makes an entry unsafe to send or to list as it says; empty when it is sound."""
    if not path.is_file():
        return "not a message file (a folder or a special file)"
    if not data:
        return "its state file is missing or unreadable"
    recipients = data.get("to")
    if not isinstance(recipients, list) or not recipients:
        return "its recipients are not a list of addresses"
    if not all(isinstance(who, str) and who for who in recipients):
        return "its recipients are not a list of addresses"
    for key in ("client_id", "attempts"):
        value = data.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            return f"its {key} is not a whole number"
    return ""


def _entry(name: str, state: str, path: Path, data: dict[str, Any]) -> OutboxEntry:
    """An entry from its state file; a damaged one is listed as such, with what is wrong."""
    problem = _damage(path, data)
    if problem or state == DAMAGED:
        return _damaged_entry(name, path, data, problem or "set aside as damaged")
    client_id = data.get("client_id")
    if state == "queued" and data.get("held"):
        # Refused for good: it waits for the user to discard, redirect or resend it.
        state = "refused"
    elif state == "queued" and data.get("reason") and data.get("attempts"):
        # Tried and refused (or the server was down): still queued, shown as failed.
        state = "failed"
    return OutboxEntry(
        name=name,
        state=state,
        path=path,
        client_id=client_id if isinstance(client_id, int) else 0,
        client=str(data.get("client", "")),
        subject=str(data.get("subject", "")),
        recipients=tuple(str(r) for r in data.get("to", []) if isinstance(r, str)),
        sender=str(data.get("from", "")),
        message_id=str(data.get("message_id", "")),
        written_at=str(data.get("written_at", "")),
        attempts=int(data.get("attempts", 0) or 0),
        last_attempt=str(data.get("last_attempt", "")),
        reason=str(data.get("reason", "")),
        sent_at=str(data.get("sent_at", "")),
        news_kind=str(data.get("news_kind", REMINDER_NEWS)),
    )


def _damaged_entry(name: str, path: Path, data: dict[str, Any], problem: str) -> OutboxEntry:
    """A damaged entry: only its text fields are kept, and never its recipients."""

    def text(key: str) -> str:
        value = data.get(key, "")
        return value if isinstance(value, str) else ""

    client_id = data.get("client_id")
    return OutboxEntry(
        name=name,
        state=DAMAGED,
        path=path,
        client_id=client_id if isinstance(client_id, int) and client_id > 0 else 0,
        client=text("client"),
        subject=text("subject"),
        recipients=(),
        sender=text("from"),
        message_id=text("message_id"),
        written_at=text("written_at"),
        reason=problem,
    )


def _sync_dir(folder: Path) -> None:
    """Flush a rename to disk: the directory entry is what a crash would lose."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
