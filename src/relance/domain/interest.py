"""Statutory late interest on one invoice: simple, days / 365, piece by piece."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from itertools import pairwise

from relance.domain.jurisdictions import Jurisdiction, RateRule
from relance.domain.rates import RateLookup, RateTable, half_year_of

DAYS_IN_YEAR = Decimal(365)
ONE_DAY = timedelta(days=1)
HALF_YEAR_CONVENTION = (
    "a delay spanning half-years is computed piece by piece with each half-year's rate"
)


@dataclass(frozen=True)
class InterestPiece:
    """Days with one base and one rate: from and to both included, interest rounded once."""

    start: date
    end: date
    days: int
    base: int
    rate: Decimal
    interest: int
    flagged: bool = False
    reason: str = ""
    # The table had no rate for these days: the interest is provisional until one is added.
    missing: bool = False


@dataclass(frozen=True)
class InterestResult:
    """Interest on one invoice: its pieces, total, days late, and what the user must know."""

    pieces: tuple[InterestPiece, ...]
    interest: int
    days_late: int
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        """Whether any piece used a derived or missing rate."""
        return any(piece.flagged for piece in self.pieces)

    @property
    def flags(self) -> tuple[str, ...]:
        """The distinct reasons pieces were flagged, in order."""
        return tuple(dict.fromkeys(p.reason for p in self.pieces if p.flagged))

    @property
    def provisional(self) -> tuple[InterestPiece, ...]:
        """The pieces computed with a rate missing from the table, oldest first."""
        return tuple(piece for piece in self.pieces if piece.missing)


@dataclass(frozen=True)
class _Rate:
    """The annual percentage that applies, with its flag."""

    percent: Decimal
    flagged: bool
    reason: str
    missing: bool = False


def late_interest(
    amount: int,
    due_on: date,
    until: date,
    regime: Jurisdiction,
    rates: RateTable,
    *,
    payments: Iterable[tuple[date, int]] = (),
    contract_rate: Decimal | None = None,
    formal_notice_on: date | None = None,
) -> InterestResult:
    """Interest on ``amount`` (minor units, incl. tax) due ``due_on``, counted up to ``until``.

    Interest runs from the day after the due date; a payment dated P still bears interest on
    P and reduces the base from the day after (so a full payment on P ends the delay on P).
    """
    ordered = sorted(payments)
    end = _last_day(amount, due_on, until, ordered)
    days_late = max(0, (end - due_on).days)
    warnings: list[str] = []
    notes: list[str] = []
    if contract_rate is not None and not regime.contract_rate_allowed:
        warnings.append(f"{regime.code}: a contract rate does not apply; the legal rate is used")
        contract_rate = None
    if end <= due_on:
        return InterestResult((), 0, 0, tuple(warnings))
    start = due_on + ONE_DAY
    if regime.rule == RateRule.FROM_FORMAL_NOTICE:
        if formal_notice_on is None:
            warnings.append(f"{regime.code}: interest runs only from a formal notice; none sent")
            return InterestResult((), 0, days_late, tuple(warnings))
        if formal_notice_on >= end:
            return InterestResult((), 0, days_late, tuple(warnings))
        start = max(start, formal_notice_on + ONE_DAY)
    if regime.rule == RateRule.CONTRACT_ONLY and contract_rate is None:
        warnings.append(f"{regime.code}: no statutory interest; only a contract rate applies")
        return InterestResult((), 0, days_late, tuple(warnings))
    if regime.rule in (RateRule.HALF_YEAR_SPLIT, RateRule.FROM_FORMAL_NOTICE):
        notes.append(HALF_YEAR_CONVENTION)
    fixed = None
    if regime.rule == RateRule.FIXED_WHEN_LATE and contract_rate is None:
        fixed = _statutory(regime, rates, due_on + ONE_DAY)
    pieces: list[InterestPiece] = []
    for piece_start, piece_end, base in _segments(amount, start, end, ordered, regime.rule):
        if contract_rate is not None:
            rate = _Rate(contract_rate, False, "")
            warnings.extend(_floor_warnings(regime, rates, contract_rate, piece_start))
        else:
            rate = fixed or _statutory(regime, rates, piece_start)
        days = (piece_end - piece_start).days + 1
        pieces.append(
            InterestPiece(
                start=piece_start,
                end=piece_end,
                days=days,
                base=base,
                rate=rate.percent,
                interest=interest_on(base, rate.percent, days),
                flagged=rate.flagged,
                reason=rate.reason,
                missing=rate.missing,
            )
        )
    total = sum(piece.interest for piece in pieces)
    return InterestResult(
        tuple(pieces), total, days_late, tuple(dict.fromkeys(warnings)), tuple(notes)
    )


def interest_on(base: int, percent: Decimal, days: int) -> int:
    """Simple interest in minor units, exact until one final half-up rounding."""
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(base) * percent * days / (100 * DAYS_IN_YEAR)
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _last_day(amount: int, due_on: date, until: date, payments: Sequence[tuple[date, int]]) -> date:
    """The last day interest can run: ``until``, or the day the invoice was paid in full."""
    paid = 0
    for paid_on, paid_amount in payments:
        paid += paid_amount
        if paid >= amount:
            return max(due_on, min(paid_on, until))
    return max(due_on, until)


def _segments(
    amount: int,
    start: date,
    end: date,
    payments: Sequence[tuple[date, int]],
    rule: RateRule,
) -> list[tuple[date, date, int]]:
    """Runs of days with one base, cut at payments and (when split) at half-years."""
    cuts: set[date] = set()
    for paid_on, _ in payments:
        if start <= paid_on < end:
            cuts.add(paid_on + ONE_DAY)
    if rule in (RateRule.HALF_YEAR_SPLIT, RateRule.FROM_FORMAL_NOTICE):
        day = start
        while day <= end:
            _, last = half_year_of(day)
            if last < end:
                cuts.add(last + ONE_DAY)
            day = last + ONE_DAY
    segments = []
    bounds = [start, *sorted(c for c in cuts if start < c <= end), end + ONE_DAY]
    for piece_start, next_start in pairwise(bounds):
        base = amount - sum(paid for paid_on, paid in payments if paid_on < piece_start)
        if base > 0 and piece_start < next_start:
            segments.append((piece_start, next_start - ONE_DAY, base))
    return segments


def _statutory(regime: Jurisdiction, rates: RateTable, day: date) -> _Rate:
    """The regime's reference rate on ``day`` plus its margin, flagged as the lookup says."""
    assert regime.rate_series is not None, "a statutory regime names its rate series"
    found: RateLookup = rates.lookup(regime.rate_series, day)
    return _Rate(found.rate + regime.margin, found.flagged, found.reason, found.missing)


def _floor_warnings(
    regime: Jurisdiction, rates: RateTable, contract_rate: Decimal, day: date
) -> list[str]:
    """A warning when the contract rate is below the legal floor on ``day``."""
    if regime.floor_series is None:
        return []
    legal = rates.lookup(regime.floor_series, day)
    floor = legal.rate * regime.floor_factor
    if contract_rate >= floor:
        return []
    first, last = half_year_of(day)
    return [
        f"contract rate {contract_rate} % is below {regime.floor_factor} × the legal rate "
        f"({regime.floor_factor} × {legal.rate} % = {floor} %) for {first}..{last}"
    ]
