"""How figures, dates and marks look on screen, with colours taken from the current theme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from rich.style import Style
from rich.text import Text
from textual.color import Color, ColorParseError

from relance.domain.money import format_money, to_decimal
from relance.domain.written_dates import short_day
from relance.literal import literal, one_line

# Days overdue from which a client counts as badly late (the 61–90 aging bucket onwards).
VERY_LATE_DAYS = 60


@dataclass(frozen=True)
class CellStyles:
    """Rich styles for table cells and the detail pane, resolved from the theme's variables."""

    late: Style
    due: Style
    money: Style
    flag: Style
    contact: Style
    muted: Style
    strong: Style

    @classmethod
    def from_variables(cls, variables: dict[str, str]) -> CellStyles:
        """Build the styles from ``App.theme_variables`` (theme colours, ANSI or hex)."""
        return cls(
            late=Style(color=_rich_color(variables, "relance-late"), bold=True),
            due=Style(color=_rich_color(variables, "relance-due")),
            money=Style(color=_rich_color(variables, "relance-money")),
            flag=Style(color=_rich_color(variables, "relance-flag"), bold=True),
            contact=Style(color=_rich_color(variables, "relance-contact")),
            muted=Style(dim=True),
            strong=Style(bold=True),
        )

    @classmethod
    def plain(cls) -> CellStyles:
        """Styles without colour, for before the app has a theme."""
        return cls.from_variables({})


def _rich_color(variables: dict[str, str], name: str) -> str | None:
    """A theme variable as a Rich colour string, or no colour if it is missing or odd."""
    value = variables.get(name)
    if not value:
        return None
    try:
        return Color.parse(value).rich_color.name
    except ColorParseError:
        return None


def money(minor: int, currency: str) -> str:
    """An amount with its symbol and cents: ``€1,234.56``."""
    return format_money(minor, currency or "EUR")


def whole_money(minor: int, currency: str) -> str:
    """An amount rounded to whole units for tight places: ``€1,235``."""
    units = to_decimal(minor).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    text = format_money(int(units) * 100, currency or "EUR")
    return text.removesuffix(".00")


def whole_totals(totals: dict[str, int], *, cents: bool) -> str:
    """Several currencies side by side, the biggest first, with or without cents."""
    if not totals:
        return money(0, "EUR") if cents else whole_money(0, "EUR")
    parts = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    show = money if cents else whole_money
    return " + ".join(show(amount, currency) for currency, amount in parts)


def short_date(day: date, today: date) -> str:
    """``today``, `` 2 May`` (six characters) this year, or ``27 Jan 2027`` in another year."""
    if day == today:
        return "today"
    return short_day(day, today).rjust(6)


def clip(text: str, width: int) -> str:
    """Cut a one-line text to a width, marking the cut with an ellipsis."""
    if width <= 0:
        return ""
    if len(text) <= width:
        return text
    return text[: width - 1] + "…"


def user_text(value: str, style: Style | str = "") -> Text:
    """Text a user typed, on one line, shown literally (never markup, escapes made visible)."""
    text = literal(one_line(value))
    if style:
        text.stylize(style)
    return text
