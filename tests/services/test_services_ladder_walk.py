"""Ladder walks through the services: each proposed step is done on its day, as a user would."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from relance.config import Config, Creditor
from relance.domain.ladder import Channel
from relance.services import calls, clients, contacts, invoices, plans, profile, reminders
from relance.services.mediation import record_mediation
from relance.services.validation import InvalidInput
from relance.store.database import transaction
from relance.store.models import Client, ContactEvent, PaymentPlan
from relance.store.triage_index import active_policy, refresh_client_summary

CREDITOR = Creditor(name="Me", email="me@example.com")
# A Thursday.
DUE = date(2026, 10, 1)
START = datetime(2026, 9, 1, 9, 0)


def moment(day: date) -> datetime:
    """Mid-morning on a day."""
    return datetime.combine(day, time(10, 0))


def owing_client(jurisdiction: str = "fr-b2b", kind: str = "b2b", override: str = "") -> int:
    """A client owing one invoice due on DUE, in a jurisdiction, maybe with a profile set."""
    client_id = clients.add_client("Brun SARL", START, email="compta@brun.fr", kind=kind).client_id
    invoices.add_invoice(client_id, "F-1", "1200.00", "2026-09-01", DUE.isoformat(), START)
    with transaction():
        Client.update(jurisdiction=jurisdiction).where(Client.id == client_id).execute()
        refresh_client_summary(client_id)
    if override:
        profile.set_profile_override(client_id, override, START)
    return client_id


def perform(client_id: int, action: str, on: date, outbox: Path) -> None:
    """Do what the next action says, through each channel of its step."""
    client = Client.get_by_id(client_id)
    ladder = active_policy().ladder_for(client.jurisdiction, client.kind, _profile(client))
    step = next((s for s in ladder.steps if s.label == action), None)
    channels = step.channels if step else (Channel.PHONE,)
    for channel in channels:
        if channel is Channel.EMAIL:
            config = Config(path=outbox / "config.toml", creditor=CREDITOR)
            reminders.send_reminder(client_id, moment(on), config, outbox, sent_by_hand=True)
        elif channel is Channel.PHONE:
            calls.log_call(client_id, "voicemail", moment(on))
        elif channel is Channel.MEDIATION:
            config = Config(path=outbox / "config.toml", creditor=CREDITOR)
            record_mediation(client_id, "proposed", moment(on), config)
        else:
            contacts.log_contact(client_id, channel.value, moment(on))


def _profile(client: Client) -> str:
    """The profile that picks the ladder."""
    return str(client.profile_override or client.payer_profile)


def walk(client_id: int, outbox: Path, until: str) -> list[tuple[str, date, int]]:
    """Follow the proposals until one starts with ``until``; the proposals, in order."""
    seen: list[tuple[str, date, int]] = []
    for _ in range(20):
        client = Client.get_by_id(client_id)
        seen.append((client.next_action, client.next_action_on, client.ladder_step))
        if client.next_action.startswith(until):
            return seen
        perform(client_id, client.next_action, client.next_action_on, outbox)
    raise AssertionError(f"the ladder never reached {until!r}: {seen}")


def test_unknown_payer_walks_the_careless_ladder(book: object, tmp_path: Path) -> None:
    client_id = owing_client()
    assert Client.get_by_id(client_id).payer_profile == "unknown"
    assert walk(client_id, tmp_path / "outbox", "follow up") == [
        ("courteous email", date(2026, 10, 8), 1),
        ("second email", date(2026, 10, 15), 2),
        ("phone call", date(2026, 10, 22), 3),
        # Voicemail: try again two days later (Saturday → Monday), while before the next step.
        ("call again", date(2026, 10, 26), 4),
        ("call again", date(2026, 10, 28), 4),
        # Three unanswered calls: the ladder moves on, 5 days after the last call.
        ("firm email", date(2026, 11, 2), 4),
        ("formal notice", date(2026, 11, 16), 5),
        ("mediation", date(2026, 12, 1), 6),
        ("legal route", date(2026, 12, 31), 7),
        ("follow up legal route", date(2027, 2, 1), 7),
    ]
    client = Client.get_by_id(client_id)
    assert client.next_action_reason.startswith("follow up legal route — every step done")


def test_careless_override_gives_the_same_walk(book: object, tmp_path: Path) -> None:
    client_id = owing_client(override="careless")
    steps = walk(client_id, tmp_path / "outbox", "legal route")
    assert [label for label, _, _ in steps if label != "call again"] == [
        "courteous email",
        "second email",
        "phone call",
        "firm email",
        "formal notice",
        "mediation",
        "legal route",
    ]


def test_bad_faith_payer_walks_the_short_ladder(book: object, tmp_path: Path) -> None:
    client_id = owing_client(override="bad-faith")
    assert walk(client_id, tmp_path / "outbox", "follow up") == [
        ("call and firm email", date(2026, 10, 6), 1),
        ("call and last email", date(2026, 10, 13), 2),
        ("formal notice", date(2026, 10, 22), 3),
        ("mediation", date(2026, 10, 30), 4),
        ("legal route", date(2026, 11, 16), 5),
        ("follow up legal route", date(2026, 12, 16), 5),
    ]
    kinds = [e.kind for e in ContactEvent.select().where(ContactEvent.direction == "out")]
    assert kinds.count("call") == 3 and kinds.count("letter") == 1


@pytest.mark.parametrize(
    ("kind", "claim_on"), [("b2b", date(2026, 11, 16)), ("b2c", date(2026, 12, 2))]
)
def test_uk_walk_ends_in_a_county_court_claim(
    book: object, tmp_path: Path, kind: str, claim_on: date
) -> None:
    client_id = owing_client("uk-b2b", kind)
    steps = [s for s in walk(client_id, tmp_path / "outbox", "follow up") if s[0] != "call again"]
    assert [label for label, _, _ in steps] == [
        "reminder",
        "second reminder",
        "phone call",
        "letter before action",
        "county court claim",
        "follow up county court claim",
    ]
    assert steps[3][1] == date(2026, 11, 2)
    # 14 days after the letter for a company, 30 for an individual.
    assert steps[4][1] == claim_on


def test_us_walk_ends_in_small_claims(book: object, tmp_path: Path) -> None:
    client_id = owing_client("us")
    steps = [s for s in walk(client_id, tmp_path / "outbox", "follow up") if s[0] != "call again"]
    assert [label for label, _, _ in steps] == [
        "reminder",
        "second reminder",
        "phone call",
        "final demand",
        "small claims",
        "follow up small claims",
    ]


def test_snooze_holds_the_ladder(book: object) -> None:
    client_id = owing_client()
    clients.snooze_client(client_id, "2026-10-20", moment(date(2026, 10, 2)))
    client = Client.get_by_id(client_id)
    assert (client.next_action, client.next_action_on) == ("courteous email", date(2026, 10, 20))
    assert client.next_action_reason.endswith("snoozed until 2026-10-20")


def test_dispute_takes_the_client_off_the_ladder_until_resolved(book: object) -> None:
    client_id = owing_client()
    clients.set_dispute(client_id, True, moment(date(2026, 10, 5)))
    client = Client.get_by_id(client_id)
    assert (client.next_action, client.next_action_on) == ("resolve dispute", date(2026, 10, 12))
    clients.set_dispute(client_id, False, moment(date(2026, 10, 9)))
    client = Client.get_by_id(client_id)
    # Back on the ladder where it stood: the first step, due from the day of the resolution.
    assert (client.next_action, client.next_action_on) == ("courteous email", date(2026, 10, 9))


def test_promise_waits_until_the_day_after(book: object) -> None:
    client_id = owing_client()
    calls.log_call(
        client_id,
        "promised",
        moment(date(2026, 10, 5)),
        promised_amount="1200",
        promised_on="2026-10-20",
    )
    client = Client.get_by_id(client_id)
    assert (client.next_action, client.next_action_on) == ("check promise", date(2026, 10, 21))
    assert "promised to pay by 2026-10-20" in client.next_action_reason


def test_an_active_plan_drives(book: object) -> None:
    client_id = owing_client()
    plans.propose_plan(client_id, "3", moment(date(2026, 10, 5)), first="2026-10-15")
    # A plan only proposed does not hold the ladder; sending it was a contact, so the gap holds.
    assert Client.get_by_id(client_id).next_action_on == date(2026, 10, 12)
    with transaction():
        PaymentPlan.update(status="active").execute()
        refresh_client_summary(client_id)
    client = Client.get_by_id(client_id)
    # The proposal (the 5th) was before the notice day: a friendly notice three days before.
    assert (client.next_action, client.next_action_on) == ("instalment notice", date(2026, 10, 12))


def test_profile_override_is_a_history_event(book: object) -> None:
    client_id = owing_client()
    at = moment(date(2026, 10, 2))
    result = profile.set_profile_override(client_id, "bad-faith", at)
    client = Client.get_by_id(client_id)
    assert client.profile_override == "bad-faith"
    # The computed profile stays what the rules say; the ladder follows the override.
    assert client.payer_profile == "unknown"
    assert client.next_action == "call and firm email"
    event = ContactEvent.get_by_id(result.event_id)
    assert (event.kind, event.outcome, event.body) == ("note", "profile-override", "bad-faith")
    with pytest.raises(InvalidInput, match="already set to bad faith"):
        profile.set_profile_override(client_id, "bad-faith", at)
    with pytest.raises(InvalidInput) as refused:
        profile.set_profile_override(client_id, "angry", at)
    assert "profile" in refused.value.errors
    profile.set_profile_override(client_id, "auto", at)
    client = Client.get_by_id(client_id)
    assert client.profile_override is None
    assert client.next_action == "courteous email"


def test_computed_profile_turns_bad_faith_after_refusals(book: object) -> None:
    client_id = owing_client()
    calls.log_call(client_id, "refused", moment(date(2026, 10, 9)))
    client = Client.get_by_id(client_id)
    assert client.payer_profile == "bad-faith"
    assert client.ladder_step >= 1


def test_log_contact_refuses_other_channels(book: object) -> None:
    client_id = owing_client()
    with pytest.raises(InvalidInput) as refused:
        contacts.log_contact(client_id, "email", START)
    assert "channel" in refused.value.errors
    result = contacts.log_contact(client_id, "letter", START, note="registered, AR 1A234")
    event = ContactEvent.get_by_id(result.event_id)
    assert (event.kind, event.direction, event.summary) == (
        "letter",
        "out",
        "letter sent — registered, AR 1A234",
    )
