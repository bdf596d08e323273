"""Payments: spread over a plan and its invoices, picked by hand, credited, reversed."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from relance.cli import main
from relance.config import Creditor
from relance.domain.allocation import Owed, Piece, spread_payment
from relance.services import calls, clients, invoices, payments, plans
from relance.services.dossier import payments_csv, read_dossier, statement_entries
from relance.services.validation import InvalidInput
from relance.store.models import Allocation, Client, ContactEvent, Instalment, Invoice, Promise


def moment(day: date) -> datetime:
    """Half past nine on a day."""
    return datetime.combine(day, time(9, 30))


def test_spread_walks_instalments_and_invoices_side_by_side() -> None:
    pieces, credit = spread_payment(
        500, [Owed(1, 200), Owed(2, 400)], [Owed(10, 150), Owed(11, 150), Owed(12, 300)]
    )
    assert pieces == [
        Piece(1, 10, 150),
        Piece(1, 11, 50),
        Piece(2, 11, 100),
        Piece(2, 12, 200),
    ]
    assert credit == 0
    # A plan with interest in it: the instalments go on after the invoices are paid.
    pieces, credit = spread_payment(300, [Owed(1, 100)], [Owed(10, 250)])
    assert pieces == [Piece(1, 10, 100), Piece(None, 10, 150)]
    assert credit == 50
    # No plan: invoices alone, the rest a credit.
    assert spread_payment(700, [Owed(1, 200), Owed(2, 400)]) == (
        [Piece(1, None, 200), Piece(2, None, 400)],
        100,
    )
    with pytest.raises(ValueError):
        spread_payment(0, [Owed(1, 1)])


def two_invoices(name: str = "ACME") -> int:
    """A client owing 200.00 (due 1 September) and 400.00 (due 1 October)."""
    at = moment(date(2026, 8, 1))
    client_id = clients.add_client(name, at).client_id
    invoices.add_invoice(client_id, "A-1", "200.00", "2026-08-01", "2026-09-01", at)
    invoices.add_invoice(client_id, "A-2", "400.00", "2026-08-01", "2026-10-01", at)
    return client_id


def paid() -> dict[str, int]:
    """What each invoice has received."""
    return {inv.number: inv.paid for inv in Invoice.select()}


def test_a_running_plan_takes_the_money_in_order(book: object, at: datetime) -> None:
    client_id = two_invoices()
    plans.propose_plan(client_id, "4", at, first="2026-12-01")
    plans.answer_plan(client_id, "accept", at)
    result = payments.record_payment(client_id, "250.00", at, method="card", reference="R1")
    # 600.00 in four instalments of 150.00; the oldest invoice (200.00) is paid first.
    assert result.record["allocations"] == [
        {"invoice": "A-1", "amount": "150.00", "instalment": 1},
        {"invoice": "A-1", "amount": "50.00", "instalment": 2},
        {"invoice": "A-2", "amount": "50.00", "instalment": 2},
    ]
    assert [i.paid for i in Instalment.select().order_by(Instalment.seq)] == [15000, 10000, 0, 0]
    assert paid() == {"A-1": 20000, "A-2": 5000}
    event = ContactEvent.get_by_id(result.event_id)
    assert event.summary == "payment received: €250.00 → A-1, A-2 · instalment 1, 2"


def test_invoices_picked_by_hand_come_first_and_the_rest_is_a_credit(
    book: object, at: datetime
) -> None:
    client_id = two_invoices()
    result = payments.record_payment(client_id, "450.00", at, invoice_numbers=["A-2"])
    assert paid() == {"A-1": 5000, "A-2": 40000}
    assert result.record["credit"] == "0.00"
    over = payments.record_payment(client_id, "300.00", at)
    assert over.record["credit"] == "150.00"
    assert "(credit €150.00)" in over.summary
    assert Client.get_by_id(client_id).outstanding == 0
    for numbers, message in ((["A-9"], "no invoice A-9"), (["A-1"], "already paid")):
        with pytest.raises(InvalidInput) as refused:
            payments.record_payment(client_id, "1.00", at, invoice_numbers=numbers)
        assert message in refused.value.errors["invoice"]


def test_reversal_undoes_the_shares_and_reopens_a_promise(book: object, at: datetime) -> None:
    client_id = two_invoices()
    calls.log_call(client_id, "promised", at, promised_amount="200", promised_on="2026-11-30")
    done = payments.record_payment(client_id, "250.00", at, reference="VIR 1")
    assert Promise.get().status == "kept"
    payment_id = str(done.record["payment_id"])
    undone = payments.reverse_payment(client_id, payment_id, at, reason="bounced")
    assert undone.record["undone"] == [
        {"invoice": "A-1", "amount": "200.00"},
        {"invoice": "A-2", "amount": "50.00"},
    ]
    assert paid() == {"A-1": 0, "A-2": 0}
    assert Allocation.select().count() == 0
    assert Promise.get().status == "open"
    assert Client.get_by_id(client_id).outstanding == 60000
    event = ContactEvent.get_by_id(undone.event_id)
    assert (event.kind, event.outcome) == ("payment", "reversed")
    assert "bounced" in event.summary and "undone: invoice A-1 €200.00" in event.body
    with pytest.raises(InvalidInput) as twice:
        payments.reverse_payment(client_id, payment_id, at)
    assert "already reversed" in twice.value.errors["payment"]
    other = clients.add_client("Other", at).client_id
    with pytest.raises(InvalidInput):
        payments.reverse_payment(other, payment_id, at)
    with pytest.raises(InvalidInput):
        payments.reverse_payment(client_id, "", at)


def test_reversal_after_the_promised_day_breaks_the_promise(book: object, at: datetime) -> None:
    client_id = two_invoices()
    calls.log_call(client_id, "promised", at, promised_amount="100", promised_on="2026-11-25")
    done = payments.record_payment(client_id, "100.00", at)
    later = moment(date(2026, 11, 28))
    result = payments.reverse_payment(client_id, str(done.record["payment_id"]), later)
    assert Promise.get().status == "broken"
    assert any("promise broken" in line for line in result.record["events"])


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    """Run `relance ARGS… --json` and read what it printed."""
    capsys.readouterr()
    status = main([*argv, "--json"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    return json.loads(captured.out)


def test_the_cli_adds_reverses_and_shows(capsys: pytest.CaptureFixture[str]) -> None:
    client = run_cli(capsys, "client", "add", "Durand")["client_id"]
    for number, due in (("D-1", "2026-09-01"), ("D-2", "2026-10-01"), ("D-3", "2026-10-15")):
        run_cli(capsys, "invoice", "add", "Durand", number, "100.00", "--issued", "2026-08-01",
                "--due", due)  # fmt: skip
    added = run_cli(capsys, "payment", "add", "Durand", "350.00", "--invoice", "D-3",
                    "--invoice", "D-2", "--method", "transfer", "--reference", "VIR 9")  # fmt: skip
    assert [a["invoice"] for a in added["allocations"]] == ["D-3", "D-2", "D-1"]
    assert added["credit"] == "50.00"
    shown = run_cli(capsys, "show", "Durand")
    assert shown["credit"] == "50.00"
    [payment] = shown["payments"]
    assert payment["id"] == added["payment_id"]
    assert (payment["method"], payment["reference"], payment["credit"]) == (
        "transfer",
        "VIR 9",
        "50.00",
    )
    assert payment["allocations"] == [
        {"to": "invoice D-3", "amount": "100.00"},
        {"to": "invoice D-2", "amount": "100.00"},
        {"to": "invoice D-1", "amount": "100.00"},
    ]
    reversed_ = run_cli(capsys, "payment", "reverse", "Durand", str(payment["id"]),
                        "--reason", "rejet banque")  # fmt: skip
    assert reversed_["reversed"] is True
    shown = run_cli(capsys, "show", "Durand")
    assert shown["credit"] == "0.00"
    assert shown["outstanding"] == "300.00"
    [payment] = shown["payments"]
    assert payment["reversed_at"] is not None and payment["reversal_reason"] == "rejet banque"
    assert payment["allocations"] == []
    capsys.readouterr()
    assert main(["show", "Durand"]) == 0
    text = capsys.readouterr().out
    assert "REVERSED" in text and "rejet banque" in text
    capsys.readouterr()
    assert main(["payment", "reverse", "Durand", str(payment["id"])]) == 2
    assert "already reversed" in capsys.readouterr().err
    assert client


def test_show_lists_plans_with_instalment_states(capsys: pytest.CaptureFixture[str]) -> None:
    run_cli(capsys, "client", "add", "Durand")
    run_cli(capsys, "invoice", "add", "Durand", "D-1", "300.00", "--issued", "2026-08-01",
            "--due", "2026-09-01")  # fmt: skip
    proposed = run_cli(capsys, "plan", "propose", "Durand", "--instalments", "3",
                       "--first", "2026-11-25", "--every", "week")  # fmt: skip
    assert proposed["status"] == "proposed"
    accepted = run_cli(capsys, "plan", "accept", "Durand", "--note", "par téléphone")
    assert accepted["status"] == "active"
    run_cli(capsys, "payment", "add", "Durand", "100.00")
    shown = run_cli(capsys, "show", "Durand")
    [plan] = shown["plans"]
    assert plan["status"] == "active"
    assert [(i["seq"], i["state"]) for i in plan["instalments"]] == [
        (1, "paid"),
        (2, "due"),
        (3, "due"),
    ]
    assert shown["payments"][0]["allocations"] == [
        {"to": "invoice D-1 · instalment 1", "amount": "100.00"}
    ]
    today = run_cli(capsys, "today")
    assert today[0]["plan"] is True
    assert today[0]["next_instalment_on"] == "2026-12-02"
    capsys.readouterr()
    assert main(["plan", "decline", "Durand"]) == 2
    assert "no plan to decline" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["json", "toml"])
def test_plans_reversals_and_broken_promises_survive_export_and_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    original = tmp_path / "original.db"
    run_cli(capsys, "client", "add", "Durand", "--db", str(original))
    run_cli(capsys, "invoice", "add", "Durand", "D-1", "300.00", "--issued", "2026-08-01",
            "--due", "2026-09-01", "--db", str(original))  # fmt: skip
    run_cli(capsys, "call", "Durand", "--outcome", "promised", "--amount", "50",
            "--on", "2026-11-23", "--db", str(original))  # fmt: skip
    run_cli(capsys, "plan", "propose", "Durand", "--instalments", "3", "--first", "2026-11-25",
            "--db", str(original))  # fmt: skip
    run_cli(capsys, "plan", "accept", "Durand", "--db", str(original))
    paid = run_cli(capsys, "payment", "add", "Durand", "120.00", "--db", str(original))
    run_cli(capsys, "payment", "add", "Durand", "10.00", "--db", str(original))
    run_cli(capsys, "payment", "reverse", "Durand", str(paid["payment_id"]),
            "--reason", "rejet", "--db", str(original))  # fmt: skip
    exported = tmp_path / f"book.{kind}"
    capsys.readouterr()
    assert main(["export", "--format", kind, "--out", str(exported), "--db", str(original)]) == 0
    restored = tmp_path / "restored.db"
    capsys.readouterr()
    assert main(["import", str(exported), "--db", str(restored)]) == 0, capsys.readouterr().err
    first = run_cli(capsys, "show", "Durand", "--db", str(original))
    again = run_cli(capsys, "show", "Durand", "--db", str(restored))
    assert again["payments"] == first["payments"]
    assert again["plans"] == first["plans"]
    assert again["promises"] == first["promises"]
    assert (again["outstanding"], again["next_action"]) == (
        first["outstanding"],
        first["next_action"],
    )
    reversed_rows = [p for p in again["payments"] if p["reversed_at"]]
    assert [p["reversal_reason"] for p in reversed_rows] == ["rejet"]
    # The reversed 120.00 had paid the first instalment and part of the second; the 10.00 after
    # it stays where it went.
    assert [i["paid"] for i in again["plans"][0]["instalments"]] == ["0.00", "10.00", "0.00"]


def test_the_dossier_statement_takes_a_reversed_payment_back(book: object, at: datetime) -> None:
    client_id = two_invoices()
    done = payments.record_payment(client_id, "250.00", moment(date(2026, 11, 2)))
    payments.reverse_payment(
        client_id, str(done.record["payment_id"]), moment(date(2026, 11, 9)), reason="rejet"
    )
    facts = read_dossier(client_id, at.date(), Creditor(name="Me"))
    lines = [(e.on, e.amount, e.balance) for e in statement_entries(facts)]
    assert lines[-2:] == [
        (date(2026, 11, 2), -25000, 35000),
        (date(2026, 11, 9), 25000, 60000),
    ]
    assert "reversed — rejet" in statement_entries(facts)[-1].label
    assert "reversed 2026-11-09" in payments_csv(facts)
