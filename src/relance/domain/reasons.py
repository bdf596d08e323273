"""A next action's reason as of today: the stored one counts its days from the action's date."""

from __future__ import annotations

import re
from datetime import date

from relance.domain.written_dates import short_day

# The counts a reason holds, each measured on the action's date; they grow as the days pass.
_LATE = re.compile(r"\b(\d+) days late\b")
_AGO = re.compile(r"\blast reminder (\d+) days ago\b")


def reason_today(reason: str, action_on: date | None, today: date) -> str:
    """The reason with its day counts moved from the action's date to today, and when it is due.

    "firm email — 30 days late, last reminder 9 days ago, step 4 of 6" stored for 2 Dec reads,
    on 6 Dec, "firm email — 34 days late, last reminder 13 days ago, step 4 of 6; due since 2 Dec".
    """
    if not reason or action_on is None:
        return reason
    shift = (today - action_on).days

    def late(match: re.Match[str]) -> str:
        days = int(match.group(1)) + shift
        if days <= 0:
            return "not late yet"
        return f"{_days(days)} late"

    def ago(match: re.Match[str]) -> str:
        days = max(0, int(match.group(1)) + shift)
        return "last reminder today" if days == 0 else f"last reminder {_days(days)} ago"

    present = _AGO.sub(ago, _LATE.sub(late, reason))
    return f"{present}; {_when(action_on, today)}"


def _days(count: int) -> str:
    """A number of days in words: "1 day", "34 days"."""
    return "1 day" if count == 1 else f"{count} days"


def _when(action_on: date, today: date) -> str:
    """The action's date against today: "due since 2 Dec", "due today", "due on 9 Jan 2027"."""
    day = short_day(action_on, today)
    if action_on < today:
        return f"due since {day}"
    if action_on == today:
        return "due today"
    return f"due on {day}"
