"""Reading dates as spreadsheets and e-invoices write them: ISO or day/month/year."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_DAY_FIRST = re.compile(r"^(\d{1,2})([/.])(\d{1,2})\2(\d{4})$", re.ASCII)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$", re.ASCII)


class ImportDateError(ValueError):
    """A date in an imported file that is impossible or not in a known form."""


# A file repeats the same few hundred dates thousands of times: each is read once.
@lru_cache(maxsize=4096)
def parse_import_date(text: str) -> date:
    """Read ``2026-11-23`` or ``23/11/2026`` (also ``23.11.2026``), refusing impossible dates."""
    cleaned = text.strip()
    iso = _ISO.match(cleaned)
    if iso:
        return _make(int(iso[1]), int(iso[2]), int(iso[3]), cleaned)
    day_first = _DAY_FIRST.match(cleaned)
    if day_first:
        return _make(int(day_first[4]), int(day_first[3]), int(day_first[1]), cleaned)
    if not cleaned:
        raise ImportDateError("no date")
    raise ImportDateError(f"not a date: {cleaned!r} (write it as 2026-11-23 or 23/11/2026)")


def parse_compact_date(text: str) -> date:
    """Read the ``YYYYMMDD`` form (CII format 102) that e-invoices use."""
    cleaned = text.strip()
    match = _COMPACT.match(cleaned)
    if match is None:
        raise ImportDateError(f"not a date: {cleaned!r} (expected YYYYMMDD)")
    return _make(int(match[1]), int(match[2]), int(match[3]), cleaned)


def _make(year: int, month: int, day: int, shown: str) -> date:
    """The date, or a refusal naming what was written."""
    try:
        return date(year, month, day)
    except ValueError:
        raise ImportDateError(f"impossible date: {shown!r}") from None
