"""The triage list, read one window at a time from the index on the client table, and totals."""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from functools import reduce
from typing import Any, cast

from peewee import SQL, ColumnBase, Expression, NodeList, fn

from relance.domain.aging import Bucket, OpenAmount, aging, dso
from relance.domain.dates import days_overdue
from relance.domain.reasons import reason_today
from relance.store.bank_lines import count_to_review
from relance.store.models import Client, Instalment, Invoice, PaymentPlan, Promise
from relance.store.plans import RUNNING_PLAN_STATUSES
from relance.store.promises import BROKEN, OPEN, broken_marker
from relance.store.steps import undelivered_marker

LIVE_PLAN_STATUSES = ("proposed", "accepted", "active")


class SortKey(Enum):
    """The orders the list can be shown in; `s` cycles through them."""

    OVERDUE = "days overdue"
    OUTSTANDING = "outstanding"
    NAME = "name"
    NEXT_ACTION = "next action"

    def following(self) -> SortKey:
        """The next sort in the cycle."""
        members = list(SortKey)
        return members[(members.index(self) + 1) % len(members)]


@dataclass(frozen=True)
class TriageFilter:
    """What the list is narrowed to: a name fragment and/or actions due by a date."""

    text: str = ""
    due_by: date | None = None


@dataclass(frozen=True)
class TriageRow:
    """One line of the client list."""

    client_id: int
    name: str
    kind: str
    currency: str
    outstanding: int
    open_invoices: int
    days_overdue: int
    next_action: str
    next_action_on: date | None
    ladder_step: int
    next_action_reason: str
    payer_profile: str
    disputed: bool
    snoozed_until: date | None
    has_promise: bool
    has_plan: bool
    broken_promise: bool = False
    next_instalment_on: date | None = None
    undelivered: bool = False

    def is_snoozed(self, today: date) -> bool:
        """True while the snooze date is still ahead."""
        return self.snoozed_until is not None and self.snoozed_until > today


# The name test: INSTR on the stored fold (the scan reads only its small index), plus the few
# rows another program wrote that the app has not folded yet (``folded_name`` NULL), folded now.
# Raw SQL because the fallback is a subquery on the same table: unqualified, ``folded_name`` and
# ``id`` name the columns of the innermost table.
_NAME_TEST = (
    "(INSTR(folded_name, ?) > 0 OR id IN "
    "(SELECT id FROM client WHERE folded_name IS NULL AND INSTR(casefold(name), ?) > 0))"
)
# Walking an index row costs about a quarter of reading a matching row and sorting it.
_WALK_TO_SORT_COST = 4
# Matches few enough to read by id and sort: at 100 000 clients a window of 60 walks more of
# the index than that from about 1 200 matches on (see _is_narrow).
NARROW_AT_MOST = 1_000


def _index_keys(sort: SortKey) -> list[tuple[ColumnBase, bool]]:
    """The columns of the client index a sort reads, each with True when it runs descending.

    The default order also puts first the clients with a broken promise still to follow up;
    that depends on today, so it is not in the index: see ``_broken_ids``.
    """
    if sort is SortKey.OUTSTANDING:
        return [(Client.outstanding, True), (Client.id, False)]
    if sort is SortKey.NAME:
        return [(SQL("name COLLATE NOCASE"), False), (Client.id, False)]
    if sort is SortKey.NEXT_ACTION:
        return [
            (Client.next_action_on.is_null(), False),
            (Client.next_action_on, False),
            (Client.id, False),
        ]
    return [
        (Client.oldest_due_on.is_null(), False),
        (Client.oldest_due_on, False),
        (Client.outstanding, True),
        (Client.id, False),
    ]


def _ordering(sort: SortKey) -> list[Any]:
    """ORDER BY terms matching one of the client indexes, so SQLite reads the index."""
    return [key.desc() if descending else key for key, descending in _index_keys(sort)]


