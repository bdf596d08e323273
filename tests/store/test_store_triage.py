"""The triage list: windows in every order, filters, positions, and the header totals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from relance.domain.aging import Bucket
from relance.services.clients import add_client, set_dispute, snooze_client
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment
from relance.store.triage import (
    SortKey,
    TriageFilter,
    book_totals,
    triage_count,
    triage_position,
    triage_window,
)

BOOK = {
    # name: [(number, amount, issued, due), ...]
    "Alpha": [("A-1", "100.00", "2026-09-01", "2026-10-01")],
    "beta": [("B-1", "50.00", "2026-08-01", "2026-09-01")],
    "Gamma 100%": [("G-1", "900.00", "2026-11-15", "2026-12-15")],
    "Delta_x": [],
    "Epsilon": [
        ("E-1", "20.00", "2026-08-02", "2026-09-01"),
        ("E-2", "500.00", "2026-10-02", "2026-11-01"),
    ],
}


@pytest.fixture
def ids(book: object, at: datetime) -> dict[str, int]:
    """Five euro clients, one of them partly paid."""
    made: dict[str, int] = {}
    for name, invoices in BOOK.items():
        client_id = add_client(name, at).client_id
        made[name] = client_id
        for number, amount, issued, due in invoices:
            add_invoice(client_id, number, amount, issued, due, at)
    record_payment(made["Alpha"], "20.00", at)
    return made


def names(rows: list) -> list[str]:  # type: ignore[type-arg]
    """The names of a window's rows."""
    return [row.name for row in rows]


ORDERS = {
    SortKey.OVERDUE: ["Epsilon", "beta", "Alpha", "Gamma 100%", "Delta_x"],
    SortKey.OUTSTANDING: ["Gamma 100%", "Epsilon", "Alpha", "beta", "Delta_x"],
    SortKey.NAME: ["Alpha", "beta", "Delta_x", "Epsilon", "Gamma 100%"],
    SortKey.NEXT_ACTION: ["beta", "Epsilon", "Alpha", "Gamma 100%", "Delta_x"],
}


@pytest.mark.parametrize("sort", list(SortKey))
def test_window_order_for_every_sort(ids: dict[str, int], today: date, sort: SortKey) -> None:
    assert names(triage_window(today, sort)) == ORDERS[sort]


def test_sort_keys_cycle() -> None:
    assert [s.value for s in SortKey] == ["days overdue", "outstanding", "name", "next action"]
    assert SortKey.OVERDUE.following() is SortKey.OUTSTANDING
    assert SortKey.NEXT_ACTION.following() is SortKey.OVERDUE
    seen = {SortKey.OVERDUE}
    key = SortKey.OVERDUE.following()
    while key is not SortKey.OVERDUE:
        seen.add(key)
        key = key.following()
    assert seen == set(SortKey)


def test_row_contents(ids: dict[str, int], today: date) -> None:
    rows = {row.name: row for row in triage_window(today)}
    epsilon = rows["Epsilon"]
    assert epsilon.client_id == ids["Epsilon"]
    assert (epsilon.outstanding, epsilon.open_invoices, epsilon.days_overdue) == (52000, 2, 83)
    assert (epsilon.next_action, epsilon.next_action_on) == ("courteous email", date(2026, 9, 8))
    assert epsilon.currency == "EUR"
    assert epsilon.kind == "b2b"
    alpha = rows["Alpha"]
    assert (alpha.outstanding, alpha.days_overdue) == (8000, 53)
    gamma = rows["Gamma 100%"]
    assert gamma.days_overdue == 0
    # Due 15 December: the first reminder goes out before the year-end closing weeks.
    assert gamma.next_action_on == date(2026, 12, 18)
    delta = rows["Delta_x"]
    assert (delta.outstanding, delta.open_invoices, delta.days_overdue) == (0, 0, 0)
    assert (delta.next_action, delta.next_action_on) == ("", None)
    assert not any(r.disputed or r.has_promise or r.has_plan for r in rows.values())
    assert not any(r.is_snoozed(today) for r in rows.values())


def test_markers(ids: dict[str, int], today: date, at: datetime) -> None:
    from relance.services.calls import log_call
    from relance.services.plans import propose_plan

    set_dispute(ids["Alpha"], True, at)
    snooze_client(ids["beta"], "2026-12-01", at)
    log_call(ids["Epsilon"], "promised", at, promised_amount="20.00", promised_on="2026-11-30")
    propose_plan(ids["Gamma 100%"], "3", at)
    rows = {row.name: row for row in triage_window(today)}
    assert rows["Alpha"].disputed
    assert rows["beta"].snoozed_until == date(2026, 12, 1)
    assert rows["beta"].is_snoozed(today)
    assert not rows["beta"].is_snoozed(date(2026, 12, 1))
    assert rows["Epsilon"].has_promise
    assert rows["Gamma 100%"].has_plan
    assert [r.name for r in rows.values() if r.disputed or r.has_promise or r.has_plan] == [
        "Epsilon",
        "Alpha",
        "Gamma 100%",
    ]


