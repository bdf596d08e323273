"""The rate table: lookups, flags for derived and missing rates, user periods, the shipped data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest

from relance.domain.rates import (
    MissingRate,
    RateError,
    RateOrigin,
    RatePeriod,
    RateTable,
    half_year_of,
    parse_percent,
)
from relance.law_rates import rate_table, shipped_rates

H1 = RatePeriod("s", date(2025, 1, 1), date(2025, 6, 30), Decimal("3.15"), RateOrigin.STATUTORY)
H2 = RatePeriod("s", date(2025, 7, 1), date(2025, 12, 31), Decimal("2.15"), RateOrigin.DERIVED)


def test_a_covered_statutory_day_is_not_flagged() -> None:
    found = RateTable([H1, H2]).lookup("s", date(2025, 6, 30))
    assert (found.rate, found.flagged, found.reason) == (Decimal("3.15"), False, "")


def test_a_derived_rate_is_flagged_with_its_reason() -> None:
    found = RateTable([H1, H2]).lookup("s", date(2025, 7, 1))
    assert found.rate == Decimal("2.15")
    assert found.flagged
    assert "derived" in found.reason


def test_a_day_after_the_table_uses_the_latest_value_flagged() -> None:
    found = RateTable([H2, H1]).lookup("s", date(2026, 8, 1))
    assert found.rate == Decimal("2.15")
    assert found.flagged
    assert "no s rate after 2025-12-31" in found.reason
    assert "2025-07-01..2025-12-31" in found.reason


def test_a_day_before_the_table_uses_its_first_value_flagged() -> None:
    found = RateTable([H1, H2]).lookup("s", date(2020, 1, 1))
    assert (found.rate, found.flagged) == (Decimal("3.15"), True)
    assert "no s rate before 2025-01-01" in found.reason


def test_a_user_period_wins_on_its_days() -> None:
    mine = RatePeriod("s", date(2025, 7, 1), date(2025, 9, 30), Decimal("2.00"), RateOrigin.USER)
    table = RateTable([H1, H2, mine])
    assert table.lookup("s", date(2025, 8, 1)).rate == Decimal("2.00")
    assert not table.lookup("s", date(2025, 8, 1)).flagged
    assert table.lookup("s", date(2025, 10, 1)).rate == Decimal("2.15")


def test_an_unknown_series_is_missing() -> None:
    with pytest.raises(MissingRate):
        RateTable([H1]).lookup("other", date(2025, 1, 1))


def test_overlaps_only_within_a_series() -> None:
    other = RatePeriod("t", date(2025, 1, 1), date(2025, 1, 2), Decimal(1), RateOrigin.USER)
    assert not H1.overlaps(H2)
    assert not H1.overlaps(other)
    assert H1.overlaps(RatePeriod("s", date(2025, 6, 30), date(2025, 7, 5), Decimal(1), H1.origin))


@pytest.mark.parametrize(("text", "rate"), [("3.15", "3.15"), (" 12 ", "12"), ("2.5%", "2.5")])
def test_parse_percent(text: str, rate: str) -> None:
    assert parse_percent(text) == Decimal(rate)


@pytest.mark.parametrize("text", ["-1", "abc", "", "1e3", "3,15", "1.23456", "nan"])
def test_parse_percent_refuses(text: str) -> None:
    with pytest.raises(RateError):
        parse_percent(text)


def test_half_year_of() -> None:
    assert half_year_of(date(2024, 2, 29)) == (date(2024, 1, 1), date(2024, 6, 30))
    assert half_year_of(date(2024, 7, 1)) == (date(2024, 7, 1), date(2024, 12, 31))


@pytest.mark.parametrize(
    ("series", "day", "rate", "origin"),
    [
        ("ecb-mro", date(2024, 1, 1), "4.50", RateOrigin.STATUTORY),
        ("ecb-mro", date(2024, 12, 31), "4.25", RateOrigin.STATUTORY),
        ("ecb-mro", date(2025, 3, 1), "3.15", RateOrigin.DERIVED),
        ("ecb-mro", date(2025, 7, 1), "2.15", RateOrigin.DERIVED),
        ("ecb-mro", date(2026, 6, 30), "2.15", RateOrigin.DERIVED),
        ("fr-legal-pro", date(2024, 1, 1), "5.07", RateOrigin.STATUTORY),
        ("fr-legal-pro", date(2024, 7, 1), "4.92", RateOrigin.STATUTORY),
        ("fr-legal-pro", date(2025, 1, 1), "3.71", RateOrigin.STATUTORY),
        ("fr-legal-pro", date(2025, 7, 1), "2.76", RateOrigin.STATUTORY),
        ("fr-legal-pro", date(2026, 1, 1), "2.62", RateOrigin.STATUTORY),
        ("fr-legal-individual", date(2024, 1, 1), "8.01", RateOrigin.STATUTORY),
        ("fr-legal-individual", date(2024, 7, 1), "8.16", RateOrigin.STATUTORY),
        ("fr-legal-individual", date(2025, 1, 1), "7.21", RateOrigin.STATUTORY),
        ("fr-legal-individual", date(2025, 7, 1), "6.65", RateOrigin.STATUTORY),
        ("fr-legal-individual", date(2026, 1, 1), "6.67", RateOrigin.STATUTORY),
        ("boe-bank-rate", date(2024, 1, 1), "5.25", RateOrigin.DERIVED),
        ("boe-bank-rate", date(2024, 7, 1), "5.25", RateOrigin.DERIVED),
        ("boe-bank-rate", date(2025, 1, 1), "4.75", RateOrigin.DERIVED),
        ("boe-bank-rate", date(2025, 7, 1), "4.25", RateOrigin.DERIVED),
        ("boe-bank-rate", date(2026, 1, 1), "3.75", RateOrigin.DERIVED),
    ],
)
def test_the_shipped_table_holds_every_rate_of_the_reference(
    series: str, day: date, rate: str, origin: RateOrigin
) -> None:
    found = rate_table().lookup(series, day)
    assert found.rate == Decimal(rate)
    assert found.period.origin == origin
    assert found.period.note


@pytest.mark.parametrize(
    ("series", "day", "rate", "origin"),
    [
        # ECB MRO in force on 1 January / 1 July (ECB key interest rates).
        ("ecb-mro", date(2000, 1, 1), "3.00", RateOrigin.STATUTORY),
        ("ecb-mro", date(2001, 7, 1), "4.50", RateOrigin.DERIVED),
        ("ecb-mro", date(2008, 7, 1), "4.00", RateOrigin.STATUTORY),
        ("ecb-mro", date(2009, 1, 1), "2.50", RateOrigin.STATUTORY),
        ("ecb-mro", date(2012, 1, 1), "1.00", RateOrigin.STATUTORY),
        ("ecb-mro", date(2012, 7, 1), "1.00", RateOrigin.STATUTORY),
        ("ecb-mro", date(2016, 7, 1), "0.00", RateOrigin.STATUTORY),
        ("ecb-mro", date(2023, 7, 1), "4.00", RateOrigin.STATUTORY),
        # Bank Rate on the 31 December / 30 June before the half-year.
        ("boe-bank-rate", date(2008, 7, 1), "5.00", RateOrigin.DERIVED),
        ("boe-bank-rate", date(2009, 1, 1), "2.00", RateOrigin.DERIVED),
        ("boe-bank-rate", date(2020, 7, 1), "0.10", RateOrigin.DERIVED),
        ("boe-bank-rate", date(2023, 7, 1), "5.00", RateOrigin.DERIVED),
        # Taux de l'intérêt légal, from the semester's arrêté.
        ("fr-legal-pro", date(2015, 1, 1), "0.93", RateOrigin.STATUTORY),
        ("fr-legal-individual", date(2015, 1, 1), "4.06", RateOrigin.STATUTORY),
        ("fr-legal-pro", date(2023, 7, 1), "4.22", RateOrigin.STATUTORY),
        ("fr-legal-individual", date(2023, 7, 1), "6.82", RateOrigin.STATUTORY),
    ],
)
def test_the_shipped_table_reaches_back_to_older_debts(
    series: str, day: date, rate: str, origin: RateOrigin
) -> None:
    found = rate_table().lookup(series, day)
    assert (found.rate, found.period.origin) == (Decimal(rate), origin)
    assert found.period.valid_from == half_year_of(day)[0]
    assert found.period.note


# The first day each shipped series covers: the central banks from 2000, the French legal
# rate from 2015, when it became two rates fixed each semester.
FIRST_SHIPPED_DAY = {
    "ecb-mro": date(2000, 1, 1),
    "boe-bank-rate": date(2000, 1, 1),
    "fr-legal-pro": date(2015, 1, 1),
    "fr-legal-individual": date(2015, 1, 1),
}


def test_the_shipped_table_has_no_overlap_and_no_gap_and_stops_at_2026_h1() -> None:
    periods = shipped_rates()
    # 53 half-years for each central bank (2000 H1..2026 H1), 23 for each legal rate.
    assert len(periods) == 2 * 53 + 2 * 23
    assert {p.series for p in periods} == set(FIRST_SHIPPED_DAY)
    for series, first_day in FIRST_SHIPPED_DAY.items():
        own = sorted((p for p in periods if p.series == series), key=lambda p: p.valid_from)
        assert own[0].valid_from == first_day
        assert own[-1].valid_to == date(2026, 6, 30)
        for before, after in pairwise(own):
            assert (after.valid_from - before.valid_to).days == 1
            assert after.valid_from == half_year_of(after.valid_from)[0]


# The words by which each series' note names its published source.
SOURCE_WORDS = {
    "ecb-mro": "ECB",
    "boe-bank-rate": "Bank of England Bank Rate",
    "fr-legal-pro": "Journal officiel",
    "fr-legal-individual": "Journal officiel",
}


def test_every_shipped_period_names_its_source() -> None:
    for period in shipped_rates():
        assert SOURCE_WORDS[period.series] in period.note, period
        if period.origin == RateOrigin.DERIVED:
            assert "derived" in period.note or "not read from a source" in period.note, period
