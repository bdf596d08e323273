"""Letters wholly in their language, and no heading left alone at the foot of a page."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from letter_fixtures import CREDITOR, french_client
from relance.config import Config
from relance.delivery.letters.basis import basis_heading
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.letters import write_letter
from relance.services.payments import record_payment

AT = datetime(2026, 11, 23, 9, 30)
# Words of one language that the other's letters must never print (user text aside).
ENGLISH_WORDS = {
    "the", "and", "of", "interest", "rate", "limitation", "fixed", "compensation", "invoice",
    "invoices", "payment", "transfer", "days", "due", "between", "businesses", "years",
    "simple", "half-year", "split", "per", "none", "statutory", "balance", "claimed",
}  # fmt: skip
FRENCH_WORDS = {
    "le", "la", "les", "du", "et", "facture", "factures", "intérêts", "taux", "prescription",
    "indemnité", "règlement", "virement", "échéance", "jours", "montant", "payé", "réclamé",
    "selon", "pour", "entre", "professionnels", "solde", "ans", "semestre",
}  # fmt: skip
# What the user typed (names, addresses) is printed as typed, whatever its language.
USER_TEXT = (
    CREDITOR.name,
    *CREDITOR.address.split(", "),
    "Lyon",
    "Atelier Dupont SARL",
    "Jeanne Dupont",
    "3 quai Saint-Vincent",
    "Brightwell Digital Ltd",
)


def config_for(tmp_path: Path) -> Config:
    """A config with the creditor set."""
    return Config(path=tmp_path / "config.toml", creditor=CREDITOR)


def pages_of(client_id: int, tmp_path: Path, kind: str) -> list[str]:
    """The text of each page of a letter written for the client."""
    result = write_letter(client_id, AT, config_for(tmp_path), tmp_path / "letters", kind=kind)
    return [page.extract_text() for page in PdfReader(result.record["path"]).pages]


def words_of(pages: list[str]) -> set[str]:
    """The lower-case words a letter prints, once what the user typed is taken out."""
    text = "\n".join(pages)
    for typed in USER_TEXT:
        text = text.replace(typed, " ")
    return {word.lower() for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text)}


def english_client() -> int:
    """A UK company owing one invoice in pounds, part paid by a transfer typed in French."""
    client_id = add_client(
        "Brightwell Digital Ltd",
        datetime(2026, 1, 5, 9, 0),
        language="en",
        address="Unit 4, 27 Tabernacle Street, London EC2A 4DD",
        jurisdiction_code="uk-b2b",
    ).client_id
    add_invoice(client_id, "INV-77", "2500.00", "2026-07-01", "2026-08-01", AT, currency="GBP")
    record_payment(client_id, "500.00", AT, received_on="2026-09-01", method="virement")
    return client_id


@pytest.mark.parametrize("kind", ["formal-notice", "statement"])
def test_a_french_letter_prints_no_english_word(book: object, tmp_path: Path, kind: str) -> None:
    words = words_of(pages_of(french_client(), tmp_path, kind))
    assert not words & ENGLISH_WORDS, words & ENGLISH_WORDS
    assert {"facture", "règlement"} & words


@pytest.mark.parametrize("kind", ["formal-notice", "statement"])
def test_an_english_letter_prints_no_french_word(book: object, tmp_path: Path, kind: str) -> None:
    words = words_of(pages_of(english_client(), tmp_path, kind))
    assert not words & FRENCH_WORDS, words & FRENCH_WORDS
    assert {"invoice", "balance"} & words


def test_the_french_basis_and_payment_method_are_french(book: object, tmp_path: Path) -> None:
    notice = " ".join(" ".join(pages_of(french_client(), tmp_path, "formal-notice")).split())
    assert (
        "Base de calcul (relance) fr-b2b : France, entre professionnels (article L441-10 du "
        "Code de commerce) intérêts : taux de chaque semestre ; taux de refinancement de la BCE "
        "majoré de 10 points ; intérêts simples, nombre de jours / 365 indemnité forfaitaire : "
        "40 € par facture prescription : 5 ans à compter de l'échéance (France, entre "
        "professionnels)" in notice.replace("\u00a0", " ")
    )
    statement = " ".join(pages_of(1, tmp_path, "statement"))
    assert "Règlement (virement) réf. VIR 1" in statement


def headings_of(language: str) -> set[str]:
    """Lines that head what follows them in a formal letter."""
    if language == "fr":
        return {basis_heading("fr"), "Objet : Mise en demeure de payer", "Madame, Monsieur,"}
    return {basis_heading("en"), "Subject: Letter before action", "Dear Sir or Madam,"}


@pytest.mark.parametrize("invoices", range(1, 16))
def test_no_page_ends_with_a_heading(book: object, tmp_path: Path, invoices: int) -> None:
    # More invoices push the text down: one count or another brings a heading to a page's foot.
    client_id = french_client()
    for index in range(invoices):
        add_invoice(client_id, f"F-2026-1{index:02d}", "100.00", "2026-08-01", "2026-09-01", AT)
    pages = pages_of(client_id, tmp_path, "formal-notice")
    for number, page in enumerate(pages, start=1):
        # The last line is the footer ("… — 1/2"): the one above it ends the page's text.
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[-1].endswith(f"{number}/{len(pages)}")
        last = lines[-2]
        assert last not in headings_of("fr"), (number, last)
