"""The detail pane: one client's contacts, invoices, commitments and history, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, JustifyMethod, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from relance.domain.prevention import FLAG_WORDS, REFUSALS, subject_of
from relance.domain.profile import Profile
from relance.domain.written_dates import short_day
from relance.literal import literal, one_line
from relance.services.payment_terms import terms_words
from relance.tui.look import VERY_LATE_DAYS, CellStyles, money, user_text

if TYPE_CHECKING:
    # Only named in annotations: the claim's interest code is loaded with the first detail.
    from relance.services.claims import ClientClaim
    from relance.store.client_terms import PreventionRow
    from relance.store.detail import ClientDetail, EventRow, InvoiceRow, PlanRow


class EventMark:
    """The tag shown before each history line, and the group that colours it."""

    OUTREACH = ("call", "email", "letter", "sms", "visit")
    MONEY = ("payment", "promise", "plan")
    TROUBLE = ("dispute", "mediation", "legal")
    WORDS: ClassVar[dict[str, str]] = {
        "call": "CALL",
        "email": "EMAIL",
        "letter": "LETTER",
        "sms": "SMS",
        "visit": "VISIT",
        "note": "NOTE",
        "payment": "PAID",
        "promise": "PROMISE",
        "plan": "PLAN",
        "dispute": "DISPUTE",
        "snooze": "SNOOZE",
        "legal": "LEGAL",
        "mediation": "MEDIATE",
        "contact": "CONTACT",
    }
    MEANINGS: ClassVar[dict[str, str]] = {
        "CALL": "phone call",
        "EMAIL": "e-mail or reminder sent",
        "LETTER": "letter or formal notice",
        "SMS": "text message",
        "VISIT": "visit in person",
        "NOTE": "note, client added",
        "PAID": "payment received",
        "PROMISE": "promise to pay",
        "PLAN": "payment plan",
        "DISPUTE": "dispute opened or resolved",
        "SNOOZE": "snoozed or snooze lifted",
        "LEGAL": "legal step",
        "MEDIATE": "mediation proposed, agreed or failed",
        "CONTACT": "contact added, changed, removed or marked",
    }

    @classmethod
    def for_kind(cls, kind: str, styles: CellStyles) -> Text:
        """The mark of one kind of event, padded to line up."""
        word = cls.WORDS.get(kind, one_line(kind).upper()[:7])
        if kind in cls.OUTREACH:
            style = styles.contact
        elif kind in cls.MONEY:
            style = styles.money
        elif kind in cls.TROUBLE:
            style = styles.late  # already bold: trouble stands out
        else:
            style = styles.muted
        return Text(word.ljust(7), style=style)


# Narrower than this, the history shows dates without the time of day.
DETAIL_COMPACT_BELOW = 80
LANGUAGES = {"fr": "French", "en": "English"}


def header(detail: ClientDetail, today: date, styles: CellStyles) -> RenderableType:
    """Name, badges, profile and the money position of the client."""
    facts = [detail.kind.upper(), LANGUAGES.get(detail.language, detail.language)]
    facts.append(terms_words(detail.terms))
    title = Text(" · ".join(facts), style=styles.muted)
    for badge, active, style in (
        ("DISPUTE", detail.disputed, styles.late),
        (
            f"SNOOZED until {detail.snoozed_until}",
            detail.snoozed_until is not None and detail.snoozed_until > today,
            styles.muted,
        ),
        ("BROKEN PROMISE", detail.broken_promise is not None, styles.late),
        ("PROMISE", any(p.status == "open" for p in detail.promises), styles.flag),
        (
            "PLAN",
            any(p.status in ("proposed", "accepted", "active") for p in detail.plans),
            styles.money,
        ),
    ):
        if active:
            title.append("  ")
            title.append(f" {badge} ", Style(reverse=True) + style)
    position = Text()
    if detail.outstanding:
        position.append("Owes ", styles.muted)
        position.append(money(detail.outstanding, detail.currency), styles.strong)
        if detail.overdue:
            position.append(" · overdue ", styles.muted)
            position.append(money(detail.overdue, detail.currency), styles.late)
        if detail.days_overdue:
            late_style = styles.late if detail.days_overdue > VERY_LATE_DAYS else styles.due
            position.append(f" · {detail.days_overdue} days late", late_style)
    else:
        position.append("Nothing owed", styles.money)
    if detail.credit > 0:
        position.append(" · credit ", styles.muted)
        position.append(money(detail.credit, detail.currency), styles.money)
    lines: list[RenderableType] = [title, position]
    if detail.next_action:
        upcoming = Text("Next: ", styles.muted)
        upcoming.append(detail.next_action, styles.strong)
        if detail.next_action_on is not None:
            due = detail.next_action_on <= today
            if detail.next_action_on == today:
                upcoming.append(" today", styles.due)
            else:
                upcoming.append(" on ", styles.muted)
                upcoming.append(str(detail.next_action_on), styles.due if due else styles.strong)
        lines.append(upcoming)
        if detail.next_action_reason:
            reason = literal(detail.next_action_reason, keep_newlines=False)
            reason.stylize(styles.muted)
            lines.append(reason)
    lines.append(payer_line(detail, styles))
    if detail.prevention:
        lines.append(prevention_line(detail, styles))
    if detail.notes.strip():
        lines.append(literal(detail.notes.strip(), "italic"))
    return Group(*lines)


def prevention_line(detail: ClientDetail, styles: CellStyles) -> Text:
    """Where the deposit and the contract stand: the latest flag of each, refusals in red."""
    latest: dict[str, PreventionRow] = {}
    for row in detail.prevention:  # oldest first: a later flag replaces an earlier one
        latest[subject_of(row.flag)] = row
    line = Text("Before work: ", styles.muted)
    for index, row in enumerate(latest.values()):
        if index:
            line.append(" · ", styles.muted)
        word = FLAG_WORDS.get(row.flag, row.flag)
        line.append(word, styles.late if row.flag in REFUSALS else styles.strong)
        line.append(f" on {row.on}", styles.muted)
        if row.invoice_number:
            line.append(" (", styles.muted)
            line.append_text(user_text(row.invoice_number, styles.muted))
            line.append(")", styles.muted)
    return line


def payer_line(detail: ClientDetail, styles: CellStyles) -> Text:
    """The payer profile and why: the rules' reasons, or that the user set it."""
    line = Text("Payer: ", styles.muted)
    line.append(Profile(detail.payer_profile).label, styles.strong)
    if detail.profile_reasons:
        line.append(" — " + "; ".join(detail.profile_reasons), styles.muted)
    return line


