"""The sentence that says which claimed interest rests on a rate the table does not have yet."""

from __future__ import annotations

from datetime import date

from relance.domain.written_dates import long_date


def provisional_sentence(span: tuple[date, date] | None, language: str) -> str:
    """Interest for the days a reference rate is missing is provisional ("" when none is)."""
    if span is None:
        return ""
    first, last = (long_date(day, language) for day in span)
    if language == "fr":
        return (
            f"Les intérêts du {first} au {last} sont calculés à titre provisoire au taux de "
            "référence connu le plus proche, celui de cette période n'étant pas encore "
            "disponible ; ils seront ajustés dès sa publication."
        )
    return (
        f"Interest from {first} to {last} is provisional: it is computed at the nearest known "
        "reference rate, as the rate for that period is not yet available, and will be "
        "adjusted once it is published."
    )
