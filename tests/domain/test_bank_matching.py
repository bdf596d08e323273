"""The bank matcher: each rule that makes a line certain, and every ambiguity that must wait."""

from __future__ import annotations

from datetime import date

import pytest

from relance.domain.bank_lines import BankLine
from relance.domain.bank_matching import (
    DueInstalment,
    MatchBook,
    OpenInvoice,
    OpenPromise,
    Outcome,
    Payer,
    match_line,
    returns_credit,
)
from relance.domain.party_names import name_key

BOOKED = date(2026, 11, 20)
ACME = Payer(
    1,
    "ACME SARL",
    "EUR",
    ("Jean Dupont",),
    (
        OpenInvoice(11, "F-2026-001", date(2026, 9, 30), 120_000),
        OpenInvoice(12, "F-2026-007", date(2026, 10, 31), 30_000),
    ),
)
BETA = Payer(
    2, "Bêta & Fils SAS", "EUR", (), (OpenInvoice(21, "F-2026-002", date(2026, 10, 15), 50_000),)
)
GAMMA = Payer(3, "Gamma Ltd", "GBP", (), (OpenInvoice(31, "G-77", date(2026, 10, 1), 50_000),))
REFERENCES = {"RF18000000000000000000001": 1, "RF71000000000000000000002": 2}


def by_reference(text: str) -> int | None:
    """The test's stand-in for the RF reader: a fixed table of references."""
    return REFERENCES.get(text)


def credit(amount: int, **fields: object) -> BankLine:
    """A credit on the creditor's account, booked on the test's day."""
    return BankLine(
        "FR7630006000011234567890189", BOOKED, amount, str(fields.pop("currency", "EUR")), **fields
    )  # type: ignore[arg-type]


def match(line: BankLine, *payers: Payer, ibans: dict[str, int] | None = None, tolerance: int = 0):  # type: ignore[no-untyped-def]
    """Match one line against the given payers (ACME, BETA and GAMMA by default)."""
    book = MatchBook(payers or (ACME, BETA, GAMMA), ibans or {})
    return match_line(line, book, reference_client=by_reference, tolerance=tolerance)


def test_a_creditor_reference_is_certain_whatever_the_amount() -> None:
    result = match(credit(10_000, creditor_reference="RF18000000000000000000001"))
    assert result.outcome is Outcome.CERTAIN
    assert result.best is not None and result.best.client_id == 1
    assert "the creditor reference RF18000000000000000000001 is ACME SARL's" in result.best.reasons


def test_an_invoice_number_in_the_remittance_is_certain_and_picks_it() -> None:
    result = match(credit(30_000, remittance="Paiement facture F2026007 merci"))
    assert result.outcome is Outcome.CERTAIN
    assert result.best is not None
    assert result.best.client_id == 1
    assert result.best.invoice_numbers == ("F-2026-007",)
    assert "the payment names invoice F-2026-007" in result.best.reasons
    assert "€300.00 is what the invoices named still owe" in result.best.reasons


def test_several_invoice_numbers_in_one_text_are_all_named() -> None:
    result = match(credit(150_000, remittance="FACT F-2026-001/F-2026-007"))
    assert result.outcome is Outcome.CERTAIN
    assert result.best is not None
    assert result.best.invoice_numbers == ("F-2026-001", "F-2026-007")


def test_an_excess_with_a_reference_is_certain_and_says_credit() -> None:
    result = match(credit(200_000, remittance="F-2026-001"))
    assert result.outcome is Outcome.CERTAIN
    assert result.best is not None
    assert any("is credit" in reason for reason in result.best.reasons)


def test_a_remembered_iban_with_an_exact_amount_is_certain() -> None:
    result = match(
        credit(120_000, debtor_iban="de89 3704 0044 0532 0130 00"),
        ibans={"DE89370400440532013000": 1},
    )
    assert result.outcome is Outcome.CERTAIN
    assert result.best is not None and result.best.client_id == 1
    assert "the account DE89370400440532013000 paid ACME SARL before" in result.best.reasons


def test_a_name_with_legal_form_accents_and_case_changed_and_an_exact_amount_is_certain() -> None:
    result = match(credit(50_000, debtor_name="BETA ET FILS"), ACME, BETA)
    assert result.outcome is Outcome.TO_REVIEW  # "et" is a word: not the same name
    result = match(credit(50_000, debtor_name="S.A.S. BÊTA & FILS"), ACME, BETA)
    assert result.outcome is Outcome.CERTAIN
    assert result.best is not None and result.best.client_id == 2


