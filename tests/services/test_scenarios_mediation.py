"""A French book walked through the weeks past its formal notice: mediation, then the court."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_scenarios_ladder import next_of, on, owing, shown

from cli_fixtures import Relance, ok
from relance.store.database import close_database, open_database
from relance.store.models import ContactEvent


def test_mediation_comes_between_the_formal_notice_and_the_court(
    relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(relance("init"))
    owing(relance, "Garnier")
    # Sent by hand up to the formal notice, posted on Monday 16 November.
    on(monkeypatch, "2026-11-16", relance, "log", "Garnier", "letter")
    action, day, reason = next_of(shown(monkeypatch, "2026-11-16", relance, "Garnier"))
    # The notice's 15 days run out: a mediator is proposed, not the court yet.
    assert (action, day) == ("mediation", "2026-12-01")
    assert reason == "mediation — 46 days late, last reminder today, step 6 of 7; due on 1 Dec"
    # The proposal names the mediator; its letter is printed and kept in the history.
    proposed = on(
        monkeypatch,
        "2026-12-01",
        relance,
        "mediation",
        "propose",
        "Garnier",
        "--mediator",
        "Me Lefèvre, CMAP",
    )
    assert proposed.out.startswith("Garnier: mediation proposed (Me Lefèvre, CMAP)\n")
    assert "Subject: Proposition de médiation avant toute action en justice — 1 264,37 €" in (
        proposed.out
    )
    assert "par la voie d'une médiation, confiée à Me Lefèvre, CMAP." in proposed.out
    assert "Notre mise en demeure du 16 novembre 2026 est restée sans effet" in proposed.out
    # Unanswered, the court route comes 30 days after the proposal.
    action, day, reason = next_of(shown(monkeypatch, "2026-12-02", relance, "Garnier"))
    assert (action, day) == ("legal route", "2026-12-31")
    assert reason == (
        "legal route — 62 days late, last reminder 1 day ago, step 7 of 7, "
        "mediation proposed on 2026-12-01 without agreement; due on 31 Dec"
    )
    # The mediation fails on 10 December: the court route is next, after the usual gap only.
    failed = on(
        monkeypatch, "2026-12-10", relance, "mediation", "failed", "Garnier", "--note", "refus"
    )
    assert failed.out == "Garnier: mediation failed: the court route is next — refus\n"
    action, day, reason = next_of(shown(monkeypatch, "2026-12-10", relance, "Garnier"))
    assert (action, day) == ("legal route", "2026-12-15")
    assert reason == (
        "legal route — 70 days late, last reminder today, step 7 of 7, "
        "mediation failed on 2026-12-10; due on 15 Dec"
    )


def test_an_agreed_mediation_holds_the_ladder_like_a_promise(
    relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(relance("init"))
    owing(relance, "Roux")
    on(monkeypatch, "2026-11-16", relance, "log", "Roux", "letter")
    on(monkeypatch, "2026-12-01", relance, "mediation", "propose", "Roux")
    agreed = on(
        monkeypatch,
        "2026-12-08",
        relance,
        "mediation",
        "agreed",
        "Roux",
        "--amount",
        "1200.00",
        "--on",
        "2027-01-15",
        "--json",
    ).json()
    assert (agreed["outcome"], agreed["agreed_amount"], agreed["pay_by"]) == (
        "agreed",
        "1200.00",
        "2027-01-15",
    )
    action, day, reason = next_of(shown(monkeypatch, "2026-12-08", relance, "Roux"))
    assert (action, day) == ("check promise", "2027-01-18")
    assert "promised to pay by 2027-01-15" in reason
    # Not paid by the day agreed: the court route, the broken promise named.
    action, day, reason = next_of(shown(monkeypatch, "2027-01-20", relance, "Roux"))
    assert action == "legal route"
    assert "promise to pay by 2027-01-15 broken" in reason


def test_the_mediation_command_refuses_bad_input_and_writes_nothing(
    relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(relance("init"))
    owing(relance, "Blanc")
    monkeypatch.setenv("RELANCE_TODAY", "2026-12-01")
    for argv, message in (
        (("agreed", "Blanc"), "an agreed mediation needs the amount and the day agreed"),
        (("failed", "Blanc", "--amount", "10.00"), "only an agreed mediation has an amount"),
        (("agreed", "Blanc", "--amount", "10.00", "--on", "2026-11-01"), "in the past"),
    ):
        run = relance("mediation", *argv)
        assert run.status == 2
        assert message in run.err
        assert run.err.count("\n") == 1
    bad = relance("mediation", "settle", "Blanc")
    assert bad.status == 2
    assert bad.err.count("\n") == 1
    open_database(Path(os.environ["RELANCE_DB"]))
    try:
        assert not ContactEvent.select().where(ContactEvent.kind == "mediation").exists()
    finally:
        close_database()
