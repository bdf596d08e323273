"""The calculation basis a letter prints under its signature, wholly in the letter's language."""

from __future__ import annotations

from decimal import Decimal

from relance.domain.jurisdictions import (
    BOE_BANK_RATE,
    ECB_MRO,
    FR_LEGAL_INDIVIDUAL,
    FR_LEGAL_PRO,
    CompensationRule,
    Jurisdiction,
    RateRule,
)

# Each regime named in French; the English names are the regimes' own labels.
FRENCH_LABELS = {
    "fr-b2b": "France, entre professionnels (article L441-10 du Code de commerce)",
    "fr-b2c": "France, somme due par un consommateur",
    "eu-b2b": "directive 2011/7/UE, régime par défaut",
    "uk-b2b": "Royaume-Uni, loi de 1998 sur les retards de paiement des dettes commerciales",
    "us": "États-Unis : taux contractuel seulement",
}
FRENCH_RULES = {
    RateRule.HALF_YEAR_SPLIT: "taux de chaque semestre",
    RateRule.FIXED_WHEN_LATE: "taux fixé à la date du retard",
    RateRule.FROM_FORMAL_NOTICE: "à compter de la mise en demeure",
    RateRule.CONTRACT_ONLY: "taux contractuel seulement",
}
FRENCH_SERIES = {
    ECB_MRO: "taux de refinancement de la BCE",
    FR_LEGAL_PRO: "taux de l'intérêt légal",
    FR_LEGAL_INDIVIDUAL: "taux de l'intérêt légal",
    BOE_BANK_RATE: "taux directeur de la Banque d'Angleterre",
}
FRENCH_COMPENSATION = {
    CompensationRule.FLAT_40: "40 € par facture",
    CompensationRule.UK_SCALE: "40, 70 ou 100 £ selon le montant de la facture",
}
FRENCH_LIMITATION = {
    "fr-b2b": "5 ans à compter de l'échéance (France, entre professionnels)",
    "fr-b2c": "2 ans à compter de l'échéance (article L218-2 du Code de la consommation)",
    "eu-b2b": "5 ans, le délai français par défaut, la directive n'en fixant aucun ; "
    "à vérifier selon le pays du débiteur",
    "uk-b2b": "6 ans à compter de l'échéance (5 en Écosse)",
    "us": "inconnue : elle dépend de l'État et du contrat",
}


def basis_heading(language: str) -> str:
    """The title of the calculation basis."""
    return "Base de calcul (relance)" if language == "fr" else "Calculation basis (relance)"


def basis_lines(regime: Jurisdiction, contract_rate: Decimal | None, language: str) -> list[str]:
    """The law, how the rate is set, the fixed fee and the limitation, one line each."""
    if language == "fr":
        return _french_lines(regime, contract_rate)
    rate = (
        f"{regime.rate_series} + {regime.margin} points"
        if regime.rate_series
        else "no statutory rate"
    )
    lines = [
        f"{regime.code}: {regime.label}",
        f"interest: {regime.rule.value}; rate {rate}; simple interest, days / 365",
        f"fixed compensation: {regime.compensation.value}",
        f"limitation: {regime.limitation_note}",
    ]
    if contract_rate is not None:
        lines.append(f"contract rate agreed: {contract_rate} % a year")
    return lines


def _french_lines(regime: Jurisdiction, contract_rate: Decimal | None) -> list[str]:
    """The basis in French, the decimal comma included."""
    series = FRENCH_SERIES.get(regime.rate_series or "", "")
    rate = (
        f"{series} majoré de {_french_number(regime.margin)} points"
        if series
        else "aucun taux légal"
    )
    lines = [
        f"{regime.code} : {FRENCH_LABELS.get(regime.code, regime.code)}",
        f"intérêts : {FRENCH_RULES[regime.rule]} ; {rate} ; "
        "intérêts simples, nombre de jours / 365",
        f"prescription : {FRENCH_LIMITATION.get(regime.code, 'inconnue')}",
    ]
    # A consumer owes no fixed fee: the letter does not name one, even to say there is none.
    if regime.compensation is not CompensationRule.NONE:
        lines.insert(2, f"indemnité forfaitaire : {FRENCH_COMPENSATION[regime.compensation]}")
    if contract_rate is not None:
        lines.append(f"taux contractuel convenu : {_french_number(contract_rate)} % par an")
    return lines


def _french_number(value: Decimal) -> str:
    """A decimal number written the French way: ``12,5``."""
    return str(value).replace(".", ",")
