"""Where a client stands on its ladder, and the next action, its date and a readable reason.

Everything here is a pure function of the client's rows: no clock. A date in the past means
the action is due now, so the stored triage index stays valid as the days pass.

Dates are adjusted in this order: the ladder's offset; the minimum gap after the last contact;
the holds (dispute, payment plan, promise, snooze); the year-end advice for written steps; and
last, the first working day of the client's country on or after the date.

The year-end rule: a written step (email, letter, sms) that would fall inside the closing
weeks (by default 20 December to 5 January) goes out on the last working day before them if
that is not earlier than the step's floor (the day after the due date, the minimum gap after
the last contact, the end of a snooze); otherwise on the first working day after them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from relance.domain.calls import FIND_CONTACT_DETAILS, CallOutcome
from relance.domain.ladder import DEFAULT_LADDERS, MEDIATION_KIND, Anchor, Ladder, ladder_name
from relance.domain.mediation import MediationOutcome
from relance.domain.working_days import next_working_day, previous_working_day

DEFAULT_MIN_GAP_DAYS = 5
# (month, day) of the first and last day of the year-end closing weeks.
DEFAULT_YEAR_END = ((12, 20), (1, 5))
DISPUTE_REVIEW_DAYS = 7
# Once every step is done, look at the case again a month after the last one.
REVIEW_AFTER_LAST_STEP_DAYS = 30

# After this many unanswered calls in a row, "call again" gives way to the next step.
MAX_UNANSWERED_CALLS = 3
UNANSWERED = (CallOutcome.NO_ANSWER.value, CallOutcome.VOICEMAIL.value)

# A proposal unanswered this long is followed up; an instalment gets a friendly notice this
# many days before it is due; one missed by more than the grace days breaks the plan.
DEFAULT_PLAN_ANSWER_DAYS = 7
DEFAULT_PLAN_NOTICE_DAYS = 3
DEFAULT_PLAN_GRACE_DAYS = 5

MonthDay = tuple[int, int]


@dataclass(frozen=True)
class Policy:
    """The ladders by name and the rules around them; the config file may override each."""

    ladders: dict[str, Ladder] = field(default_factory=lambda: dict(DEFAULT_LADDERS))
    min_gap_days: int = DEFAULT_MIN_GAP_DAYS
    year_end: tuple[MonthDay, MonthDay] | None = DEFAULT_YEAR_END
    # ``[plans]``: follow up an unanswered proposal, warn before an instalment, break after.
    plan_answer_days: int = DEFAULT_PLAN_ANSWER_DAYS
    plan_notice_days: int = DEFAULT_PLAN_NOTICE_DAYS
    plan_grace_days: int = DEFAULT_PLAN_GRACE_DAYS

    def ladder_for(self, jurisdiction: str, kind: str, profile: str) -> Ladder:
        """The ladder a client follows, from the config when it names one, else shipped."""
        name = ladder_name(jurisdiction, kind, profile)
        return self.ladders.get(name) or DEFAULT_LADDERS[name]


DEFAULT_POLICY = Policy()


def policy_fingerprint(policy: Policy) -> str:
    """A short digest of everything the policy decides, to notice when the user changed it."""
    return hashlib.sha256(repr(policy).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Contacted:
    """A step-kind contact made in the current episode: its day, history kind and outcome."""

    on: date
    kind: str
    outcome: str = ""


@dataclass(frozen=True)
class ClientState:
    """What the next action looks at; all dates, no clock.

    ``contacts`` are the outgoing step-kind events since the oldest unpaid due date, oldest
    first; the last contact (of any kind, plan proposals included) sets the minimum gap, and
    its follow-up is the one it scheduled, if it scheduled any.
    """

    outstanding: int
    oldest_due_on: date | None
    jurisdiction: str = "fr-b2b"
    kind: str = "b2b"
    profile: str = "unknown"
    country: str = "FR"
    disputed_since: date | None = None
    snoozed_until: date | None = None
    promise_check_on: date | None = None
    plan_next_due_on: date | None = None
    # The day a plan still waiting for the client's answer was proposed: it holds the ladder.
    plan_proposed_on: date | None = None
    contacts: tuple[Contacted, ...] = ()
    last_contact_on: date | None = None
    last_contact_kind: str = ""
    follow_up_action: str | None = None
    follow_up_on: date | None = None
    broken_promise_due_on: date | None = None
    dispute_resolved_on: date | None = None
    # After a wrong number: the next contact whose number is not known wrong (who, number).
    next_callable: tuple[str, str] | None = None


@dataclass(frozen=True)
class NextAction:
    """What to do next for a client, from which day, at which ladder step, and why."""

    action: str
    on: date | None
    step: int = 0
    reason: str = ""

    @property
    def is_none(self) -> bool:
        """True when nothing is owed and there is nothing to do."""
        return not self.action


NOTHING = NextAction("", None)


def steps_done(ladder: Ladder, contacts: tuple[Contacted, ...]) -> list[date]:
    """The day each step was done, walking the contacts oldest first.

    A contact counts as the first step, from the current one on, whose main channel it used
    (steps it jumps over count as passed). A second contact of the same kind on one day goes
    along with the first, not a new step; one of another kind counts for the step its channel
    completes, so the letter written the day of an e-mail is still the formal notice.
    """
    done: list[date] = []
    counted_today: set[str] = set()
    for contact in contacts:
        if done and contact.on == done[-1] and contact.kind in counted_today:
            continue
        for index in range(len(done), len(ladder.steps)):
            if contact.kind == ladder.steps[index].main_kind:
                if not done or done[-1] != contact.on:
                    counted_today = set()
                counted_today.add(contact.kind)
                done.extend([contact.on] * (index + 1 - len(done)))
                break
    return done


def next_action(state: ClientState, policy: Policy = DEFAULT_POLICY) -> NextAction:
    """Pick the next action: dispute, plan, promise, then the ladder or a call's follow-up."""
    if state.outstanding <= 0 or state.oldest_due_on is None:
        return NOTHING
    ladder = policy.ladder_for(state.jurisdiction, state.kind, state.profile)
    done = steps_done(ladder, state.contacts)
    total = len(ladder.steps)
    step_number = min(len(done) + 1, total)
    action = _held_action(state, policy, step_number) or _ladder_action(state, policy, ladder, done)
    assert action.on is not None
    on = action.on
    reason = action.reason
    if state.broken_promise_due_on is not None and action.action in _ladder_labels(ladder):
        reason += f", promise to pay by {state.broken_promise_due_on.isoformat()} broken"
    if state.snoozed_until and on < state.snoozed_until:
        on = state.snoozed_until
        reason += f", snoozed until {on.isoformat()}"
    return NextAction(action.action, next_working_day(on, state.country), action.step, reason)


