"""Dates written out for people to read, in French or English: ``1er décembre 2026``."""

from __future__ import annotations

from datetime import date

# Written by hand: the locale module depends on what the machine has installed.
FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day_and_month(day: date, language: str, *, american: bool = False) -> str:
    """``1er décembre``, ``1 December`` or, in the US, ``December 1``."""
    if language == "fr":
        number = "1er" if day.day == 1 else str(day.day)
        return f"{number} {FRENCH_MONTHS[day.month - 1]}"
    month = ENGLISH_MONTHS[day.month - 1]
    return f"{month} {day.day}" if american else f"{day.day} {month}"


def long_date(day: date, language: str, *, american: bool = False) -> str:
    """``1er décembre 2026``, ``1 December 2026`` or, in the US, ``December 1, 2026``."""
    written = day_and_month(day, language, american=american)
    if american and language != "fr":
        return f"{written}, {day.year}"
    return f"{written} {day.year}"


def numeric_date(day: date, *, american: bool = False) -> str:
    """``23/11/2026``, or ``11/23/2026`` in the US."""
    if american:
        return f"{day.month:02d}/{day.day:02d}/{day.year}"
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


# English month abbreviations for the screens, spelt here so that no locale changes them.
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_day(day: date, today: date) -> str:
    """``30 Nov`` for a day of today's year, ``27 Jan 2027`` for any other: never ``Jan 27``."""
    written = f"{day.day} {SHORT_MONTHS[day.month - 1]}"
    return written if day.year == today.year else f"{written} {day.year}"
