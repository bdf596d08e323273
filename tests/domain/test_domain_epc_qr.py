"""The EPC QR payload, field by field against EPC069-12 version 002."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relance.domain.creditor_reference import client_reference
from relance.domain.epc_qr import CreditTransfer, EpcError, amount_field, epc_payload

TRANSFER = CreditTransfer(
    name="Camille Martin",
    iban="FR76 3000 6000 0112 3456 7890 189",
    amount_cents=123456,
    reference="RF18 5390 0754 7034",
    bic="agrifrpp",
)


def test_the_lines_come_in_the_order_of_the_standard() -> None:
    assert epc_payload(TRANSFER).split("\n") == [
        "BCD",  # service tag
        "002",  # version
        "1",  # character set: UTF-8
        "SCT",  # SEPA credit transfer
        "AGRIFRPP",  # BIC of the beneficiary's bank
        "Camille Martin",  # beneficiary's name
        "FR7630006000011234567890189",  # IBAN, electronic form
        "EUR1234.56",  # amount
        "",  # purpose
        "RF18539007547034",  # structured remittance: the creditor reference
    ]


def test_no_text_and_no_trailing_separator() -> None:
    payload = epc_payload(TRANSFER)
    assert not payload.endswith("\n")
    assert payload.count("\n") == 9
    assert "\r" not in payload


def test_without_a_bic_its_line_stays_empty() -> None:
    lines = epc_payload(CreditTransfer("Camille Martin", TRANSFER.iban, 100, "RF712348231")).split(
        "\n"
    )
    assert lines[4] == ""
    assert lines[7] == "EUR1.00"


@pytest.mark.parametrize(
    ("cents", "field"),
    [
        (1, "EUR0.01"),
        (10, "EUR0.10"),
        (100, "EUR1.00"),
        (123456, "EUR1234.56"),
        (4000, "EUR40.00"),
        (99_999_999_999, "EUR999999999.99"),
    ],
)
def test_the_amount_is_euros_with_a_point_and_two_decimals(cents: int, field: str) -> None:
    assert amount_field(cents) == field
    assert len(field) <= 15


@pytest.mark.parametrize("cents", [0, -1, 100_000_000_000])
def test_an_amount_outside_the_range_is_refused(cents: int) -> None:
    with pytest.raises(EpcError):
        amount_field(cents)


@given(st.integers(min_value=1, max_value=99_999_999_999))
def test_every_amount_in_range_reads_back_exactly(cents: int) -> None:
    field = amount_field(cents)
    euros, decimals = field.removeprefix("EUR").split(".")
    assert len(decimals) == 2
    assert int(euros) * 100 + int(decimals) == cents
    assert "," not in field and " " not in field


def test_the_name_is_cut_at_seventy_characters() -> None:
    long_name = "Atelier " + "x" * 100
    lines = epc_payload(CreditTransfer(long_name, TRANSFER.iban, 100, "RF712348231")).split("\n")
    assert lines[5] == long_name[:70]


def test_a_name_keeps_its_accents_in_utf8() -> None:
    transfer = CreditTransfer("Camille Martin — développeuse", TRANSFER.iban, 100, "RF712348231")
    assert epc_payload(transfer).split("\n")[5] == "Camille Martin — développeuse"


def test_a_client_reference_fits_the_structured_field() -> None:
    reference = client_reference(10**19 - 1)
    lines = epc_payload(CreditTransfer("C", TRANSFER.iban, 100, reference)).split("\n")
    assert lines[9] == reference
    assert len(lines[9]) <= 35


@pytest.mark.parametrize(
    "transfer",
    [
        CreditTransfer("", TRANSFER.iban, 100, "RF712348231"),
        CreditTransfer("C", "FR76 3000", 100, "RF712348231"),
        CreditTransfer("C", "FR76-3000-6000-0112-3456-7890-189", 100, "RF712348231"),
        CreditTransfer("C", TRANSFER.iban, 100, "RF712348231", bic="AGRIFRP"),
        CreditTransfer("C", TRANSFER.iban, 100, ""),
        CreditTransfer("C", TRANSFER.iban, 100, "RF" + "1" * 40),
        CreditTransfer("C", TRANSFER.iban, 0, "RF712348231"),
        CreditTransfer("😀" * 70, TRANSFER.iban, 100, "RF712348231"),
    ],
)
def test_values_outside_the_standard_are_refused(transfer: CreditTransfer) -> None:
    with pytest.raises(EpcError):
        epc_payload(transfer)