def _ladder_labels(ladder: Ladder) -> set[str]:
    """The actions that are steps of the ladder (or the follow-up of its last step)."""
    return {step.label for step in ladder.steps} | {f"follow up {ladder.steps[-1].label}"}


def _held_action(state: ClientState, policy: Policy, step: int) -> NextAction | None:
    """The action of a hold that keeps the client off the ladder, if one applies."""
    if state.disputed_since is not None:
        on = state.disputed_since + timedelta(days=DISPUTE_REVIEW_DAYS)
        why = f"disputed since {state.disputed_since.isoformat()}, off the ladder until resolved"
        return NextAction("resolve dispute", on, step, f"resolve dispute — {why}")
    if state.plan_next_due_on is not None:
        return _instalment_action(state, policy, step, state.plan_next_due_on)
    held: list[NextAction] = []
    if state.promise_check_on is not None:
        promised = state.promise_check_on - timedelta(days=1)
        why = f"promised to pay by {promised.isoformat()}, the ladder waits until the day after"
        held.append(
            NextAction("check promise", state.promise_check_on, step, f"check promise — {why}")
        )
    if state.plan_proposed_on is not None:
        on = state.plan_proposed_on + timedelta(days=policy.plan_answer_days)
        proposed = state.plan_proposed_on.isoformat()
        why = f"plan proposed on {proposed}, the ladder waits for the answer"
        held.append(
            NextAction("follow up plan proposal", on, step, f"follow up plan proposal — {why}")
        )
    # A promise and a proposal may wait side by side: whichever falls due first comes first.
    return min(held, key=lambda action: action.on or date.max, default=None)