def _broken_ids(today: date) -> list[int]:
    """Clients with a broken promise still to follow up, who head the default order.

    Read from the promise table first (few clients ever break a promise), so that the rest of
    the list pages straight from the index instead of judging every client row.
    """
    lapsed = Promise.select(Promise.client).where(
        (Promise.status == BROKEN) | ((Promise.status == OPEN) & (Promise.due_on < today))
    )
    query = Client.select(Client.id).where(Client.id.in_(lapsed) & broken_marker(today))
    # .tuples() yields plain tuples; the stubs type it as the model.
    return sorted(int(client_id) for (client_id,) in cast("Iterable[tuple[int]]", query.tuples()))


def _among(client_ids: list[int]) -> Expression:
    """``id IN (...)`` with the ids written out: they are ints, and may outnumber SQL variables."""
    return Client.id.in_(SQL("(" + ", ".join(str(int(i)) for i in client_ids) + ")"))


def _filtered(query, where: TriageFilter, *, from_matches: bool = False):  # type: ignore[no-untyped-def]
    """Apply the name fragment and due-by filters to a client query.

    ``from_matches`` puts the name test in a subquery SQLite reads first, then sorts its few
    rows, instead of testing every row along the index.
    """
    if where.text:
        # INSTR, not LIKE: no wildcards to escape, and casefold also folds accented capitals.
        folded = where.text.casefold()
        if from_matches:
            query = query.where(
                SQL(f"id IN (SELECT id FROM client WHERE {_NAME_TEST})", (folded, folded))
            )
        else:
            query = query.where(SQL(_NAME_TEST, (folded, folded)))
    if where.due_by is not None:
        query = query.where(Client.next_action_on <= where.due_by)
    return query


def triage_window(
    today: date,
    sort: SortKey = SortKey.OVERDUE,
    offset: int = 0,
    limit: int = 100,
    where: TriageFilter | None = None,
    *,
    matching: int | None = None,
    among: list[int] | None = None,
) -> list[TriageRow]:
    """One window of the triage list, in the chosen order.

    ``matching`` is ``triage_count(where)`` when the caller has it already: it tells whether
    the filter is narrow enough to read its matches first. ``among`` is ``narrow_matches``'s
    answer, when it had one: the filter is then not evaluated again.
    """
    where = where or TriageFilter()
    narrow = among is None and _is_narrow(where, offset + limit, matching)

    def narrowed(query):  # type: ignore[no-untyped-def]
        if among is not None:
            return query.where(_among(among))
        return _filtered(query, where, from_matches=narrow)

    query = narrowed(_window_columns(today)).order_by(*_ordering(sort))
    broken = _broken_ids(today) if sort is SortKey.OVERDUE else []
    if not broken:
        return _rows(query.limit(limit).offset(offset), today)
    rows = _rows(query.where(_among(broken)).limit(limit).offset(offset), today)
    if len(rows) < limit:
        ahead = narrowed(Client.select()).where(_among(broken)).count()
        rest = query.where(~_among(broken)).limit(limit - len(rows)).offset(max(0, offset - ahead))
        rows.extend(_rows(rest, today))
    return rows


def narrow_matches(where: TriageFilter) -> list[int] | None:
    """The clients a name filter matches, when they are few enough to be sorted rather than
    walked (see _is_narrow); None for no name filter, or a broad one.

    One pass over the names answers both how many match and which: counting them and then
    reading the window would pass over every name twice.
    """
    if not where.text:
        return None
    found = [
        int(client_id)
        for (client_id,) in cast(
            "Iterable[tuple[int]]",
            _filtered(Client.select(Client.id), where).limit(NARROW_AT_MOST + 1).tuples(),
        )
    ]
    return found if len(found) <= NARROW_AT_MOST else None


def _is_narrow(where: TriageFilter, reach: int, matching: int | None) -> bool:
    """True when a name filter matches so few rows that sorting them beats walking the index.

    Walking stops after ``reach`` matches, so it reads about ``reach × book / matching`` rows;
    SQLite cannot guess how often INSTR matches, so the choice is made here.
    """
    if not where.text:
        return False
    if matching is None:
        matching = triage_count(where)
    book = int(Client.select(fn.MAX(Client.id)).scalar() or 0)
    walked = min(book, reach * book / max(matching, 1))
    return matching * _WALK_TO_SORT_COST < walked


