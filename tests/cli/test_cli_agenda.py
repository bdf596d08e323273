"""`relance agenda`: the week ahead, book-wide, as text and JSON, with its --days bounds."""

from __future__ import annotations

import pytest

from cli_fixtures import Relance, ok


@pytest.fixture
def week(relance: Relance, monkeypatch: pytest.MonkeyPatch) -> None:
    """Four clients on Monday 23 November: a promise, a plan, a formal notice, a call due."""
    ok(relance("init"))
    for name, due in (("Durand", "2026-10-01"), ("Petit", "2026-11-10"), ("Morel", "2026-10-20")):
        ok(relance("client", "add", name, "--email", "compta@example.fr"))
        ok(
            relance(
                "invoice",
                "add",
                name,
                f"F-{name}",
                "900.00",
                "--issued",
                "2026-09-01",
                "--due",
                due,
            )
        )
    ok(
        relance(
            "call", "Durand", "--outcome", "promised", "--amount", "300.00", "--on", "2026-11-26"
        )
    )
    ok(relance("plan", "propose", "Petit", "--instalments", "3", "--first", "2026-11-27"))
    ok(relance("plan", "accept", "Petit"))
    # A formal notice posted on 20 November: its 8 days run out on the 28th.
    monkeypatch.setenv("RELANCE_TODAY", "2026-11-20")
    ok(relance("log", "Morel", "letter"))
    monkeypatch.setenv("RELANCE_TODAY", "2026-11-23")


def test_agenda_lists_the_week_by_date(week: None, relance: Relance) -> None:
    assert ok(relance("agenda")).out.splitlines() == [
        "2026-11-24  action      Petit   instalment notice",
        "2026-11-26  promise     Durand  promised €300.00",
        "2026-11-27  instalment  Petit   instalment 1 €300.00",
        "2026-11-27  action      Durand  check promise",
        "2026-11-28  deadline    Morel   deadline of the letter of 2026-11-20",
    ]
    lines = ok(relance("agenda", "--json")).json()
    assert [(line["on"], line["kind"], line["client"]) for line in lines] == [
        ("2026-11-24", "action", "Petit"),
        ("2026-11-26", "promise", "Durand"),
        ("2026-11-27", "instalment", "Petit"),
        ("2026-11-27", "action", "Durand"),
        ("2026-11-28", "deadline", "Morel"),
    ]
    assert lines[1] == {
        "on": "2026-11-26",
        "kind": "promise",
        "client_id": 1,
        "client": "Durand",
        "what": "promised €300.00",
        "amount": "300.00",
        "currency": "EUR",
    }


def test_days_narrows_and_widens_the_window(week: None, relance: Relance) -> None:
    assert [line["on"] for line in ok(relance("agenda", "--days", "3", "--json")).json()] == [
        "2026-11-24"
    ]
    one_day = ok(relance("agenda", "--days", "1")).out
    assert one_day == "Nothing due in the next 1 days.\n"
    # A month ahead reaches Morel's mediation, planned once the notice's 15 days have passed.
    month = ok(relance("agenda", "--days", "30", "--json")).json()
    assert ("2026-12-07", "action", "Morel", "mediation") in [
        (line["on"], line["kind"], line["client"], line["what"]) for line in month
    ]


@pytest.mark.parametrize("days", ["0", "367", "-1", "week", ""])
def test_a_bad_number_of_days_is_one_line_and_exit_2(
    week: None, relance: Relance, days: str
) -> None:
    run = relance("agenda", "--days", days)
    assert (run.status, run.out) == (2, "")
    assert "days must be a whole number from 1 to 366" in run.err
    assert run.err.count("\n") == 1
