"""Claim checks: when a debt becomes time-barred, which court route fits, and is it worth it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from relance.domain.dates import add_months
from relance.domain.jurisdictions import Jurisdiction
from relance.domain.money import format_money

FR_SMALL_CLAIMS_LIMIT = 5_000_00
UK_SMALL_CLAIMS_LIMIT = 10_000_00
# US small-claims maximums (USD minor units) by state, for (individual, entity) claimants.
US_SMALL_CLAIMS = {
    "CA": (12_500_00, 6_250_00),
    "NY": (10_000_00, 10_000_00),
    "TX": (20_000_00, 20_000_00),
}
US_NOTES = {
    "CA": "California small claims",
    "NY": "New York City small claims (other city courts 5 000, town and village 3 000)",
    "TX": "Texas justice court",
}


@dataclass(frozen=True)
class Limitation:
    """The day a claim becomes time-barred (None when unknown), and the rule behind it."""

    on: date | None
    note: str


@dataclass(frozen=True)
class Route:
    """A court route for a claim: its name, its ceiling (None: any amount) and whether it fits."""

    name: str
    limit: int | None
    fits: bool
    note: str


def limitation(regime: Jurisdiction, due_on: date) -> Limitation:
    """The limitation date of an invoice, counted from its due date."""
    if regime.limitation_years is None:
        return Limitation(None, regime.limitation_note)
    return Limitation(add_months(due_on, 12 * regime.limitation_years), regime.limitation_note)


def is_time_barred(regime: Jurisdiction, due_on: date, today: date) -> bool:
    """Whether the limitation date has passed on ``today``."""
    barred_on = limitation(regime, due_on).on
    return barred_on is not None and today >= barred_on


def route_for(
    regime: Jurisdiction, claim: int, *, state: str = "", individual: bool = False
) -> Route:
    """The cheapest court route that takes a claim of ``claim`` minor units."""
    if regime.code in ("fr-b2b", "fr-b2c", "eu-b2b"):
        if claim <= FR_SMALL_CLAIMS_LIMIT:
            return Route(
                "petites créances",
                FR_SMALL_CLAIMS_LIMIT,
                True,
                "simplified small-claims procedure through a commissaire de justice "
                "(amicable settlement attempt required first)",
            )
        return Route("injonction de payer", None, True, "order for payment, any amount")
    if regime.code == "uk-b2b":
        fits = claim <= UK_SMALL_CLAIMS_LIMIT
        note = "County Court small-claims track" if fits else "County Court fast or multi track"
        return Route("small claims", UK_SMALL_CLAIMS_LIMIT, fits, note)
    code = state.strip().upper()
    if code not in US_SMALL_CLAIMS:
        known = ", ".join(US_SMALL_CLAIMS)
        return Route("small claims", None, False, f"state unknown: relance knows {known}")
    individual_limit, entity_limit = US_SMALL_CLAIMS[code]
    limit = individual_limit if individual else entity_limit
    return Route("small claims", limit, claim <= limit, US_NOTES[code])


def worth_it(claim: int, route: Route, costs: Mapping[str, int], currency: str) -> str:
    """A rough one-line verdict comparing the claim with the typical cost of the route."""
    cost = costs.get(route.name)
    if cost is None:
        return f"no typical cost known for {route.name}: set one to compare"
    if not route.fits:
        return f"{route.name} does not take {format_money(claim, currency)}"
    if claim <= cost:
        return (
            f"not worth it: the claim {format_money(claim, currency)} is below "
            f"the typical cost {format_money(cost, currency)}"
        )
    if claim < 3 * cost:
        return (
            f"doubtful: the claim {format_money(claim, currency)} is less than three times "
            f"the typical cost {format_money(cost, currency)}"
        )
    return (
        f"worth it: the claim {format_money(claim, currency)} is well above "
        f"the typical cost {format_money(cost, currency)}"
    )
