"""Scenario: the billing contact's number is wrong, so the next action calls the second contact."""

from __future__ import annotations

import pytest

from cli_fixtures import Relance, next_action, ok, on

CLIENT = "Brun SA"


def test_a_wrong_number_moves_the_call_to_the_next_contact(
    relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, "2026-10-01")
    ok(relance("client", "add", CLIENT, "--email", "compta@brun.fr", "--phone", "01 11 11 11 11"))
    ok(relance("contact", "set", CLIENT, "compta@brun.fr", "--name", "Mme Brun"))
    ok(relance("contact", "add", CLIENT, "--name", "Bob Brun", "--phone", "06 22 22 22 22"))
    ok(relance("invoice", "add", CLIENT, "F-1", "1000.00", "--issued", "2026-09-01",
               "--due", "2026-10-01"))  # fmt: skip
    for day in ("2026-10-08", "2026-10-15"):
        on(monkeypatch, day)
        ok(relance("remind", CLIENT, "--sent"))

    # Week 3: the phone step; the billing contact's number reaches someone else.
    on(monkeypatch, "2026-10-22")
    assert next_action(relance) == (
        "phone call",
        "2026-10-22",
        "phone call — 21 days late, last reminder 7 days ago, step 3 of 7; due today",
    )
    called = ok(relance("call", CLIENT, "--outcome", "wrong-number"))
    assert called.out == f"{CLIENT}: call to Mme Brun (01 11 11 11 11): wrong number\n"
    assert next_action(relance) == (
        "call Bob Brun",
        "2026-10-22",
        "call Bob Brun at 06 22 22 22 22 — the number called on 2026-10-22 was wrong, try the"
        " next contact before step 4 of 7; due today",
    )
    [mme, bob] = ok(relance("contact", "list", CLIENT, "--json")).json()
    assert (mme["phone_wrong"], bob["phone_wrong"]) == (True, False)

    # The next day (a Friday) Bob does not answer: call him again on Monday.
    on(monkeypatch, "2026-10-23")
    assert next_action(relance)[0] == "call Bob Brun"
    assert (
        ok(relance("call", CLIENT, "--outcome", "no-answer", "--json")).json()["contact_id"]
        == bob["id"]
    )
    assert next_action(relance) == (
        "call again",
        "2026-10-26",
        "call again — follow-up of the call on 2026-10-23, before step 4 of 7; due on 26 Oct",
    )

    # Monday: Bob's number turns out wrong too: only now, find other contact details.
    on(monkeypatch, "2026-10-26")
    called = ok(relance("call", CLIENT, "--outcome", "wrong-number"))
    assert called.out == f"{CLIENT}: call to Bob Brun (06 22 22 22 22): wrong number\n"
    assert next_action(relance) == (
        "find contact details",
        "2026-10-26",
        "find contact details — the number called on 2026-10-26 was wrong and no other number"
        " is known, before step 4 of 7; due today",
    )

    # A number found and added: the next action calls it.
    ok(relance("contact", "add", CLIENT, "--name", "Accueil", "--phone", "04 33 33 33 33"))
    assert next_action(relance)[0] == "call Accueil"
    history = ok(relance("show", CLIENT, "--json")).json()["history"]
    assert [h["summary"] for h in history if h["kind"] == "contact"][:3] == [
        "contact added: Accueil (04 33 33 33 33)",
        "Bob Brun's number 06 22 22 22 22 marked wrong: the call reached someone else",
        "Mme Brun's number 01 11 11 11 11 marked wrong: the call reached someone else",
    ]


def test_call_names_an_unknown_contact_as_bad_input(relance: Relance) -> None:
    ok(relance("client", "add", CLIENT, "--phone", "01 11 11 11 11"))
    run = relance("call", CLIENT, "--outcome", "wrong-number", "--contact", "Nobody")
    assert run.status == 2 and "no contact 'Nobody'" in run.err
    history = ok(relance("show", CLIENT, "--json")).json()["history"]
    assert [h["kind"] for h in history] == ["note"]
