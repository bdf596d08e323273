"""The late-payment law from the command line: `relance calc penalty` and `relance rates`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from relance.cli.context import Context
from relance.cli.errors import BadInput
from relance.domain.compensation import fixed_compensation
from relance.domain.dates import DateError, parse_date
from relance.domain.interest import InterestPiece, InterestResult, late_interest
from relance.domain.jurisdictions import SERIES, Jurisdiction, UnknownJurisdiction, jurisdiction
from relance.domain.money import (
    AmountError,
    decimal_string,
    format_money,
    parse_amount,
    parse_currency,
)
from relance.domain.rates import RateError, RateOrigin, RatePeriod, RateTable, parse_percent
from relance.law_rates import rate_table
from relance.literal import literal
from relance.paths import database_path
from relance.services.claims import ClientClaim
from relance.store.rates import OverlappingRate, add_user_rate, user_rate_periods

# Dates outside these are typos; they would also overflow date arithmetic at the edges.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


def calc_penalty(ctx: Context) -> int:
    """`relance calc penalty`: interest, fixed fee and total for one invoice."""
    args = ctx.args
    regime = _jurisdiction(args.jurisdiction)
    amount = _amount("--amount", args.amount)
    due_on = _date("--due", args.due, ctx.today)
    as_of = _date("--as-of", args.as_of, ctx.today) if args.as_of else ctx.today
    paid_on = _date("--paid-on", args.paid_on, ctx.today) if args.paid_on else None
    if args.paid:
        paid = _amount("--paid", args.paid, allow_zero=True)
    else:
        paid = amount if paid_on is not None else 0
    if paid > amount:
        raise BadInput("--paid: more than --amount")
    contract_rate = _percent("--rate", args.rate) if args.rate else None
    notice_on = _date("--notice", args.notice, ctx.today) if args.notice else None
    currency = _currency(args.currency) if args.currency else regime.currency
    payments = [(paid_on or due_on, paid)] if paid else []
    result = late_interest(
        amount,
        due_on,
        as_of,
        regime,
        _rates_for_calculation(ctx),
        payments=payments,
        contract_rate=contract_rate,
        formal_notice_on=notice_on,
    )
    fee = fixed_compensation(regime, amount, result.days_late)
    warnings = list(result.warnings)
    total = result.interest + fee.amount
    if fee.amount and fee.currency != currency:
        warnings.append(
            f"the fixed compensation is {decimal_string(fee.amount)} {fee.currency}, "
            f"not counted in a {currency} total"
        )
        total = result.interest
    record = penalty_record(result, currency, fee.amount, fee.currency, total)
    record = {"jurisdiction": regime.code, "amount": decimal_string(amount), **record}
    record["warnings"] = list(dict.fromkeys(warnings))
    if args.json:
        ctx.out.json(record)
    else:
        _print_penalty(ctx, record, result)
    return 0


def penalty_record(
    result: InterestResult, currency: str, fee: int, fee_currency: str, total: int
) -> dict[str, Any]:
    """The decimal-string form of one invoice's interest, fee and total, for JSON."""
    rates = {piece.rate for piece in result.pieces}
    return {
        "currency": currency,
        "days_late": result.days_late,
        "rate": str(rates.pop()) if len(rates) == 1 else None,
        "periods": [_piece_record(piece) for piece in result.pieces],
        "interest": decimal_string(result.interest),
        "fixed_compensation": decimal_string(fee),
        "fixed_compensation_currency": fee_currency,
        "total": decimal_string(total),
        "flags": list(result.flags),
        "warnings": list(result.warnings),
        "notes": list(result.notes),
    }


def _piece_record(piece: InterestPiece) -> dict[str, Any]:
    """One period of the delay for JSON."""
    return {
        "from": piece.start.isoformat(),
        "to": piece.end.isoformat(),
        "days": piece.days,
        "base": decimal_string(piece.base),
        "rate": str(piece.rate),
        "interest": decimal_string(piece.interest),
        "flagged": piece.flagged,
        "reason": piece.reason,
    }


