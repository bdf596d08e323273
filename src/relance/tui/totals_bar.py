"""The header: what the whole book owes, how late it is, and the aging buckets."""

from __future__ import annotations

import functools
from datetime import date

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from relance.domain.aging import Bucket
from relance.store.triage import Totals
from relance.tui.look import CellStyles, whole_totals

BUCKET_LABELS = {
    Bucket.CURRENT: "current",
    Bucket.D1_30: "1–30",
    Bucket.D31_60: "31–60",
    Bucket.D61_90: "61–90",
    Bucket.D90_PLUS: "90+",
}


class FlowingFigures:
    """Figures laid out left to right, wrapping whole figures (never inside one) to the width."""

    def __init__(self, figures: list[Text], gap: int) -> None:
        self.figures = figures
        self.gap = gap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Yield one Text per line, as many figures on each as fit."""
        width = options.max_width
        line = Text(no_wrap=True, overflow="ellipsis")
        for figure in self.figures:
            needed = figure.cell_len + (self.gap if line.cell_len else 0)
            if line.cell_len and line.cell_len + needed > width:
                yield line
                line = Text(no_wrap=True, overflow="ellipsis")
            if line.cell_len:
                line.append(" " * self.gap)
            line.append_text(figure)
        if line.cell_len:
            yield line


def _figure(label: str, value: str, label_style: Style, value_style: Style) -> Text:
    """A label and its value, side by side."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(label, label_style)
    text.append(" ")
    text.append(value, value_style)
    return text


def _bucket_style(bucket: Bucket, styles: CellStyles) -> Style:
    """Older buckets stand out more."""
    if bucket in (Bucket.D61_90, Bucket.D90_PLUS):
        return styles.late
    if bucket in (Bucket.D1_30, Bucket.D31_60):
        return styles.due
    return styles.strong


def totals_renderable(
    totals: Totals, today: date, styles: CellStyles, *, compact: bool
) -> RenderableType:
    """The figures, flowing over as many lines as the width needs; wide adds the date."""
    cents = not compact
    money_of = functools.partial(whole_totals, cents=cents)
    if compact:
        late_clients = f"{totals.clients_overdue}/{totals.clients_total}"
        dso = f"{totals.dso_days}d" if totals.dso_days is not None else "–"
    else:
        late_clients = f"{totals.clients_overdue} of {totals.clients_total}"
        dso = f"{totals.dso_days} days" if totals.dso_days is not None else "–"
    book = [
        _figure(
            "Owed" if compact else "Outstanding",
            money_of(totals.outstanding),
            styles.muted,
            styles.strong,
        ),
        _figure("Overdue", money_of(totals.overdue), styles.muted, styles.late),
        _figure("Late" if compact else "Late clients", late_clients, styles.muted, styles.strong),
        _figure("DSO", dso, styles.muted, styles.strong),
    ]
    if totals.bank_lines_to_review:
        # Only when some wait: a payment in review may be a client the list says is late.
        book.append(
            _figure(
                "Bank review" if compact else "Bank lines to review",
                str(totals.bank_lines_to_review),
                styles.muted,
                styles.due,
            )
        )
    aging = []
    for bucket in Bucket:
        amounts = totals.aging.get(bucket, {})
        value_style = _bucket_style(bucket, styles) if amounts else styles.muted
        shown = money_of(amounts)
        aging.append(_figure(BUCKET_LABELS[bucket], shown, styles.muted, value_style))
    if compact:
        return Group(FlowingFigures(book, gap=2), FlowingFigures(aging, gap=2))
    grid = Table.grid(expand=True)
    grid.add_column(ratio=1)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(
        FlowingFigures(book, gap=4), Text(today.strftime("%A %-d %B %Y"), style=styles.muted)
    )
    aging.insert(0, Text("Aging", style=styles.muted))
    grid.add_row(
        FlowingFigures(aging, gap=4), Text("relance", style=styles.contact + styles.strong)
    )
    return grid


class TotalsBar(Static):
    """The header of the main screen; it shows a placeholder until the first totals arrive."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("Loading the book…"), id=id)
        self.totals: Totals | None = None

    def show_totals(
        self, totals: Totals, today: date, styles: CellStyles, *, compact: bool
    ) -> None:
        """Redraw the figures."""
        self.totals = totals
        self.update(totals_renderable(totals, today, styles, compact=compact))