def contacts(detail: ClientDetail, styles: CellStyles) -> RenderableType:
    """Each contact on one line: who, role, e-mail, phone, address."""
    if not detail.contacts:
        return Text("No contact yet.", style=styles.muted)
    lines: list[Text] = []
    for person in detail.contacts:
        line = Text()
        if person.name:
            line.append_text(user_text(person.name, styles.strong))
        roles = [person.role] if person.role else []
        if person.is_billing:
            roles.append("billing")
        if roles:
            line.append_text(
                user_text(
                    f" ({', '.join(roles)})" if person.name else ", ".join(roles), styles.muted
                )
            )
        for value, style, mark in (
            (person.email, styles.contact, "bounced" if person.email_bounced is not None else ""),
            (person.phone, Style(), "wrong number" if person.phone_wrong is not None else ""),
            (person.address, styles.muted, ""),
        ):
            if value:
                line.append(" · ", styles.muted)
                line.append_text(user_text(value, style))
            if value and mark:
                line.append(f" ({mark})", styles.late)
        lines.append(line)
    return Group(*lines)


def invoices(rows: list[InvoiceRow], styles: CellStyles, *, compact: bool) -> RenderableType:
    """The invoices, open ones in full colour, paid ones dimmed."""
    if not rows:
        return Text("No invoice yet — press i to add one.", style=styles.muted)
    lines: list[tuple[Text, ...]] = []
    for row in rows:
        if row.days_overdue:
            late_style = styles.late if row.days_overdue > VERY_LATE_DAYS else styles.due
            late = Text(f"{row.days_overdue}d", style=late_style)
        else:
            late = Text("paid" if row.outstanding == 0 else "–", style=styles.muted)
        lines.append(
            (
                user_text(row.number),
                Text(row.issued_on.isoformat()),
                Text(row.due_on.isoformat()),
                Text(money(row.amount, row.currency)),
                Text(money(row.paid, row.currency) if row.paid else "–"),
                late,
            )
        )
    table = fitted_table(
        [
            FittedColumn("Number", max_width=NUMBER_MAX_WIDTH),
            FittedColumn("Issued"),
            FittedColumn("Due"),
            FittedColumn("Amount", "right"),
            FittedColumn("Paid", "right"),
            FittedColumn("Late", "right"),
        ],
        lines,
        styles,
    )
    for row, cells in zip(rows, lines, strict=True):
        table.add_row(*cells, style=styles.muted if row.outstanding == 0 else None)
    return table


