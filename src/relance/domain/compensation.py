"""The fixed sum a late invoice earns on top of interest, by regime and invoice size."""

from __future__ import annotations

from dataclasses import dataclass

from relance.domain.jurisdictions import CompensationRule, Jurisdiction

FLAT_FEE = 40_00
# UK: (invoices below this many minor units, fee); 10 000 GBP and over earn the last fee.
UK_SCALE = ((1_000_00, 40_00), (10_000_00, 70_00))
UK_TOP_FEE = 100_00


@dataclass(frozen=True)
class Compensation:
    """A fixed fee in minor units of ``currency``, and the rule that set it."""

    amount: int
    currency: str
    reason: str


def fixed_compensation(
    regime: Jurisdiction, invoice_amount: int, days_late: int, agreed: int | None = None
) -> Compensation:
    """The fixed recovery fee for one invoice: the law's, or a higher one agreed in the contract.

    The law's fee is a floor: an agreed fee below it never lowers what is owed.
    """
    legal = _legal_compensation(regime, invoice_amount, days_late)
    if days_late > 0 and agreed and regime.contract_rate_allowed and agreed > legal.amount:
        return Compensation(agreed, regime.currency, "fee agreed in the contract")
    return legal


def _legal_compensation(regime: Jurisdiction, invoice_amount: int, days_late: int) -> Compensation:
    """The fixed recovery fee the law gives; nothing when it is not late or the law gives none."""
    if days_late <= 0:
        return Compensation(0, regime.currency, "not late")
    if regime.compensation == CompensationRule.FLAT_40:
        return Compensation(FLAT_FEE, regime.currency, "40 EUR per late invoice")
    if regime.compensation == CompensationRule.UK_SCALE:
        for below, fee in UK_SCALE:
            if invoice_amount < below:
                return Compensation(fee, regime.currency, _uk_reason(fee))
        return Compensation(UK_TOP_FEE, regime.currency, _uk_reason(UK_TOP_FEE))
    return Compensation(0, regime.currency, f"{regime.code}: no fixed compensation")


def _uk_reason(fee: int) -> str:
    """Why the UK fee is what it is."""
    return f"{fee // 100} GBP for an invoice of this size (40 < 1 000 ≤ 70 < 10 000 ≤ 100)"