@pytest.mark.parametrize("sort", list(SortKey))
def test_windows_page_through_the_list(ids: dict[str, int], today: date, sort: SortKey) -> None:
    whole = ORDERS[sort]
    for offset in range(6):
        for limit in (1, 2, 3, 10):
            window = names(triage_window(today, sort, offset=offset, limit=limit))
            assert window == whole[offset : offset + limit]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%", ["Gamma 100%"]),
        ("_", ["Delta_x"]),
        ("0%", ["Gamma 100%"]),
        ("a_x", ["Delta_x"]),
        ("lt_", []),
        ("10_", []),
        ("ALPHA", ["Alpha"]),
        ("a", ["Alpha", "beta", "Delta_x", "Gamma 100%"]),
        ("\\", []),
        ("'", []),
        ("nobody", []),
    ],
)
def test_name_filter_is_literal(
    ids: dict[str, int], today: date, text: str, expected: list[str]
) -> None:
    where = TriageFilter(text=text)
    assert names(triage_window(today, SortKey.NAME, where=where)) == expected
    assert triage_count(where) == len(expected)


def test_due_by_filter(ids: dict[str, int], today: date) -> None:
    where = TriageFilter(due_by=date(2026, 9, 30))
    assert names(triage_window(today, SortKey.NAME, where=where)) == ["beta", "Epsilon"]
    assert triage_count(where) == 2
    assert triage_count(TriageFilter(due_by=today)) == 3
    both = TriageFilter(text="eps", due_by=today)
    assert names(triage_window(today, where=both)) == ["Epsilon"]
    assert triage_count() == 5


@pytest.mark.parametrize("sort", list(SortKey))
def test_position_matches_the_window(ids: dict[str, int], today: date, sort: SortKey) -> None:
    for index, name in enumerate(ORDERS[sort]):
        assert triage_position(ids[name], today, sort) == index
    where = TriageFilter(text="a")
    shown = names(triage_window(today, sort, where=where))
    for name, client_id in ids.items():
        expected = shown.index(name) if name in shown else None
        assert triage_position(client_id, today, sort, where) == expected
    assert triage_position(99999, today, sort) is None


def test_book_totals(ids: dict[str, int], today: date, at: datetime) -> None:
    fog = add_client("Fog Ltd", at, language="en").client_id
    add_invoice(fog, "UK-1", "300.00", "2026-10-21", "2026-11-20", at, currency="gbp")
    totals = book_totals(today)
    assert totals.outstanding == {"EUR": 155000, "GBP": 30000}
    assert totals.overdue == {"EUR": 65000, "GBP": 30000}
    assert totals.clients_overdue == 4
    assert totals.clients_total == 6
    assert totals.main_currency == "EUR"
    assert totals.aging == {
        Bucket.CURRENT: {"EUR": 90000},
        Bucket.D1_30: {"EUR": 50000, "GBP": 30000},
        Bucket.D31_60: {"EUR": 8000},
        Bucket.D61_90: {"EUR": 7000},
        Bucket.D90_PLUS: {},
    }
    # EUR invoiced in the last 90 days: A-1, G-1, E-2 = 1 500.00; 1 550.00 open.
    assert totals.dso_days == Decimal(93)


def test_book_totals_of_an_empty_book(book: object, today: date) -> None:
    totals = book_totals(today)
    assert totals.outstanding == {}
    assert totals.overdue == {}
    assert totals.clients_overdue == 0
    assert totals.clients_total == 0
    assert totals.dso_days is None
    assert totals.main_currency == "EUR"
    assert all(amounts == {} for amounts in totals.aging.values())


def test_totals_follow_payments(ids: dict[str, int], today: date, at: datetime) -> None:
    record_payment(ids["beta"], "50.00", at)
    totals = book_totals(today)
    assert totals.outstanding == {"EUR": 150000}
    assert totals.clients_overdue == 2
    assert totals.aging[Bucket.D61_90] == {"EUR": 2000}


def test_name_filter_folds_accented_capitals(book: object, at: datetime, today: date) -> None:
    add_client("Électricité Lenoir", at)
    add_client("STRASSE GmbH", at)
    assert names(triage_window(today, where=TriageFilter(text="élec"))) == ["Électricité Lenoir"]
    assert names(triage_window(today, where=TriageFilter(text="ÉLEC"))) == ["Électricité Lenoir"]
    assert names(triage_window(today, where=TriageFilter(text="straße"))) == ["STRASSE GmbH"]