def commitments(detail: ClientDetail, today: date, styles: CellStyles) -> RenderableType | None:
    """Open promises and live payment plans, or nothing when there are none."""
    lines: list[Text] = []
    for promise in detail.promises:
        if promise.status != "open":
            continue
        line = Text("Promise ", styles.flag)
        line.append(money(promise.amount, detail.currency), styles.strong)
        line.append(f" by {promise.due_on}", styles.due if promise.due_on < today else "")
        if promise.made_by:
            line.append_text(user_text(f" · {promise.made_by}", styles.muted))
        if promise.words:
            line.append_text(user_text(f" · “{promise.words}”", styles.muted))
        lines.append(line)
    if detail.undelivered is not None:
        line = Text("Not sent ", styles.late)
        line.append_text(user_text(detail.undelivered, styles.late))
        lines.append(line)
    broken = detail.broken_promise
    if broken is not None:
        line = Text("Broken promise ", styles.late)
        line.append(money(broken.amount, detail.currency), styles.strong)
        line.append(f" by {broken.due_on}, made {broken.made_on}", styles.late)
        if broken.made_by:
            line.append_text(user_text(f" · {broken.made_by}", styles.muted))
        if broken.words:
            line.append_text(user_text(f" · “{broken.words}”", styles.muted))
        lines.append(line)
    for plan in detail.plans:
        if plan.status not in ("proposed", "accepted", "active"):
            continue
        line = Text(f"Plan {plan.status} ", styles.money)
        line.append(money(plan.total, detail.currency), styles.strong)
        line.append(f" in {len(plan.instalments)} × {plan.frequency}", styles.muted)
        upcoming = next((i for i in plan.instalments if i.paid < i.amount), None)
        if upcoming is not None:
            line.append(" · next ", styles.muted)
            line.append(money(upcoming.amount - upcoming.paid, detail.currency))
            line.append(f" on {upcoming.due_on}", styles.due if upcoming.due_on < today else "")
        lines.append(line)
        if plan.status != "proposed":
            lines.extend(plan_timeline(plan, detail.currency, today, styles))
    return Group(*lines) if lines else None


# How each state of an instalment shows on the timeline: a mark and the style of the line.
TIMELINE_MARKS = {"paid": "✓", "due": "·", "late": "!"}


def plan_timeline(plan: PlanRow, currency: str, today: date, styles: CellStyles) -> list[Text]:
    """A running plan's instalments, one line each: paid, due or late."""
    style_of: dict[str, Style] = {"paid": styles.money, "due": Style(), "late": styles.late}
    lines = []
    for item in plan.instalments:
        state = item.state(today)
        line = Text(f"  {TIMELINE_MARKS[state]} {item.seq:>2}. ", style_of[state])
        line.append(short_day(item.due_on, today))
        line.append(f"  {money(item.amount, currency)}", styles.strong)
        words = state
        if state != "paid" and item.paid:
            words += f", {money(item.paid, currency)} paid"
        if item.is_deposit:
            words += ", deposit"
        line.append(f"  {words}", styles.muted if state == "due" else style_of[state])
        lines.append(line)
    return lines