def _window_columns(today: date):  # type: ignore[no-untyped-def]
    """The client query selecting every column of a list row."""
    promise = Promise.select(Promise.id).where(
        (Promise.client == Client.id) & (Promise.status == "open")
    )
    plan = PaymentPlan.select(PaymentPlan.id).where(
        (PaymentPlan.client == Client.id) & (PaymentPlan.status.in_(LIVE_PLAN_STATUSES))
    )
    next_instalment = (
        Instalment.select(fn.MIN(Instalment.due_on))
        .join(PaymentPlan)
        .where(
            (PaymentPlan.client == Client.id)
            & PaymentPlan.status.in_(RUNNING_PLAN_STATUSES)
            & (Instalment.paid < Instalment.amount)
        )
    )
    # The subqueries run for the rows of the window only: SQLite skips the offset first.
    return Client.select(
        Client.id,
        Client.name,
        Client.kind,
        Client.currency,
        Client.outstanding,
        Client.open_invoices,
        Client.oldest_due_on,
        Client.next_action,
        Client.next_action_on,
        Client.ladder_step,
        Client.next_action_reason,
        fn.COALESCE(Client.profile_override, Client.payer_profile).alias("profile"),
        Client.disputed,
        Client.snoozed_until,
        fn.EXISTS(promise).alias("has_promise"),
        fn.EXISTS(plan).alias("has_plan"),
        broken_marker(today).alias("broken_promise"),
        next_instalment.alias("next_instalment_on"),
        undelivered_marker(Client.id).alias("undelivered"),
    )


def _rows(query, today: date) -> list[TriageRow]:  # type: ignore[no-untyped-def]
    """The list rows a window query reads."""
    return [
        TriageRow(
            client_id=row["id"],
            name=row["name"],
            kind=row["kind"],
            currency=row["currency"],
            outstanding=row["outstanding"],
            open_invoices=row["open_invoices"],
            days_overdue=days_overdue(row["oldest_due_on"], today) if row["oldest_due_on"] else 0,
            next_action=row["next_action"],
            next_action_on=row["next_action_on"],
            ladder_step=row["ladder_step"],
            next_action_reason=reason_today(
                row["next_action_reason"], _maybe_date(row["next_action_on"]), today
            ),
            payer_profile=row["profile"],
            disputed=bool(row["disputed"]),
            snoozed_until=row["snoozed_until"],
            has_promise=bool(row["has_promise"]),
            has_plan=bool(row["has_plan"]),
            broken_promise=bool(row["broken_promise"]),
            undelivered=bool(row["undelivered"]),
            next_instalment_on=_date(row["next_instalment_on"])
            if row["next_instalment_on"]
            else None,
        )
        for row in query.dicts()
    ]


def triage_count(where: TriageFilter | None = None) -> int:
    """How many clients the list holds under a filter."""
    return _filtered(Client.select(), where or TriageFilter()).count()


def triage_position(
    client_id: int, today: date, sort: SortKey, where: TriageFilter | None = None
) -> int | None:
    """The 0-based row of a client in the sorted list, or None if the filter hides it.

    Counts the rows that sort before the client, one index range per sort column, rather than
    walking the list up to it.
    """
    where = where or TriageFilter()
    keys = _index_keys(sort)
    found = list(
        _filtered(Client.select(*(key for key, _ in keys)), where)
        .where(Client.id == client_id)
        .tuples()
    )
    if not found:
        return None
    broken = _broken_ids(today) if sort is SortKey.OVERDUE else []
    ahead = 0
    among = None
    if broken:
        # The broken-promise clients come first, in index order among themselves.
        among = _among(broken) if client_id in broken else ~_among(broken)
        if client_id not in broken:
            ahead = _count_among(where, _among(broken))
    for before in _sorting_before(keys, found[0]):
        ahead += _count_among(where, before if among is None else before & among)
    return ahead


def _count_among(where: TriageFilter, condition: Expression) -> int:
    """How many clients under a filter also meet a condition."""
    return int(_filtered(Client.select(), where).where(condition).count())


