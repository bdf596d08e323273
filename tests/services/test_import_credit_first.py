"""A credit note imported before its invoice: credit for the client, then it settles the invoice."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from locations import SHARED_SAMPLES
from relance.cli import main
from relance.services.payments import reverse_payment
from relance.store.database import close_database, open_database
from relance.store.models import Allocation, Client, ContactEvent, Invoice, Payment

SAMPLES = SHARED_SAMPLES / "einvoices"
INVOICE = SAMPLES / "facturx" / "Facture_FR_BASICWL.pdf"
CREDIT_NOTE = SAMPLES / "facturx" / "Avoir_FR_type381_BASIC.pdf"
HEADER = "Facture;Client;Date;Échéance;Montant TTC;Payé\n"

State = tuple[dict[str, tuple[int, int]], dict[str, int], list[tuple[str, int, int]]]


def imported(capsys: pytest.CaptureFixture[str], path: Path, db: Path | None = None) -> str:
    """Import a file through the command line, insisting it worked; returns what it printed."""
    capsys.readouterr()
    argv = ["import", str(path)] + (["--db", str(db)] if db else [])
    status = main(argv)
    captured = capsys.readouterr()
    assert status == 0, captured.err
    return captured.out


def book_state(db: Path | None = None) -> State:
    """Invoices (amount, paid), clients' outstanding, payments with what they settled."""
    open_database(db or Path(os.environ["RELANCE_DB"]))
    try:
        invoices = {inv.number: (inv.amount, inv.paid) for inv in Invoice.select()}
        owed = {client.name: client.outstanding for client in Client.select()}
        payments = [
            (
                payment.reference,
                payment.amount,
                sum(a.amount for a in Allocation.select().where(Allocation.payment == payment.id)),
            )
            for payment in Payment.select().order_by(Payment.reference)
        ]
        return invoices, owed, payments
    finally:
        close_database()


def import_events() -> list[str]:
    """The history lines imports wrote, oldest first."""
    open_database(Path(os.environ["RELANCE_DB"]))
    try:
        query = ContactEvent.select().where(ContactEvent.outcome == "import")
        return [event.summary for event in query.order_by(ContactEvent.id)]
    finally:
        close_database()


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """A folder for CSV files written by the test."""
    folder = tmp_path / "ledger"
    folder.mkdir()
    return folder


def test_a_credit_note_before_its_invoice_settles_it_once_it_arrives(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    imported(capsys, CREDIT_NOTE)
    invoices, owed, payments = book_state()
    # No invoice yet: the whole note is the client's credit, allocated to nothing.
    assert (invoices, owed) == ({}, {"Ma jolie boutique": 0})
    assert payments == [("AV-2017-0005", 23347, 0)]

    out = imported(capsys, INVOICE)

    assert "earlier credit notes applied: 1" in out
    invoices, owed, payments = book_state()
    # 671.15 − 201.00 prepaid − 233.47 credited = 236.68, as when the invoice came first.
    assert invoices == {"FA-2017-0010": (67115, 43447)}
    assert owed == {"Ma jolie boutique": 23668}
    assert payments == [("AV-2017-0005", 23347, 23347), ("FA-2017-0010", 20100, 20100)]
    assert import_events()[-1].endswith(
        "1 new, 1 payment(s) recorded, 1 earlier credit note(s) applied"
    )
    # The other order gives the very same book.
    other = tmp_path / "other" / "relance.db"
    imported(capsys, INVOICE, other)
    imported(capsys, CREDIT_NOTE, other)
    assert book_state(other) == book_state()
    # Importing either document again changes nothing.
    before = book_state()
    for path in (CREDIT_NOTE, INVOICE, SAMPLES / "cii" / "facturFrMinimum.xml"):
        imported(capsys, path)
    assert book_state() == before


def test_a_csv_credit_row_waits_for_invoices_and_what_is_left_stays_credit(
    capsys: pytest.CaptureFixture[str], ledger: Path
) -> None:
    credit = ledger / "credit.csv"
    credit.write_text(HEADER + "AV-9;Credit Co;15/10/2026;;-1 200,00;\n", encoding="utf-8")
    imported(capsys, credit)
    assert book_state()[2] == [("AV-9", 120000, 0)]

    first = ledger / "first.csv"
    first.write_text(
        HEADER + "C-1;Credit Co;01/09/2026;01/10/2026;1 000,00;400,00\n", encoding="utf-8"
    )
    imported(capsys, first)

    invoices, owed, payments = book_state()
    # 600 owed after the 400 paid: the credit settles it and keeps 600 for the next invoice.
    assert invoices == {"C-1": (100000, 100000)}
    assert owed == {"Credit Co": 0}
    assert payments == [("AV-9", 120000, 60000), ("C-1", 40000, 40000)]

    second = ledger / "second.csv"
    second.write_text(
        HEADER
        + "C-1;Credit Co;01/09/2026;01/10/2026;1 000,00;400,00\n"
        + "C-2;Credit Co;01/10/2026;31/10/2026;900,00;\n",
        encoding="utf-8",
    )
    imported(capsys, second)

    invoices, owed, payments = book_state()
    assert invoices == {"C-1": (100000, 100000), "C-2": (90000, 60000)}
    assert owed == {"Credit Co": 30000}
    assert payments == [("AV-9", 120000, 120000), ("C-1", 40000, 40000)]
    imported(capsys, second)
    imported(capsys, credit)
    assert book_state() == (invoices, owed, payments)


def test_a_later_payment_on_a_credited_invoice_is_still_recorded(
    capsys: pytest.CaptureFixture[str], ledger: Path
) -> None:
    first = ledger / "first.csv"
    first.write_text(
        HEADER
        + "C-1;Credit Co;01/09/2026;01/10/2026;1 000,00;400,00\n"
        + "AV-1;Credit Co;15/10/2026;;-250,00;\n",
        encoding="utf-8",
    )
    imported(capsys, first)
    assert book_state()[0] == {"C-1": (100000, 65000)}
    # The invoicing tool's "paid" does not count the credit note: 400 became 600.
    later = ledger / "later.csv"
    later.write_text(
        HEADER + "C-1;Credit Co;01/09/2026;01/10/2026;1 000,00;600,00\n", encoding="utf-8"
    )

    imported(capsys, later)

    invoices, owed, _payments = book_state()
    assert invoices == {"C-1": (100000, 85000)}
    assert owed == {"Credit Co": 15000}
    imported(capsys, later)
    assert book_state()[0] == invoices


def test_a_reversed_credit_note_is_not_applied_to_later_invoices(
    capsys: pytest.CaptureFixture[str], ledger: Path, at: datetime
) -> None:
    credit = ledger / "credit.csv"
    credit.write_text(HEADER + "AV-9;Credit Co;15/10/2026;;-1 200,00;\n", encoding="utf-8")
    imported(capsys, credit)
    open_database(Path(os.environ["RELANCE_DB"]))
    try:
        note = Payment.get(Payment.reference == "AV-9")
        reverse_payment(note.client_id, str(note.id), at, reason="issued by mistake")
    finally:
        close_database()
    first = ledger / "first.csv"
    first.write_text(
        HEADER + "C-1;Credit Co;01/09/2026;01/10/2026;1 000,00;400,00\n", encoding="utf-8"
    )

    out = imported(capsys, first)

    assert "earlier credit notes applied" not in out
    invoices, owed, _payments = book_state()
    assert (invoices, owed) == ({"C-1": (100000, 40000)}, {"Credit Co": 60000})
