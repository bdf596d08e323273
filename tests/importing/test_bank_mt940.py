"""SWIFT MT940 statements from real banks, with and without SEPA subfields, read into lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from locations import SHARED_SAMPLES, TEST_DATA
from relance.importing.bank import StatementError, read_statement

MT940 = SHARED_SAMPLES / "bank" / "mt940"


def test_abn_amro_two_statements_free_text_details() -> None:
    statement = read_statement(MT940 / "mt940-jejik-abnamro.sta")
    assert statement.file_format == "mt940"
    lines = statement.lines
    assert len(lines) == 10
    assert all(line.account == "517852257" and line.currency == "EUR" for line in lines)
    kpn = lines[0]
    assert kpn.amount_minor == -900
    assert kpn.booked_on == date(2011, 5, 24)
    assert kpn.position == "line 8"
    # The three lines of :86: joined with a space, the bank's own spacing kept.
    assert kpn.remittance == (
        "GIRO   428428 KPN - DIGITENNE    BETALINGSKENM.  000000042188659 5314606715"
        "                       BETREFT FACTUUR D.D. 20-05-2011 INCL. 1,44 BTW"
    )
    # Booked on the 23rd (the entry date), valued on the 21st.
    assert (lines[1].booked_on, lines[1].value_on) == (date(2011, 5, 23), date(2011, 5, 21))
    assert lines[1].amount_minor == -1159
    # "107," is 107.00.
    assert lines[6].amount_minor == -10700
    assert lines[-1].amount_minor == -1500
    assert lines[-1].remittance == "52.89.39.882                    MYCOM DEN HAAG"
    assert all(line.bank_reference == "" for line in lines)


def test_a_generic_bank_with_empty_details() -> None:
    lines = read_statement(MT940 / "mt940-jejik-generic.sta").lines
    assert [(line.booked_on, line.amount_minor, line.remittance) for line in lines] == [
        (date(2011, 1, 1), -1000, ""),
        (date(2011, 2, 1), -1000, ""),
    ]
    assert lines[0].fingerprint() != lines[1].fingerprint()


def test_ing_credits_and_the_statement_summary_kept_off_the_last_line() -> None:
    lines = read_statement(MT940 / "mt940-jejik-ing.sta").lines
    assert len(lines) == 7
    assert [line.amount_minor for line in lines] == [-2503, -303, -111, -2000, -110, 368, 100]
    last = lines[-1]
    assert last.is_credit
    assert last.booked_on == date(2010, 7, 23)
    # The :86: after the closing balance is about the statement: it is not this line's text.
    assert last.remittance == (
        "0111111111 Hr S Marechal ROSMALEN Hr S Marechal ROSMALEN"
        " Betaling transactiedatum: 22-07-2010"
    )


def test_sepa_subfields_give_the_payer_iban_end_to_end_id_and_remittance() -> None:
    lines = read_statement(MT940 / "mt940-betterplace-sepa_mt9401.sta").lines
    assert len(lines) == 97
    assert len({line.account for line in lines}) == 20
    assert len({line.fingerprint() for line in lines}) == 97
    richter = next(line for line in lines if line.position == "line 48")
    assert richter.account == "50880050/0194778300888"
    assert richter.amount_minor == 5005
    assert richter.bank_reference == "0724710290658244"
    assert richter.end_to_end_id == "EndToEndIdTFNR5200100001"
    assert richter.debtor_iban == "DE42100100100043921105"
    assert richter.debtor_name.startswith("Richter Renate 70 Zeichen Beginn")
    assert richter.remittance == "Keine Buchung zu: TO13 TF52001 MINT"
    swiss = next(line for line in lines if line.position == "line 54")
    assert swiss.debtor_iban == "CH8500779014054431109"
    assert swiss.remittance == "TO13 TF20018 MINT"
    # "RC": the reversal of a credit takes the money back out.
    storno = next(line for line in lines if line.position == "line 19")
    assert storno.reversal
    assert storno.amount_minor == -20488
    assert not storno.is_credit
    assert sum(line.reversal for line in lines) == 2


def test_a_cut_short_mt940_names_the_line_where_it_ends(tmp_path: Path) -> None:
    text = (MT940 / "mt940-jejik-ing.sta").read_text(encoding="latin-1")
    cut = tmp_path / "cut.sta"
    cut.write_text(text[: text.index(":62F:")], encoding="latin-1")
    with pytest.raises(StatementError, match=r"line \d+: the statement that starts on line 4"):
        read_statement(cut)


def test_a_malformed_statement_line_is_named(tmp_path: Path) -> None:
    text = (MT940 / "mt940-jejik-generic.sta").read_text(encoding="latin-1")
    bad = tmp_path / "bad.sta"
    bad.write_text(text.replace(":61:110101D10,00", ":61:110101X10,00", 1), encoding="latin-1")
    with pytest.raises(StatementError, match=r"line 5: not an MT940 statement line"):
        read_statement(bad)


def test_slash_tagged_details_in_a_swift_envelope() -> None:
    dupont, cafe = read_statement(TEST_DATA / "bank" / "mt940-slash-tags.sta").lines
    # ":25:NL91ABNA0417164300EUR": the IBAN, without the currency the bank wrote after it.
    assert dupont.account == "NL91ABNA0417164300"
    assert dupont.position == "line 6"
    assert dupont.bank_reference == "26120112345678"
    assert dupont.end_to_end_id == "F-2026-014-DUPONT"
    assert dupont.debtor_name == "ATELIER DUPONT SARL"
    assert dupont.debtor_iban == "FR1420041010050500013M02606"
    assert dupont.remittance == "FACTURE F-2026-014"
    assert cafe.creditor_reference == "RF18539007547034"
    assert cafe.debtor_name == "Cafe Lumiere"
    assert cafe.debtor_iban == "DE89370400440532013000"
    assert cafe.end_to_end_id == ""
    assert cafe.amount_minor == 240000
