"""The one place that reads the clock: ``RELANCE_TODAY`` or the system date."""

from __future__ import annotations

import os
from datetime import date, datetime


class ClockError(ValueError):
    """``RELANCE_TODAY`` is set to something that is not a date."""


def today() -> date:
    """Today for every command: ``RELANCE_TODAY`` (YYYY-MM-DD) when set, else the system date."""
    fixed = os.environ.get("RELANCE_TODAY")
    if not fixed:
        return date.today()
    try:
        return date.fromisoformat(fixed.strip())
    except ValueError:
        raise ClockError(f"RELANCE_TODAY is not a date: {fixed!r} (use YYYY-MM-DD)") from None


def now() -> datetime:
    """The current moment, on the day ``today()`` gives, to the second."""
    moment = datetime.now().replace(microsecond=0)
    return datetime.combine(today(), moment.time())
