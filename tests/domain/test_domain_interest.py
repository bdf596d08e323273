"""Late interest: worked examples for every jurisdiction, each with its hand calculation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from relance.domain.interest import late_interest
from relance.domain.jurisdictions import jurisdiction
from relance.domain.rates import RateOrigin, RatePeriod
from relance.law_rates import rate_table

RATES = rate_table()
FR_B2B = jurisdiction("fr-b2b")


def test_france_b2b_delay_crossing_a_half_year() -> None:
    # 10 000.00 EUR due 2025-05-15, paid 2025-08-20 (97 days late):
    # 2025-05-16..2025-06-30: 46 days at 3.15 + 10 = 13.15 %:
    #   10 000 × 13.15 % × 46 / 365 = 165.7260… → 165.73
    # 2025-07-01..2025-08-20: 51 days at 2.15 + 10 = 12.15 %:
    #   10 000 × 12.15 % × 51 / 365 = 169.7671… → 169.77
    # total 335.50; both ECB rates are derived, so both pieces are flagged.
    result = late_interest(1_000_000, date(2025, 5, 15), date(2025, 8, 20), FR_B2B, RATES)
    assert result.days_late == 97
    assert [(p.start, p.end, p.days, p.rate, p.interest) for p in result.pieces] == [
        (date(2025, 5, 16), date(2025, 6, 30), 46, Decimal("13.15"), 16573),
        (date(2025, 7, 1), date(2025, 8, 20), 51, Decimal("12.15"), 16977),
    ]
    assert result.interest == 33550
    assert result.flagged
    assert all("derived" in p.reason for p in result.pieces)
    assert result.warnings == ()


def test_until_is_today_when_unpaid() -> None:
    # Same invoice still open on 2025-08-20: the same interest as paid that day.
    paid = late_interest(
        1_000_000,
        date(2025, 5, 15),
        date(2025, 12, 1),
        FR_B2B,
        RATES,
        payments=[(date(2025, 8, 20), 1_000_000)],
    )
    open_ = late_interest(1_000_000, date(2025, 5, 15), date(2025, 8, 20), FR_B2B, RATES)
    assert paid == open_


def test_partial_payments_reduce_the_base_from_their_date() -> None:
    # 5 000.00 due 2024-03-31; 2 000.00 paid 2024-04-30, 3 000.00 paid 2024-05-31; 14.50 %:
    # 2024-04-01..2024-04-30: 30 days on 5 000: 5 000 × 14.5 % × 30 / 365 = 59.589… → 59.59
    # 2024-05-01..2024-05-31: 31 days on 3 000: 3 000 × 14.5 % × 31 / 365 = 36.945… → 36.95
    # total 96.54; 2024 H1 is a statutory rate: nothing flagged.
    result = late_interest(
        500_000,
        date(2024, 3, 31),
        date(2024, 12, 31),
        FR_B2B,
        RATES,
        payments=[(date(2024, 5, 31), 300_000), (date(2024, 4, 30), 200_000)],
    )
    assert [(p.start, p.end, p.base, p.interest) for p in result.pieces] == [
        (date(2024, 4, 1), date(2024, 4, 30), 500_000, 5959),
        (date(2024, 5, 1), date(2024, 5, 31), 300_000, 3695),
    ]
    assert result.interest == 9654
    assert result.days_late == 61
    assert not result.flagged


def test_paid_before_the_due_date_owes_nothing() -> None:
    result = late_interest(
        1_000_000,
        date(2025, 5, 15),
        date(2025, 8, 20),
        FR_B2B,
        RATES,
        payments=[(date(2025, 5, 10), 1_000_000)],
    )
    assert result.pieces == ()
    assert result.interest == 0
    assert result.days_late == 0


def test_a_payment_before_the_due_date_lowers_the_whole_base() -> None:
    # 1 000.00 due 2024-03-31 with 400.00 paid early: 30 days on 600 at 14.5 % =
    # 600 × 14.5 % × 30 / 365 = 7.150… → 7.15
    result = late_interest(
        100_000,
        date(2024, 3, 31),
        date(2024, 4, 30),
        FR_B2B,
        RATES,
        payments=[(date(2024, 3, 1), 40_000)],
    )
    assert [(p.base, p.interest) for p in result.pieces] == [(60_000, 715)]


def test_leap_year_still_divides_by_365() -> None:
    # 1 000.00 due 2024-02-27 paid 2024-03-01: 28 Feb, 29 Feb, 1 Mar = 3 days at 14.5 %:
    # 1 000 × 14.5 % × 3 / 365 = 1.1917… → 1.19
    result = late_interest(100_000, date(2024, 2, 27), date(2024, 3, 1), FR_B2B, RATES)
    assert result.days_late == 3
    assert result.interest == 119


def test_a_whole_leap_half_year_is_182_days_over_365() -> None:
    # 36 500.00 due 2023-12-31, paid 2024-06-30: 182 days (29 February included) at 14.5 %:
    # 36 500 × 14.5 % × 182 / 365 = 2 639.00 exactly (not 182 / 366).
    result = late_interest(3_650_000, date(2023, 12, 31), date(2024, 6, 30), FR_B2B, RATES)
    assert [p.days for p in result.pieces] == [182]
    assert result.interest == 263_900


def test_eu_default_is_ecb_plus_8_split_by_half_year() -> None:
    # 10 000.00 due 2025-05-15 paid 2025-08-20 under the directive default:
    # 46 days at 3.15 + 8 = 11.15 %: 1 000 000 × 11.15 × 46 / 36 500 = 14 052.05 minor → 140.52
    # 51 days at 2.15 + 8 = 10.15 %: 1 000 000 × 10.15 × 51 / 36 500 = 14 182.19 minor → 141.82
    # total 282.34
    result = late_interest(
        1_000_000, date(2025, 5, 15), date(2025, 8, 20), jurisdiction("eu-b2b"), RATES
    )
    assert [(p.rate, p.interest) for p in result.pieces] == [
        (Decimal("11.15"), 14052),
        (Decimal("10.15"), 14182),
    ]
    assert result.interest == 28234


def test_uk_one_rate_fixed_before_the_debt_became_late() -> None:
    # 5 000.00 GBP due 2025-03-10, paid 2025-09-10: late from 2025-03-11, so the Bank Rate of
    # 31 December 2024 (4.75 %) + 8 = 12.75 % for the whole 184 days, across 1 July:
    # 500 000 × 12.75 × 184 / 36 500 = 32 136.99 minor → 321.37
    result = late_interest(
        500_000, date(2025, 3, 10), date(2025, 9, 10), jurisdiction("uk-b2b"), RATES
    )
    assert [(p.start, p.end, p.days, p.rate) for p in result.pieces] == [
        (date(2025, 3, 11), date(2025, 9, 10), 184, Decimal("12.75"))
    ]
    assert result.interest == 32137
    assert result.flagged  # the Bank Rate table is derived from change dates


def test_france_consumer_interest_runs_from_the_formal_notice() -> None:
    # 2 000.00 due 2025-06-01, formal notice 2025-09-15, still open 2025-10-15:
    # 2025-09-16..2025-10-15 = 30 days at the legal rate 2025 H2 (professional) 2.76 %:
    # 200 000 × 2.76 × 30 / 36 500 = 453.70 minor → 4.54
    result = late_interest(
        200_000,
        date(2025, 6, 1),
        date(2025, 10, 15),
        jurisdiction("fr-b2c"),
        RATES,
        formal_notice_on=date(2025, 9, 15),
    )
    assert [(p.start, p.days, p.rate) for p in result.pieces] == [
        (date(2025, 9, 16), 30, Decimal("2.76"))
    ]
    assert result.interest == 454
    assert result.days_late == 136


def test_france_consumer_without_formal_notice_owes_no_interest() -> None:
    result = late_interest(
        200_000, date(2025, 6, 1), date(2025, 10, 15), jurisdiction("fr-b2c"), RATES
    )
    assert result.interest == 0
    assert result.days_late == 136
    assert any("formal notice" in w for w in result.warnings)


def test_france_consumer_ignores_a_contract_rate() -> None:
    result = late_interest(
        200_000,
        date(2025, 6, 1),
        date(2025, 10, 15),
        jurisdiction("fr-b2c"),
        RATES,
        contract_rate=Decimal(20),
        formal_notice_on=date(2025, 9, 15),
    )
    assert result.interest == 454
    assert any("does not apply" in w for w in result.warnings)


def test_us_has_no_statutory_interest() -> None:
    result = late_interest(100_000, date(2025, 1, 31), date(2025, 3, 2), jurisdiction("us"), RATES)
    assert result.interest == 0
    assert result.days_late == 30
    assert any("contract rate" in w for w in result.warnings)


def test_us_contract_rate_is_one_piece_across_half_years() -> None:
    # 1 000.00 USD due 2025-06-15, paid 2025-07-15 at an agreed 18 %: 30 days, one piece:
    # 100 000 × 18 × 30 / 36 500 = 1 479.45 minor → 14.79
    result = late_interest(
        100_000,
        date(2025, 6, 15),
        date(2025, 7, 15),
        jurisdiction("us"),
        RATES,
        contract_rate=Decimal(18),
    )
    assert [(p.days, p.interest) for p in result.pieces] == [(30, 1479)]
    assert result.warnings == ()


def test_contract_rate_below_three_times_the_legal_rate_warns() -> None:
    # 2025 H2 legal rate 2.76 %: the floor is 3 × 2.76 = 8.28 %; 5 % is below it.
    # 1 000.00 due 2025-07-31, 31 days at 5 %: 100 000 × 5 × 31 / 36 500 = 424.66 → 4.25
    result = late_interest(
        100_000,
        date(2025, 7, 31),
        date(2025, 8, 31),
        FR_B2B,
        RATES,
        contract_rate=Decimal(5),
    )
    assert result.interest == 425
    assert len(result.warnings) == 1
    assert "8.28 %" in result.warnings[0]
    fine = late_interest(
        100_000,
        date(2025, 7, 31),
        date(2025, 8, 31),
        FR_B2B,
        RATES,
        contract_rate=Decimal(9),
    )
    assert fine.warnings == ()


def test_a_missing_rate_uses_the_latest_known_value_and_flags_it() -> None:
    # 2026 H2 is not in the table: the latest ECB rate (2026 H1, 2.15) + 10 = 12.15 % is used.
    # 1 000.00 due 2026-06-30, open on 2026-07-31: 31 days:
    # 100 000 × 12.15 × 31 / 36 500 = 1 031.92 minor → 10.32
    result = late_interest(100_000, date(2026, 6, 30), date(2026, 7, 31), FR_B2B, RATES)
    (piece,) = result.pieces
    assert piece.rate == Decimal("12.15")
    assert piece.interest == 1032
    assert piece.flagged
    assert "no ecb-mro rate after 2026-06-30" in piece.reason


def test_one_gap_is_flagged_once_even_over_several_pieces() -> None:
    # A partial payment cuts the delay in two pieces, both in the missing 2026 H2.
    result = late_interest(
        100_000,
        date(2026, 6, 30),
        date(2026, 9, 30),
        FR_B2B,
        RATES,
        payments=[(date(2026, 8, 15), 50_000)],
    )
    assert len(result.pieces) == 2
    assert all(piece.flagged for piece in result.pieces)
    assert len(result.flags) == 1


def test_a_user_rate_fills_the_gap_without_a_flag() -> None:
    user = RatePeriod(
        "ecb-mro", date(2026, 7, 1), date(2026, 12, 31), Decimal("2.00"), RateOrigin.USER
    )
    rates = rate_table((user,))
    # 100 000 × 12.00 × 31 / 36 500 = 1 019.18 minor → 10.19
    result = late_interest(100_000, date(2026, 6, 30), date(2026, 7, 31), FR_B2B, rates)
    (piece,) = result.pieces
    assert (piece.rate, piece.interest, piece.flagged) == (Decimal("12.00"), 1019, False)


days = st.integers(min_value=0, max_value=1500)
amounts = st.integers(min_value=1, max_value=10**11)
due_dates = st.dates(min_value=date(2023, 6, 1), max_value=date(2027, 6, 30))
regimes = st.sampled_from(["fr-b2b", "eu-b2b", "uk-b2b"])


@given(amounts, due_dates, days, days, st.integers(min_value=0, max_value=10**11), regimes)
def test_interest_is_never_negative_and_grows_with_days(
    amount: int, due: date, first: int, more: int, paid: int, code: str
) -> None:
    regime = jurisdiction(code)
    payments = [(due + timedelta(days=first // 2), paid)]
    shorter = late_interest(
        amount, due, due + timedelta(days=first), regime, RATES, payments=payments
    )
    longer = late_interest(
        amount, due, due + timedelta(days=first + more), regime, RATES, payments=payments
    )
    assert shorter.interest >= 0
    assert longer.interest >= shorter.interest


@given(amounts, due_dates, days, days, st.sampled_from(["fr-b2b", "eu-b2b"]))
def test_splitting_a_delay_in_two_keeps_the_total_within_a_cent(
    amount: int, due: date, first: int, second: int, code: str
) -> None:
    regime = jurisdiction(code)
    split = due + timedelta(days=first)
    end = split + timedelta(days=second)
    whole = late_interest(amount, due, end, regime, RATES)
    head = late_interest(amount, due, split, regime, RATES)
    tail = late_interest(amount, split, end, regime, RATES)
    extra_pieces = len(head.pieces) + len(tail.pieces) - len(whole.pieces)
    assert abs(head.interest + tail.interest - whole.interest) <= max(extra_pieces, 0)


@given(amounts, due_dates, days, days, regimes)
def test_zero_when_paid_on_time(amount: int, due: date, early: int, later: int, code: str) -> None:
    result = late_interest(
        amount,
        due,
        due + timedelta(days=later),
        jurisdiction(code),
        RATES,
        payments=[(due - timedelta(days=early), amount)],
    )
    assert result.interest == 0
    assert result.days_late == 0
