"""The customer statement as PDF: every invoice, payment and credit with a running balance."""

from __future__ import annotations

from relance.delivery.letters import wording
from relance.delivery.letters.content import StatementContent
from relance.delivery.letters.fonts import LetterFont
from relance.delivery.letters.layout import (
    headed_letter,
)
from relance.domain.written_dates import long_date, numeric_date

STATEMENT_WIDTHS = (22.0, 76.0, 24.0, 24.0, 24.0)
STATEMENT_ALIGNS = ("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT")


def render_statement(content: StatementContent, font: LetterFont) -> bytes:
    """The statement's PDF bytes."""
    language = content.language
    french = language == "fr"
    title = "Relevé de compte" if french else "Statement of account"
    pdf = headed_letter(
        font,
        title,
        content.creditor,
        content.debtor,
        content.written_on,
        wording.place_and_date(content.place, content.written_on, language),
        language,
    )
    pdf.paragraph(title, bold=True, size=12)
    as_of = long_date(content.written_on, language)
    pdf.paragraph(
        f"Situation de votre compte au {as_of}, en {content.currency}."
        if french
        else f"Your account as of {as_of}, in {content.currency}."
    )
    headings = (
        ["Date", "Libellé", "Débit", "Crédit", "Solde"]
        if french
        else ["Date", "Detail", "Debit", "Credit", "Balance"]
    )
    rows = [
        [
            numeric_date(line.on),
            wording.statement_label(line, language),
            wording.money(line.amount, content.currency, language) if line.amount > 0 else "",
            wording.money(-line.amount, content.currency, language) if line.amount < 0 else "",
            wording.money(line.balance, content.currency, language),
        ]
        for line in content.lines
    ]
    if not rows:
        rows = [["", "Aucun mouvement" if french else "No entries", "", "", ""]]
    pdf.grid(headings, rows, STATEMENT_WIDTHS, STATEMENT_ALIGNS)
    money = wording.money
    pdf.amounts(
        [
            (
                "Solde" if french else "Balance",
                money(content.balance, content.currency, language),
                True,
            ),
            (
                "Reste dû sur factures" if french else "Outstanding on invoices",
                money(content.outstanding, content.currency, language),
                False,
            ),
            (
                "dont échu" if french else "of which overdue",
                money(content.overdue, content.currency, language),
                False,
            ),
        ]
    )
    pdf.paragraph(
        wording.payment_details(
            content.iban, language, bic=content.bic, reference=content.reference
        )
    )
    pdf.paragraph(
        "Nous restons à votre disposition pour toute question sur ce relevé."
        if french
        else "Please contact us with any question about this statement."
    )
    return pdf.finish()