def _instalment_action(state: ClientState, policy: Policy, step: int, due: date) -> NextAction:
    """A running plan's next action for its oldest unpaid instalment, told by the history alone.

    No contact since the notice day: the friendly notice. A contact since then but not after
    the due date: the reminder of a missed instalment, the day after. A contact after the due
    date (the reminder was sent): wait out the grace days, after which the plan breaks.
    """
    # A notice day off work goes back to the working day before, so it still comes early.
    notice_on = previous_working_day(due - timedelta(days=policy.plan_notice_days), state.country)
    last = state.last_contact_on
    when = f"instalment due {due.isoformat()}, the plan holds the ladder"
    if last is None or last < notice_on:
        why = f"a friendly word {policy.plan_notice_days} days before — {when}"
        return NextAction("instalment notice", notice_on, step, f"instalment notice — {why}")
    if last <= due:
        why = f"a reminder if it is not paid by then — {when}"
        return NextAction(
            "instalment missed", due + timedelta(days=1), step, f"instalment missed — {why}"
        )
    ends = due + timedelta(days=policy.plan_grace_days + 1)
    why = (
        f"instalment due {due.isoformat()} missed and reminded; the plan breaks after "
        f"{policy.plan_grace_days} days of grace"
    )
    return NextAction("check instalment", ends, step, f"check instalment — {why}")


def _ladder_action(
    state: ClientState, policy: Policy, ladder: Ladder, done: list[date]
) -> NextAction:
    """The next ladder step (or a call's earlier follow-up), spaced and moved as the rules say."""
    assert state.oldest_due_on is not None
    due = state.oldest_due_on
    total = len(ladder.steps)
    floor = due + timedelta(days=1)
    if state.last_contact_on is not None:
        floor = max(floor, state.last_contact_on + timedelta(days=policy.min_gap_days))
    # Back from a dispute, the ladder resumes where it was, from the day it was resolved.
    if state.dispute_resolved_on is not None:
        floor = max(floor, state.dispute_resolved_on)
    if len(done) >= total:
        last = ladder.steps[-1]
        on = max(done[-1] + timedelta(days=REVIEW_AFTER_LAST_STEP_DAYS), floor)
        reason = (
            f"follow up {last.label} — every step done, the last on {done[-1].isoformat()}, "
            f"{(on - due).days} days late"
        )
        return NextAction(f"follow up {last.label}", on, total, reason)
    step = ladder.steps[len(done)]
    start = done[-1] if done and step.anchor is Anchor.PREVIOUS else due
    on = max(start + timedelta(days=step.after), floor)
    mediation = ""
    if done and ladder.steps[len(done) - 1].main_kind == MEDIATION_KIND:
        failed_on = _mediation_failed_on(state.contacts, done[-1])
        # A failed mediation opens the next step (the court route) at once, not after the wait.
        if failed_on is not None:
            on = max(failed_on, floor)
            mediation = f", mediation failed on {failed_on.isoformat()}"
        else:
            mediation = f", mediation proposed on {done[-1].isoformat()} without agreement"
    # A call's follow-up (call again, check the payment…) comes first, but only so many
    # unanswered calls in a row: then the ladder moves on to its next step.
    retries_left = _unanswered_in_a_row(state.contacts) < MAX_UNANSWERED_CALLS
    if state.follow_up_action and state.follow_up_on is not None and retries_left:
        if state.follow_up_action == FIND_CONTACT_DETAILS and state.next_callable is not None:
            return _call_next_contact(state, state.follow_up_on, len(done) + 1, total)
        reason = (
            f"{state.follow_up_action} — follow-up of the {state.last_contact_kind or 'contact'}"
            f" on {_iso(state.last_contact_on)}, before step {len(done) + 1} of {total}"
        )
        if state.follow_up_action == FIND_CONTACT_DETAILS:
            reason = (
                f"{FIND_CONTACT_DETAILS} — the number called on {_iso(state.last_contact_on)}"
                f" was wrong and no other number is known, before step {len(done) + 1} of {total}"
            )
        return NextAction(state.follow_up_action, state.follow_up_on, len(done) + 1, reason)
    # The snooze is part of the floor here, so a step it pushes into the year-end still moves.
    snoozed = ""
    if state.snoozed_until is not None:
        if state.snoozed_until > on:
            snoozed = f", snoozed until {state.snoozed_until.isoformat()}"
        floor = max(floor, state.snoozed_until)
        on = max(on, floor)
    moved = ""
    if policy.year_end and any(channel.is_written for channel in step.channels):
        on, moved = _outside_year_end(on, floor, policy.year_end, state.country)
    on = next_working_day(on, state.country)
    last_reminder = (
        f"last reminder {(on - state.contacts[-1].on).days} days ago"
        if state.contacts
        else "no reminder yet"
    )
    reason = (
        f"{step.label} — {(on - due).days} days late, {last_reminder}, "
        f"step {len(done) + 1} of {total}{mediation}{snoozed}{moved}"
    )
    return NextAction(step.label, on, len(done) + 1, reason)


