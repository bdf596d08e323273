"""Pay by reference on letters: the RF reference with IBAN and BIC, and the EPC QR code decoded."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from pyzbar.pyzbar import ZBarSymbol, decode

from letter_fixtures import CREDITOR, french_client
from relance.config import Config, Creditor
from relance.domain.creditor_reference import client_id_from_reference, client_reference, grouped
from relance.domain.epc_qr import amount_field
from relance.services.claims import claim_for_client
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.letters import write_letter
from relance.services.validation import InvalidInput

WITH_BIC = dataclasses.replace(CREDITOR, bic="AGRIFRPPXXX")


def written(client_id: int, at: datetime, tmp_path: Path, creditor: Creditor, kind: str) -> Path:
    """Write a letter for the creditor and return its file."""
    config = Config(path=tmp_path / "config.toml", creditor=creditor)
    result = write_letter(client_id, at, config, tmp_path / "letters", kind=kind)
    return Path(result.record["path"])


def qr_payloads(path: Path) -> list[str]:
    """Every QR code the letter's images hold, decoded by zbar from the pixels in the PDF."""
    found = []
    for page in PdfReader(path).pages:
        for picture in page.images:
            for symbol in decode(picture.image, symbols=[ZBarSymbol.QRCODE]):
                found.append(symbol.data.decode("utf-8"))
    return found


def image_count(path: Path) -> int:
    """How many images the letter holds."""
    return sum(len(page.images) for page in PdfReader(path).pages)


def one_line_text(path: Path) -> str:
    """The letter's text on one line, spaces made single."""
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(text.replace("\u00a0", " ").split())


def english_euro_client() -> int:
    """An Irish company, written to in English, owing one invoice in euros."""
    client_id = add_client(
        "Liffey Studio Ltd",
        datetime(2026, 1, 5, 9),
        language="en",
        contact_name="Aoife Byrne",
        address="4 Merrion Square, Dublin 2, Ireland",
        jurisdiction_code="eu-b2b",
    ).client_id
    add_invoice(client_id, "LS-9", "1999.99", "2026-07-01", "2026-08-01", datetime(2026, 7, 1, 9))
    return client_id


def pound_client() -> int:
    """A client owing one invoice in pounds."""
    client_id = add_client("Thames Print", datetime(2026, 1, 5, 9), language="en").client_id
    add_invoice(
        client_id,
        "TP-1",
        "800.00",
        "2026-07-01",
        "2026-08-01",
        datetime(2026, 7, 1, 9),
        currency="GBP",
    )
    return client_id


def test_the_french_formal_letter_carries_an_epc_qr_code_that_decodes_field_by_field(
    book: object, tmp_path: Path, at: datetime, today: date
) -> None:
    add_client("Un autre client", at)  # the letter's client is not the first id
    client_id = french_client()
    claim = claim_for_client(client_id, today)
    path = written(client_id, at, tmp_path, WITH_BIC, "formal-notice")
    payloads = qr_payloads(path)
    assert len(payloads) == 1
    lines = payloads[0].split("\n")
    assert lines == [
        "BCD",
        "002",
        "1",
        "SCT",
        "AGRIFRPPXXX",
        "Camille Martin — développeuse",
        "FR7630006000011234567890189",
        amount_field(claim.total),
        "",
        client_reference(client_id),
    ]
    # The amount is what the letter claims: principal, interest and the fixed fees.
    assert claim.total == claim.outstanding + claim.interest + claim.fixed_fees
    euros, cents = lines[7].removeprefix("EUR").split(".")
    assert int(euros) * 100 + int(cents) == claim.total
    # The structured reference brings the payment back to this client.
    assert client_id_from_reference(lines[9]) == client_id
    text = one_line_text(path)
    reference = grouped(client_reference(client_id))
    assert (
        "Règlement par virement sur le compte IBAN FR76 3000 6000 0112 3456 7890 189, "
        "BIC AGRIFRPPXXX. Référence à indiquer : " + reference
    ) in text
    assert "Scanner pour payer" in text
    assert f"référence {reference}" in text


def test_the_english_letter_says_reference_to_quote_and_scan_to_pay(
    book: object, tmp_path: Path, at: datetime, today: date
) -> None:
    client_id = english_euro_client()
    claim = claim_for_client(client_id, today)
    path = written(client_id, at, tmp_path, CREDITOR, "formal-notice")
    text = one_line_text(path)
    reference = grouped(client_reference(client_id))
    assert f"IBAN FR76 3000 6000 0112 3456 7890 189. Reference to quote: {reference}" in text
    assert "Scan to pay" in text
    (payload,) = qr_payloads(path)
    lines = payload.split("\n")
    # Without a BIC its line stays empty, as version 002 allows.
    assert lines[4] == ""
    assert lines[7] == amount_field(claim.total)
    assert lines[9] == client_reference(client_id)


def test_a_claim_in_pounds_gets_the_reference_but_no_qr_code(
    book: object, tmp_path: Path, at: datetime
) -> None:
    client_id = pound_client()
    path = written(client_id, at, tmp_path, WITH_BIC, "formal-notice")
    assert image_count(path) == 0
    text = one_line_text(path)
    assert f"Reference to quote: {grouped(client_reference(client_id))}" in text
    assert "Scan to pay" not in text


def test_without_an_iban_there_is_no_reference_and_no_qr_code(
    book: object, tmp_path: Path, at: datetime
) -> None:
    client_id = french_client()
    creditor = dataclasses.replace(CREDITOR, iban="", bic="AGRIFRPPXXX")
    path = written(client_id, at, tmp_path, creditor, "formal-notice")
    assert image_count(path) == 0
    text = one_line_text(path)
    assert "Référence à indiquer" not in text
    assert "Scanner pour payer" not in text
    assert client_reference(client_id) not in text.replace(" ", "")


def test_the_statement_prints_the_reference_with_the_iban_and_no_qr_code(
    book: object, tmp_path: Path, at: datetime
) -> None:
    client_id = french_client()
    path = written(client_id, at, tmp_path, WITH_BIC, "statement")
    text = one_line_text(path)
    assert (
        "IBAN FR76 3000 6000 0112 3456 7890 189, BIC AGRIFRPPXXX. Référence à indiquer : "
        + grouped(client_reference(client_id))
    ) in text
    assert image_count(path) == 0


def test_a_creditor_name_the_qr_code_cannot_carry_is_refused_and_nothing_is_written(
    book: object, tmp_path: Path, at: datetime
) -> None:
    client_id = french_client()
    # 70 four-byte characters: more than the 331 bytes an EPC QR code holds.
    creditor = dataclasses.replace(CREDITOR, name="😀" * 70)
    with pytest.raises(InvalidInput, match="no EPC QR code can be drawn"):
        written(client_id, at, tmp_path, creditor, "formal-notice")
    assert not list((tmp_path / "letters").glob("*.pdf"))
