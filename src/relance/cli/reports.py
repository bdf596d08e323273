"""The two read-only views: the triage list (`today`) and one client (`show`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from relance.domain.money import decimal_string, format_money, format_totals
from relance.literal import literal
from relance.markers import markers_of
from relance.services.payment_terms import terms_record
from relance.store.detail import ClientDetail, EventRow, PlanRow
from relance.store.triage import SortKey, Totals, TriageRow, triage_window

PAGE_SIZE = 500
SEPARATOR = " · "
# The table's columns are one space apart plus the padding collapsed between them.
COLUMN_GAP = 2
# A name or next action narrower than this would fold into a tower of two-letter lines.
FLEXIBLE_MIN_WIDTH = 10


def all_triage_rows(today: date) -> list[TriageRow]:
    """Every client in triage order, most days overdue first, read one window at a time."""
    rows: list[TriageRow] = []
    while True:
        window = triage_window(today, SortKey.OVERDUE, offset=len(rows), limit=PAGE_SIZE)
        rows.extend(window)
        if len(window) < PAGE_SIZE:
            return rows


def triage_record(row: TriageRow, today: date) -> dict[str, Any]:
    """One line of `today --json`."""
    return {
        "client_id": row.client_id,
        "client": row.name,
        "kind": row.kind,
        "days_overdue": row.days_overdue,
        "outstanding": decimal_string(row.outstanding),
        "currency": row.currency,
        "open_invoices": row.open_invoices,
        "next_action": row.next_action,
        "next_action_on": _iso(row.next_action_on),
        "step": row.ladder_step,
        "reason": row.next_action_reason,
        "profile": row.payer_profile,
        "disputed": row.disputed,
        "snoozed_until": _iso(row.snoozed_until) if row.is_snoozed(today) else None,
        "promise": row.has_promise,
        "broken_promise": row.broken_promise,
        "plan": row.has_plan,
        "next_instalment_on": _iso(row.next_instalment_on),
        "undelivered": row.undelivered,
    }


def triage_table(rows: list[TriageRow], today: date, width: int) -> Table:
    """The triage list as a table for people, fitted to ``width`` columns."""
    cells = [
        [
            Text(str(row.client_id)),
            literal(row.name, keep_newlines=False),
            Text(f"{row.days_overdue}d" if row.days_overdue else "", style="bold"),
            Text(format_money(row.outstanding, row.currency) if row.outstanding else "—"),
            Text(str(row.open_invoices) if row.open_invoices else ""),
            literal(row.next_action, keep_newlines=False),
            Text(_iso(row.next_action_on) or ""),
            Text(flag_letters(row, today)),
        ]
        for row in rows
    ]
    headers = ["id", "client", "late", "outstanding", "inv", "next action", "on", "flags"]
    widest = [
        max([len(header), *(cell[index].cell_len for cell in cells)])
        for index, header in enumerate(headers)
    ]
    # Numbers, dates and flags keep their width; the name and the next action share the rest.
    fixed = sum(widest[i] for i in (0, 2, 3, 4, 6, 7)) + COLUMN_GAP * (len(headers) - 1)
    room = max(width - fixed, 2 * FLEXIBLE_MIN_WIDTH)
    name_width = min(widest[1], max(FLEXIBLE_MIN_WIDTH, room * 3 // 5))
    action_width = min(widest[5], max(FLEXIBLE_MIN_WIDTH, room - name_width))
    table = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1), collapse_padding=True
    )
    for index, header in enumerate(headers):
        if index == 1:
            table.add_column(header, overflow="fold", width=name_width)
        elif index == 5:
            table.add_column(header, overflow="fold", width=action_width)
        else:
            right = index in (0, 2, 3, 4)
            table.add_column(header, justify="right" if right else "left", no_wrap=True)
    for row_cells in cells:
        table.add_row(*row_cells)
    return table


def flag_letters(row: TriageRow, today: date) -> str:
    """One letter per marker, explained by ``markers.legend()`` under the table."""
    return "".join(marker.letter for marker in markers_of(row, today))


def totals_line(totals: Totals) -> Text:
    """The header figures on one line."""
    parts = [
        f"outstanding {format_totals(totals.outstanding)}",
        f"overdue {format_totals(totals.overdue)}",
        f"{totals.clients_overdue} of {totals.clients_total} clients overdue",
    ]
    if totals.dso_days is not None:
        parts.append(f"DSO {totals.dso_days:.0f} days")
    return Text(SEPARATOR.join(parts))


def client_record(detail: ClientDetail, today: date) -> dict[str, Any]:
    """Everything `show --json` gives about one client (instalment states as of ``today``)."""
    currency = detail.currency
    return {
        "client_id": detail.client_id,
        "id": detail.client_id,
        "name": detail.name,
        "kind": detail.kind,
        "language": detail.language,
        "jurisdiction": detail.jurisdiction,
        "state": detail.region,
        "currency": currency,
        "payment_terms_days": detail.terms.delay_days,
        "payment_terms": {
            **terms_record(detail.terms),
            "contract_rate": detail.contract_rate,
        },
        "prevention": [
            {
                "on": flag.on.isoformat(),
                "flag": flag.flag,
                "invoice": flag.invoice_number or None,
                "summary": flag.summary,
                "author": flag.author,
            }
            for flag in detail.prevention
        ],
        "payer_profile": detail.payer_profile,
        "outstanding": decimal_string(detail.outstanding),
        "overdue": decimal_string(detail.overdue),
        "days_overdue": detail.days_overdue,
        "credit": decimal_string(detail.credit),
        "disputed": detail.disputed,
        "snoozed_until": _iso(detail.snoozed_until),
        "next_action": detail.next_action,
        "next_action_on": _iso(detail.next_action_on),
        "step": detail.ladder_step,
        "reason": detail.next_action_reason,
        "profile": detail.payer_profile,
        "profile_set_by_hand": detail.profile_override is not None,
        "profile_reasons": list(detail.profile_reasons),
        "notes": detail.notes,
        "contacts": [
            {
                "name": c.name,
                "role": c.role,
                "email": c.email,
                "phone": c.phone,
                "address": c.address,
                "is_billing": c.is_billing,
                "id": c.contact_id,
                "language": c.language or None,
                "phone_wrong": c.phone_wrong is not None,
                "phone_wrong_reason": c.phone_wrong,
                "email_bounced": c.email_bounced is not None,
                "email_bounced_reason": c.email_bounced,
            }
            for c in detail.contacts
        ],
        "invoices": [
            {
                "number": inv.number,
                "issued_on": _iso(inv.issued_on),
                "due_on": _iso(inv.due_on),
                "amount": decimal_string(inv.amount),
                "paid": decimal_string(inv.paid),
                "outstanding": decimal_string(inv.outstanding),
                "days_overdue": inv.days_overdue,
                "currency": inv.currency,
                "is_deposit": inv.is_deposit,
            }
            for inv in detail.invoices
        ],
        "history": [_event_record(event) for event in detail.history],
        "payments": [
            {
                "id": pay.payment_id,
                "amount": decimal_string(pay.amount),
                "received_on": _iso(pay.received_on),
                "method": pay.method,
                "reference": pay.reference,
                "allocated": decimal_string(pay.allocated),
                "credit": decimal_string(pay.credit),
                "reversed_at": _iso(pay.reversed_at),
                "reversal_reason": pay.reversal_reason,
                "allocations": [
                    {"to": a.target, "amount": decimal_string(a.amount)}
                    for a in detail.allocations
                    if a.payment_id == pay.payment_id
                ],
            }
            for pay in detail.payments
        ],
        "plans": [_plan_record(plan, today) for plan in detail.plans],
        "broken_promise": _broken_record(detail),
        "promises": [
            {
                "id": p.promise_id,
                "amount": decimal_string(p.amount),
                "due_on": _iso(p.due_on),
                "made_on": _iso(p.made_on),
                "status": p.status,
                "made_by": p.made_by,
                "words": p.words,
            }
            for p in detail.promises
        ],
    }


def _event_record(event: EventRow) -> dict[str, Any]:
    """One history event for JSON."""
    return {
        "id": event.event_id,
        "kind": event.kind,
        "at": _iso(event.at),
        "summary": event.summary,
        "outcome": event.outcome,
        "channel": event.channel,
        "direction": event.direction,
        "body": event.body,
        "amount": None if event.amount is None else decimal_string(event.amount),
        "follow_up": event.follow_up_action,
        "follow_up_on": _iso(event.follow_up_on),
    }


def _broken_record(detail: ClientDetail) -> dict[str, Any] | None:
    """The broken promise the client has yet to answer for, for JSON."""
    broken = detail.broken_promise
    if broken is None:
        return None
    return {
        "id": broken.promise_id,
        "amount": decimal_string(broken.amount),
        "due_on": _iso(broken.due_on),
        "made_on": _iso(broken.made_on),
        "made_by": broken.made_by,
        "words": broken.words,
        "channel": broken.channel,
        "followed_up": broken.followed_up,
    }


def _plan_record(plan: PlanRow, today: date) -> dict[str, Any]:
    """One payment plan with its schedule for JSON."""
    return {
        "id": plan.plan_id,
        "status": plan.status,
        "total": decimal_string(plan.total),
        "frequency": plan.frequency,
        "created_on": _iso(plan.created_on),
        "instalments": [
            {
                "seq": i.seq,
                "due_on": _iso(i.due_on),
                "amount": decimal_string(i.amount),
                "paid": decimal_string(i.paid),
                "is_deposit": i.is_deposit,
                "state": i.state(today),
            }
            for i in plan.instalments
        ],
    }


def client_report(detail: ClientDetail, today: date) -> RenderableType:
    """One client for people: figures, contacts, invoices, promises, plans, payments, history."""
    money = _money_in(detail.currency)
    title = literal(detail.name, "bold", keep_newlines=False)
    title.append(f"  #{detail.client_id} · {detail.kind} · {detail.language} · {detail.currency}")
    figures = [
        f"outstanding {money(detail.outstanding)}",
        f"overdue {money(detail.overdue)}",
    ]
    if detail.days_overdue:
        figures.append(f"{detail.days_overdue} days late")
    if detail.credit:
        figures.append(f"credit {money(detail.credit)}")
    status = _status_line(detail, today)
    parts: list[RenderableType] = [title, Text(SEPARATOR.join(figures))]
    if status.plain:
        parts.append(status)
    parts.append(_profile_line(detail))
    if detail.contacts:
        parts += [_heading("Contacts"), _contacts_table(detail)]
    parts += [_heading("Invoices"), _invoices_table(detail) if detail.invoices else Text("none")]
    if detail.promises:
        parts += [_heading("Promises"), _promises_table(detail)]
    for plan in detail.plans:
        parts += [_heading(f"Payment plan ({plan.status})"), _plan_table(plan, money, today)]
    if detail.payments:
        parts += [_heading("Payments"), _payments_table(detail)]
    parts += [_heading("History (newest first)"), _history_table(detail)]
    if detail.notes.strip():
        parts += [_heading("Notes"), literal(detail.notes)]
    return Group(*parts)


def _status_line(detail: ClientDetail, today: date) -> Text:
    """Dispute, snooze and the next action, those that apply."""
    pieces: list[Text] = []
    if detail.disputed:
        pieces.append(Text("DISPUTED", style="bold"))
    broken = detail.broken_promise
    if broken is not None:
        words = f"BROKEN PROMISE: {format_money(broken.amount, detail.currency)} by {broken.due_on}"
        pieces.append(Text(words, style="bold"))
    if detail.snoozed_until and detail.snoozed_until > today:
        pieces.append(Text(f"snoozed until {detail.snoozed_until.isoformat()}"))
    if detail.next_action:
        action = Text("next: ")
        action.append_text(literal(detail.next_action, keep_newlines=False))
        if detail.next_action_on:
            action.append(f" on {detail.next_action_on.isoformat()}")
        pieces.append(action)
    if detail.next_action_reason:
        pieces.append(literal(detail.next_action_reason, keep_newlines=False))
    if detail.undelivered is not None:
        # The latest reminder did not leave: said here, as the app's detail says it.
        note = literal(detail.undelivered, keep_newlines=False)
        pieces.append(Text("NOT SENT: ", style="bold") + note)
    return Text(SEPARATOR).join(pieces)


def _profile_line(detail: ClientDetail) -> Text:
    """The payer profile, who set it, and the facts behind it."""
    line = Text("payer: ")
    line.append(detail.payer_profile.replace("_", " ").replace("-", " "), style="bold")
    if detail.profile_override:
        line.append(" (set by hand)")
    if detail.profile_reasons:
        line.append(" — " + "; ".join(detail.profile_reasons))
    return line


def _heading(title: str) -> Text:
    """A section title, with a blank line before it."""
    return Text(f"\n{title}", style="bold underline")


def _table(*columns: str) -> Table:
    """A plain table; columns ending in "$" are right-aligned amounts."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column in columns:
        if column.endswith("$"):
            table.add_column(column[:-1], justify="right", no_wrap=True)
        else:
            table.add_column(column, overflow="fold")
    return table


