"""Reading amounts as spreadsheets and e-invoices write them, refusing anything ambiguous."""

from __future__ import annotations

import re

from relance.domain.money import MAX_MINOR

# Spaces that spreadsheets put between thousands: normal, no-break and narrow no-break.
GROUP_SPACES = (" ", "\u00a0", "\u202f")
CURRENCY_MARKS = ("€", "$", "£")
_DIGITS = re.compile(r"^[0-9]+$", re.ASCII)
_BODY = re.compile(r"^[0-9., ]+$", re.ASCII)
# The plain form most cells take (digits, then one mark and at most two decimals): read at once.
_PLAIN = re.compile(r"(-?)([0-9]+)(?:[.,]([0-9]{1,2}))?", re.ASCII)


# Whole units past this many digits are above MAX_MINOR (and int() refuses past 4 300).
_MAX_UNIT_DIGITS = 13


class ImportAmountError(ValueError):
    """An amount in an imported file that cannot be read without guessing."""


def _units(digits: str, shown: str) -> int:
    """The whole units of an amount, refused as too large before int() reads too many digits."""
    significant = digits.lstrip("0")
    if len(significant) > _MAX_UNIT_DIGITS:
        raise ImportAmountError(f"amount is too large: {_cut_short(shown)}")
    return int(significant or "0")


def _cut_short(text: str) -> str:
    """A cell's text, quoted, cut short when it is too long to quote in one line."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def parse_import_amount(text: str, *, allow_negative: bool = False) -> int:
    """Read ``1234.56``, ``1 234,56``, ``1.234,56``, ``1,234.56`` or ``1234,56`` as minor units."""
    plain = _PLAIN.fullmatch(text)
    if plain is not None and (allow_negative or not plain[1]):
        minor = _units(plain[2], text.strip()) * 100 + int((plain[3] or "").ljust(2, "0"))
        if minor < MAX_MINOR:
            return -minor if plain[1] else minor
    cleaned = text.strip()
    for mark in CURRENCY_MARKS:
        cleaned = cleaned.removeprefix(mark).removesuffix(mark).strip()
    for space in GROUP_SPACES[1:]:
        cleaned = cleaned.replace(space, " ")
    if not cleaned:
        raise ImportAmountError("no amount")
    negative = cleaned.startswith("-")
    if negative:
        if not allow_negative:
            raise ImportAmountError(f"amount must not be negative: {text.strip()!r}")
        cleaned = cleaned[1:].strip()
    if not _BODY.match(cleaned) or not cleaned[:1].isdigit() or not cleaned[-1:].isdigit():
        raise ImportAmountError(f"not an amount: {_cut_short(text.strip())}")
    units, cents = _split(cleaned, text.strip())
    minor = _units(units, text.strip()) * 100 + int(cents.ljust(2, "0") or "0")
    if minor >= MAX_MINOR:
        raise ImportAmountError(f"amount is too large: {text.strip()!r}")
    return -minor if negative else minor


def _split(body: str, shown: str) -> tuple[str, str]:
    """The whole units and the decimals (0 to 2 digits) of an amount without its sign."""
    separators = [char for char in body if char in ".,"]
    kinds = set(separators)
    if " " in body:
        # Spaces group the thousands, so a comma or a point can only be the decimal mark.
        if len(separators) > 1:
            raise ImportAmountError(f"not an amount: {shown!r} (mixed separators)")
        whole, decimals = _cut(body, separators[0]) if separators else (body, "")
        return _ungroup(whole, " ", shown), _decimals(decimals, shown)
    if not separators:
        return body, ""
    if len(kinds) == 2:
        decimal_mark = separators[-1]
        group_mark = "," if decimal_mark == "." else "."
        if separators.count(decimal_mark) != 1:
            raise ImportAmountError(f"not an amount: {shown!r} (mixed separators)")
        whole, decimals = _cut(body, decimal_mark)
        return _ungroup(whole, group_mark, shown), _decimals(decimals, shown)
    mark = separators[0]
    if len(separators) > 1:
        # The same mark twice can only separate thousands: 1.234.567 or 1,234,567.
        return _ungroup(body, mark, shown), ""
    whole, decimals = _cut(body, mark)
    if len(decimals) == 3 and len(whole) <= 3 and whole != "0":
        raise ImportAmountError(
            f"ambiguous amount {shown!r}: thousands or decimals? write 1234.00 or 1.234,00 instead"
        )
    return whole, _decimals(decimals, shown)


def _cut(body: str, mark: str) -> tuple[str, str]:
    """The text before and after the decimal mark."""
    whole, _, decimals = body.rpartition(mark)
    return whole, decimals


def _decimals(decimals: str, shown: str) -> str:
    """Decimal digits, at most two of them."""
    if not decimals:
        return ""
    if not _DIGITS.match(decimals):
        raise ImportAmountError(f"not an amount: {_cut_short(shown)}")
    if len(decimals) > 2:
        raise ImportAmountError(f"amount has more than two decimals: {shown!r}")
    return decimals


def _ungroup(whole: str, mark: str, shown: str) -> str:
    """Digits grouped by three with ``mark`` (the first group 1 to 3 digits), joined."""
    groups = whole.split(mark)
    if (
        not groups[0]
        or len(groups[0]) > 3
        or not all(_DIGITS.match(group) for group in groups)
        or any(len(group) != 3 for group in groups[1:])
    ):
        raise ImportAmountError(f"not an amount: {shown!r} (thousands must be grouped by three)")
    return "".join(groups)


def parse_xml_amount(text: str) -> int:
    """An e-invoice amount (``-233.47``, ``1000``, ``100.110``) in minor units, exactly."""
    match = re.match(r"^(-?)([0-9]+)(?:\.([0-9]+))?$", text.strip(), re.ASCII)
    if match is None:
        raise ImportAmountError(f"not an amount: {_cut_short(text.strip())}")
    sign, units, decimals = match.groups()
    decimals = decimals or ""
    # Trailing zeros past the cent are exact (100.110); other digits would need rounding.
    if len(decimals) > 2 and decimals[2:].strip("0"):
        raise ImportAmountError(f"amount has more than two decimals: {text.strip()!r}")
    minor = _units(units, text.strip()) * 100 + int(decimals[:2].ljust(2, "0"))
    if minor >= MAX_MINOR:
        raise ImportAmountError(f"amount is too large: {text.strip()!r}")
    return -minor if sign else minor
