"""The sample book's bank statement: some lines certain, one ambiguous, debits apart."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from relance.domain.creditor_reference import client_id_from_reference
from relance.importing.bank import read_statement
from relance.services.bank import NOT_A_PAYMENT, RECORDED, WAITS, import_statement
from relance.services.sample import load_sample
from relance.services.sample_statement import sample_statement_text


def test_the_sample_statement_matches_the_sample_book(
    book: object, at: datetime, tmp_path: Path
) -> None:
    load_sample(at.date())
    path = tmp_path / "sample-statement.csv"
    path.write_text(sample_statement_text(at.date()), encoding="utf-8")
    report = import_statement(
        read_statement(path), path.name, at, reference_client=client_id_from_reference
    )
    assert [(line.status, line.client) for line in report.lines] == [
        (RECORDED, "Hôtel du Parc SARL"),
        (RECORDED, "Garage Fontaine & Fils SARL"),
        (WAITS, ""),
        (NOT_A_PAYMENT, ""),
        (NOT_A_PAYMENT, ""),
    ]
    waiting = report.lines[2]
    assert {p.client for p in waiting.proposals} == {
        "Brasserie Le Comptoir Lyonnais SAS",
        "Auto-École Mercier SARL",
    }
    assert waiting.notes == (
        "nothing names the payer: only the amount fits",
        "2 clients owe this amount",
    )
