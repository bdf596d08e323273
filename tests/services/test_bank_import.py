"""Importing bank statements: certain credits recorded as `$` does, the rest kept for review."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from relance.domain.bank_lines import BankLine, BankStatement
from relance.services.bank import (
    ALREADY,
    RECORDED,
    REVERSED,
    WAITS,
    accept_line,
    import_statement,
    set_aside_line,
)
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.payments import reverse_payment
from relance.services.validation import InvalidInput
from relance.store.bank_lines import count_to_review, known_ibans, review_counts_by_client
from relance.store.models import ContactEvent, Invoice, Payment, StatementLine

ACCOUNT = "FR7630006000011234567890189"


def no_reference(text: str) -> int | None:
    """No RF reference is known in these tests unless one says otherwise."""
    return None


def line(amount: int, **fields: object) -> BankLine:
    """A line on the creditor's account, booked the day before the test's day."""
    booked = fields.pop("booked_on", date(2026, 11, 22))
    return BankLine(ACCOUNT, booked, amount, "EUR", **fields)  # type: ignore[arg-type]


def statement(*lines: BankLine) -> BankStatement:
    """A CSV statement of these lines."""
    return BankStatement("csv", tuple(lines))


def run(*lines: BankLine, at: datetime, dry_run: bool = False, tolerance: int = 0):  # type: ignore[no-untyped-def]
    """Import the lines as one statement."""
    return import_statement(
        statement(*lines),
        "releve.csv",
        at,
        reference_client=no_reference,
        tolerance=tolerance,
        dry_run=dry_run,
    )


@pytest.fixture
def clients(book: object, at: datetime) -> dict[str, int]:
    """Two clients with overdue invoices; both owe 500.00 on one invoice."""
    acme = add_client("ACME SARL", at, email="ap@acme.test").client_id
    add_invoice(acme, "F-2026-001", "1200.00", "2026-08-01", "2026-08-31", at)
    add_invoice(acme, "F-2026-007", "500.00", "2026-09-01", "2026-09-30", at)
    beta = add_client("Bêta SAS", at, email="compta@beta.test").client_id
    add_invoice(beta, "F-2026-002", "500.00", "2026-09-15", "2026-10-15", at)
    return {"acme": acme, "beta": beta}


def paid() -> dict[str, int]:
    """What each invoice has received."""
    return {inv.number: inv.paid for inv in Invoice.select()}


def test_a_certain_line_is_recorded_through_the_payment_service_with_its_bank_line(
    clients: dict[str, int], at: datetime
) -> None:
    credit = line(
        50_000,
        bank_reference="BK-1",
        end_to_end_id="E2E-1",
        debtor_name="ACME",
        debtor_iban="FR76 1111 2222 3333 4444 5555 666",
        remittance="Facture F-2026-007",
    )
    report = run(credit, at=at)
    [result] = report.lines
    assert result.status == RECORDED
    assert result.client_id == clients["acme"]
    assert paid() == {"F-2026-001": 0, "F-2026-007": 50_000, "F-2026-002": 0}
    [payment] = Payment.select()
    assert (payment.received_on, payment.method, payment.reference) == (
        date(2026, 11, 22),
        "bank transfer",
        "BK-1",
    )
    event = ContactEvent.get(ContactEvent.kind == "payment")
    assert event.author == "bank import"
    assert event.summary == "payment received: €500.00 → F-2026-007"
    assert "account: FR7630006000011234567890189" in event.body
    assert "bank reference: BK-1" in event.body
    assert "debtor: ACME FR76 1111 2222 3333 4444 5555 666" in event.body
    assert "remittance: Facture F-2026-007" in event.body
    stored = StatementLine.get()
    assert (stored.status, stored.payment_id, stored.client_id) == (
        "imported",
        payment.id,
        clients["acme"],
    )
    assert known_ibans() == {"FR7611112222333344445555666": clients["acme"]}


def test_importing_twice_or_an_overlapping_statement_records_each_line_once(
    clients: dict[str, int], at: datetime
) -> None:
    first = line(50_000, bank_reference="BK-1", remittance="F-2026-007")
    second = line(20_000, bank_reference="BK-2", remittance="F-2026-001")
    run(first, at=at)
    again = run(first, second, at=at)
    assert [r.status for r in again.lines] == [ALREADY, RECORDED]
    assert run(first, second, at=at).counts()[ALREADY] == 2
    assert Payment.select().count() == 2
    assert StatementLine.select().count() == 2
    assert paid() == {"F-2026-001": 20_000, "F-2026-007": 50_000, "F-2026-002": 0}


def test_two_clients_owing_the_same_amount_wait_for_review_and_nothing_is_paid(
    clients: dict[str, int], at: datetime
) -> None:
    [result] = run(line(50_000, bank_reference="BK-9", remittance="VIREMENT"), at=at).lines
    assert result.status == WAITS
    assert {p.client_id for p in result.proposals} == {clients["acme"], clients["beta"]}
    assert Payment.select().count() == 0
    assert count_to_review() == 1
    assert review_counts_by_client() == {clients["acme"]: 1, clients["beta"]: 1}


def test_accepting_a_line_for_another_client_records_it_and_remembers_the_account(
    clients: dict[str, int], at: datetime
) -> None:
    [result] = run(
        line(50_000, bank_reference="BK-9", debtor_iban="DE89370400440532013000"), at=at
    ).lines
    assert result.line_id is not None
    accepted = accept_line(
        result.line_id, at, client_id=clients["beta"], invoice_numbers=["F-2026-002"]
    )
    assert accepted.status == RECORDED
    assert paid()["F-2026-002"] == 50_000
    assert ContactEvent.get(ContactEvent.kind == "payment").author == "bank review"
    assert count_to_review() == 0
    assert review_counts_by_client() == {}
    assert known_ibans() == {"DE89370400440532013000": clients["beta"]}
    with pytest.raises(InvalidInput, match="was recorded: not in review"):
        accept_line(result.line_id, at)
    # The account is remembered: the next line from it with an exact amount is certain.
    add_invoice(clients["beta"], "F-2026-010", "80.00", "2026-11-01", "2026-11-15", at)
    [later] = run(
        line(8_000, bank_reference="BK-10", debtor_iban="DE89 3704 0044 0532 0130 00"), at=at
    ).lines
    assert (later.status, later.client_id) == (RECORDED, clients["beta"])


def test_setting_aside_a_line_leaves_the_book_unpaid(clients: dict[str, int], at: datetime) -> None:
    [result] = run(line(999, bank_reference="BK-R", remittance="REMBOURSEMENT"), at=at).lines
    assert result.status == WAITS and result.line_id is not None
    set_aside_line(result.line_id, at)
    assert StatementLine.get_by_id(result.line_id).status == "set_aside"
    assert count_to_review() == 0
    with pytest.raises(InvalidInput, match="was set aside"):
        set_aside_line(result.line_id, at)


def test_a_write_off_proposal_settles_the_invoice_once_accepted(
    clients: dict[str, int], at: datetime
) -> None:
    [result] = run(
        line(49_750, bank_reference="BK-F", remittance="F-2026-002"), at=at, tolerance=500
    ).lines
    assert result.status == WAITS and result.line_id is not None
    assert result.proposals[0].write_off == 250
    accept_line(result.line_id, at)
    assert paid()["F-2026-002"] == 50_000
    methods = sorted((p.method, p.amount) for p in Payment.select())
    assert methods == [("bank transfer", 49_750), ("write-off", 250)]
    summaries = [e.summary for e in ContactEvent.select().where(ContactEvent.kind == "payment")]
    assert "difference written off: €2.50 → F-2026-002" in summaries


def test_a_reversal_reverses_the_payment_the_credit_made(
    clients: dict[str, int], at: datetime
) -> None:
    credit = line(
        50_000, bank_reference="BK-1", end_to_end_id="E2E-ACME-7", remittance="F-2026-007"
    )
    run(credit, at=at)
    back = line(-50_000, bank_reference="BK-2", remittance="RETOUR E2E-ACME-7 AC04")
    [result] = run(back, at=at).lines
    assert result.status == REVERSED
    assert paid()["F-2026-007"] == 0
    [payment] = Payment.select()
    assert payment.reversed_at is not None
    assert payment.reversal_reason == "returned by the bank: RETOUR E2E-ACME-7 AC04"
    assert (
        StatementLine.get(StatementLine.fingerprint == back.fingerprint()).returns_line_id
        is not None
    )


def test_a_line_flagged_as_a_reversal_reverses_the_credit_in_the_same_statement(
    clients: dict[str, int], at: datetime
) -> None:
    credit = line(
        50_000, bank_reference="BK-1", end_to_end_id="E2E-ACME-7", remittance="F-2026-007"
    )
    back = line(50_000, bank_reference="BK-1R", end_to_end_id="E2E-ACME-7", reversal=True)
    report = run(credit, back, at=at)
    assert [r.status for r in report.lines] == [RECORDED, REVERSED]
    assert paid()["F-2026-007"] == 0


def test_a_return_of_a_payment_reversed_by_hand_changes_nothing_more(
    clients: dict[str, int], at: datetime
) -> None:
    [recorded] = run(
        line(50_000, bank_reference="BK-1", end_to_end_id="E2E-7", remittance="F-2026-007"), at=at
    ).lines
    assert recorded.payment_id is not None
    reverse_payment(clients["acme"], str(recorded.payment_id), at)
    [result] = run(line(-50_000, bank_reference="BK-2", remittance="RETOUR E2E-7"), at=at).lines
    assert result.status == REVERSED
    assert "already reversed" in result.notes[0]


def test_a_returned_credit_that_waited_is_set_aside(clients: dict[str, int], at: datetime) -> None:
    [waiting] = run(line(50_000, bank_reference="BK-1", end_to_end_id="E2E-X"), at=at).lines
    [back] = run(line(-50_000, bank_reference="BK-2", remittance="E2E-X"), at=at).lines
    assert back.status == REVERSED
    assert StatementLine.get_by_id(waiting.line_id).status == "set_aside"
    assert count_to_review() == 0


def test_a_debit_is_kept_apart(clients: dict[str, int], at: datetime) -> None:
    [result] = run(line(-490, remittance="FRAIS BANCAIRES"), at=at).lines
    assert result.status == "debit"
    assert Payment.select().count() == 0


def test_a_dry_run_writes_nothing_and_says_what_would_happen(
    clients: dict[str, int], at: datetime
) -> None:
    before = (
        Payment.select().count(),
        StatementLine.select().count(),
        ContactEvent.select().count(),
    )
    report = run(
        line(50_000, bank_reference="BK-1", remittance="F-2026-007"),
        line(-490),
        at=at,
        dry_run=True,
    )
    assert [r.status for r in report.lines] == [RECORDED, "debit"]
    assert (
        Payment.select().count(),
        StatementLine.select().count(),
        ContactEvent.select().count(),
    ) == before


def test_later_lines_see_what_earlier_lines_paid(clients: dict[str, int], at: datetime) -> None:
    first = line(120_000, bank_reference="BK-1", debtor_name="ACME SARL")
    second = line(50_000, bank_reference="BK-2", debtor_name="ACME SARL")
    report = run(first, second, at=at)
    assert [r.status for r in report.lines] == [RECORDED, RECORDED]
    assert paid() == {"F-2026-001": 120_000, "F-2026-007": 50_000, "F-2026-002": 0}


def test_a_creditor_reference_reader_is_used(clients: dict[str, int], at: datetime) -> None:
    def reader(text: str) -> int | None:
        return clients["beta"] if text == "RF47BETA" else None

    report = import_statement(
        statement(line(10_000, bank_reference="BK-1", creditor_reference="RF47BETA")),
        "releve.csv",
        at,
        reference_client=reader,
    )
    [result] = report.lines
    assert (result.status, result.client_id) == (RECORDED, clients["beta"])
    assert paid()["F-2026-002"] == 10_000
