"""ISO 20022 camt.053 and camt.054 files, real and of each version, read into bank lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from locations import SHARED_SAMPLES, TEST_DATA
from relance.importing.bank import StatementError, read_statement

CAMT = SHARED_SAMPLES / "bank" / "camt"
ACCOUNT = "NL77ABNA0574908765"


def test_the_real_camt053_gives_one_line_per_transaction_of_its_batch_entry() -> None:
    statement = read_statement(CAMT / "oca-camt053.xml")
    assert statement.file_format == "camt.053"
    lines = statement.lines
    assert len(lines) == 4
    insurance, returned_1, returned_2, media = lines
    assert all(line.account == ACCOUNT for line in lines)
    assert insurance.amount_minor == -75425
    assert insurance.booked_on == date(2014, 1, 5)
    assert insurance.value_on == date(2014, 1, 5)
    assert insurance.debtor_name == "INSURANCE COMPANY TESTX"
    assert insurance.debtor_iban == "NL46ABNA0499998748"
    assert insurance.end_to_end_id == "435005714488-ABNO33052620"
    assert insurance.remittance == "Insurance policy 857239PERIOD 01.01.2014 - 31.12.2014"
    assert not insurance.reversal
    # The reversed batch entry of 664.05 holds two transactions: 564.05 and 100.00.
    assert [returned_1.amount_minor, returned_2.amount_minor] == [-56405, -10000]
    assert returned_1.reversal and returned_2.reversal
    assert returned_2.end_to_end_id == "TESTBANK/NL/20141229/01206407"
    assert returned_2.position == "Stmt[1]/Ntry[2]/NtryDtls/TxDtls[2]"
    assert media.amount_minor == 140531
    assert media.currency == "EUR"
    assert media.is_credit
    assert media.debtor_name == "3rd party Media"
    assert media.debtor_iban == "NL69ABNA0522123643"
    # No <Ustrd>: what the bank added about the transaction is the remittance text.
    assert media.remittance == "#RD PARTY MEDIA CUSNO 90782 4210773"
    assert media.bank_reference == ""
    assert len({line.fingerprint() for line in lines}) == 4


def test_the_real_camt054_notification_with_a_structured_reference() -> None:
    statement = read_statement(CAMT / "oca-camt054.xml")
    assert statement.file_format == "camt.054"
    (line,) = statement.lines
    assert line.account == ACCOUNT
    assert line.amount_minor == 500
    assert line.booked_on == date(2022, 1, 26)
    assert line.bank_reference == "15180015077602405"
    assert line.end_to_end_id == "ENDTOENDID-01"
    assert line.creditor_reference == "000000000000000000000000003"
    assert line.debtor_name == "Test Customer"
    assert line.debtor_iban == "NL46ABNA0499998748"
    assert line.remittance == "Additional entry info"
    assert not line.reversal


def test_a_camt053_v08_batch_credit_pty_parties_rf_reference_and_a_return() -> None:
    statement = read_statement(TEST_DATA / "bank" / "camt053-v08-batch.xml")
    dupont, cafe, returned = statement.lines
    assert dupont.account == "FR7630006000011234567890189"
    assert dupont.booked_on == date(2026, 11, 30)
    assert dupont.value_on == date(2026, 12, 1)
    assert dupont.amount_minor == 125000
    # The batch's transactions have no reference of their own: the entry's, with their index.
    assert (dupont.bank_reference, cafe.bank_reference) == ("BATCH-771/1", "BATCH-771/2")
    assert dupont.debtor_name == "Atelier Dupont SARL"
    assert dupont.debtor_iban == "FR1420041010050500013M02606"
    assert dupont.remittance == "FACTURE F-2026-014 merci"
    assert dupont.end_to_end_id == ""
    assert cafe.amount_minor == 240000
    assert cafe.creditor_reference == "RF18539007547034"
    assert cafe.end_to_end_id == "CAFE-LUMIERE-11"
    assert returned.amount_minor == -125000
    assert returned.reversal
    assert returned.bank_reference == "RETURN-12-TX"
    assert returned.remittance == "RETOUR FACTURE F-2026-014 AC04"
    # The pending entry of 99.00 is not on the account yet.
    assert len(statement.lines) == 3


@pytest.mark.parametrize("version", ["02", "03", "04", "05", "06", "07", "08"])
@pytest.mark.parametrize("message", ["053", "054"])
def test_every_version_of_camt053_and_camt054_reads_alike(
    tmp_path: Path, message: str, version: str
) -> None:
    text = (TEST_DATA / "bank" / "camt053-v08-batch.xml").read_text(encoding="utf-8")
    text = text.replace("camt.053.001.08", f"camt.{message}.001.{version}")
    if message == "054":
        text = text.replace("BkToCstmrStmt", "BkToCstmrDbtCdtNtfctn").replace("Stmt>", "Ntfctn>")
    path = tmp_path / "statement.xml"
    path.write_text(text, encoding="utf-8")
    statement = read_statement(path)
    assert statement.file_format == f"camt.{message}"
    assert [line.amount_minor for line in statement.lines] == [125000, 240000, -125000]
    assert statement.lines[1].creditor_reference == "RF18539007547034"


def test_a_notification_without_booking_date_is_booked_on_its_value_date(tmp_path: Path) -> None:
    text = (CAMT / "oca-camt054.xml").read_text(encoding="utf-8")
    path = tmp_path / "value-only.xml"
    booking = "<BookgDt>\n          <Dt>2022-01-26</Dt>\n        </BookgDt>"
    assert booking in text
    path.write_text(text.replace(booking, ""))
    (line,) = read_statement(path).lines
    assert line.booked_on == line.value_on == date(2022, 1, 26)
    path.write_text(path.read_text().replace("<ValDt>", "<Other>").replace("</ValDt>", "</Other>"))
    with pytest.raises(StatementError, match=r"<Ntfctn\[1\]/Ntry\[1\]/BookgDt/Dt>: missing"):
        read_statement(path)


def test_a_truncated_camt_names_the_element_it_stops_in(tmp_path: Path) -> None:
    raw = (CAMT / "oca-camt053.xml").read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(raw[: raw.index(b"<Ustrd>Direct Debit")])
    with pytest.raises(
        StatementError,
        match=r"XML element <Document/BkToCstmrStmt/Stmt/Ntry/NtryDtls/TxDtls/RmtInf>: ",
    ):
        read_statement(cut)


def test_a_wrong_value_names_its_element(tmp_path: Path) -> None:
    text = (CAMT / "oca-camt054.xml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.xml"
    bad.write_text(text.replace("<CdtDbtInd>CRDT</CdtDbtInd>", "<CdtDbtInd>PLUS</CdtDbtInd>", 1))
    with pytest.raises(
        StatementError, match=r"XML element <Ntfctn\[1\]/Ntry\[1\]/CdtDbtInd>: 'PLUS' is neither"
    ):
        read_statement(bad)
    bad.write_text(text.replace("<Dt>2022-01-26</Dt>", "<Dt>2022-02-30</Dt>", 1))
    with pytest.raises(StatementError, match=r"<Ntfctn\[1\]/Ntry\[1\]/BookgDt/Dt>: impossible"):
        read_statement(bad)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Document [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Document><BkToCstmrStmt><Stmt><Ntry><AddtlNtryInf>&lol4;</AddtlNtryInf></Ntry></Stmt>
</BkToCstmrStmt></Document>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Document><BkToCstmrStmt><Stmt><Ntry><AddtlNtryInf>&secret;</AddtlNtryInf></Ntry></Stmt>
</BkToCstmrStmt></Document>
"""


@pytest.mark.parametrize(
    "document", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion laughs", "external entity"]
)
def test_an_xml_bomb_or_an_external_entity_is_refused_unread(tmp_path: Path, document: str) -> None:
    path = tmp_path / "hostile.xml"
    path.write_text(document, encoding="utf-8")
    with pytest.raises(StatementError, match="declares a DTD or entities"):
        read_statement(path)


def test_an_xml_file_that_is_no_camt_message_says_so(tmp_path: Path) -> None:
    path = tmp_path / "page.xml"
    path.write_text("<html><body>hello</body></html>", encoding="utf-8")
    with pytest.raises(StatementError, match=r"XML element <html>: not a camt"):
        read_statement(path)
