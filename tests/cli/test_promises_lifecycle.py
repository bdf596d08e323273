"""Promises to pay, walked with the clock moving forward: kept, broken, followed up."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest

from cli_fixtures import Relance, ok
from relance.services import calls, clients, contacts, invoices, payments
from relance.services.lapses import catch_up
from relance.services.validation import InvalidInput
from relance.store.models import Client, ContactEvent, Promise
from relance.store.promises import broken_promise, promise_status
from relance.store.triage import SortKey, triage_window
from relance.store.triage_index import client_profile


def on(day: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Move the clock of every following command to ``day``."""
    monkeypatch.setenv("RELANCE_TODAY", day)


@pytest.fixture
def book_cli(relance: Relance) -> None:
    """Durand owes 1 200.00 since 1 October; Martin owes more, and for longer."""
    ok(relance("client", "add", "Durand SARL", "--email", "compta@durand.fr"))
    ok(relance("invoice", "add", "Durand SARL", "F-1", "1200.00", "--issued", "2026-09-01",
               "--due", "2026-10-01"))  # fmt: skip
    ok(relance("client", "add", "Martin SA"))
    ok(relance("invoice", "add", "Martin SA", "M-1", "5000.00", "--issued", "2026-08-01",
               "--due", "2026-09-01"))  # fmt: skip


