"""French banks' CSV exports, in each encoding and header shape banks use, read into bank lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from locations import TEST_DATA
from relance.importing.bank import StatementError, read_statement

BANK = TEST_DATA / "bank"


def test_a_signed_amount_column_after_a_preamble_with_the_account_iban() -> None:
    statement = read_statement(BANK / "montant-utf8.csv")
    assert statement.file_format == "csv"
    assert len(statement.lines) == 5
    first, debit, rf_payment = statement.lines[:3]
    assert first.account == "FR7630006000011234567890189"
    assert first.booked_on == date(2026, 11, 2)
    # "1 250,00" with a narrow no-break space between the thousands.
    assert first.amount_minor == 125000
    assert first.currency == "EUR"
    assert first.remittance == "VIR SEPA RECU /DE ATELIER DUPONT SARL /MOTIF FACTURE F-2026-014"
    assert first.position == "line 4"
    assert debit.amount_minor == -8412
    assert not debit.is_credit
    # "2 400,50" with an ordinary space.
    assert rf_payment.amount_minor == 240050
    assert rf_payment.remittance.endswith("/DE Café Lumière /MOTIF RF18539007547034")


def test_two_identical_card_payments_of_one_day_stay_two_lines() -> None:
    lines = read_statement(BANK / "montant-utf8.csv").lines
    coffee, again = lines[3], lines[4]
    assert (coffee.booked_on, coffee.amount_minor, coffee.remittance) == (
        again.booked_on,
        again.amount_minor,
        again.remittance,
    )
    assert coffee.fingerprint() != again.fingerprint()
    assert len({line.fingerprint() for line in lines}) == len(lines)
    # Read again, each line keeps its fingerprint: a re-import finds them all already there.
    assert [line.fingerprint() for line in read_statement(BANK / "montant-utf8.csv").lines] == [
        line.fingerprint() for line in lines
    ]


def test_cp1252_debit_and_credit_columns_with_dot_thousands() -> None:
    lines = read_statement(BANK / "debit-credit-cp1252.csv").lines
    assert [line.amount_minor for line in lines] == [123456, -490, 1200000]
    # The cp1252-only signs (’ – € Œ) come back, which ISO-8859-1 would turn into controls.
    assert lines[0].remittance == "VIR Sté Générale d’Études – facture 7"
    assert lines[1].remittance == "Frais bancaires € mensuels"
    assert lines[2].remittance == "VIR ŒUVRES DU MIDI"
    assert lines[0].account == ""
    assert lines[0].position == "line 3"


def test_latin1_reference_column_gives_the_bank_reference() -> None:
    lines = read_statement(BANK / "reference-latin1.csv").lines
    assert [(line.bank_reference, line.amount_minor) for line in lines] == [
        ("REF0001", 98000),
        ("REF0002", -15000),
        ("REF0003", 7550),
    ]
    assert lines[0].remittance == "VIR MME HÉLÈNE GARÇON FACT 2026-031"
    assert lines[1].booked_on == date(2026, 10, 15)


def test_utf8_bom_crlf_and_a_label_on_two_lines() -> None:
    lines = read_statement(BANK / "numero-bom-crlf.csv").lines
    assert len(lines) == 2
    assert lines[0].bank_reference == "1001"
    assert lines[0].remittance == "VIR SEPA RECU BOIS ET FILS FACTURE 88"
    assert lines[0].amount_minor == 330000
    # The quoted label took two lines: the next row is the file's fourth line.
    assert lines[1].position == "line 4"
    assert lines[1].amount_minor == -102000


def test_iso_dates_value_dates_and_english_column_names() -> None:
    lines = read_statement(BANK / "dateop-iso.csv").lines
    assert lines[0].booked_on == date(2026, 11, 28)
    assert lines[0].value_on == date(2026, 11, 29)
    assert lines[0].amount_minor == 45000
    assert lines[1].amount_minor == -2790


def test_comma_delimiter_quoted_amounts_and_a_currency_column() -> None:
    lines = read_statement(BANK / "english-comma.csv").lines
    assert lines[0].account == "GB33BUKB20201555555555"
    assert [(line.amount_minor, line.currency, line.bank_reference) for line in lines] == [
        (150000, "GBP", "TX-1"),
        (-250, "GBP", "TX-2"),
    ]


def test_a_mapping_names_other_columns_and_gives_currency_and_account() -> None:
    with pytest.raises(StatementError, match="not a bank statement"):
        read_statement(BANK / "custom-columns.csv")
    lines = read_statement(BANK / "custom-columns.csv", mapping=BANK / "custom-mapping.toml").lines
    assert lines[0].account == "CH9300762011623852957"
    assert lines[0].currency == "CHF"
    assert lines[0].debtor_name == "Müller GmbH"
    assert lines[0].remittance == "Rechnung 2026-9"
    assert lines[0].booked_on == date(2026, 12, 1)
    assert lines[0].value_on == date(2026, 12, 2)
    assert [line.amount_minor for line in lines] == [100000, -500]


def _write(tmp_path: Path, text: str, name: str = "bank.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("31/02/2026;VIR;10,00", "line 3: impossible date: '31/02/2026'"),
        ("01/02/2026;VIR;dix euros", "line 3: not an amount: 'dix euros'"),
        ("01/02/2026;VIR;", "line 3: no amount"),
        ("01/02/2026;VIR;12,3456", "line 3: amount has more than two decimals"),
        ("01/02/2026;VIR;12,345", "line 3: ambiguous amount"),
    ],
)
def test_a_bad_row_names_its_line(tmp_path: Path, row: str, message: str) -> None:
    path = _write(tmp_path, f"Date;Libellé;Montant\n01/02/2026;VIR;1,00\n{row}\n")
    with pytest.raises(StatementError, match=message):
        read_statement(path)


def test_debit_and_credit_on_one_row_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "Compte\n\nDate;Libellé;Débit;Crédit\n01/02/2026;VIR;1,00;2,00\n")
    with pytest.raises(StatementError, match="line 4: both a debit and a credit"):
        read_statement(path)


def test_a_debit_written_negative_is_still_a_debit(tmp_path: Path) -> None:
    path = _write(tmp_path, "Date;Libellé;Débit;Crédit\n01/02/2026;CB;-1 234,50;\n")
    assert read_statement(path).lines[0].amount_minor == -123450


def test_a_header_without_rows_and_two_date_columns_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StatementError, match="line 1: the file has a header but no movements"):
        read_statement(_write(tmp_path, "Date;Libellé;Montant\n\n"))
    with pytest.raises(StatementError, match="line 1: two columns for date"):
        read_statement(_write(tmp_path, "Date;Date opération;Montant\n01/02/2026;01/02/2026;1\n"))


def test_a_file_that_is_no_statement_gets_one_clear_message(tmp_path: Path) -> None:
    path = _write(tmp_path, "Bonjour,\nvoici la liste des courses.\n")
    with pytest.raises(StatementError, match=r"is not a bank statement: expected camt"):
        read_statement(path)
    with pytest.raises(StatementError, match="is empty"):
        read_statement(_write(tmp_path, "  \n", "empty.csv"))


def test_a_bad_mapping_is_refused_with_its_field(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[columns]\n"Betrag" = "montant"\n', encoding="utf-8")
    with pytest.raises(StatementError, match="the field must be one of date, value_date"):
        read_statement(BANK / "custom-columns.csv", mapping=mapping)
    mapping.write_text('currency = "EURO"\n', encoding="utf-8")
    with pytest.raises(StatementError, match="currency"):
        read_statement(BANK / "custom-columns.csv", mapping=mapping)


def test_an_unquoted_decimal_comma_in_a_comma_separated_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "Date,Label,Amount\n01/12/2026,Card,-2,50\n")
    with pytest.raises(StatementError, match="line 2: 4 cells but the header has 3 columns"):
        read_statement(path)
    # A trailing empty cell (a ";" at the end of each row) is no such split.
    trailing = _write(tmp_path, "Date;Libellé;Montant;\n01/12/2026;CB;-2,50;;\n", "trailing.csv")
    assert read_statement(trailing).lines[0].amount_minor == -250


@pytest.mark.parametrize(
    "ending",
    ['02/02/2026;"VIR SEPA CLIENT\n', "02/02/2026;VIR SEP"],
    ids=["in a quote", "in a row"],
)
def test_a_cut_short_csv_names_its_last_line(tmp_path: Path, ending: str) -> None:
    path = _write(tmp_path, f"Date;Libellé;Montant\n01/02/2026;VIR;1,00\n{ending}")
    with pytest.raises(StatementError, match="line 3: no amount"):
        read_statement(path)
