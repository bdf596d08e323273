"""Checking what the user typed, field by field, before anything is written."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date

from relance.domain.dates import DateError, parse_date
from relance.domain.money import AmountError, parse_amount, parse_currency

NAME_MAX = 200
TEXT_MAX = 20_000


class InvalidInput(ValueError):
    """One or more fields were refused; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))

    @classmethod
    def one(cls, field: str, message: str) -> InvalidInput:
        """A refusal that concerns a single field."""
        return cls({field: message})


class Form:
    """Collects every field's error so the user sees them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, field: str, message: str) -> None:
        """Record an error for a field (the first one wins)."""
        self.errors.setdefault(field, message)

    def check(self) -> None:
        """Raise if any field was refused."""
        if self.errors:
            raise InvalidInput(self.errors)

    def line(self, field: str, text: str, *, required: bool = False, limit: int = NAME_MAX) -> str:
        """A one-line text such as a name: trimmed, no control characters."""
        value = text.strip()
        if required and not value:
            self.fail(field, f"{field} is required")
        elif len(value) > limit:
            self.fail(field, f"{field} is longer than {limit} characters")
        elif any(_is_control(ch) for ch in value):
            self.fail(field, f"{field} contains control characters")
        return value

    def text(self, field: str, text: str, *, required: bool = False) -> str:
        """A free text such as a note: kept as typed, but never a NUL byte."""
        value = text.strip()
        if required and not value:
            self.fail(field, f"{field} is required")
        elif len(value) > TEXT_MAX:
            self.fail(field, f"{field} is longer than {TEXT_MAX} characters")
        elif "\x00" in value:
            self.fail(field, f"{field} contains a NUL character")
        elif any(_is_surrogate(ch) for ch in value):
            # Bytes that are not UTF-8 (a command-line argument in another encoding) arrive as
            # lone surrogates, which the database cannot store.
            self.fail(field, f"{field} contains bytes that are not UTF-8 text")
        return value

    def amount(self, field: str, text: str, *, allow_zero: bool = False) -> int:
        """A positive amount with at most two decimals, in minor units (0 if refused)."""
        try:
            return parse_amount(text, allow_zero=allow_zero)
        except AmountError as error:
            self.fail(field, str(error))
            return 0

    def currency(self, field: str, text: str) -> str:
        """A known three-letter currency code."""
        try:
            return parse_currency(text)
        except AmountError as error:
            self.fail(field, str(error))
            return "EUR"

    def day(self, field: str, text: str, *, today: date | None = None) -> date | None:
        """An ISO date (with ``today``: also ``today``, ``+3``, ``-2``); None if refused."""
        try:
            return parse_date(text, today=today)
        except DateError as error:
            self.fail(field, str(error))
            return None

    def choice(self, field: str, text: str, choices: Iterable[str]) -> str:
        """One of a fixed set of words."""
        options = list(choices)
        value = text.strip().lower()
        if value not in options:
            self.fail(field, f"{field} must be one of: {', '.join(options)}")
        return value

    def count(self, field: str, text: str, *, low: int, high: int) -> int:
        """A whole number within bounds."""
        value = text.strip()
        # isdecimal, not isdigit: "²" is a digit that int() cannot read.
        # A dozen digits is past any bound here; int() refuses more than 4 300 of them.
        if not value.isdecimal() or len(value) > 12 or not low <= int(value) <= high:
            self.fail(field, f"{field} must be a whole number from {low} to {high}")
            return low
        return int(value)


def _is_control(char: str) -> bool:
    """Control and format characters (escape sequences, bidi overrides) have no place in names."""
    return unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"}


def _is_surrogate(char: str) -> bool:
    """A lone surrogate: what Python makes of bytes that are not valid UTF-8."""
    return "\ud800" <= char <= "\udfff"
