"""Money as integer minor units: parsing, formatting and exact arithmetic."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

# ASCII only: other scripts' digits (Arabic-Indic, full-width) are not the documented form.
_AMOUNT = re.compile(r"^(?P<units>\d+)(?:\.(?P<cents>\d{1,2}))?$", re.ASCII)
# Amounts above this are almost surely typos, and they would overflow SQLite's INTEGER anyway.
MAX_MINOR = 10**15

CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF "}
KNOWN_CURRENCIES = frozenset({"EUR", "GBP", "USD", "CHF", "CAD", "AUD", "SEK", "DKK", "NOK", "PLN"})


class AmountError(ValueError):
    """An amount typed by the user that cannot be read as money."""


def parse_amount(text: str, *, allow_zero: bool = False) -> int:
    """Read a decimal string such as ``1234.56`` into minor units, refusing anything ambiguous."""
    cleaned = text.strip()
    if cleaned.startswith("-"):
        raise AmountError("amount must not be negative")
    match = _AMOUNT.match(cleaned)
    if match is None:
        if re.match(r"^\d+\.\d{3,}$", cleaned, re.ASCII):
            raise AmountError("amount has more than two decimals")
        shown = cleaned if len(cleaned) <= 40 else cleaned[:40] + "…"
        raise AmountError(f"not an amount: {shown!r} (write it like 1234.56)")
    # Past 13 digits of units it is above MAX_MINOR; int() refuses more than 4 300 anyway.
    if len(match["units"].lstrip("0")) > 13:
        raise AmountError("amount is too large")
    cents = (match["cents"] or "").ljust(2, "0")
    minor = int(match["units"].lstrip("0") or "0") * 100 + int(cents or "0")
    if minor == 0 and not allow_zero:
        raise AmountError("amount must be greater than zero")
    if minor >= MAX_MINOR:
        raise AmountError("amount is too large")
    return minor


def parse_currency(text: str) -> str:
    """Normalise a three-letter currency code, refusing unknown ones."""
    code = text.strip().upper()
    if code not in KNOWN_CURRENCIES:
        known = ", ".join(sorted(KNOWN_CURRENCIES))
        raise AmountError(f"unknown currency {text!r} (known: {known})")
    return code


def to_decimal(minor: int) -> Decimal:
    """Turn minor units into an exact Decimal of major units."""
    return (Decimal(minor) / 100).quantize(Decimal("0.01"))


def from_decimal(amount: Decimal) -> int:
    """Turn a Decimal of major units into minor units, rounding half up to the cent."""
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def decimal_string(minor: int) -> str:
    """The machine form of an amount: ``1234.56``, as JSON and CSV carry it."""
    return str(to_decimal(minor))


def format_money(minor: int, currency: str = "EUR", language: str = "en") -> str:
    """The human form of an amount: ``€1,234.56``, or ``1 234,56 €`` in French."""
    sign = "-" if minor < 0 else ""
    body = f"{to_decimal(abs(minor)):,.2f}"
    if language == "fr":
        french = body.replace(",", " ").replace(".", ",")
        return f"{sign}{french} {CURRENCY_SYMBOLS.get(currency, currency + ' ').strip()}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    if symbol is None:
        return f"{sign}{body} {currency}"
    return f"{sign}{symbol}{body}"


def format_totals(totals: dict[str, int]) -> str:
    """Several currencies side by side, the biggest first: ``€12,000.00 + £300.00``."""
    if not totals:
        return format_money(0)
    parts = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return " + ".join(format_money(amount, currency) for currency, amount in parts)
