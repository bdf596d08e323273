"""ISO 11649 creditor references: the check digits, the printed form and the client read back."""

from __future__ import annotations

import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from relance.domain.creditor_reference import (
    CreditorReferenceError,
    build,
    check_digits,
    client_id_from_reference,
    client_reference,
    grouped,
    normalise,
    verify,
)

ALPHANUMERIC = string.digits + string.ascii_uppercase
bodies = st.text(alphabet=ALPHANUMERIC, min_size=1, max_size=21)
client_ids = st.integers(min_value=1, max_value=10**19 - 1)


@pytest.mark.parametrize(
    "published",
    [
        "RF18539007547034",
        "RF18 5390 0754 7034",
        "RF712348231",
        "RF71 2348 231",
        "rf18539007547034",
        "RF18000000000539007547034",
    ],
)
def test_published_examples_verify(published: str) -> None:
    assert verify(published)


def test_published_examples_are_what_build_computes() -> None:
    assert build("539007547034") == "RF18539007547034"
    assert build("2348231") == "RF712348231"
    assert check_digits("539007547034") == "18"


@pytest.mark.parametrize(
    "wrong",
    [
        "RF19539007547034",  # a check digit off by one
        "RF18539007547043",  # the last two digits swapped
        "RF8539007547034",  # one check digit
        "RF18",  # no body
        "RF18" + "1" * 22,  # a body of 22
        "RF18-539007547034",  # a character outside the alphabet
        "XX18539007547034",  # not RF
        "",
    ],
)
def test_malformed_or_wrong_references_fail(wrong: str) -> None:
    assert not verify(wrong)


@given(bodies)
def test_every_built_reference_verifies(body: str) -> None:
    reference = build(body)
    assert verify(reference)
    assert reference[4:] == body
    assert len(reference) <= 25


@given(bodies)
def test_grouped_references_verify_and_are_in_groups_of_four(body: str) -> None:
    printed = grouped(build(body))
    assert verify(printed)
    groups = printed.split(" ")
    assert all(len(group) == 4 for group in groups[:-1])
    assert 1 <= len(groups[-1]) <= 4
    assert normalise(printed) == build(body)


@given(st.text(alphabet=ALPHANUMERIC + " \t" + string.ascii_lowercase, max_size=40))
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert " " not in once
    assert once == once.upper()


@given(bodies, st.data())
def test_a_single_substitution_of_the_same_kind_fails(body: str, data: st.DataObject) -> None:
    """MOD 97-10 catches every substitution of a digit by a digit or a letter by a letter."""
    reference = build(body)
    index = data.draw(st.integers(min_value=0, max_value=len(reference) - 1))
    alphabet = string.digits if reference[index].isdigit() else string.ascii_uppercase
    replacement = data.draw(st.sampled_from(alphabet))
    assume(replacement != reference[index])
    changed = reference[:index] + replacement + reference[index + 1 :]
    assert not verify(changed)


@given(client_ids, st.data())
def test_any_single_character_change_of_a_client_reference_reads_no_client(
    client_id: int, data: st.DataObject
) -> None:
    reference = client_reference(client_id)
    index = data.draw(st.integers(min_value=0, max_value=len(reference) - 1))
    replacement = data.draw(st.sampled_from(ALPHANUMERIC))
    assume(replacement != reference[index])
    changed = reference[:index] + replacement + reference[index + 1 :]
    assert client_id_from_reference(changed) is None


@given(client_ids, st.data())
def test_any_adjacent_swap_of_a_client_reference_fails_the_check(
    client_id: int, data: st.DataObject
) -> None:
    reference = client_reference(client_id)
    index = data.draw(st.integers(min_value=0, max_value=len(reference) - 2))
    assume(reference[index] != reference[index + 1])
    swapped = reference[:index] + reference[index + 1] + reference[index] + reference[index + 2 :]
    assert not verify(swapped)
    assert client_id_from_reference(swapped) is None


@given(client_ids)
def test_a_client_reference_reads_back_its_client(client_id: int) -> None:
    reference = client_reference(client_id)
    assert verify(reference)
    assert client_id_from_reference(reference) == client_id
    assert client_id_from_reference(grouped(reference).lower()) == client_id


def test_a_client_reference_is_rl_and_the_id_on_eight_digits() -> None:
    assert client_reference(42) == build("RL00000042")
    assert client_reference(42).startswith("RF")
    assert client_reference(42)[4:] == "RL00000042"
    assert client_reference(123456789)[4:] == "RL123456789"


@pytest.mark.parametrize(
    "other",
    [
        "RF18539007547034",  # a valid reference that is not one of ours
        build("RL42"),  # our mark with too few digits
        build("RL000000042"),  # our mark with a padding that is not ours
        build("XL00000042"),
        "RL00000042",
        "invoice F-2026-014",
        "",
    ],
)
def test_other_texts_read_no_client(other: str) -> None:
    assert client_id_from_reference(other) is None


@pytest.mark.parametrize("body", ["", "AB-12", "1" * 22, "é"])
def test_a_body_outside_the_rules_is_refused(body: str) -> None:
    with pytest.raises(CreditorReferenceError):
        build(body)


@pytest.mark.parametrize("client_id", [0, -3, 10**19])
def test_a_client_id_that_cannot_fit_is_refused(client_id: int) -> None:
    with pytest.raises(CreditorReferenceError):
        client_reference(client_id)


@pytest.mark.parametrize(
    ("remittance", "client_id"),
    [
        ("VIR SEPA RF94 RL00 0000 12 FACT F-1", 12),
        ("Facture F-1 / rf94rl00000012 merci", 12),
        ("RF94RL00000012", 12),
        # A number written after the reference does not hide it.
        ("RF94 RL00 0000 12 2026 0001", 12),
        ("paiement RF94 RL00 0000 12, rappel RF94RL00000012", 12),
        # Two clients' references in one text name neither.
        ("RF94 RL00 0000 12 RF60 RL00 0000 42", None),
        # A wrong check digit, a reference glued to a word, another creditor's reference.
        ("VIR RF94 RL00 0000 13", None),
        ("XRF94RL00000012", None),
        ("RF94RL00000012X", None),
        ("RF18 5390 0754 7034", None),
        ("F-2026-014", None),
    ],
)
def test_a_remittance_text_quoting_a_reference_reads_its_client(
    remittance: str, client_id: int | None
) -> None:
    assert client_id_from_reference(remittance) == client_id


@given(client_ids, st.sampled_from(["VIR SEPA ", "Facture F-1 ", ""]), st.booleans())
def test_a_client_reference_quoted_in_text_reads_back(
    client_id: int, before: str, spaced: bool
) -> None:
    reference = client_reference(client_id)
    quoted = grouped(reference) if spaced else reference
    assert client_id_from_reference(f"{before}{quoted} merci") == client_id