def _sorting_before(keys: list[tuple[ColumnBase, bool]], values: tuple) -> list[Expression]:
    """Disjoint conditions that together select the rows sorting before the given key values.

    The k-th holds the rows equal on the first k - 1 keys and strictly before on the k-th, so
    each is one range of the index. A NULL value has nothing strictly before it here: the
    ``IS NULL`` key ahead of every nullable column already puts NULLs last.
    """
    conditions: list[Expression] = []
    equal: list[Expression] = []
    after_a_column = False
    for (key, descending), value in zip(keys, values, strict=True):
        if value is None:
            equal.append(key.is_null())
            continue
        # Unary + on a key after a column's equality (outstanding, id) keeps SQLite from
        # reading that key's own index, where the range is long, rather than the sort's. Right
        # after an ``IS NULL`` key the range is the sort's own index, and + would scan it all.
        bare = NodeList((SQL("+"), key), glue="") if after_a_column else key
        stored = value.isoformat() if isinstance(value, date) else value
        strictly = bare > stored if descending else bare < stored
        conditions.append(reduce(operator.and_, [*equal, strictly]))
        if isinstance(key, Expression):
            equal.append(key == value)
        else:
            # A range, not "=": SQLite would put the value in place of the column in the other
            # terms, and ``(column IS NULL) = 0`` would then no longer match the index.
            equal.append(key.between(stored, stored))
            after_a_column = True
    return conditions


@dataclass(frozen=True)
class Totals:
    """The header figures: what is owed, what is late, and how old it is."""

    outstanding: dict[str, int]
    overdue: dict[str, int]
    clients_overdue: int
    clients_total: int
    aging: dict[Bucket, dict[str, int]]
    dso_days: Decimal | None
    main_currency: str
    bank_lines_to_review: int = 0


def book_totals(today: date) -> Totals:
    """Sum the whole book for the header, as of ``today``."""
    per_currency: dict[str, list[OpenAmount]] = defaultdict(list)
    open_rows = (
        Invoice.select(Invoice.currency, Invoice.due_on, fn.SUM(Invoice.amount - Invoice.paid))
        .where(Invoice.amount > Invoice.paid)
        .group_by(Invoice.currency, Invoice.due_on)
        .tuples()
    )
    # .tuples() yields plain tuples; the stubs type it as the model.
    for currency, due_on, amount in cast("Iterable[tuple[str, object, int]]", open_rows):
        per_currency[currency].append(OpenAmount(_date(due_on), amount))
    buckets: dict[Bucket, dict[str, int]] = {bucket: {} for bucket in Bucket}
    outstanding: dict[str, int] = {}
    overdue: dict[str, int] = {}
    for currency, amounts in per_currency.items():
        for bucket, amount in aging(amounts, today).items():
            if amount:
                buckets[bucket][currency] = amount
        outstanding[currency] = sum(a.outstanding for a in amounts)
        late = sum(a.outstanding for a in amounts if a.due_on < today)
        if late:
            overdue[currency] = late
    main = max(outstanding, key=lambda c: outstanding[c], default="EUR")
    since = today - timedelta(days=90)
    invoiced = (
        Invoice.select(fn.COALESCE(fn.SUM(Invoice.amount), 0))
        .where(
            (Invoice.currency == main) & (Invoice.issued_on > since) & (Invoice.issued_on <= today)
        )
        .scalar()
    )
    return Totals(
        outstanding=outstanding,
        overdue=overdue,
        clients_overdue=Client.select()
        # "IS NULL = 0" is client_by_overdue's first key: the count reads only that index.
        .where(
            (Client.oldest_due_on.is_null() == 0)
            & (Client.oldest_due_on < today)
            & (Client.outstanding > 0)
        )
        .count(),
        clients_total=Client.select().count(),
        aging=buckets,
        dso_days=dso(outstanding.get(main, 0), invoiced),
        main_currency=main,
        bank_lines_to_review=count_to_review(),
    )


def _maybe_date(value: object) -> date | None:
    """A stored date that may be missing."""
    return None if value is None else _date(value)


def _date(value: object) -> date:
    """Grouped dates may come back as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
