"""Worked examples for debts from 2008, 2012, 2016 and 2020, each with its hand calculation.

Every figure is 10 000.00 × rate × days / 365, rounded half up to the cent once per piece.
France and the EU change rate with each half-year (the ECB rate in force on 1 January or
1 July); the UK Act fixes one rate for the whole delay (Bank Rate on the 30 June or
31 December before the debt became late); the US has no statutory rate.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from relance.domain.interest import late_interest
from relance.domain.jurisdictions import jurisdiction
from relance.law_rates import rate_table

RATES = rate_table()
AMOUNT = 1_000_000
Piece = tuple[date, date, int, str, int]


def pieces_of(code: str, due_on: date, paid_on: date) -> tuple[list[Piece], int, bool]:
    """The pieces (start, end, days, rate, interest), the total and the flag, paid on a day."""
    result = late_interest(AMOUNT, due_on, paid_on, jurisdiction(code), RATES)
    assert result.warnings == ()
    pieces = [(p.start, p.end, p.days, str(p.rate), p.interest) for p in result.pieces]
    return pieces, result.interest, result.flagged


# France (L441-10): ECB rate + 10 points, each half-year its own rate.
FRANCE = [
    pytest.param(
        # Due 2008-05-31, paid 2009-02-15; the ECB rate falls from 4.00 to 2.50 on 1 January:
        # 06-01..06-30:  30 days at 4.00 + 10 = 14 %: 10 000 × 14 % × 30 / 365 = 115.068 → 115.07
        # 07-01..12-31: 184 days at 4.00 + 10 = 14 %: 10 000 × 14 % × 184 / 365 = 705.753 → 705.75
        # 2009 01-01..02-15: 46 days at 2.50 + 10 = 12.50 %: × 46 / 365 = 157.534 → 157.53
        # total 978.35. (relance applies the LME's +10 points throughout: the loi NRE's +7
        # before 2009 is not modelled.)
        date(2008, 5, 31),
        date(2009, 2, 15),
        [
            (date(2008, 6, 1), date(2008, 6, 30), 30, "14.00", 11507),
            (date(2008, 7, 1), date(2008, 12, 31), 184, "14.00", 70575),
            (date(2009, 1, 1), date(2009, 2, 15), 46, "12.50", 15753),
        ],
        97835,
        id="2008",
    ),
    pytest.param(
        # Due 2012-06-15, paid 2013-08-10; ECB 1.00, 1.00 (the July 2012 cut comes after
        # 1 July), 0.75, 0.50:
        # 06-16..06-30:  15 days at 11.00 %: 10 000 × 11 % × 15 / 365 = 45.205 → 45.21
        # 07-01..12-31: 184 days at 11.00 %: 10 000 × 11 % × 184 / 365 = 554.521 → 554.52
        # 2013 H1:      181 days at 10.75 %: 10 000 × 10.75 % × 181 / 365 = 533.082 → 533.08
        # 07-01..08-10:  41 days at 10.50 %: 10 000 × 10.5 % × 41 / 365 = 117.945 → 117.95
        # total 1 250.76.
        date(2012, 6, 15),
        date(2013, 8, 10),
        [
            (date(2012, 6, 16), date(2012, 6, 30), 15, "11.00", 4521),
            (date(2012, 7, 1), date(2012, 12, 31), 184, "11.00", 55452),
            (date(2013, 1, 1), date(2013, 6, 30), 181, "10.75", 53308),
            (date(2013, 7, 1), date(2013, 8, 10), 41, "10.50", 11795),
        ],
        125076,
        id="2012",
    ),
    pytest.param(
        # Due 2016-05-31, paid 2016-09-30; ECB 0.05 on 1 January, 0.00 on 1 July:
        # 06-01..06-30: 30 days at 10.05 %: 10 000 × 10.05 % × 30 / 365 = 82.603 → 82.60
        # 07-01..09-30: 92 days at 10.00 %: 10 000 × 10 % × 92 / 365 = 252.055 → 252.05
        # total 334.65.
        date(2016, 5, 31),
        date(2016, 9, 30),
        [
            (date(2016, 6, 1), date(2016, 6, 30), 30, "10.05", 8260),
            (date(2016, 7, 1), date(2016, 9, 30), 92, "10.00", 25205),
        ],
        33465,
        id="2016",
    ),
    pytest.param(
        # Due 2020-05-01, paid 2020-08-31; ECB 0.00 on both dates, still two pieces:
        # 05-02..06-30: 60 days at 10 %: 10 000 × 10 % × 60 / 365 = 164.384 → 164.38
        # 07-01..08-31: 62 days at 10 %: 10 000 × 10 % × 62 / 365 = 169.863 → 169.86
        # total 334.24 (one piece of 122 days would give 334.2466 → 334.25).
        date(2020, 5, 1),
        date(2020, 8, 31),
        [
            (date(2020, 5, 2), date(2020, 6, 30), 60, "10.00", 16438),
            (date(2020, 7, 1), date(2020, 8, 31), 62, "10.00", 16986),
        ],
        33424,
        id="2020",
    ),
]


@pytest.mark.parametrize(("due_on", "paid_on", "pieces", "total"), FRANCE)
def test_france_older_debts(due_on: date, paid_on: date, pieces: list[Piece], total: int) -> None:
    # Every ECB rate used was read from the ECB's table: nothing is flagged.
    assert pieces_of("fr-b2b", due_on, paid_on) == (pieces, total, False)


# EU directive default: ECB rate + 8 points, the same half-years.
EU = [
    pytest.param(
        # 2008: 30 days at 12.00 %: 10 000 × 12 % × 30 / 365 = 98.630 → 98.63
        #      184 days at 12.00 %: 10 000 × 12 % × 184 / 365 = 604.932 → 604.93
        #  2009: 46 days at 10.50 %: 10 000 × 10.5 % × 46 / 365 = 132.329 → 132.33
        # total 835.89.
        date(2008, 5, 31),
        date(2009, 2, 15),
        [
            (date(2008, 6, 1), date(2008, 6, 30), 30, "12.00", 9863),
            (date(2008, 7, 1), date(2008, 12, 31), 184, "12.00", 60493),
            (date(2009, 1, 1), date(2009, 2, 15), 46, "10.50", 13233),
        ],
        83589,
        id="2008",
    ),
    pytest.param(
        # 2012: 15 days at 9 % = 36.986 → 36.99; 184 days at 9 % = 453.699 → 453.70;
        # 181 days at 8.75 % = 433.904 → 433.90; 41 days at 8.50 % = 95.479 → 95.48;
        # total 1 020.07.
        date(2012, 6, 15),
        date(2013, 8, 10),
        [
            (date(2012, 6, 16), date(2012, 6, 30), 15, "9.00", 3699),
            (date(2012, 7, 1), date(2012, 12, 31), 184, "9.00", 45370),
            (date(2013, 1, 1), date(2013, 6, 30), 181, "8.75", 43390),
            (date(2013, 7, 1), date(2013, 8, 10), 41, "8.50", 9548),
        ],
        102007,
        id="2012",
    ),
    pytest.param(
        # 2016: 30 days at 8.05 % = 66.164 → 66.16; 92 days at 8.00 % = 201.644 → 201.64;
        # total 267.80.
        date(2016, 5, 31),
        date(2016, 9, 30),
        [
            (date(2016, 6, 1), date(2016, 6, 30), 30, "8.05", 6616),
            (date(2016, 7, 1), date(2016, 9, 30), 92, "8.00", 20164),
        ],
        26780,
        id="2016",
    ),
    pytest.param(
        # 2020: 60 days at 8 % = 131.507 → 131.51; 62 days at 8 % = 135.890 → 135.89;
        # total 267.40.
        date(2020, 5, 1),
        date(2020, 8, 31),
        [
            (date(2020, 5, 2), date(2020, 6, 30), 60, "8.00", 13151),
            (date(2020, 7, 1), date(2020, 8, 31), 62, "8.00", 13589),
        ],
        26740,
        id="2020",
    ),
]


@pytest.mark.parametrize(("due_on", "paid_on", "pieces", "total"), EU)
def test_eu_older_debts(due_on: date, paid_on: date, pieces: list[Piece], total: int) -> None:
    assert pieces_of("eu-b2b", due_on, paid_on) == (pieces, total, False)


# UK Act: Bank Rate on the reference date before the debt became late, + 8, for the whole delay.
UK = [
    pytest.param(
        # Due 2008-06-30, late from 2008-07-01: Bank Rate on 30 June 2008 was 5.00 (13 %),
        # kept through the cuts of late 2008: 230 days: 10 000 × 13 % × 230 / 365 = 819.178 → 819.18
        date(2008, 6, 30),
        date(2009, 2, 15),
        [(date(2008, 7, 1), date(2009, 2, 15), 230, "13.00", 81918)],
        81918,
        id="2008",
    ),
    pytest.param(
        # Due 2012-06-15: Bank Rate on 31 December 2011 was 0.50 (8.50 %), one piece over the
        # new year: 421 days: 10 000 × 8.5 % × 421 / 365 = 980.411 → 980.41
        date(2012, 6, 15),
        date(2013, 8, 10),
        [(date(2012, 6, 16), date(2013, 8, 10), 421, "8.50", 98041)],
        98041,
        id="2012",
    ),
    pytest.param(
        # Due 2016-07-31: Bank Rate on 30 June 2016 was 0.50; the cut to 0.25 on 4 August
        # 2016 does not change it: 153 days at 8.50 %: × 153 / 365 = 356.301 → 356.30
        date(2016, 7, 31),
        date(2016, 12, 31),
        [(date(2016, 8, 1), date(2016, 12, 31), 153, "8.50", 35630)],
        35630,
        id="2016",
    ),
    pytest.param(
        # Due 2020-03-15: Bank Rate on 31 December 2019 was 0.75, the March 2020 cuts come
        # later: 199 days at 8.75 %: 10 000 × 8.75 % × 199 / 365 = 477.055 → 477.05
        date(2020, 3, 15),
        date(2020, 9, 30),
        [(date(2020, 3, 16), date(2020, 9, 30), 199, "8.75", 47705)],
        47705,
        id="2020-h1",
    ),
    pytest.param(
        # Due 2020-06-30, late from 1 July: Bank Rate on 30 June 2020 was 0.10 (8.10 %):
        # 92 days: 10 000 × 8.1 % × 92 / 365 = 204.164 → 204.16
        date(2020, 6, 30),
        date(2020, 9, 30),
        [(date(2020, 7, 1), date(2020, 9, 30), 92, "8.10", 20416)],
        20416,
        id="2020-h2",
    ),
]


@pytest.mark.parametrize(("due_on", "paid_on", "pieces", "total"), UK)
def test_uk_older_debts(due_on: date, paid_on: date, pieces: list[Piece], total: int) -> None:
    # The Bank Rate on a reference date is derived from its change dates: always flagged.
    assert pieces_of("uk-b2b", due_on, paid_on) == (pieces, total, True)


@pytest.mark.parametrize("year", [2008, 2012, 2016, 2020])
def test_us_charges_nothing_without_a_contract_rate(year: int) -> None:
    regime = jurisdiction("us")
    due_on = date(year, 5, 31)
    result = late_interest(AMOUNT, due_on, date(year + 1, 2, 15), regime, RATES)
    assert (result.interest, result.pieces) == (0, ())
    assert result.warnings == ("us: no statutory interest; only a contract rate applies",)
    # With a contract rate of 12 %: 260 days: 10 000 × 12 % × 260 / 365 = 854.79 (2008,
    # 2012 and 2016 count 260 days here too; 2020 as well: none of these spans has 29 February).
    agreed = late_interest(
        AMOUNT, due_on, date(year + 1, 2, 15), regime, RATES, contract_rate=Decimal(12)
    )
    assert agreed.interest == 85479
