"""The aging report: each client's open amounts by how late they are, as of a chosen day."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from relance.domain.aging import Bucket, OpenAmount, aging
from relance.store.models import database

# What each invoice still owed on the day: only invoices issued by then, and only payments
# received by then (an allocation counts on its payment's date).
_OPEN_AS_OF_SQL = """
SELECT i.client_id, c.name, i.currency, i.due_on,
       i.amount - COALESCE((
           SELECT SUM(a.amount) FROM allocation a JOIN payment p ON p.id = a.payment_id
           WHERE a.invoice_id = i.id AND p.received_on <= ?
       ), 0) AS open_amount
FROM invoice i JOIN client c ON c.id = i.client_id
WHERE i.issued_on <= ?
"""


@dataclass(frozen=True)
class AgingLine:
    """One client's open amounts in one currency, by bucket."""

    client_id: int
    name: str
    currency: str
    buckets: dict[Bucket, int]

    @property
    def total(self) -> int:
        """Everything the client owed in this currency."""
        return sum(self.buckets.values())


@dataclass(frozen=True)
class AgingReport:
    """The report: lines sorted by client name, and the totals of each currency."""

    as_of: date
    lines: list[AgingLine]
    totals: dict[str, dict[Bucket, int]]


def aging_report(as_of: date) -> AgingReport:
    """Age the open book as it stood at the end of ``as_of``."""
    day = as_of.isoformat()
    amounts: dict[tuple[int, str, str], list[OpenAmount]] = defaultdict(list)
    for client_id, name, currency, due_on, open_amount in database.execute_sql(
        _OPEN_AS_OF_SQL, (day, day)
    ):
        if open_amount > 0:
            amounts[(client_id, name, currency)].append(
                OpenAmount(date.fromisoformat(str(due_on)[:10]), open_amount)
            )
    lines = [
        AgingLine(client_id, name, currency, aging(items, as_of))
        for (client_id, name, currency), items in amounts.items()
    ]
    lines.sort(key=lambda line: (line.name.casefold(), line.client_id, line.currency))
    totals: dict[str, dict[Bucket, int]] = {}
    for line in lines:
        per_bucket = totals.setdefault(line.currency, dict.fromkeys(Bucket, 0))
        for bucket, amount in line.buckets.items():
            per_bucket[bucket] += amount
    return AgingReport(as_of=as_of, lines=lines, totals=dict(sorted(totals.items())))
