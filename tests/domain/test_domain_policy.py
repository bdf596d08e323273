"""The ladders and the policy: where a client stands, the next action, its date and reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from relance.domain.ladder import (
    DEFAULT_LADDERS,
    FR_CARELESS,
    Channel,
    Tone,
    country_of,
    ladder_name,
)
from relance.domain.policy import (
    DEFAULT_POLICY,
    NOTHING,
    ClientState,
    Contacted,
    NextAction,
    Policy,
    next_action,
    steps_done,
)
from relance.domain.working_days import is_working_day, next_working_day

# A Thursday.
DUE = date(2026, 10, 1)


def state(**changes: object) -> ClientState:
    """A French client owing 1 000.00 since DUE, with the given changes."""
    values: dict[str, object] = {"outstanding": 100000, "oldest_due_on": DUE}
    values.update(changes)
    return ClientState(**values)  # type: ignore[arg-type]


def walk(start: ClientState, policy: Policy = DEFAULT_POLICY) -> list[tuple[str, date, int]]:
    """Do each proposed step on its day, through its channels, until the ladder is done."""
    seen: list[tuple[str, date, int]] = []
    current = start
    ladder = policy.ladder_for(start.jurisdiction, start.kind, start.profile)
    for _ in range(len(ladder.steps)):
        action = next_action(current, policy)
        assert action.on is not None
        seen.append((action.action, action.on, action.step))
        step = ladder.steps[action.step - 1]
        assert action.action == step.label
        done = tuple(Contacted(action.on, channel.history_kind) for channel in step.channels)
        current = replace(
            current,
            contacts=current.contacts + done,
            last_contact_on=action.on,
            last_contact_kind=done[-1].kind,
        )
    final = next_action(current, policy)
    seen.append((final.action, final.on or DUE, final.step))
    return seen


def test_nothing_owed_means_nothing_to_do() -> None:
    assert next_action(state(outstanding=0)) == NOTHING
    assert next_action(state(oldest_due_on=None)) == NOTHING
    assert NOTHING.is_none
    assert next_action(state(outstanding=0, disputed_since=DUE)).is_none


def test_careless_payer_walks_the_french_ladder() -> None:
    assert walk(state(profile="careless")) == [
        ("courteous email", date(2026, 10, 8), 1),
        ("second email", date(2026, 10, 15), 2),
        ("phone call", date(2026, 10, 22), 3),
        # +30 is Saturday 31 October: the next working day.
        ("firm email", date(2026, 11, 2), 4),
        # +45 is Sunday 15 November.
        ("formal notice", date(2026, 11, 16), 5),
        # The notice's deadline (15 days) runs out on 1 December: a mediator is proposed.
        ("mediation", date(2026, 12, 1), 6),
        # No answer in 30 days: the court route.
        ("legal route", date(2026, 12, 31), 7),
        # +30 is Saturday 30 January.
        ("follow up legal route", date(2027, 2, 1), 7),
    ]


def test_unknown_profile_uses_the_careless_ladder() -> None:
    assert walk(state(profile="unknown")) == walk(state(profile="careless"))
    assert ladder_name("fr-b2b", "b2b", "unknown") == "fr-careless"
    assert ladder_name("eu-b2b", "b2b", "whatever") == "fr-careless"


def test_bad_faith_payer_gets_two_channels_a_faster_pace_and_an_early_notice() -> None:
    assert walk(state(profile="bad-faith")) == [
        ("call and firm email", date(2026, 10, 6), 1),
        ("call and last email", date(2026, 10, 13), 2),
        ("formal notice", date(2026, 10, 22), 3),
        # A mediator proposed as soon as the notice's 8 days have passed.
        ("mediation", date(2026, 10, 30), 4),
        # 15 days later is Saturday 14 November.
        ("legal route", date(2026, 11, 16), 5),
        ("follow up legal route", date(2026, 12, 16), 5),
    ]
    for step in DEFAULT_LADDERS["fr-bad-faith"].steps[:-2]:
        assert Channel.PHONE in step.channels and len(step.channels) == 2


def test_uk_company_and_individual_ladders_end_with_a_letter_before_action() -> None:
    company = walk(state(jurisdiction="uk-b2b", country="GB"))
    assert [label for label, _, _ in company] == [
        "reminder",
        "second reminder",
        "phone call",
        "letter before action",
        "county court claim",
        "follow up county court claim",
    ]
    assert company[3][1] == date(2026, 11, 2)
    # 14 days for a company, 30 for an individual.
    assert company[4][1] == date(2026, 11, 16)
    individual = walk(state(jurisdiction="uk-b2b", country="GB", kind="b2c"))
    assert individual[4] == ("county court claim", date(2026, 12, 2), 5)
    assert country_of("uk-b2b") == "GB"


def test_us_ladder_ends_with_a_final_demand_and_small_claims() -> None:
    steps = walk(state(jurisdiction="us", country="US"))
    assert steps[:5] == [
        ("reminder", date(2026, 10, 8), 1),
        ("second reminder", date(2026, 10, 16), 2),
        ("phone call", date(2026, 11, 2), 3),
        ("final demand", date(2026, 11, 16), 4),
        ("small claims", date(2026, 11, 30), 5),
    ]
    assert country_of("us") == "US"


def test_reason_reads_like_a_sentence() -> None:
    contacts = (
        Contacted(date(2026, 10, 8), "email"),
        Contacted(date(2026, 10, 15), "email"),
        Contacted(date(2026, 10, 24), "call"),
    )
    action = next_action(
        state(contacts=contacts, last_contact_on=date(2026, 10, 24), last_contact_kind="call")
    )
    assert action == NextAction(
        "firm email",
        date(2026, 11, 2),
        4,
        "firm email — 32 days late, last reminder 9 days ago, step 4 of 7",
    )
    assert next_action(state()).reason == (
        "courteous email — 7 days late, no reminder yet, step 1 of 7"
    )


def test_a_contact_jumps_to_the_step_of_its_channel() -> None:
    # A formal letter sent early: the friendly steps count as passed.
    letter = (Contacted(date(2026, 10, 9), "letter"),)
    assert steps_done(FR_CARELESS, letter) == [date(2026, 10, 9)] * 5
    # Two e-mails on one day are one step.
    twice = (Contacted(DUE, "email"), Contacted(DUE, "email"))
    assert steps_done(FR_CARELESS, twice) == [DUE]
    # A note or a payment is not a step; neither is a channel no later step uses.
    assert steps_done(FR_CARELESS, (Contacted(DUE, "visit"),)) == []


def test_minimum_gap_after_the_last_contact() -> None:
    late_first = (Contacted(date(2026, 10, 20), "email"),)
    action = next_action(state(contacts=late_first, last_contact_on=date(2026, 10, 20)))
    # +14 has passed, but 5 days must separate two contacts: Sunday 25th → Monday 26th.
    assert (action.action, action.on) == ("second email", date(2026, 10, 26))
    wider = next_action(
        state(contacts=late_first, last_contact_on=date(2026, 10, 20)),
        replace(DEFAULT_POLICY, min_gap_days=10),
    )
    assert wider.on == date(2026, 10, 30)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        # 14 July (Tuesday), Bastille Day → Wednesday.
        (date(2026, 7, 7), date(2026, 7, 15)),
        # Saturday 31 October, then All Saints' Day on Sunday → Monday 2 November.
        (date(2026, 10, 24), date(2026, 11, 2)),
        # Ascension Thursday, 14 May 2026 → Friday.
        (date(2026, 5, 7), date(2026, 5, 15)),
    ],
)
def test_weekends_and_french_holidays_move_the_date(due: date, expected: date) -> None:
    assert next_action(state(oldest_due_on=due)).on == expected


def test_christmas_moves_a_call_to_the_next_working_day() -> None:
    # The phone step at +21 lands on Friday 25 December; calls are not held by the year-end.
    contacts = (Contacted(date(2026, 12, 11), "email"), Contacted(date(2026, 12, 18), "email"))
    action = next_action(
        state(
            oldest_due_on=date(2026, 12, 4), contacts=contacts, last_contact_on=date(2026, 12, 18)
        )
    )
    assert (action.action, action.on) == ("phone call", date(2026, 12, 28))
    assert not is_working_day(date(2026, 12, 25), "FR")


def test_other_countries_holidays() -> None:
    # Thanksgiving in the US; Boxing Day is a holiday in the UK but not in France.
    us = next_action(state(oldest_due_on=date(2026, 11, 19), jurisdiction="us", country="US"))
    assert us.on == date(2026, 11, 27)
    assert next_working_day(date(2027, 12, 27), "GB") == date(2027, 12, 29)
    assert next_working_day(date(2027, 12, 27), "FR") == date(2027, 12, 27)


def test_year_end_sends_a_written_step_before_the_closing_weeks() -> None:
    action = next_action(state(oldest_due_on=date(2026, 12, 15)))
    # +7 is 22 December: sent on Friday 18 December instead.
    assert (action.action, action.on) == ("courteous email", date(2026, 12, 18))
    assert action.reason.endswith("step 1 of 7, sent before the year-end closing")


def test_year_end_sends_after_the_closing_weeks_when_before_is_too_early() -> None:
    contacts = (Contacted(date(2026, 12, 17), "email"),)
    action = next_action(
        state(
            oldest_due_on=date(2026, 12, 3), contacts=contacts, last_contact_on=date(2026, 12, 17)
        )
    )
    # The gap after the 17th forbids the 18th: the first working day after 5 January.
    assert (action.action, action.on) == ("second email", date(2027, 1, 6))
    assert action.reason.endswith("sent after the year-end closing")


def test_year_end_rule_can_be_turned_off_or_moved() -> None:
    off = next_action(
        state(oldest_due_on=date(2026, 12, 15)), replace(DEFAULT_POLICY, year_end=None)
    )
    assert off.on == date(2026, 12, 22)
    shorter = replace(DEFAULT_POLICY, year_end=((12, 23), (12, 31)))
    assert next_action(state(oldest_due_on=date(2026, 12, 15)), shorter).on == date(2026, 12, 22)


def test_dispute_takes_the_client_off_the_ladder() -> None:
    action = next_action(
        state(disputed_since=date(2026, 11, 20), promise_check_on=date(2026, 12, 1))
    )
    assert action.action == "resolve dispute"
    assert action.on == date(2026, 11, 27)
    assert "off the ladder until resolved" in action.reason


def test_plan_instalments_drive() -> None:
    action = next_action(
        state(plan_next_due_on=date(2026, 12, 10), promise_check_on=date(2026, 12, 1))
    )
    # No contact yet: a friendly notice three days before the instalment falls due.
    assert (action.action, action.on) == ("instalment notice", date(2026, 12, 7))
    assert action.step == 1


def test_a_promise_and_a_plan_proposal_waiting_together_come_in_date_order() -> None:
    promise_first = next_action(
        state(plan_proposed_on=date(2026, 11, 28), promise_check_on=date(2026, 12, 1))
    )
    assert (promise_first.action, promise_first.on) == ("check promise", date(2026, 12, 1))
    proposal_first = next_action(
        state(plan_proposed_on=date(2026, 11, 20), promise_check_on=date(2026, 12, 1))
    )
    assert (proposal_first.action, proposal_first.on) == (
        "follow up plan proposal",
        date(2026, 11, 27),
    )
    assert "plan proposed on 2026-11-20, the ladder waits for the answer" in proposal_first.reason


def test_plan_instalment_notice_then_missed_then_grace() -> None:
    due = date(2026, 12, 10)
    # The notice went out on the 7th: next, the reminder the day after the due date.
    sent = next_action(state(plan_next_due_on=due, last_contact_on=date(2026, 12, 7)))
    assert (sent.action, sent.on) == ("instalment missed", date(2026, 12, 11))
    # The reminder went out on the 11th: the plan waits out five days of grace.
    reminded = next_action(state(plan_next_due_on=due, last_contact_on=date(2026, 12, 11)))
    assert (reminded.action, reminded.on) == ("check instalment", date(2026, 12, 16))
    assert "5 days of grace" in reminded.reason


def test_promise_waits_until_the_day_after() -> None:
    action = next_action(state(promise_check_on=date(2026, 12, 2)))
    assert (action.action, action.on) == ("check promise", date(2026, 12, 2))
    assert "promised to pay by 2026-12-01" in action.reason
    # The day after falls on a Saturday: Monday.
    assert next_action(state(promise_check_on=date(2026, 12, 5))).on == date(2026, 12, 7)


def test_snooze_holds_everything_until_its_date() -> None:
    snoozed = next_action(state(snoozed_until=date(2027, 1, 11)))
    assert (snoozed.action, snoozed.on) == ("courteous email", date(2027, 1, 11))
    assert snoozed.reason.endswith("snoozed until 2027-01-11")
    early = next_action(state(snoozed_until=date(2026, 10, 2)))
    assert early.on == date(2026, 10, 8)
    # A snooze into the closing weeks: the written step waits until after them.
    into_year_end = next_action(state(snoozed_until=date(2026, 12, 21)))
    assert into_year_end.on == date(2027, 1, 6)
    assert into_year_end.reason.endswith(
        "snoozed until 2026-12-21, sent after the year-end closing"
    )


def test_call_follow_up_comes_first_until_three_unanswered_calls() -> None:
    emails = (Contacted(date(2026, 10, 8), "email"), Contacted(date(2026, 10, 15), "email"))
    first_call = (Contacted(date(2026, 10, 22), "call", "voicemail"),)
    after_call = state(
        contacts=emails + first_call,
        last_contact_on=date(2026, 10, 22),
        last_contact_kind="call",
        follow_up_action="call again",
        follow_up_on=date(2026, 10, 24),
    )
    action = next_action(after_call)
    # Saturday 24th → Monday 26th.
    assert (action.action, action.on, action.step) == ("call again", date(2026, 10, 26), 4)
    assert "follow-up of the call on 2026-10-22" in action.reason
    # A follow-up later than the step still comes first: the user asked for it.
    later = replace(after_call, follow_up_on=date(2026, 11, 20))
    assert next_action(later).action == "call again"
    retries = (
        Contacted(date(2026, 10, 26), "call", "no-answer"),
        Contacted(date(2026, 10, 28), "call", "voicemail"),
    )
    gave_up = replace(
        after_call,
        contacts=after_call.contacts + retries,
        last_contact_on=date(2026, 10, 28),
        follow_up_on=date(2026, 10, 30),
    )
    assert (next_action(gave_up).action, next_action(gave_up).on) == (
        "firm email",
        date(2026, 11, 2),
    )
    # An answered call with its own follow-up (check the payment) is not a retry.
    answered = replace(
        gave_up,
        contacts=(*emails, Contacted(date(2026, 10, 28), "call", "says-paid")),
        follow_up_action="check payment received",
        follow_up_on=date(2026, 10, 31),
    )
    assert next_action(answered).action == "check payment received"


def test_shipped_ladders_are_well_formed() -> None:
    for ladder in DEFAULT_LADDERS.values():
        assert ladder.steps[-1].channels == (Channel.LEGAL,)
        assert ladder.steps[-1].tone is Tone.FORMAL
        assert all(step.after > 0 and step.template for step in ladder.steps)
