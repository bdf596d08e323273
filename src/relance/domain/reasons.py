"""A next action's reason as of today: the stored one counts its days from the action's date."""

from __future__ import annotations

import re
from datetime import date

# The counts a reason holds, each measured on the action's date; they grow as the days pass.
_LATE = re.compile(r"\b(\d+) days late\b")
_AGO = re.compile(r"\blast reminder (\d+) days ago\b")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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
    """How the action's date stands against today: "due since 2 Dec", "due today", "due on 9 Dec".

    Month names are spelt here, not by ``%b``, so the reason never depends on the locale.
    """
    day = f"{action_on.day} {_MONTHS[action_on.month - 1]}"
    if action_on.year != today.year:
        day += f" {action_on.year}"
    if action_on < today:
        return f"due since {day}"
    if action_on == today:
        return "due today"
    return f"due on {day}"
