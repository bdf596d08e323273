"""The late-payment regimes relance knows, each with the parameters its law sets."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum


class RateRule(Enum):
    """How the statutory rate is chosen over the delay."""

    # Each half-year (1 January, 1 July) carries its own reference rate.
    HALF_YEAR_SPLIT = "half-year split"
    # One rate for the whole delay, set by the reference date before the debt became late.
    FIXED_WHEN_LATE = "fixed when late"
    # The legal rate, split by half-year, running only from the formal notice.
    FROM_FORMAL_NOTICE = "from formal notice"
    # Nothing statutory: only a rate agreed in the contract.
    CONTRACT_ONLY = "contract only"


class CompensationRule(Enum):
    """Which fixed sum a late invoice earns on top of interest."""

    FLAT_40 = "40 per invoice"
    UK_SCALE = "40/70/100 by invoice size"
    NONE = "none"


class UnknownJurisdiction(ValueError):
    """A jurisdiction code relance does not know."""


@dataclass(frozen=True)
class Jurisdiction:
    """One late-payment regime: its rate series, margin, fixed fee, limitation and currency."""

    code: str
    label: str
    currency: str
    rule: RateRule
    rate_series: str | None
    margin: Decimal
    compensation: CompensationRule
    limitation_years: int | None
    limitation_note: str
    contract_rate_allowed: bool
    # The contract rate may not go below floor_factor × this series (France: 3 × legal rate).
    floor_series: str | None = None
    floor_factor: Decimal = Decimal(0)


ECB_MRO = "ecb-mro"
FR_LEGAL_PRO = "fr-legal-pro"
FR_LEGAL_INDIVIDUAL = "fr-legal-individual"
BOE_BANK_RATE = "boe-bank-rate"
SERIES = (ECB_MRO, FR_LEGAL_PRO, FR_LEGAL_INDIVIDUAL, BOE_BANK_RATE)

JURISDICTIONS: dict[str, Jurisdiction] = {
    "fr-b2b": Jurisdiction(
        code="fr-b2b",
        label="France, between businesses (L441-10 Code de commerce)",
        currency="EUR",
        rule=RateRule.HALF_YEAR_SPLIT,
        rate_series=ECB_MRO,
        margin=Decimal(10),
        compensation=CompensationRule.FLAT_40,
        limitation_years=5,
        limitation_note="5 years from the due date (France, between businesses)",
        contract_rate_allowed=True,
        floor_series=FR_LEGAL_PRO,
        floor_factor=Decimal(3),
    ),
    "fr-b2c": Jurisdiction(
        code="fr-b2c",
        label="France, owed by a consumer",
        currency="EUR",
        rule=RateRule.FROM_FORMAL_NOTICE,
        rate_series=FR_LEGAL_PRO,
        margin=Decimal(0),
        compensation=CompensationRule.NONE,
        limitation_years=2,
        limitation_note="2 years from the due date (consumers, L218-2 Code de la consommation)",
        contract_rate_allowed=False,
    ),
    "eu-b2b": Jurisdiction(
        code="eu-b2b",
        label="EU directive 2011/7/EU default",
        currency="EUR",
        rule=RateRule.HALF_YEAR_SPLIT,
        rate_series=ECB_MRO,
        margin=Decimal(8),
        compensation=CompensationRule.FLAT_40,
        limitation_years=5,
        limitation_note="5 years: the French default, as the directive sets no limitation; "
        "check the debtor's country",
        contract_rate_allowed=True,
    ),
    "uk-b2b": Jurisdiction(
        code="uk-b2b",
        label="UK, Late Payment of Commercial Debts (Interest) Act 1998",
        currency="GBP",
        rule=RateRule.FIXED_WHEN_LATE,
        rate_series=BOE_BANK_RATE,
        margin=Decimal(8),
        compensation=CompensationRule.UK_SCALE,
        limitation_years=6,
        limitation_note="6 years from the due date (5 in Scotland)",
        contract_rate_allowed=True,
    ),
    "us": Jurisdiction(
        code="us",
        label="United States: contract rate only",
        currency="USD",
        rule=RateRule.CONTRACT_ONLY,
        rate_series=None,
        margin=Decimal(0),
        compensation=CompensationRule.NONE,
        limitation_years=None,
        limitation_note="unknown: it depends on the state and the contract",
        contract_rate_allowed=True,
    ),
}


def jurisdiction(code: str) -> Jurisdiction:
    """The regime for a code such as ``fr-b2b``, refusing unknown codes."""
    try:
        return JURISDICTIONS[code.strip().lower()]
    except KeyError:
        known = ", ".join(JURISDICTIONS)
        raise UnknownJurisdiction(f"unknown jurisdiction {code!r} (known: {known})") from None


def default_jurisdiction(kind: str, configured: str = "") -> str:
    """A new client's jurisdiction: the configured default, adjusted for French individuals."""
    chosen = configured or "fr-b2b"
    if kind == "b2c" and chosen.startswith("fr-"):
        return "fr-b2c"
    if kind == "b2b" and chosen == "fr-b2c":
        return "fr-b2b"
    return chosen
