"""The morning batch: one reminder to every client whose e-mail step is due, safe to run twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from relance.config import Config, ConfigError
from relance.delivery.smtp import SmtpSession
from relance.domain.ladder import Channel
from relance.domain.policy import next_action
from relance.services import drafting
from relance.services.outbox import smtp_session
from relance.services.reminders import (
    AlreadyReminded,
    reminder_recipients,
    send_reminder,
)
from relance.services.validation import InvalidInput
from relance.store.bank_lines import review_counts_by_client
from relance.store.errors import StoreError
from relance.store.lookup import ClientNotFound, get_client
from relance.store.reminded import reminded_on
from relance.store.steps import undelivered_note
from relance.store.triage import SortKey, TriageFilter, TriageRow, triage_window
from relance.store.triage_index import active_policy, client_standing, open_position

PAGE = 500
ALREADY_REMINDED = "already reminded today"
BANK_LINE_WAITS = "a bank line waiting for review could be their payment: relance bank review"
WAITS_IN_OUTBOX = "its last reminder waits in the outbox"
# What the report can say of a client; only "failed" makes the run fail.
STATUSES = ("sent", "queued", "failed", "skipped", "would send")


@dataclass(frozen=True)
class Candidate:
    """A client the batch looks at, and why it is left out (empty: it gets a reminder)."""

    client_id: int
    client: str
    skip: str = ""


@dataclass(frozen=True)
class BatchLine:
    """What the batch did for one client."""

    client_id: int
    client: str
    status: str
    reason: str = ""
    subject: str = ""
    recipients: tuple[str, ...] = ()

    def as_record(self) -> dict[str, Any]:
        """The line as ``remind --due --json`` prints it."""
        return {
            "client_id": self.client_id,
            "client": self.client,
            "status": self.status,
            "reason": self.reason or None,
            "subject": self.subject or None,
            "to": list(self.recipients),
        }


def due_candidates(today: date) -> list[Candidate]:
    """Every client with an action due by today, plus those already reminded today."""
    reminded = reminded_on(today)
    # A credit that could be theirs may have paid what a reminder would chase.
    unreviewed = set(review_counts_by_client())
    candidates: list[Candidate] = []
    seen: set[int] = set()
    offset = 0
    while True:
        rows = triage_window(today, SortKey.OVERDUE, offset, PAGE, TriageFilter(due_by=today))
        for row in rows:
            if row.outstanding <= 0 or not row.next_action:
                continue
            seen.add(row.client_id)
            if row.client_id in reminded:
                skip = ALREADY_REMINDED
            elif row.client_id in unreviewed:
                skip = BANK_LINE_WAITS
            else:
                skip = _why_not(row, today)
            candidates.append(Candidate(row.client_id, row.name, skip))
        if len(rows) < PAGE:
            break
        offset += PAGE
    # Their next step moved on when they were reminded: say so, so a second run explains itself.
    for client_id in sorted(reminded - seen):
        try:
            name = get_client(client_id).name
        except ClientNotFound:
            continue
        candidates.append(Candidate(client_id, name, ALREADY_REMINDED))
    return candidates


def _why_not(row: TriageRow, today: date) -> str:
    """Why a due client gets no e-mail from the batch; empty when it gets one."""
    if row.disputed:
        return "disputed: off the ladder until resolved"
    if row.is_snoozed(today):
        assert row.snoozed_until is not None
        return f"snoozed until {row.snoozed_until.isoformat()}"
    outstanding, _, oldest = open_position(row.client_id)
    state, _ = client_standing(row.client_id, outstanding, oldest)
    policy = active_policy()
    action = next_action(state, policy)
    ladder = policy.ladder_for(state.jurisdiction, state.kind, state.profile)
    if not 1 <= action.step <= len(ladder.steps):
        return f"next action is {action.action}, not an e-mail"
    step = ladder.steps[action.step - 1]
    if action.action != step.label:
        # A hold (promise, plan, dispute) or a call's follow-up comes before the ladder.
        return action.reason or f"next action is {action.action}, not an e-mail"
    channel = step.channels[-1]
    if channel is not Channel.EMAIL:
        return f"next step is {step.label} ({channel.value}), not an e-mail: do it by hand"
    # A message refused for good may still wait for its (now bounced) address: say that first.
    if not reminder_recipients(row.client_id) and undelivered_note(row.client_id) is None:
        return "no e-mail address: add one to a contact"
    return ""


def remind_due(
    at: datetime,
    config: Config,
    outbox: Path,
    *,
    dry_run: bool = False,
    progress: Callable[[Candidate], None] | None = None,
    candidates: list[Candidate] | None = None,
) -> list[BatchLine]:
    """Send (or with ``dry_run`` only draft) the due e-mail reminders; one line per client.

    Each reminder is its own action (one transaction and history event), so a failure for one
    client leaves the others sent; a client already reminded today is never reminded again.
    """
    lines = []
    # One connection for the whole batch; if the server is down, the rest fail at once.
    session = None if dry_run else smtp_session(config)
    try:
        for candidate in due_candidates(at.date()) if candidates is None else candidates:
            lines.append(_handle(candidate, at, config, outbox, dry_run, session))
            if progress is not None:
                progress(candidate)
    finally:
        if session is not None:
            session.close()
    return lines


def _handle(
    candidate: Candidate,
    at: datetime,
    config: Config,
    outbox: Path,
    dry_run: bool,
    session: SmtpSession | None,
) -> BatchLine:
    """Send, draft or skip one client."""
    client_id, name = candidate.client_id, candidate.client
    if candidate.skip:
        return BatchLine(client_id, name, "skipped", candidate.skip)
    waiting = undelivered_note(client_id)
    if waiting is not None:
        # Its last reminder has not gone: a second one would only queue behind it.
        return BatchLine(client_id, name, "skipped", f"{WAITS_IN_OUTBOX}: {waiting}")
    recipients = tuple(reminder_recipients(client_id))
    try:
        if dry_run:
            draft = drafting.draft_reminder(client_id, at.date(), config)
            return BatchLine(client_id, name, "would send", "", draft.subject, recipients)
        result = send_reminder(client_id, at, config, outbox, session=session)
    except AlreadyReminded:
        # Another run reminded the client after this one made its list.
        return BatchLine(client_id, name, "skipped", ALREADY_REMINDED)
    except InvalidInput as refusal:
        return BatchLine(client_id, name, "skipped", "; ".join(refusal.errors.values()))
    except (ConfigError, StoreError, OSError) as error:
        # A broken template, a locked book or a full disk: this client failed, go on with the rest.
        return BatchLine(client_id, name, "failed", str(error))
    record = result.record
    return BatchLine(
        client_id, name, record["status"], record["reason"] or "", record["subject"], recipients
    )


def batch_failed(lines: list[BatchLine]) -> bool:
    """True when a reminder should have gone and did not: the run's exit status says so."""
    return any(line.status == "failed" for line in lines)
