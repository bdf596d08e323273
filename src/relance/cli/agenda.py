"""`relance agenda`: the week ahead, book-wide, one line per thing due."""

from __future__ import annotations

from relance.cli.context import Context
from relance.domain.money import decimal_string
from relance.services.agenda import agenda, read_days


def agenda_command(ctx: Context) -> int:
    """Print what falls due in the next days (default 7), sorted by date."""
    days = read_days(ctx.args.days)
    ctx.open_book()
    items = agenda(ctx.today, days)
    if ctx.args.json:
        ctx.out.json(
            [
                {
                    "on": item.on.isoformat(),
                    "kind": item.kind.value,
                    "client_id": item.client_id,
                    "client": item.client_name,
                    "what": item.what,
                    "amount": None if item.amount is None else decimal_string(item.amount),
                    "currency": item.currency or None,
                }
                for item in items
            ]
        )
        return 0
    if not items:
        ctx.out.line(f"Nothing due in the next {days} days.")
        return 0
    width = max(len(item.client_name) for item in items)
    for item in items:
        name = f"{item.client_name:<{width}}"
        ctx.out.line(f"{item.on.isoformat()}  {item.kind.value:<10}  {name}  {item.what}")
    return 0