def test_a_contact_name_in_any_order_fits_its_client() -> None:
    result = match(credit(120_000, debtor_name="M DUPONT JEAN"))
    assert result.outcome is Outcome.CERTAIN
    assert result.best is not None and result.best.client_id == 1
    assert "the payer's name 'M DUPONT JEAN' fits ACME SARL" in result.best.reasons


def test_the_sum_of_the_oldest_invoices_fits_exactly() -> None:
    result = match(credit(150_000, debtor_name="acme"))
    assert result.outcome is Outcome.CERTAIN
    assert result.best is not None
    assert "€1,500.00 pays the 2 oldest invoices (F-2026-001, F-2026-007)" in result.best.reasons


def test_a_plan_instalment_near_its_date_fits() -> None:
    planned = Payer(
        4,
        "Delta",
        "EUR",
        (),
        (OpenInvoice(41, "D-1", date(2026, 8, 1), 90_000),),
        DueInstalment(2, date(2026, 11, 20), 30_000),
    )
    result = match(credit(30_000, debtor_name="DELTA"), planned)
    assert result.outcome is Outcome.CERTAIN
    assert result.best is not None
    assert "€300.00 is instalment 2 of the plan, due 2026-11-20" in result.best.reasons
    assert "paid within a week of the instalment's date" in result.best.reasons


def test_a_promise_fits() -> None:
    promised = Payer(
        5,
        "Epsilon",
        "EUR",
        (),
        (OpenInvoice(51, "E-1", date(2026, 8, 1), 90_000),),
        None,
        OpenPromise(40_000, date(2026, 11, 18)),
    )
    result = match(credit(40_000, debtor_name="epsilon"), promised)
    assert result.outcome is Outcome.CERTAIN
    assert result.best is not None
    assert "€400.00 is the amount promised by 2026-11-18" in result.best.reasons
    assert "paid within a week of the promised date" in result.best.reasons


def test_two_clients_owing_the_same_amount_wait() -> None:
    twin = Payer(6, "Zeta", "EUR", (), (OpenInvoice(61, "Z-1", date(2026, 10, 1), 50_000),))
    result = match(credit(50_000), BETA, twin)
    assert result.outcome is Outcome.TO_REVIEW
    assert {p.client_id for p in result.proposals} == {2, 6}
    assert "2 clients owe this amount" in result.notes


def test_one_client_owing_the_amount_with_nothing_else_still_waits() -> None:
    result = match(credit(50_000), ACME, BETA)
    assert result.outcome is Outcome.TO_REVIEW
    assert [p.client_id for p in result.proposals] == [2]
    assert "only the amount fits" in result.notes


def test_a_name_that_fits_two_clients_waits() -> None:
    other = Payer(7, "Acme", "EUR", (), (OpenInvoice(71, "A-9", date(2026, 10, 1), 120_000),))
    result = match(credit(120_000, debtor_name="ACME"), ACME, other)
    assert result.outcome is Outcome.TO_REVIEW
    assert "the payer's name fits 2 clients" in result.notes


def test_a_partial_amount_with_no_reference_waits() -> None:
    result = match(credit(10_000, debtor_name="ACME"))
    assert result.outcome is Outcome.TO_REVIEW
    assert "a partial amount with no reference" in result.notes
    assert result.best is not None and result.best.client_id == 1


def test_a_reference_contradicted_by_the_name_of_another_client_waits() -> None:
    result = match(
        credit(
            120_000,
            remittance="F-2026-001",
            debtor_name="Bêta et Fils SAS",
        ),
        ACME,
        Payer(2, "Beta et Fils", "EUR"),
    )
    assert result.outcome is Outcome.TO_REVIEW
    assert [p.client_id for p in result.proposals] == [1, 2]
    assert "2 clients could have paid it" in result.notes


def test_a_shortfall_within_the_tolerance_is_proposed_as_a_write_off_and_waits() -> None:
    result = match(credit(119_750, remittance="F-2026-001"), tolerance=500)
    assert result.outcome is Outcome.TO_REVIEW
    assert result.best is not None
    assert result.best.write_off == 250
    assert result.best.invoice_numbers == ("F-2026-001",)
    assert any("settle with the difference written off" in r for r in result.best.reasons)