def _contacts_table(detail: ClientDetail) -> Table:
    """Who to call or write to; the billing contact first."""
    table = _table("name", "role", "e-mail", "phone", "address")
    for c in detail.contacts:
        role = c.role or ("billing" if c.is_billing else "")
        email, phone = literal(c.email), literal(c.phone)
        if c.email_bounced is not None:
            email.append(" (bounced)")
        if c.phone_wrong is not None:
            phone.append(" (wrong)")
        table.add_row(literal(c.name), literal(role), email, phone, literal(c.address))
    return table


def _invoices_table(detail: ClientDetail) -> Table:
    """Invoices with what was paid and how late each one is."""
    table = _table("number", "issued", "due", "amount$", "paid$", "owed$", "late$")
    for inv in detail.invoices:
        money = _money_in(inv.currency)
        table.add_row(
            literal(inv.number, keep_newlines=False),
            Text(inv.issued_on.isoformat()),
            Text(inv.due_on.isoformat()),
            Text(money(inv.amount)),
            Text(money(inv.paid)),
            Text(money(inv.outstanding) if inv.outstanding else "paid"),
            Text(f"{inv.days_overdue}d" if inv.days_overdue else ""),
        )
    return table


def _promises_table(detail: ClientDetail) -> Table:
    """Promises to pay and whether they were kept."""
    money = _money_in(detail.currency)
    table = _table("made", "amount$", "by", "status", "who", "words")
    for p in detail.promises:
        table.add_row(
            Text(p.made_on.isoformat()),
            Text(money(p.amount)),
            Text(p.due_on.isoformat()),
            literal(p.status),
            literal(p.made_by),
            literal(p.words),
        )
    return table


