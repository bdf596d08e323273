"""Scenario: a client that refused to sign a contract is chased on the firmer ladder from day 5."""

from __future__ import annotations

import pytest

from cli_fixtures import Relance, next_action, ok, on

CLIENT = "Atelier Noir"


def test_a_refused_contract_brings_the_firm_call_and_email_at_five_days(
    relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, "2026-09-01")
    ok(relance("client", "add", CLIENT, "--email", "compta@noir.fr", "--phone", "01 44 44 44 44"))
    ok(relance("client", "flag", CLIENT, "contract-refused", "--note", "would not sign"))
    ok(relance("invoice", "add", CLIENT, "N-1", "1500.00", "--issued", "2026-09-01",
               "--due", "2026-10-01"))  # fmt: skip
    shown = ok(relance("show", CLIENT, "--json")).json()
    assert (shown["profile"], shown["profile_reasons"]) == (
        "bad-faith",
        ["refused to sign a contract once"],
    )
    # No courteous first e-mail: the first step is the firm one, five days after the due date.
    assert next_action(relance) == (
        "call and firm email",
        "2026-10-06",
        "call and firm email — not late yet, no reminder yet, step 1 of 5; due on 6 Oct",
    )

    on(monkeypatch, "2026-10-06")
    assert next_action(relance) == (
        "call and firm email",
        "2026-10-06",
        "call and firm email — 5 days late, no reminder yet, step 1 of 5; due today",
    )
    draft = ok(relance("remind", CLIENT, "--dry-run")).out
    assert "Subject: Relance : règlement attendu sous 8 jours — 1 500,00 €" in draft
    assert "soit au plus tard le 14 octobre 2026" in draft
    assert "nous serons contraints de vous adresser une mise en demeure" in draft
    assert "indemnité forfaitaire pour frais de recouvrement, soit 40,00 €" in draft
    # The dry run wrote nothing: the step is still due.
    assert next_action(relance)[2].endswith("no reminder yet, step 1 of 5; due today")

    ok(relance("remind", CLIENT, "--sent"))
    assert next_action(relance) == (
        "call and last email",
        "2026-10-13",
        "call and last email — 5 days late, last reminder today, step 2 of 5; due on 13 Oct",
    )
    # The call half of the step: no answer, so call again tomorrow, before the next step.
    ok(relance("call", CLIENT, "--outcome", "no-answer"))
    assert next_action(relance) == (
        "call again",
        "2026-10-07",
        "call again — follow-up of the call on 2026-10-06, before step 2 of 5; due on 7 Oct",
    )