def history(events: list[EventRow], styles: CellStyles, *, compact: bool) -> RenderableType:
    """The history log, newest first, one mark per kind of event."""
    if not events:
        return Text("Nothing recorded yet.", style=styles.muted)
    table = Table(box=None, padding=(0, 1), pad_edge=False, show_header=False, expand=True)
    when = "%Y-%m-%d" if compact else "%Y-%m-%d %H:%M"
    marks = [EventMark.for_kind(event.kind, styles) for event in events]
    # Given widths: Rich measures no cell of these two columns (see fitted_table).
    when_width = len(date(2000, 1, 1).strftime(when))
    table.add_column("When", no_wrap=True, style=styles.muted, width=when_width)
    table.add_column("Kind", no_wrap=True, width=max(mark.cell_len for mark in marks))
    table.add_column("What", ratio=1, overflow="fold")
    for event, mark in zip(events, marks, strict=True):
        what = user_text(event.summary)
        if event.direction == "in":
            what = Text("← ", styles.muted) + what
        table.add_row(event.at.strftime(when), mark, what)
    return table


def late_fees(claim: ClientClaim, today: date, styles: CellStyles) -> RenderableType | None:
    """Interest to date, fixed fee and total per late invoice and in all, with the rates used."""
    if not claim.invoices and not claim.warnings:
        return None
    lines: list[RenderableType] = []
    live = [item for item in claim.invoices if not item.time_barred]
    if live:
        cells: list[tuple[Text, ...]] = []
        rates_of: list[Text] = []
        for item in live:
            rates = Text()
            for index, piece in enumerate(item.interest.pieces):
                if index:
                    rates.append(", ")
                rates.append(f"{piece.rate}", styles.flag if piece.flagged else "")
                rates.append("*" if piece.flagged else "", styles.flag)
                period = f" {short_day(piece.start, today)}–{short_day(piece.end, today)}"
                rates.append(period, styles.muted)
            rates_of.append(rates)
            cells.append(
                (
                    user_text(item.number),
                    Text(f"{item.days_late}d"),
                    Text(money(item.interest.interest, item.currency)),
                    Text(money(item.fixed_fee, item.fee_currency)),
                    Text(money(item.total, item.currency), styles.strong),
                )
            )
        table = fitted_table(
            [
                FittedColumn("Number", max_width=NUMBER_MAX_WIDTH),
                *(
                    FittedColumn(heading, "right")
                    for heading in ("Late", "Interest", "Fee", "Total")
                ),
            ],
            cells,
            styles,
        )
        # The rates take what is left and fold: the one column Rich still measures.
        table.add_column("Rate % (period)", overflow="fold")
        for row_cells, rates in zip(cells, rates_of, strict=True):
            table.add_row(*row_cells, rates)
        lines.append(table)
        total = Text("Claimable ", styles.muted)
        total.append(money(claim.total, claim.currency), styles.strong)
        total.append(" = owed ", styles.muted)
        total.append(money(claim.outstanding, claim.currency))
        total.append(" + interest ", styles.muted)
        total.append(money(claim.interest, claim.currency), styles.money)
        total.append(" + fees ", styles.muted)
        total.append(money(claim.fixed_fees, claim.currency), styles.money)
        lines.append(total)
    lines += [Text(f"* {flag}", styles.flag) for flag in claim.flags]
    lines += [Text(warning, styles.due) for warning in claim.warnings]
    lines += time_barred_lines(claim, styles)
    return Group(*lines)


def time_barred_lines(claim: ClientClaim, styles: CellStyles) -> list[Text]:
    """The time-barred invoices, apart: left out of the claimable total and the verdict."""
    if not claim.time_barred:
        return []
    lines = [Text("Time-barred, not claimed:", styles.late)]
    for item in claim.time_barred:
        line = Text("  ")
        line.append_text(user_text(item.number))
        line.append(f" {money(item.outstanding, item.currency)}", styles.strong)
        line.append(f" since {item.limitation.on}", styles.late)
        lines.append(line)
    return lines


# Invoice numbers longer than this end in an ellipsis in the detail's tables.
NUMBER_MAX_WIDTH = 18


@dataclass(frozen=True)
class FittedColumn:
    """A column of a detail table: its heading, alignment and widest allowed width."""

    heading: str
    justify: JustifyMethod = "left"
    max_width: int | None = None


