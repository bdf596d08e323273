"""Money: parsing typed amounts, the machine and human forms, exact round trips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relance.domain.money import (
    MAX_MINOR,
    AmountError,
    decimal_string,
    format_money,
    format_totals,
    from_decimal,
    parse_amount,
    parse_currency,
    to_decimal,
)


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("1234.56", 123456),
        ("1234.5", 123450),
        ("1234", 123400),
        ("0.01", 1),
        ("0.1", 10),
        ("  42.00  ", 4200),
        ("007.07", 707),
        ("9999999999999.99", 999999999999999),
    ],
)
def test_parse_amount_reads_good_values(text: str, minor: int) -> None:
    assert parse_amount(text) == minor


@pytest.mark.parametrize("text", ["-1", "-0.01", " -12.50", "-0"])
def test_parse_amount_refuses_negative(text: str) -> None:
    with pytest.raises(AmountError, match="negative"):
        parse_amount(text)


@pytest.mark.parametrize("text", ["1.234", "0.001", "12.345678"])
def test_parse_amount_refuses_more_than_two_decimals(text: str) -> None:
    with pytest.raises(AmountError, match="more than two decimals"):
        parse_amount(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "abc",
        "1,50",
        "1 234.56",
        "1.",
        ".5",
        "1.2.3",
        "+5",
        "1e3",
        "12€",
        "€12",
        "0x10",
        "1_000",
        "nan",
        "inf",
        "12.5a",
        "1\n2",
        "²",
        "١٢",
    ],
)
def test_parse_amount_refuses_malformed(text: str) -> None:
    with pytest.raises(AmountError, match="not an amount"):
        parse_amount(text)


def test_parse_amount_refuses_zero_unless_allowed() -> None:
    for text in ("0", "0.00", "0.0"):
        with pytest.raises(AmountError, match="greater than zero"):
            parse_amount(text)
        assert parse_amount(text, allow_zero=True) == 0


def test_parse_amount_refuses_huge() -> None:
    assert parse_amount("9999999999999.99") == MAX_MINOR - 1
    for text in ("10000000000000", "10000000000000.00", "1" + "0" * 40):
        with pytest.raises(AmountError, match="too large"):
            parse_amount(text)


def test_amount_error_is_a_value_error() -> None:
    assert issubclass(AmountError, ValueError)


@given(st.integers(min_value=1, max_value=MAX_MINOR - 1))
def test_parse_amount_and_decimal_string_round_trip(minor: int) -> None:
    text = decimal_string(minor)
    assert parse_amount(text) == minor
    assert Decimal(text) * 100 == minor


@given(
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=99),
    st.booleans(),
)
def test_parse_amount_of_any_well_formed_text(units: int, cents: int, one_digit: bool) -> None:
    short = one_digit and cents % 10 == 0
    text = f"{units}.{cents // 10}" if short else f"{units}.{cents:02d}"
    minor = units * 100 + cents
    assert parse_amount(text, allow_zero=True) == minor


def test_decimal_string_forms() -> None:
    assert decimal_string(0) == "0.00"
    assert decimal_string(5) == "0.05"
    assert decimal_string(123456) == "1234.56"
    assert decimal_string(-150) == "-1.50"


def test_to_and_from_decimal() -> None:
    assert to_decimal(123456) == Decimal("1234.56")
    assert from_decimal(Decimal("1234.565")) == 123457
    assert from_decimal(Decimal("0.004")) == 0
    assert from_decimal(Decimal("0.005")) == 1


@pytest.mark.parametrize(
    ("minor", "currency", "language", "text"),
    [
        (123456, "EUR", "en", "€1,234.56"),
        (123456, "EUR", "fr", "1 234,56 €"),
        (100, "GBP", "en", "£1.00"),
        (100, "GBP", "fr", "1,00 £"),
        (123456789, "USD", "en", "$1,234,567.89"),
        (123456789, "USD", "fr", "1 234 567,89 $"),
        (5000, "CHF", "en", "CHF 50.00"),
        (5000, "CHF", "fr", "50,00 CHF"),
        (5000, "CAD", "en", "50.00 CAD"),
        (5000, "CAD", "fr", "50,00 CAD"),
        (0, "EUR", "en", "€0.00"),
        (7, "EUR", "fr", "0,07 €"),
        (-123456, "EUR", "en", "-€1,234.56"),
        (-123456, "EUR", "fr", "-1 234,56 €"),
        (-5, "CAD", "en", "-0.05 CAD"),
    ],
)
def test_format_money(minor: int, currency: str, language: str, text: str) -> None:
    assert format_money(minor, currency, language) == text


def test_format_money_defaults_to_euros_in_english() -> None:
    assert format_money(250) == "€2.50"


def test_format_totals_biggest_first() -> None:
    assert format_totals({}) == "€0.00"
    assert format_totals({"GBP": 30000, "EUR": 1200000}) == "€12,000.00 + £300.00"
    assert format_totals({"USD": 100, "EUR": 100}) == "€1.00 + $1.00"


def test_parse_currency() -> None:
    assert parse_currency(" eur ") == "EUR"
    assert parse_currency("Gbp") == "GBP"
    with pytest.raises(AmountError, match="unknown currency"):
        parse_currency("XYZ")
    with pytest.raises(AmountError):
        parse_currency("")
