"""Amount and date parsers for imports: accepted forms read back exactly, nothing is guessed."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relance.domain.money import MAX_MINOR
from relance.importing.dates import ImportDateError, parse_compact_date, parse_import_date
from relance.importing.numbers import ImportAmountError, parse_import_amount, parse_xml_amount

AMOUNTS = st.integers(min_value=0, max_value=MAX_MINOR - 1)
SPACES = st.sampled_from([" ", "\u00a0", "\u202f"])


def grouped(units: int, mark: str) -> str:
    """Whole units with ``mark`` between each group of three digits."""
    return f"{units:,}".replace(",", mark)


@given(AMOUNTS, SPACES)
def test_every_written_form_reads_back_to_the_same_amount(minor: int, space: str) -> None:
    units, cents = divmod(minor, 100)
    forms = [
        f"{units}.{cents:02d}",
        f"{units},{cents:02d}",
        f"{grouped(units, space)},{cents:02d}",
        f"{grouped(units, '.')},{cents:02d}",
        f"{grouped(units, ',')}.{cents:02d}",
        f"{grouped(units, space)}.{cents:02d}",
    ]
    for form in forms:
        assert parse_import_amount(form) == minor, form
    assert parse_import_amount(f"-{forms[0]}", allow_negative=True) == -minor


@given(st.text(alphabet="0123456789.,  \u00a0-€x", max_size=16))
def test_anything_else_is_refused_with_a_message_never_guessed(text: str) -> None:
    try:
        minor = parse_import_amount(text, allow_negative=True)
    except ImportAmountError as error:
        assert str(error)
        return
    # Accepted: its digits are exactly the amount's digits, padded to the cent, so no digit
    # was dropped or moved (a thousands mark read as a decimal one would change the value).
    digits = "".join(re.findall(r"[0-9]", text))
    decimal_part = re.search(r"[.,]([0-9]{1,2})\s*€?\s*$", text.strip())
    decimals = len(decimal_part[1]) if decimal_part and not _is_grouping(text) else 0
    assert abs(minor) == int(digits) * 10 ** (2 - decimals)


def _is_grouping(text: str) -> bool:
    """True when the only separators of a text are one mark used as thousands separator."""
    marks = re.findall(r"[.,]", text)
    return len(marks) > 1 and len(set(marks)) == 1


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("1234.56", 123456),
        ("1 234,56", 123456),
        ("1\u00a0234,56", 123456),
        ("1\u202f234,56", 123456),
        ("1.234,56", 123456),
        ("1,234.56", 123456),
        ("1234,56", 123456),
        ("1.234.567", 123456700),
        ("1 234 €", 123400),
        ("0,5", 50),
    ],
)
def test_documented_forms(text: str, minor: int) -> None:
    assert parse_import_amount(text) == minor


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,234", "ambiguous"),
        ("1.234", "ambiguous"),
        ("12.345", "ambiguous"),
        ("1234.567", "more than two decimals"),
        ("1,2345", "more than two decimals"),
        ("1.234.56", "grouped by three"),
        ("12 34,00", "grouped by three"),
        ("1,234,56.00", "grouped by three"),
        ("1.234,567", "more than two decimals"),
        ("1 234.567,8", "mixed separators"),
        ("-12", "negative"),
        ("", "no amount"),
        ("12a", "not an amount"),
        ("١٢", "not an amount"),
        ("10000000000000", "too large"),
        ("99999999999999999999999,00", "too large"),
    ],
)
def test_refusals_say_why(text: str, message: str) -> None:
    with pytest.raises(ImportAmountError, match=message):
        parse_import_amount(text)


def test_xml_amounts_are_exact() -> None:
    assert parse_xml_amount("-233.47") == -23347
    assert parse_xml_amount("1000") == 100000
    assert parse_xml_amount("100.110") == 10011
    with pytest.raises(ImportAmountError, match="more than two decimals"):
        parse_xml_amount("1.005")
    with pytest.raises(ImportAmountError, match="not an amount"):
        parse_xml_amount("1,00")


@given(st.dates(min_value=date(1000, 1, 1)))
def test_every_date_form_reads_back_to_the_same_day(day: date) -> None:
    assert parse_import_date(day.isoformat()) == day
    assert parse_import_date(day.strftime("%d/%m/%Y")) == day
    assert parse_import_date(f"{day.day}/{day.month}/{day.year:04d}") == day
    assert parse_import_date(day.strftime("%d.%m.%Y")) == day
    assert parse_compact_date(day.strftime("%Y%m%d")) == day


@given(st.text(alphabet="0123456789-/. ", max_size=12))
def test_any_other_date_text_is_refused_or_read_as_written(text: str) -> None:
    try:
        day = parse_import_date(text)
    except ImportDateError as error:
        assert str(error)
        return
    written = {
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        day.strftime("%d.%m.%Y"),
        f"{day.day}/{day.month}/{day.year:04d}",
        f"{day.day}.{day.month}.{day.year:04d}",
        f"{day.day:02d}/{day.month}/{day.year:04d}",
        f"{day.day}/{day.month:02d}/{day.year:04d}",
        f"{day.day:02d}.{day.month}.{day.year:04d}",
        f"{day.day}.{day.month:02d}.{day.year:04d}",
    }
    assert text.strip() in written


@pytest.mark.parametrize(
    "text", ["31/02/2026", "2026-02-30", "29/02/2025", "00/01/2026", "12/13/2026", "2026-13-01"]
)
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(ImportDateError, match="impossible date"):
        parse_import_date(text)


@pytest.mark.parametrize("text", ["11/23/26", "2026/11/23", "23-11-2026", "23 nov 2026", ""])
def test_unknown_date_forms_are_refused(text: str) -> None:
    with pytest.raises(ImportDateError):
        parse_import_date(text)
