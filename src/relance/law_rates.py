"""The rate table relance computes with: the shipped rates merged with the user's own."""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from relance.domain.rates import RateOrigin, RatePeriod, RateTable

SHIPPED_RATES = "data/rates.toml"


@cache
def shipped_rates() -> tuple[RatePeriod, ...]:
    """Every rate period shipped in the package's ``data/rates.toml``."""
    text = resources.files("relance").joinpath(SHIPPED_RATES).read_text(encoding="utf-8")
    return tuple(_period(row) for row in tomllib.loads(text)["rate"])


def rate_table(user_periods: tuple[RatePeriod, ...] = ()) -> RateTable:
    """The shipped table extended (and, on their days, overridden) by the user's periods."""
    return RateTable((*shipped_rates(), *user_periods))


def _period(row: dict[str, Any]) -> RatePeriod:
    """One ``[[rate]]`` entry of the shipped file."""
    valid_from, valid_to = row["valid_from"], row["valid_to"]
    if not isinstance(valid_from, date) or not isinstance(valid_to, date):
        raise ValueError(f"rates.toml: dates must be TOML dates in {row!r}")
    return RatePeriod(
        series=str(row["series"]),
        valid_from=valid_from,
        valid_to=valid_to,
        rate=Decimal(str(row["rate"])),
        origin=RateOrigin(row["origin"]),
        note=str(row.get("note", "")),
    )