def _plan_table(plan: PlanRow, money: Callable[[int], str], today: date) -> Table:
    """A plan's schedule, each instalment paid, due or late."""
    table = _table("#", "due", "amount$", "paid$", "state")
    for i in plan.instalments:
        label = f"{i.seq} (deposit)" if i.is_deposit else str(i.seq)
        table.add_row(
            Text(label),
            Text(i.due_on.isoformat()),
            Text(money(i.amount)),
            Text(money(i.paid)),
            Text(i.state(today)),
        )
    return table


def _payments_table(detail: ClientDetail) -> Table:
    """Money received."""
    money = _money_in(detail.currency)
    table = _table("id", "received", "amount$", "method", "reference", "applied to")
    for pay in detail.payments:
        applied = "\n".join(
            f"{a.target} {money(a.amount)}"
            for a in detail.allocations
            if a.payment_id == pay.payment_id
        )
        if pay.credit:
            applied += ("\n" if applied else "") + f"credit {money(pay.credit)}"
        if pay.reversed_at is not None:
            applied = f"REVERSED {pay.reversed_at:%Y-%m-%d}"
            applied += f" — {pay.reversal_reason}" if pay.reversal_reason else ""
        table.add_row(
            Text(str(pay.payment_id)),
            Text(pay.received_on.isoformat()),
            Text(money(pay.amount)),
            literal(pay.method),
            literal(pay.reference),
            literal(applied),
        )
    return table


def _history_table(detail: ClientDetail) -> RenderableType:
    """The history log, newest first, with the full text of each event."""
    if not detail.history:
        return Text("nothing yet")
    table = _table("when", "kind", "what")
    for event in detail.history:
        what = literal(event.summary)
        if event.body and event.body not in event.summary:
            what.append("\n")
            what.append_text(literal(event.body, "dim"))
        if event.follow_up_on:
            what.append(f"\n→ {event.follow_up_action} on {event.follow_up_on.isoformat()}", "dim")
        table.add_row(Text(_when(event.at)), literal(event.kind), what)
    return table


def _money_in(currency: str) -> Callable[[int], str]:
    """A formatter for amounts in one currency."""
    return lambda minor: format_money(minor, currency)


def _when(moment: datetime | str) -> str:
    """A moment to the minute."""
    if isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%d %H:%M")
    return str(moment)[:16]


def _iso(value: date | datetime | str | None) -> str | None:
    """A date or moment in ISO form, None staying None."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