def test_a_shortfall_beyond_the_tolerance_with_a_reference_is_a_certain_part_payment() -> None:
    result = match(credit(100_000, remittance="F-2026-001"), tolerance=500)
    assert result.outcome is Outcome.CERTAIN
    assert result.best is not None and result.best.write_off == 0


def test_another_currency_waits() -> None:
    result = match(credit(50_000, currency="EUR", remittance="G-77"))
    assert result.outcome is Outcome.TO_REVIEW
    assert "the line is in EUR, Gamma Ltd is billed in GBP" in result.notes


def test_a_client_who_owes_nothing_waits() -> None:
    result = match(
        credit(5_000, creditor_reference="RF71000000000000000000002"), ACME, Payer(2, "Beta", "EUR")
    )
    assert result.outcome is Outcome.TO_REVIEW
    assert "Beta owes nothing" in result.notes


def test_a_line_that_fits_nobody_waits_with_no_proposal() -> None:
    result = match(credit(777, debtor_name="Unknown Person"))
    assert result.outcome is Outcome.TO_REVIEW
    assert result.proposals == ()
    assert "nothing in the line fits a client" in result.notes


@pytest.mark.parametrize(
    ("line", "note"),
    [
        (credit(-5_000), "money out: not a client payment"),
        (
            credit(120_000, reversal=True, remittance="F-2026-001"),
            "the bank marks it as a reversal, not a payment",
        ),
    ],
)
def test_debits_and_reversals_are_not_payments(line: BankLine, note: str) -> None:
    result = match(line)
    assert result.outcome is Outcome.DEBIT
    assert result.notes == (note,)


def test_proposals_are_ranked_by_score() -> None:
    result = match(credit(50_000, debtor_name="acme"), ACME, BETA)
    assert result.outcome is Outcome.TO_REVIEW
    assert [p.client_id for p in result.proposals] == [1]


def test_a_return_names_the_credit_it_gives_back() -> None:
    paid = credit(120_000, end_to_end_id="E2E-ACME-1", bank_reference="BK1")
    back = BankLine(
        paid.account, date(2026, 11, 22), -120_000, "EUR", remittance="RETOUR E2E-ACME-1 MOTIF AC04"
    )
    assert returns_credit(back, paid)
    assert not returns_credit(
        BankLine(paid.account, date(2026, 11, 22), -119_000, "EUR", remittance="E2E-ACME-1"), paid
    )
    assert not returns_credit(
        BankLine(paid.account, date(2026, 11, 22), -120_000, "EUR", remittance="frais"), paid
    )


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("ACME SARL", "acme"),
        ("Société Générale S.A.", "generale"),
        ("  Müller GmbH ", "muller"),
        ("MME DURAND-LEFÈVRE CLAIRE", "claire durand lefevre"),
        ("SARL", ""),
    ],
)
def test_name_keys(typed: str, key: str) -> None:
    assert name_key(typed) == key


def test_an_rf_reference_typed_in_the_remittance_counts_as_the_reference() -> None:
    result = match(credit(10_000, remittance="VIR SEPA /MOTIF rf18000000000000000000001"))
    assert result.outcome is Outcome.CERTAIN
    assert result.best is not None and result.best.client_id == 1


def test_a_name_inside_the_label_counts_when_the_bank_gives_no_payer() -> None:
    result = match(
        credit(50_000, remittance="VIR SEPA RECU /DE BETA ET FILS /MOTIF REGLT"),
        ACME,
        Payer(2, "Bêta et Fils SAS", "EUR", (), BETA.invoices),
    )
    assert result.outcome is Outcome.CERTAIN
    assert result.best is not None
    assert "the label names Bêta et Fils SAS" in result.best.reasons


def test_an_amount_owed_in_another_currency_is_no_candidate() -> None:
    result = match(credit(50_000), GAMMA, BETA)
    assert [p.client_id for p in result.proposals] == [2]


def test_a_payer_indexed_anew_no_longer_matches_what_it_paid() -> None:
    book = MatchBook((ACME, BETA), {})
    book.replace(Payer(2, "Bêta & Fils SAS", "EUR"))
    result = match_line(
        credit(50_000, remittance="F-2026-002"), book, reference_client=by_reference
    )
    assert result.outcome is Outcome.TO_REVIEW
    assert result.proposals == ()
