"""`relance calc penalty` and `relance rates`: figures as decimal strings, refusals on one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_fixtures import Relance, Run, ok

FR_EXAMPLE = ("--amount", "10000", "--due", "2025-05-15", "--jurisdiction", "fr-b2b")


def refused(run: Run, *words: str) -> None:
    """Assert a run was refused as bad input with one line naming ``words``."""
    assert run.status == 2
    assert run.out == ""
    assert run.err.count("\n") == 1
    for word in words:
        assert word in run.err


def test_penalty_json_across_a_half_year_without_any_database(relance: Relance) -> None:
    # 10 000.00 EUR due 2025-05-15 paid 2025-08-20: 46 days at 13.15 % = 165.73 and
    # 51 days at 12.15 % = 169.77 (see test_domain_interest), + 40.00 EUR = 375.50.
    record = ok(relance("calc", "penalty", *FR_EXAMPLE, "--paid-on", "2025-08-20", "--json")).json()
    assert record["days_late"] == 97
    assert record["rate"] is None
    assert [
        (p["from"], p["to"], p["days"], p["rate"], p["interest"]) for p in record["periods"]
    ] == [
        ("2025-05-16", "2025-06-30", 46, "13.15", "165.73"),
        ("2025-07-01", "2025-08-20", 51, "12.15", "169.77"),
    ]
    assert (record["interest"], record["fixed_compensation"], record["total"]) == (
        "335.50",
        "40.00",
        "375.50",
    )
    assert len(record["flags"]) == 2
    assert record["warnings"] == []
    assert not Path(os.environ["RELANCE_DB"]).exists()


def test_penalty_for_people(relance: Relance) -> None:
    out = ok(relance("calc", "penalty", *FR_EXAMPLE, "--paid-on", "2025-08-20")).out
    assert "days_late           97" in out
    assert "interest            335.50 EUR" in out
    assert "total               375.50 EUR" in out
    assert "derived" in out


def test_penalty_runs_to_today_or_as_of(relance: Relance) -> None:
    # Open on 2025-08-20 (--as-of): the same figures as paid that day.
    as_of = ok(relance("calc", "penalty", *FR_EXAMPLE, "--as-of", "2025-08-20", "--json")).json()
    assert as_of["total"] == "375.50"
    # Open on the fixed day 2026-11-23: 2026 H2 lacks a rate, so the output flags it.
    today = ok(relance("calc", "penalty", *FR_EXAMPLE, "--json")).json()
    assert today["days_late"] == 557
    assert any("no ecb-mro rate after 2026-06-30" in flag for flag in today["flags"])


def test_partial_payment_on_a_date(relance: Relance) -> None:
    # 5 000.00 due 2024-03-31, 2 000.00 paid 2024-04-30, as of 2024-05-31, 14.50 %:
    # 30 days on 5 000 = 59.59; 31 days on 3 000 = 36.95; interest 96.54, + 40 = 136.54.
    record = ok(
        relance(
            "calc",
            "penalty",
            "--amount",
            "5000",
            "--due",
            "2024-03-31",
            "--paid",
            "2000",
            "--paid-on",
            "2024-04-30",
            "--as-of",
            "2024-05-31",
            "--jurisdiction",
            "fr-b2b",
            "--json",
        )
    ).json()
    assert [p["base"] for p in record["periods"]] == ["5000.00", "3000.00"]
    assert record["rate"] == "14.50"
    assert (record["interest"], record["total"]) == ("96.54", "136.54")


def test_paid_without_a_date_lowers_the_base_from_the_due_date(relance: Relance) -> None:
    # 1 000.00 with 400.00 paid by the due date 2024-03-31, as of 2024-04-30: 30 days on 600
    # at 14.5 % = 7.15.
    record = ok(
        relance(
            "calc",
            "penalty",
            "--amount",
            "1000",
            "--due",
            "2024-03-31",
            "--paid",
            "400",
            "--as-of",
            "2024-04-30",
            "--jurisdiction",
            "fr-b2b",
            "--json",
        )
    ).json()
    assert record["interest"] == "7.15"


def test_as_of_before_the_due_date_owes_nothing(relance: Relance) -> None:
    record = ok(relance("calc", "penalty", *FR_EXAMPLE, "--as-of", "2025-01-01", "--json")).json()
    assert (record["days_late"], record["interest"], record["total"]) == (0, "0.00", "0.00")


def test_paid_on_time_owes_nothing(relance: Relance) -> None:
    record = ok(relance("calc", "penalty", *FR_EXAMPLE, "--paid-on", "2025-05-15", "--json")).json()
    assert (record["days_late"], record["interest"], record["total"]) == (0, "0.00", "0.00")
    assert record["fixed_compensation"] == "0.00"


def test_uk_one_rate_and_size_fee(relance: Relance) -> None:
    # 5 000.00 GBP due 2025-03-10 paid 2025-09-10: 184 days at 4.75 + 8 = 12.75 % = 321.37;
    # fee 70 GBP (1 000 ≤ 5 000 < 10 000); total 391.37.
    record = ok(
        relance(
            "calc",
            "penalty",
            "--amount",
            "5000",
            "--due",
            "2025-03-10",
            "--paid-on",
            "2025-09-10",
            "--jurisdiction",
            "uk-b2b",
            "--json",
        )
    ).json()
    assert (record["rate"], record["interest"], record["fixed_compensation"]) == (
        "12.75",
        "321.37",
        "70.00",
    )
    assert (record["currency"], record["total"]) == ("GBP", "391.37")


def test_consumer_interest_from_the_notice(relance: Relance) -> None:
    # 2 000.00 due 2025-06-01, notice 2025-09-15, as of 2025-10-15: 30 days at 2.76 % = 4.54.
    base = ("calc", "penalty", "--amount", "2000", "--due", "2025-06-01", "--as-of", "2025-10-15")
    record = ok(
        relance(*base, "--jurisdiction", "fr-b2c", "--notice", "2025-09-15", "--json")
    ).json()
    assert (record["interest"], record["fixed_compensation"], record["total"]) == (
        "4.54",
        "0.00",
        "4.54",
    )
    without = ok(relance(*base, "--jurisdiction", "fr-b2c", "--json")).json()
    assert without["interest"] == "0.00"
    assert any("formal notice" in w for w in without["warnings"])


def test_us_contract_rate(relance: Relance) -> None:
    # 1 000.00 USD due 2025-01-31 paid 2025-03-02 at 18 %: 30 days = 14.79, no fee.
    record = ok(
        relance(
            "calc",
            "penalty",
            "--amount",
            "1000",
            "--due",
            "2025-01-31",
            "--paid-on",
            "2025-03-02",
            "--jurisdiction",
            "us",
            "--rate",
            "18",
            "--json",
        )
    ).json()
    assert (record["rate"], record["interest"], record["total"]) == ("18", "14.79", "14.79")


def test_contract_rate_below_the_floor_warns(relance: Relance) -> None:
    run = ok(
        relance(
            "calc",
            "penalty",
            "--amount",
            "1000",
            "--due",
            "2025-07-31",
            "--as-of",
            "2025-08-31",
            "--jurisdiction",
            "fr-b2b",
            "--rate",
            "5",
        )
    )
    assert "warning: contract rate 5 % is below 3 × the legal rate" in run.out


def test_fee_in_another_currency_is_left_out_of_the_total(relance: Relance) -> None:
    record = ok(
        relance(
            "calc", "penalty", *FR_EXAMPLE, "--paid-on", "2025-08-20", "--currency", "usd", "--json"
        )
    ).json()
    assert (record["currency"], record["total"]) == ("USD", "335.50")
    assert any("40.00 EUR" in w for w in record["warnings"])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--amount", "abc", "--due", "2025-01-01", "--jurisdiction", "fr-b2b"), ["--amount"]),
        (("--amount", "-5", "--due", "2025-01-01", "--jurisdiction", "fr-b2b"), ["--amount"]),
        (("--amount", "5", "--due", "2025-13-01", "--jurisdiction", "fr-b2b"), ["--due"]),
        (("--amount", "5", "--due", "2025-01-01", "--jurisdiction", "mars"), ["mars"]),
        (
            ("--amount", "5", "--due", "2025-01-01", "--jurisdiction", "us", "--rate", "x"),
            ["--rate"],
        ),
        (
            ("--amount", "5", "--due", "2025-01-01", "--jurisdiction", "us", "--paid", "6"),
            ["--paid"],
        ),
        (
            ("--amount", "5", "--due", "2025-01-01", "--jurisdiction", "us", "--currency", "x"),
            ["--currency"],
        ),
        (("--amount", "5", "--jurisdiction", "us"), ["--due"]),
        (("--amount", "5", "--due", "9999-12-31", "--jurisdiction", "fr-b2b"), ["out of range"]),
        (
            (
                "--amount",
                "5",
                "--due",
                "2025-01-01",
                "--jurisdiction",
                "fr-b2b",
                "--as-of",
                "0001-01-01",
            ),
            ["--as-of"],
        ),
    ],
)
def test_penalty_refuses_bad_input(
    relance: Relance, args: tuple[str, ...], words: list[str]
) -> None:
    refused(relance("calc", "penalty", *args), *words)


def test_rates_list_without_a_book_shows_the_shipped_table(relance: Relance) -> None:
    rows = ok(relance("rates", "list", "--series", "ecb-mro", "--json")).json()
    # Every half-year from 2000 H1 to 2026 H1, oldest first.
    assert len(rows) == 53
    assert (rows[0]["valid_from"], rows[0]["rate"]) == ("2000-01-01", "3.00")
    assert [(r["valid_from"], r["rate"], r["origin"]) for r in rows[-5:]] == [
        ("2024-01-01", "4.50", "statutory"),
        ("2024-07-01", "4.25", "statutory"),
        ("2025-01-01", "3.15", "derived"),
        ("2025-07-01", "2.15", "derived"),
        ("2026-01-01", "2.15", "derived"),
    ]
    assert not Path(os.environ["RELANCE_DB"]).exists()
    assert "boe-bank-rate" in ok(relance("rates", "list")).out


def test_rates_add_fills_the_gap_and_calc_uses_it(relance: Relance) -> None:
    ok(relance("init"))
    out = ok(
        relance(
            "rates",
            "add",
            "ecb-mro",
            "--from",
            "2026-07-01",
            "--to",
            "2026-12-31",
            "--rate",
            "2.00",
            "--note",
            "ECB press release",
        )
    ).out
    assert "added ecb-mro 2.00 %" in out
    rows = ok(relance("rates", "list", "--series", "ecb-mro", "--json")).json()
    assert rows[-1] == {
        "series": "ecb-mro",
        "valid_from": "2026-07-01",
        "valid_to": "2026-12-31",
        "rate": "2.00",
        "origin": "user",
        "note": "ECB press release",
    }
    # 1 000.00 due 2026-06-30, open on 2026-07-31: 31 days at 2.00 + 10 = 12.00 % = 10.19.
    record = ok(
        relance(
            "calc",
            "penalty",
            "--amount",
            "1000",
            "--due",
            "2026-06-30",
            "--as-of",
            "2026-07-31",
            "--jurisdiction",
            "fr-b2b",
            "--json",
        )
    ).json()
    assert (record["rate"], record["interest"], record["flags"]) == ("12.00", "10.19", [])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("ecb-mro", "--from", "2026-07-01", "--to", "2026-12-31", "--rate", "-1"), ["--rate"]),
        (("ecb-mro", "--from", "2026-07-01", "--to", "2026-12-31", "--rate", "2,1"), ["--rate"]),
        (("ecb-mro", "--from", "2026-07-01", "--to", "2026-06-30", "--rate", "2"), ["--to"]),
        (("ecb-mro", "--from", "2026-02-30", "--to", "2026-12-31", "--rate", "2"), ["--from"]),
        (("libor", "--from", "2026-07-01", "--to", "2026-12-31", "--rate", "2"), ["libor"]),
        (("ecb-mro", "--from", "2026-09-01", "--to", "2027-03-31", "--rate", "2"), ["already"]),
    ],
)
def test_rates_add_refuses(relance: Relance, args: tuple[str, ...], words: list[str]) -> None:
    ok(relance("init"))
    ok(
        relance(
            "rates", "add", "ecb-mro", "--from", "2026-07-01", "--to", "2026-12-31", "--rate", "2"
        )
    )
    refused(relance("rates", "add", *args), *words)
    rows = ok(relance("rates", "list", "--json")).json()
    assert [r for r in rows if r["origin"] == "user"] == [
        {
            "series": "ecb-mro",
            "valid_from": "2026-07-01",
            "valid_to": "2026-12-31",
            "rate": "2",
            "origin": "user",
            "note": "",
        }
    ]


def test_rates_add_needs_a_book(relance: Relance, tmp_path: Path) -> None:
    run = relance(
        "rates", "add", "ecb-mro", "--from", "2026-07-01", "--to", "2026-12-31", "--rate", "2"
    )
    assert run.status == 1
    assert "no relance database" in run.err
    assert not Path(os.environ["RELANCE_DB"]).exists()


def test_rates_list_refuses_an_unknown_series(relance: Relance) -> None:
    refused(relance("rates", "list", "--series", "libor"), "libor")


def test_help_names_the_law_commands(relance: Relance) -> None:
    out = ok(relance("--help")).out
    assert "calc" in out
    assert "rates" in out
    words = " ".join(ok(relance("calc", "penalty", "--help")).out.split())
    assert "--paid-on alone means paid in full that day" in words
