"""What the law lets the user claim from one client: interest, fixed fees, limitation, route."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from relance.domain.claims import (
    Limitation,
    Route,
    is_time_barred,
    limitation,
    route_for,
    worth_it,
)
from relance.domain.compensation import fixed_compensation
from relance.domain.interest import InterestResult, late_interest
from relance.domain.jurisdictions import Jurisdiction, UnknownJurisdiction, jurisdiction
from relance.law_rates import rate_table
from relance.store.claim_facts import claim_invoices, event_days
from relance.store.detail import ClientDetail, client_detail
from relance.store.lookup import get_client
from relance.store.rates import user_rate_periods

# The history kind that records a letter; the ladder sends the formal notice as one.
FORMAL_NOTICE_KIND = "letter"


@dataclass(frozen=True)
class InvoiceClaim:
    """One open late invoice: what is owed, the interest to date, the fee, and the deadline."""

    number: str
    currency: str
    due_on: date
    outstanding: int
    interest: InterestResult
    fixed_fee: int
    fee_currency: str
    limitation: Limitation
    time_barred: bool

    @property
    def days_late(self) -> int:
        """Whole days past the due date."""
        return self.interest.days_late

    @property
    def total(self) -> int:
        """Outstanding amount + interest + fixed fee (the fee only when in the same currency)."""
        fee = self.fixed_fee if self.fee_currency == self.currency else 0
        return self.outstanding + self.interest.interest + fee


@dataclass(frozen=True)
class ClientClaim:
    """Every open late invoice of one client, with totals in the client's currency."""

    client_id: int
    jurisdiction: str
    currency: str
    contract_rate: Decimal | None
    invoices: tuple[InvoiceClaim, ...]
    warnings: tuple[str, ...]
    route: Route | None
    verdict: str = ""

    @property
    def claimable(self) -> tuple[InvoiceClaim, ...]:
        """The invoices the totals add up: live (not time-barred) and in the client's currency."""
        return tuple(
            claim
            for claim in self.invoices
            if claim.currency == self.currency and not claim.time_barred
        )

    @property
    def time_barred(self) -> tuple[InvoiceClaim, ...]:
        """Late invoices the law no longer lets the user claim, listed apart from the totals."""
        return tuple(claim for claim in self.invoices if claim.time_barred)

    @property
    def outstanding(self) -> int:
        """Late principal still owed and still claimable."""
        return sum(claim.outstanding for claim in self.claimable)

    @property
    def interest(self) -> int:
        """Interest to date on every claimable late invoice."""
        return sum(claim.interest.interest for claim in self.claimable)

    @property
    def fixed_fees(self) -> int:
        """Fixed fees of every claimable late invoice, those in the client's currency."""
        return sum(
            claim.fixed_fee for claim in self.claimable if claim.fee_currency == self.currency
        )

    @property
    def total(self) -> int:
        """Everything claimable: principal, interest and fees, time-barred invoices left out."""
        return sum(claim.total for claim in self.claimable)

    @property
    def flags(self) -> tuple[str, ...]:
        """Every distinct reason a rate was flagged (derived or missing)."""
        reasons = (flag for claim in self.invoices for flag in claim.interest.flags)
        return tuple(dict.fromkeys(reasons))

    @property
    def provisional_span(self) -> tuple[date, date] | None:
        """The first and last day of claimed interest counted at a rate the table lacks."""
        pieces = [piece for claim in self.claimable for piece in claim.interest.provisional]
        if not pieces:
            return None
        return min(piece.start for piece in pieces), max(piece.end for piece in pieces)


def claim_for_client(
    client_id: int, today: date, *, court_costs: Mapping[str, int] | None = None
) -> ClientClaim:
    """Compute what the client owes under its jurisdiction, up to ``today`` (reads only)."""
    client = get_client(client_id)
    warnings: list[str] = []
    try:
        regime: Jurisdiction = jurisdiction(client.jurisdiction)
    except UnknownJurisdiction as error:
        return ClientClaim(
            client_id, client.jurisdiction, client.currency, None, (), (str(error),), None
        )
    contract_rate = _contract_rate(client.contract_rate, warnings)
    rates = rate_table(user_rate_periods())
    letters = event_days(client_id, FORMAL_NOTICE_KIND)
    claims: list[InvoiceClaim] = []
    for invoice in claim_invoices(client_id):
        outstanding = invoice.amount - invoice.paid
        if outstanding <= 0 or invoice.due_on >= today:
            continue
        notice_on = next((day for day in letters if day > invoice.due_on), None)
        interest = late_interest(
            invoice.amount,
            invoice.due_on,
            today,
            regime,
            rates,
            payments=list(invoice.payments),
            contract_rate=contract_rate,
            formal_notice_on=notice_on,
        )
        fee = fixed_compensation(
            regime, invoice.amount, interest.days_late, client.agreed_fixed_fee
        )
        claims.append(
            InvoiceClaim(
                number=invoice.number,
                currency=invoice.currency,
                due_on=invoice.due_on,
                outstanding=outstanding,
                interest=interest,
                fixed_fee=fee.amount,
                fee_currency=fee.currency,
                limitation=limitation(regime, invoice.due_on),
                time_barred=is_time_barred(regime, invoice.due_on, today),
            )
        )
        warnings.extend(interest.warnings)
    claim = ClientClaim(
        client_id,
        regime.code,
        client.currency,
        contract_rate,
        tuple(claims),
        tuple(dict.fromkeys(warnings)),
        None,
    )
    if not claim.claimable:
        return claim
    route = route_for(regime, claim.total, state=client.region)
    # Typical costs come from the config once it holds them; without them there is no verdict.
    verdict = worth_it(claim.total, route, court_costs, claim.currency) if court_costs else ""
    return replace(claim, route=route, verdict=verdict)


def detail_with_claim(
    client_id: int, today: date, *, court_costs: Mapping[str, int] | None = None
) -> tuple[ClientDetail, ClientClaim]:
    """One client's detail and claim, read together (for one worker, one connection)."""
    return client_detail(client_id, today), claim_for_client(
        client_id, today, court_costs=court_costs
    )


def _contract_rate(text: str | None, warnings: list[str]) -> Decimal | None:
    """The client's contract rate, or None (with a warning when it cannot be read)."""
    if text is None or not text.strip():
        return None
    try:
        rate = Decimal(text.strip())
    except InvalidOperation:
        warnings.append(f"contract rate {text!r} cannot be read; the statutory rate is used")
        return None
    if not rate.is_finite() or rate < 0:
        warnings.append(f"contract rate {text!r} cannot be used; the statutory rate is used")
        return None
    return rate