def _print_penalty(ctx: Context, record: dict[str, Any], result: InterestResult) -> None:
    """The penalty for people: one figure a line, then the periods, flags and warnings."""
    currency = record["currency"]
    ctx.out.line(f"jurisdiction        {record['jurisdiction']}")
    ctx.out.line(f"days_late           {record['days_late']}")
    if record["rate"] is not None:
        ctx.out.line(f"rate                {record['rate']} %")
    if result.pieces:
        ctx.out.line("periods")
        for piece in result.pieces:
            mark = " *" if piece.flagged else ""
            ctx.out.line(
                f"  {piece.start}..{piece.end}  {piece.days:>4} days  {piece.rate:>6} %  "
                f"on {decimal_string(piece.base)}  = {decimal_string(piece.interest)}{mark}"
            )
    ctx.out.line(f"interest            {record['interest']} {currency}")
    fee_currency = record["fixed_compensation_currency"]
    ctx.out.line(f"fixed_compensation  {record['fixed_compensation']} {fee_currency}")
    ctx.out.line(f"total               {record['total']} {currency}")
    for flag in record["flags"]:
        ctx.out.line(f"flag: * {flag}")
    for warning in record["warnings"]:
        ctx.out.line(f"warning: {warning}")
    for note in record["notes"]:
        ctx.out.line(f"note: {note}")


def rates_list(ctx: Context) -> int:
    """`relance rates list`: the shipped rates and the user's own, by series and date."""
    table = _rates_for_calculation(ctx)
    series = ctx.args.series
    if series and series not in SERIES:
        raise BadInput(f"--series: unknown series {series!r} (known: {', '.join(SERIES)})")
    periods = [p for p in table.periods if not series or p.series == series]
    if ctx.args.json:
        ctx.out.json([_period_record(p) for p in periods])
        return 0
    grid = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column in ("series", "from", "to", "rate %", "origin", "note"):
        grid.add_column(column, justify="right" if column == "rate %" else "left")
    for period in periods:
        grid.add_row(
            Text(period.series),
            Text(period.valid_from.isoformat()),
            Text(period.valid_to.isoformat()),
            Text(str(period.rate)),
            Text(period.origin.value),
            Text(period.note),
        )
    ctx.out.render(grid)
    return 0


def rates_add(ctx: Context) -> int:
    """`relance rates add`: one user period for a series, refused if it overlaps the user's own."""
    args = ctx.args
    if args.series not in SERIES:
        raise BadInput(f"series: unknown {args.series!r} (known: {', '.join(SERIES)})")
    valid_from = _date("--from", args.valid_from, ctx.today)
    valid_to = _date("--to", args.valid_to, ctx.today)
    if valid_to < valid_from:
        raise BadInput("--to: before --from")
    period = RatePeriod(
        series=args.series,
        valid_from=valid_from,
        valid_to=valid_to,
        rate=_percent("--rate", args.rate),
        origin=RateOrigin.USER,
        note=args.note,
    )
    ctx.open_book()
    try:
        add_user_rate(period, ctx.now())
    except OverlappingRate as error:
        raise BadInput(str(error)) from None
    ctx.out.line(
        f"added {period.series} {period.rate} % for {period.valid_from}..{period.valid_to}"
    )
    return 0


def _period_record(period: RatePeriod) -> dict[str, Any]:
    """One rate period for JSON."""
    return {
        "series": period.series,
        "valid_from": period.valid_from.isoformat(),
        "valid_to": period.valid_to.isoformat(),
        "rate": str(period.rate),
        "origin": period.origin.value,
        "note": period.note,
    }


def _rates_for_calculation(ctx: Context) -> RateTable:
    """The shipped rates, plus the user's own when a book already exists (never creating one)."""
    if not database_path(ctx.args.db).exists():
        return rate_table()
    ctx.open_book()
    return rate_table(user_rate_periods())


def _jurisdiction(text: str) -> Jurisdiction:
    """The regime named by --jurisdiction, or a one-line refusal."""
    try:
        return jurisdiction(text)
    except UnknownJurisdiction as error:
        raise BadInput(f"--jurisdiction: {error}") from None


def _amount(option: str, text: str, *, allow_zero: bool = False) -> int:
    """An amount option in minor units, or a one-line refusal naming the option."""
    try:
        return parse_amount(text, allow_zero=allow_zero)
    except AmountError as error:
        raise BadInput(f"{option}: {error}") from None


def _date(option: str, text: str, today: date) -> date:
    """A date option, or a one-line refusal naming the option."""
    try:
        day = parse_date(text, today=today)
    except DateError as error:
        raise BadInput(f"{option}: {error}") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise BadInput(f"{option}: {day} is out of range ({EARLIEST_DATE}..{LATEST_DATE})")
    return day


def _percent(option: str, text: str) -> Decimal:
    """A percentage option, or a one-line refusal naming the option."""
    try:
        return parse_percent(text)
    except RateError as error:
        raise BadInput(f"{option}: {error}") from None


def _currency(text: str) -> str:
    """A currency option, or a one-line refusal."""
    try:
        return parse_currency(text)
    except AmountError as error:
        raise BadInput(f"--currency: {error}") from None


