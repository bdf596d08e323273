"""Every action is one transaction with its history event; refusals and failures write nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from relance.config import Config, Creditor
from relance.services import calls, clients, invoices, lapses, payments, plans, reminders
from relance.services.results import ActionResult
from relance.services.validation import InvalidInput
from relance.store.lookup import ClientNotFound
from relance.store.models import ALL_MODELS, ContactEvent, database

CREDITOR = Creditor(name="Jeanne Martin", email="jeanne@example.fr")


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table."""
    return {
        model._meta.table_name: list(model.select().order_by(model.id).tuples())
        for model in ALL_MODELS
    }


@pytest.fixture
def client_id(book: object, at: datetime) -> int:
    """A client with an e-mail address and two overdue invoices."""
    earlier = at - timedelta(days=1)
    cid = clients.add_client("ACME", earlier, email="ap@acme.test").client_id
    invoices.add_invoice(cid, "F-1", "100.00", "2026-08-01", "2026-08-31", earlier)
    invoices.add_invoice(cid, "F-2", "250.00", "2026-09-01", "2026-09-30", earlier)
    return cid


@pytest.fixture
def statements(book: object) -> Iterator[list[str]]:
    """The SQL statements run on this thread's connection while the test runs."""
    seen: list[str] = []
    connection = database.connection()
    connection.set_trace_callback(seen.append)
    yield seen
    connection.set_trace_callback(None)


def actions(outbox: Path) -> dict[str, Callable[[int, datetime], ActionResult]]:
    """One call of every service, by name."""
    return {
        "add_client": lambda cid, at: clients.add_client("Newco", at, email="a@new.co"),
        "add_note": lambda cid, at: clients.add_note(cid, "a note", at),
        "snooze": lambda cid, at: clients.snooze_client(cid, "+5", at),
        "dispute": lambda cid, at: clients.set_dispute(cid, True, at),
        "add_invoice": lambda cid, at: invoices.add_invoice(
            cid, "F-3", "10.00", "2026-11-01", "2026-12-01", at
        ),
        "call": lambda cid, at: calls.log_call(cid, "voicemail", at),
        "promise": lambda cid, at: calls.log_call(
            cid, "promised", at, promised_amount="50", promised_on="+3"
        ),
        "dispute_call": lambda cid, at: calls.log_call(cid, "dispute", at),
        "payment": lambda cid, at: payments.record_payment(cid, "120.00", at),
        "plan": lambda cid, at: plans.propose_plan(cid, "3", at),
        "reminder": lambda cid, at: reminders.send_reminder(
            cid, at, Config(path=outbox / "config.toml", creditor=CREDITOR), outbox
        ),
    }


ACTION_NAMES = list(actions(Path()).keys())
NEW_EVENTS = dict.fromkeys(ACTION_NAMES, 1) | {"dispute_call": 2}


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_each_action_is_one_transaction_with_its_event(
    client_id: int, at: datetime, tmp_path: Path, statements: list[str], name: str
) -> None:
    events_before = ContactEvent.select().count()
    statements.clear()
    result = actions(tmp_path / "outbox")[name](client_id, at)
    begins = [s for s in statements if s.upper().startswith("BEGIN")]
    ends = [s for s in statements if s.upper().startswith(("COMMIT", "ROLLBACK", "END"))]
    assert begins == ["BEGIN IMMEDIATE"]
    assert ends == ["COMMIT"]
    assert not [s for s in statements if s.upper().startswith("SAVEPOINT")]
    new_events = list(ContactEvent.select().where(ContactEvent.happened_at >= at))
    assert ContactEvent.select().count() - events_before == NEW_EVENTS[name]
    assert result.event_id in {e.id for e in new_events}


def fail_after(module: Any, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``module.name`` do its work and then fail, so the transaction must roll back."""
    real = getattr(module, name)

    def failing(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        raise RuntimeError(f"{name} failed")

    monkeypatch.setattr(module, name, failing)


MODULES = {
    "add_client": clients,
    "add_note": clients,
    "snooze": clients,
    "dispute": clients,
    "add_invoice": invoices,
    "call": calls,
    "promise": calls,
    "dispute_call": calls,
    # A payment refreshes the summary where it judges the client's promises and plans anew.
    "payment": lapses,
    "plan": plans,
    "reminder": reminders,
}


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_a_failure_inside_the_transaction_rolls_everything_back(
    client_id: int, at: datetime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    module = MODULES[name]
    failing = "record_event" if name == "add_note" else "refresh_client_summary"
    fail_after(module, failing, monkeypatch)
    before = snapshot()
    outbox = tmp_path / "outbox"
    with pytest.raises(RuntimeError, match="failed"):
        actions(outbox)[name](client_id, at)
    assert snapshot() == before
    # The outbox may have its empty folders and lock file; no message, no state file.
    assert [p for p in outbox.rglob("*") if p.is_file() and p.name != ".lock"] == []


REFUSALS: dict[str, tuple[Callable[[int, datetime], object], str]] = {
    "negative amount": (
        lambda cid, at: invoices.add_invoice(cid, "F-9", "-1", "2026-11-01", "2026-12-01", at),
        "amount",
    ),
    "malformed amount": (
        lambda cid, at: payments.record_payment(cid, "12,50", at),
        "amount",
    ),
    "three decimals": (
        lambda cid, at: calls.log_call(
            cid, "promised", at, promised_amount="1.005", promised_on="+1"
        ),
        "amount",
    ),
    "impossible date": (
        lambda cid, at: invoices.add_invoice(cid, "F-9", "1", "2026-02-30", "2026-12-01", at),
        "issued",
    ),
    "due before issue": (
        lambda cid, at: invoices.add_invoice(cid, "F-9", "1", "2026-11-02", "2026-11-01", at),
        "due",
    ),
    "duplicate invoice": (
        lambda cid, at: invoices.add_invoice(cid, "F-1", "1", "2026-11-01", "2026-12-01", at),
        "number",
    ),
    "empty name": (lambda cid, at: clients.add_client("  ", at), "name"),
    "duplicate name": (lambda cid, at: clients.add_client("acme", at), "name"),
    "control characters": (lambda cid, at: clients.add_client("A\x1b]0;x\x07", at), "name"),
    "nul in a note": (lambda cid, at: clients.add_note(cid, "a\x00b", at), "text"),
    "past snooze": (lambda cid, at: clients.snooze_client(cid, "-1", at), "until"),
    "dispute off twice": (lambda cid, at: clients.set_dispute(cid, False, at), "on"),
    "unknown invoice": (
        lambda cid, at: payments.record_payment(cid, "1", at, invoice_number="X"),
        "invoice",
    ),
    "bad plan": (lambda cid, at: plans.propose_plan(cid, "0", at), "instalments"),
    "bad outcome": (lambda cid, at: calls.log_call(cid, "hung up", at), "outcome"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_input_writes_nothing(
    client_id: int, at: datetime, statements: list[str], case: str
) -> None:
    action, field = REFUSALS[case]
    before = snapshot()
    statements.clear()
    with pytest.raises(InvalidInput) as refused:
        action(client_id, at)
    assert field in refused.value.errors
    assert snapshot() == before
    assert not [s for s in statements if s.upper().startswith("COMMIT")]


@pytest.mark.parametrize("name", [n for n in ACTION_NAMES if n != "add_client"])
def test_unknown_client_writes_nothing(
    client_id: int, at: datetime, tmp_path: Path, name: str
) -> None:
    before = snapshot()
    with pytest.raises((ClientNotFound, InvalidInput)):
        actions(tmp_path / "outbox")[name](client_id + 1000, at)
    assert snapshot() == before