def row_of(rows: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """The `today --json` line of one client."""
    return next(row for row in rows if row["client"] == name)


def test_a_promise_broken_puts_the_client_first_and_the_ladder_resumes(
    relance: Relance, book_cli: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = ok(relance("today", "--json")).json()
    assert [row["client"] for row in before] == ["Martin SA", "Durand SARL"]
    ok(relance("call", "Durand SARL", "--outcome", "promised", "--amount", "500",
               "--on", "2026-11-27", "--note", "paie vendredi"))  # fmt: skip
    held = row_of(ok(relance("today", "--json")).json(), "Durand SARL")
    assert (held["promise"], held["broken_promise"]) == (True, False)
    assert (held["next_action"], held["next_action_on"]) == ("check promise", "2026-11-30")
    # The call was itself a step of the ladder: the hold keeps the step it reached.
    step_reached = held["step"]

    # On the promised day itself the promise still stands.
    on("2026-11-27", monkeypatch)
    rows = ok(relance("today", "--json")).json()
    assert rows[0]["client"] == "Martin SA"
    assert not row_of(rows, "Durand SARL")["broken_promise"]

    # The day after, with nothing written in between: broken, first in the list.
    on("2026-11-28", monkeypatch)
    text = ok(relance("today")).out
    assert "Durand SARL: promise broken: €500.00 promised on 2026-11-23 by 2026-11-27" in text
    rows = ok(relance("today", "--json")).json()
    assert rows[0]["client"] == "Durand SARL"
    first = rows[0]
    assert first["broken_promise"] is True
    assert first["promise"] is False
    # The ladder resumes at the step it had reached, and the reason says why.
    assert first["step"] == step_reached
    assert first["next_action"] not in ("check promise", "")
    assert "promise to pay by 2026-11-27 broken" in first["reason"]
    shown = ok(relance("show", "Durand SARL", "--json")).json()
    assert [p["status"] for p in shown["promises"]] == ["broken"]
    assert shown["broken_promise"]["amount"] == "500.00"
    assert shown["broken_promise"]["words"] == "paie vendredi"
    [event] = [e for e in shown["history"] if e["kind"] == "promise"]
    assert (event["outcome"], event["direction"]) == ("broken", "internal")
    # The catch-up is done once: a second command tells nothing new.
    assert "promise broken" not in ok(relance("today")).out

    # Followed up (a call after the promised date): back to its usual place.
    on("2026-11-30", monkeypatch)
    ok(relance("call", "Durand SARL", "--outcome", "no-answer"))
    rows = ok(relance("today", "--json")).json()
    assert [row["client"] for row in rows] == ["Martin SA", "Durand SARL"]
    assert row_of(rows, "Durand SARL")["broken_promise"] is False


def test_a_promise_covered_in_time_is_kept(
    relance: Relance, book_cli: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(relance("call", "Durand SARL", "--outcome", "promised", "--amount", "500",
               "--on", "2026-11-27"))  # fmt: skip
    on("2026-11-25", monkeypatch)
    ok(relance("payment", "add", "Durand SARL", "300"))
    assert ok(relance("show", "Durand SARL", "--json")).json()["promises"][0]["status"] == "open"
    ok(relance("payment", "add", "Durand SARL", "200"))
    on("2026-12-02", monkeypatch)
    rows = ok(relance("today", "--json")).json()
    assert rows[0]["client"] == "Martin SA"
    assert row_of(rows, "Durand SARL")["broken_promise"] is False
    shown = ok(relance("show", "Durand SARL", "--json")).json()
    assert shown["promises"][0]["status"] == "kept"
    assert shown["broken_promise"] is None
    # Kept promises are part of what the payer profile tells.
    assert "kept 1 of 1 promises to pay" in shown["profile_reasons"]
    assert not [e for e in shown["history"] if e["kind"] == "promise"]


def test_a_promise_by_e_mail_or_in_person(
    relance: Relance, book_cli: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_mail = ok(relance("log", "Durand SARL", "email", "--amount", "300", "--on", "2026-12-01",
                         "--note", "reply to our mail", "--json")).json()  # fmt: skip
    assert (by_mail["promised_amount"], by_mail["promised_on"]) == ("300.00", "2026-12-01")
    event = ContactEvent.get_by_id(by_mail["event_id"])
    assert (event.kind, event.channel, event.direction) == ("promise", "email", "in")
    visit = ok(relance("log", "Martin SA", "visit", "--amount", "1000", "--on", "+7",
                       "--who", "M. Martin", "--json")).json()  # fmt: skip
    assert ContactEvent.get_by_id(visit["event_id"]).kind == "visit"
    promise = Promise.get(Promise.event == visit["event_id"])
    assert (promise.amount, promise.due_on, promise.made_by) == (
        100000,
        date(2026, 11, 30),
        "M. Martin",
    )
    rows = ok(relance("today", "--json")).json()
    assert all(row["promise"] for row in rows)
    # An e-mail carries nothing else here; a half-given promise is refused; nothing written.
    events = ContactEvent.select().count()
    for argv in (
        ("log", "Durand SARL", "email"),
        ("log", "Durand SARL", "visit", "--amount", "10"),
        ("log", "Durand SARL", "letter", "--amount", "10", "--on", "2026-11-01"),
    ):
        refused = relance(*argv)
        assert refused.status == 2
        assert refused.err.startswith("relance: ")
    assert ContactEvent.select().count() == events


def moment_on(day: date) -> datetime:
    """Half past nine on a day."""
    return datetime.combine(day, time(9, 30))


def owing(name: str, due: str, amount: str = "1000.00") -> int:
    """A client owing ``amount`` since ``due``."""
    client_id = clients.add_client(name, moment_on(date(2026, 8, 1))).client_id
    invoices.add_invoice(
        client_id, f"{name}-1", amount, "2026-05-01", due, moment_on(date(2026, 8, 1))
    )
    return client_id


def test_the_one_answer_to_broken_or_not(book: object) -> None:
    client_id = owing("Roux", "2026-10-01")
    assert broken_promise(client_id, date(2026, 11, 23)) is None
    calls.log_call(
        client_id,
        "promised",
        moment_on(date(2026, 11, 23)),
        promised_amount="400",
        promised_on="2026-11-25",
        who="Mme Roux",
    )
    # Judged with today even before any catch-up marks it.
    assert broken_promise(client_id, date(2026, 11, 25)) is None
    found = broken_promise(client_id, date(2026, 11, 26))
    assert found is not None
    assert (found.amount, found.due_on, found.made_by, found.channel) == (
        40000,
        date(2026, 11, 25),
        "Mme Roux",
        "phone",
    )
    assert found.followed_up is False
    assert promise_status("open", date(2026, 11, 25), date(2026, 11, 26)) == "broken"
    assert promise_status("kept", date(2026, 11, 25), date(2026, 11, 26)) == "kept"
    # Nothing owed any more: nothing to answer for.
    payments.record_payment(client_id, "1000.00", moment_on(date(2026, 11, 27)))
    assert broken_promise(client_id, date(2026, 11, 28)) is None


def test_the_list_puts_broken_promises_first_before_any_catch_up(book: object) -> None:
    older = owing("Ancien", "2026-06-01")
    client_id = owing("Roux", "2026-10-01")
    calls.log_call(
        client_id,
        "promised",
        moment_on(date(2026, 11, 23)),
        promised_amount="400",
        promised_on="2026-11-25",
    )
    names = [row.client_id for row in triage_window(date(2026, 11, 25), SortKey.OVERDUE)]
    assert names == [older, client_id]
    rows = triage_window(date(2026, 11, 26), SortKey.OVERDUE)
    assert [row.client_id for row in rows] == [client_id, older]
    assert rows[0].broken_promise and not rows[1].broken_promise
    # Other orders are left alone.
    by_name = triage_window(date(2026, 11, 26), SortKey.NAME)
    assert [row.client_id for row in by_name] == [older, client_id]


def test_broken_promises_feed_the_profile(book: object) -> None:
    client_id = owing("Roux", "2026-10-01", amount="3000.00")
    day = date(2026, 11, 2)
    for _ in range(2):
        calls.log_call(
            client_id,
            "promised",
            moment_on(day),
            promised_amount="100",
            promised_on=day.isoformat(),
        )
        day = date.fromordinal(day.toordinal() + 3)
        told = catch_up(moment_on(day))
        assert any("promise broken" in line for line in told)
    assert Promise.select().where(Promise.status == "broken").count() == 2
    client = Client.get_by_id(client_id)
    assert client.payer_profile == "bad-faith"
    assert "broke 2 promises to pay" in client_profile(client_id).reasons


def test_a_promised_date_in_the_past_is_refused(book: object) -> None:
    client_id = owing("Roux", "2026-10-01")
    with pytest.raises(InvalidInput) as refused:
        contacts.log_contact(
            client_id,
            "visit",
            moment_on(date(2026, 11, 23)),
            promised_amount="10",
            promised_on="2026-11-20",
        )
    assert "past" in refused.value.errors["on"]
    assert Promise.select().count() == 0
