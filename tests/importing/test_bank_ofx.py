"""OFX statements, 1.x SGML with open tags and 2.x XML, read by relance's own OFX reader."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from locations import SHARED_SAMPLES, TEST_DATA
from relance.importing.bank import StatementError, read_statement

OFX = SHARED_SAMPLES / "bank" / "ofx"


def test_the_real_ofx2_reads_every_transaction_list_of_its_statement() -> None:
    statement = read_statement(OFX / "oca-ofx2.ofx")
    assert statement.file_format == "ofx2"
    lines = statement.lines
    # Four <BANKTRANLIST> of one transaction each; the credit card statement has none.
    assert [(line.debtor_name, line.amount_minor) for line in lines] == [
        ("Agrolait", -8000),
        ("China Export", -9000),
        ("Axelor Scuba", -10000),
        ("China Scuba", -9000),
    ]
    first = lines[0]
    assert first.account == "123456"
    assert first.currency == "USD"
    assert first.booked_on == date(2013, 8, 24)
    assert first.bank_reference == "219378"
    assert first.position == "STMTRS[1]/STMTTRN[1]"
    assert not any(line.reversal for line in lines)


def test_the_real_ofx1_checking_statement_with_open_tags() -> None:
    statement = read_statement(OFX / "ofxparse-checking.ofx")
    assert statement.file_format == "ofx1"
    dividend, electric, fee = statement.lines
    assert dividend.account == "1452687~7"
    assert dividend.amount_minor == 1
    assert dividend.is_credit
    assert dividend.currency == "USD"
    assert dividend.booked_on == date(2011, 3, 31)
    assert dividend.bank_reference == "0000486"
    assert dividend.debtor_name == "DIVIDEND EARNED FOR PERIOD OF 03"
    assert dividend.remittance.startswith("DIVIDEND EARNED FOR PERIOD OF 03/01/2011 THROUGH")
    assert dividend.position == "line 46"
    assert electric.amount_minor == -3451
    assert fee.amount_minor == -2500
    assert fee.remittance == "RETURNED CHECK FEE, CHECK # 319 FOR $45.33 ON 04/07/11"


def test_the_real_ofx1_written_on_a_few_long_lines() -> None:
    lines = read_statement(OFX / "ofxparse-bank_medium.ofx").lines
    assert [line.amount_minor for line in lines] == [-660, -31667, -2200]
    assert lines[0].currency == "CAD"
    assert lines[0].account == "12300000012345678"
    # The date as the bank wrote it, whatever its time zone ([-5:EST]).
    assert lines[0].booked_on == date(2009, 4, 1)
    assert lines[1].debtor_name == "Joe's Bald Hairstyles"
    assert lines[1].bank_reference == "0000123456782009040200004"
    assert [line.position for line in lines] == ["line 15", "line 16", "line 17"]


def test_a_french_ofx1_with_comma_decimals_a_value_date_and_entities() -> None:
    credit, fee = read_statement(TEST_DATA / "bank" / "ofx1-french-cp1252.ofx").lines
    assert credit.amount_minor == 125000
    assert credit.currency == "EUR"
    assert credit.booked_on == date(2026, 11, 30)
    assert credit.value_on == date(2026, 12, 1)
    assert credit.debtor_name == "VIR SEPA DUPONT & FILS"
    assert credit.remittance == "FACTURE F-2026-014 Café"
    assert fee.amount_minor == -490
    assert fee.remittance == ""


def test_a_cut_short_ofx1_names_the_line_and_the_open_element(tmp_path: Path) -> None:
    text = (OFX / "ofxparse-checking.ofx").read_text(encoding="cp1252")
    cut = tmp_path / "cut.ofx"
    cut.write_text(text[: text.index("<TRNTYPE>DEBIT")], encoding="cp1252")
    with pytest.raises(
        StatementError, match=r"line \d+: the file ends inside <STMTTRN> \(opened on line 54\)"
    ):
        read_statement(cut)


def test_a_misnested_ofx1_names_the_line(tmp_path: Path) -> None:
    text = (OFX / "ofxparse-checking.ofx").read_text(encoding="cp1252")
    bad = tmp_path / "bad.ofx"
    bad.write_text(text.replace("</STMTTRN>", "</BANKTRANLIST>", 1), encoding="cp1252")
    with pytest.raises(StatementError, match=r"line 53: </BANKTRANLIST> while <STMTTRN>"):
        read_statement(bad)


def test_a_cut_short_ofx2_names_the_element(tmp_path: Path) -> None:
    raw = (OFX / "oca-ofx2.ofx").read_bytes()
    cut = tmp_path / "cut.ofx"
    cut.write_bytes(raw[: raw.index(b"<FITID>219380")])
    inside = "OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST/STMTTRN"
    with pytest.raises(StatementError, match=f"XML element <{inside}>"):
        read_statement(cut)


def test_a_bad_amount_names_the_line_or_the_element(tmp_path: Path) -> None:
    sgml = (OFX / "ofxparse-checking.ofx").read_text(encoding="cp1252")
    bad = tmp_path / "bad1.ofx"
    bad.write_text(sgml.replace("<TRNAMT>-34.51", "<TRNAMT>-34.51.2"), encoding="cp1252")
    with pytest.raises(StatementError, match=r"line 57: <TRNAMT>: not an amount"):
        read_statement(bad)
    xml = (OFX / "oca-ofx2.ofx").read_text(encoding="ascii")
    bad2 = tmp_path / "bad2.ofx"
    bad2.write_text(xml.replace("<TRNAMT>-90</TRNAMT>", "<TRNAMT>lots</TRNAMT>", 1))
    with pytest.raises(
        StatementError, match=r"XML element <STMTRS\[1\]/STMTTRN\[2\]/TRNAMT>: not an amount"
    ):
        read_statement(bad2)


def test_an_ofx2_with_a_dtd_is_refused_unread(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.ofx"
    hostile.write_text(
        '<?xml version="1.0"?>\n<?OFX OFXHEADER="200" VERSION="211"?>\n'
        '<!DOCTYPE OFX [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<OFX><X>&x;</X></OFX>\n'
    )
    with pytest.raises(StatementError, match="declares a DTD or entities"):
        read_statement(hostile)