def _call_next_contact(state: ClientState, on: date, step: int, total: int) -> NextAction:
    """After a wrong number, call the client's next number before looking for other details."""
    assert state.next_callable is not None
    who, number = state.next_callable
    action = f"call {who}"
    reason = (
        f"{action} at {number} — the number called on {_iso(state.last_contact_on)} was wrong,"
        f" try the next contact before step {step} of {total}"
    )
    return NextAction(action, on, step, reason)


def _mediation_failed_on(contacts: tuple[Contacted, ...], since: date) -> date | None:
    """The day the mediation done on ``since`` was recorded as failed, if it was."""
    for contact in reversed(contacts):
        if contact.on < since:
            break
        if contact.kind == MEDIATION_KIND and contact.outcome == MediationOutcome.FAILED:
            return contact.on
    return None


def _unanswered_in_a_row(contacts: tuple[Contacted, ...]) -> int:
    """How many of the latest contacts are calls nobody answered."""
    count = 0
    for contact in reversed(contacts):
        if contact.kind != "call" or contact.outcome not in UNANSWERED:
            break
        count += 1
    return count


def _outside_year_end(
    on: date, floor: date, window: tuple[MonthDay, MonthDay], country: str
) -> tuple[date, str]:
    """Move a written step out of the closing weeks: before them if the floor allows, else after."""
    (start_month, start_day), (end_month, end_day) = window
    wraps = (start_month, start_day) > (end_month, end_day)
    if (on.month, on.day) >= (start_month, start_day):
        start = date(on.year, start_month, start_day)
        end = date(on.year + 1 if wraps else on.year, end_month, end_day)
    else:
        start = date(on.year - 1 if wraps else on.year, start_month, start_day)
        end = date(on.year, end_month, end_day)
    if not start <= on <= end:
        return on, ""
    before = previous_working_day(start - timedelta(days=1), country)
    if before >= floor:
        return before, ", sent before the year-end closing"
    return next_working_day(end + timedelta(days=1), country), ", sent after the year-end closing"


def _iso(value: date | None) -> str:
    """A date for a reason line."""
    return value.isoformat() if value else "?"