def claim_record(claim: ClientClaim) -> dict[str, Any]:
    """What `show --json` gives under ``claim``: per-invoice interest and fees, and totals."""
    return {
        "jurisdiction": claim.jurisdiction,
        "currency": claim.currency,
        "contract_rate": None if claim.contract_rate is None else str(claim.contract_rate),
        "invoices": [
            {
                "number": item.number,
                "currency": item.currency,
                "due_on": item.due_on.isoformat(),
                "days_late": item.days_late,
                "outstanding": decimal_string(item.outstanding),
                "interest": decimal_string(item.interest.interest),
                "fixed_compensation": decimal_string(item.fixed_fee),
                "fixed_compensation_currency": item.fee_currency,
                "total": decimal_string(item.total),
                "periods": [_piece_record(piece) for piece in item.interest.pieces],
                "flags": list(item.interest.flags),
                "warnings": list(item.interest.warnings),
                "limitation_on": item.limitation.on.isoformat() if item.limitation.on else None,
                "limitation_note": item.limitation.note,
                "time_barred": item.time_barred,
            }
            for item in claim.invoices
            if not item.time_barred
        ],
        "time_barred": [
            {
                "number": item.number,
                "currency": item.currency,
                "due_on": item.due_on.isoformat(),
                "days_late": item.days_late,
                "outstanding": decimal_string(item.outstanding),
                "limitation_on": item.limitation.on.isoformat() if item.limitation.on else None,
                "limitation_note": item.limitation.note,
            }
            for item in claim.time_barred
        ],
        "outstanding": decimal_string(claim.outstanding),
        "interest": decimal_string(claim.interest),
        "fixed_compensation": decimal_string(claim.fixed_fees),
        "total": decimal_string(claim.total),
        "flags": list(claim.flags),
        "warnings": list(claim.warnings),
        "route": None
        if claim.route is None
        else {
            "name": claim.route.name,
            "limit": None if claim.route.limit is None else decimal_string(claim.route.limit),
            "fits": claim.route.fits,
            "note": claim.route.note,
        },
        "verdict": claim.verdict,
    }


def claim_report(claim: ClientClaim) -> RenderableType:
    """The claim for people: one row per late invoice, the totals, flags and warnings."""
    heading = Text(f"\nLate interest & fees ({claim.jurisdiction})", style="bold underline")
    if not claim.invoices:
        return Group(heading, Text("nothing late", style="dim"), *_claim_notes(claim))
    grid = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column in ("number", "due", "late", "owed", "interest", "fee", "total", "rate % (period)"):
        numeric = column in ("late", "owed", "interest", "fee", "total")
        grid.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for item in claim.invoices:
        if item.time_barred:
            continue
        grid.add_row(
            literal(item.number, keep_newlines=False),
            Text(item.due_on.isoformat()),
            Text(f"{item.days_late}d"),
            Text(format_money(item.outstanding, item.currency)),
            Text(format_money(item.interest.interest, item.currency)),
            Text(format_money(item.fixed_fee, item.fee_currency)),
            Text(format_money(item.total, item.currency)),
            Text(pieces_summary(item.interest)),
        )
    money = claim.currency
    total = Text(
        f"total claimable {format_money(claim.total, money)} = owed "
        f"{format_money(claim.outstanding, money)} + interest {format_money(claim.interest, money)}"
        f" + fees {format_money(claim.fixed_fees, money)}"
    )
    return Group(heading, grid, total, *_claim_notes(claim))


def pieces_summary(result: InterestResult) -> str:
    """Each rate and the period it was used for, a star marking a flagged rate."""
    return ", ".join(
        f"{piece.rate}{'*' if piece.flagged else ''} ({piece.start}..{piece.end})"
        for piece in result.pieces
    )


def _claim_notes(claim: ClientClaim) -> list[Text]:
    """Flags, warnings, limitation dates and the court route, one line each."""
    lines = [Text(f"* {flag}", style="dim") for flag in claim.flags]
    lines += [Text(f"warning: {warning}") for warning in claim.warnings]
    for item in claim.time_barred:
        owed = format_money(item.outstanding, item.currency)
        lines.append(
            Text(f"{item.number}: time-barred, {owed} not claimed ({item.limitation.note})")
        )
    barred_on = [item.limitation.on for item in claim.invoices if item.limitation.on]
    if barred_on:
        lines.append(Text(f"first limitation date {min(barred_on)}", style="dim"))
    elif claim.invoices:
        lines.append(Text(f"limitation: {claim.invoices[0].limitation.note}", style="dim"))
    if claim.route is not None:
        fits = "" if claim.route.fits else " (does not fit)"
        lines.append(Text(f"route: {claim.route.name}{fits} — {claim.route.note}", style="dim"))
    if claim.verdict:
        lines.append(Text(claim.verdict))
    return lines