def fitted_table(
    columns: Sequence[FittedColumn], rows: Sequence[Sequence[Text]], styles: CellStyles
) -> Table:
    """A table (rows still to add) whose columns are exactly as wide as their widest cell.

    Rich measures every cell of a column without a width each time the pane is laid out (and
    Textual lays it out twice per client); worked out here once, only rendering is left.
    """
    table = Table(box=None, padding=(0, 1), pad_edge=False, expand=False, show_edge=False)
    for index, column in enumerate(columns):
        width = max([len(column.heading), *(row[index].cell_len for row in rows)])
        if column.max_width is not None:
            width = min(width, column.max_width)
        table.add_column(
            column.heading,
            justify=column.justify,
            no_wrap=True,
            overflow="ellipsis",
            width=width,
        )
    table.header_style = styles.muted + styles.strong
    return table


class DetailSection(Static):
    """One block of the detail pane, with its heading in the border title."""


class ClientDetailPane(VerticalScroll):
    """Everything about the highlighted client; focus it (enter) to scroll through it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False, id="detail_down"),
        Binding("k", "scroll_up", "Up", show=False, id="detail_up"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.client_id: int | None = None
        self.detail: ClientDetail | None = None
        # Set by the screen's detail worker with the detail it belongs to.
        self.claim: ClientClaim | None = None
        self._drawn_with: tuple[date, CellStyles, bool] | None = None

    @property
    def compact(self) -> bool:
        """True when the pane is too narrow for the time of day in the history."""
        return 0 < self.size.width < DETAIL_COMPACT_BELOW

    def on_resize(self) -> None:
        """Redraw when the pane crosses the compact width."""
        if self.detail is not None and self._drawn_with is not None:
            today, styles, compact = self._drawn_with
            if compact != self.compact:
                self.show_detail(self.detail, today, styles)

    def compose(self) -> ComposeResult:
        """A heading block, then one section per kind of content."""
        yield Static(Text("Loading…"), id="detail-header")
        yield DetailSection(id="detail-commitments", classes="section")
        yield DetailSection(id="detail-contacts", classes="section")
        yield DetailSection(id="detail-invoices", classes="section")
        yield DetailSection(id="detail-history", classes="section")
        yield DetailSection(id="detail-claim", classes="section")

    def show_message(self, message: Text, *, name: str = "") -> None:
        """Show a line instead of a client (loading, empty book, nothing highlighted).

        ``name``: the client on its way, whose name can show at once.
        """
        self.client_id = None
        self.detail = None
        self._drawn_with = None
        self.query_one("#detail-header", Static).update(message)
        for section in self.query(DetailSection):
            section.display = False
        self.border_title = user_text(name) if name else Text("Client")

    def show_detail(self, detail: ClientDetail, today: date, styles: CellStyles) -> None:
        """Fill the pane with one client's detail."""
        compact = self.compact
        self._drawn_with = (today, styles, compact)
        scrolled_to_top = self.client_id != detail.client_id
        self.client_id = detail.client_id
        self.detail = detail
        self.border_title = user_text(detail.name)
        self.query_one("#detail-header", Static).update(header(detail, today, styles))
        promised = commitments(detail, today, styles)
        self._section("#detail-commitments", "Commitments", promised)
        self._section("#detail-contacts", "Contacts", contacts(detail, styles))
        open_count = sum(1 for row in detail.invoices if row.outstanding)
        self._section(
            "#detail-invoices",
            f"Invoices · {open_count} open of {len(detail.invoices)}",
            invoices(detail.invoices, styles, compact=compact),
        )
        self._show_claim(detail.client_id, today, styles)
        self._section(
            "#detail-history",
            f"History · {len(detail.history)}",
            history(detail.history, styles, compact=compact),
        )
        if scrolled_to_top:
            self.scroll_home(animate=False)

    def _show_claim(self, client_id: int, today: date, styles: CellStyles) -> None:
        """The late interest and fees section, from the claim loaded with this client."""
        claim = self.claim if self.claim is not None and self.claim.client_id == client_id else None
        content = None if claim is None else late_fees(claim, today, styles)
        title = f"Late interest & fees · {claim.jurisdiction}" if claim is not None else ""
        self._section("#detail-claim", title, content)

    def _section(self, selector: str, title: str, content: RenderableType | None) -> None:
        """Update one section, hiding it when it has nothing to show."""
        section = self.query_one(selector, DetailSection)
        section.display = content is not None
        if content is not None:
            section.border_title = Text(title)
            section.update(content)
