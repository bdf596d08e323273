"""The formal letter as PDF: mise en demeure, letter before action or final demand."""

from __future__ import annotations

from relance.delivery.letters import wording
from relance.delivery.letters.basis import basis_heading
from relance.delivery.letters.content import FormalKind, FormalNoticeContent
from relance.delivery.letters.fonts import LetterFont
from relance.delivery.letters.layout import (
    RECIPIENT_X,
    SMALL_SIZE,
    LetterPdf,
    headed_letter,
)
from relance.domain.written_dates import long_date, numeric_date

INVOICE_WIDTHS = (28.0, 22.0, 22.0, 27.0, 23.0, 27.0, 21.0)
INVOICE_ALIGNS = ("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT")


def render_formal_notice(content: FormalNoticeContent, font: LetterFont) -> bytes:
    """The letter's PDF bytes."""
    french = content.language == "fr"
    american = content.kind is FormalKind.FINAL_DEMAND
    title = wording.formal_title(content)
    place = wording.place_and_date(
        content.place, content.written_on, content.language, american=american
    )
    pdf = headed_letter(
        font, title, content.creditor, content.debtor, content.written_on, place, content.language
    )
    pdf.paragraph(wording.sending_mode(content), size=SMALL_SIZE)
    subject = "Objet : " if french else "Subject: "
    pdf.paragraph(subject + title, bold=True)
    pdf.ln(2)
    pdf.paragraph(wording.salutation(content.language))
    pdf.paragraph(wording.opening(content))
    pdf.grid(
        _headings(french),
        [_invoice_row(content, index, american) for index in range(len(content.invoices))],
        INVOICE_WIDTHS,
        INVOICE_ALIGNS,
    )
    pdf.amounts(_totals(content, american))
    pdf.paragraph(wording.time_barred_paragraph(content), size=SMALL_SIZE)
    pdf.paragraph(wording.law_paragraph(content))
    pdf.paragraph(wording.demand(content), bold=True)
    pdf.paragraph(wording.next_step(content))
    pdf.paragraph(
        wording.payment_details(
            content.iban, content.language, bic=content.bic, reference=content.reference
        )
    )
    if content.epc_payload:
        # segno is imported only by a letter that carries a QR code.
        from relance.delivery.letters.payment_qr import draw_payment_qr

        draw_payment_qr(pdf, content.epc_payload, _qr_caption(content))
    pdf.paragraph(wording.closing(content.language))
    pdf.ln(4)
    _signature(pdf, content)
    _basis(pdf, content)
    return pdf.finish()


def _qr_caption(content: FormalNoticeContent) -> tuple[str, str]:
    """The words beside the QR code: what it does, then the amount and the reference."""
    amount = wording.money(content.total, content.currency, content.language)
    if content.language == "fr":
        detail = f"Virement SEPA de {amount}, référence {content.reference}"
    else:
        detail = f"SEPA credit transfer of {amount}, reference {content.reference}"
    return wording.scan_to_pay(content.language), detail


def _headings(french: bool) -> list[str]:
    """The invoice table's column titles."""
    if french:
        return ["Facture", "Date", "Échéance", "Montant TTC", "Payé", "Reste dû", "Jours de retard"]
    return ["Invoice", "Date", "Due", "Amount incl. tax", "Paid", "Outstanding", "Days late"]


def _invoice_row(content: FormalNoticeContent, index: int, american: bool) -> list[str]:
    """One invoice of the table."""
    line = content.invoices[index]
    language = content.language
    return [
        line.number,
        numeric_date(line.issued_on, american=american),
        numeric_date(line.due_on, american=american),
        wording.money(line.amount, line.currency, language),
        wording.money(line.paid, line.currency, language),
        wording.money(line.outstanding, line.currency, language),
        str(line.days_late),
    ]


def _totals(content: FormalNoticeContent, american: bool) -> list[tuple[str, str, bool]]:
    """Principal, interest, fixed fees and the total claimed."""
    language, currency = content.language, content.currency
    french = language == "fr"
    as_of = long_date(content.written_on, language, american=american)
    rows = [
        ("Principal restant dû" if french else "Principal outstanding", content.principal, False)
    ]
    if content.interest:
        label = f"Intérêts de retard au {as_of}" if french else f"Interest to {as_of}"
        rows.append((label, content.interest, False))
    if content.fixed_fees:
        label = "Indemnités forfaitaires" if french else "Fixed compensation"
        rows.append((label, content.fixed_fees, False))
    rows.append(("Total réclamé" if french else "Total claimed", content.total, True))
    return [
        (label, wording.money(amount, currency, language), bold) for label, amount, bold in rows
    ]


def _signature(pdf: LetterPdf, content: FormalNoticeContent) -> None:
    """The signatory's name and room to sign, kept together on one page."""
    with pdf.unbreakable() as page:
        page.use(bold=True)
        page.set_x(RECIPIENT_X)
        page.multi_cell(80, 5, page.clean(content.creditor.name), new_x="LEFT", new_y="NEXT")
        page.use(size=SMALL_SIZE)
        page.set_x(RECIPIENT_X)
        page.cell(80, 5, "Signature", new_x="LEFT", new_y="NEXT")
        page.ln(12)
        page.use()


def _basis(pdf: LetterPdf, content: FormalNoticeContent) -> None:
    """The regime the amounts follow, in small print under the signature."""
    if not content.legal_basis:
        return
    heading = basis_heading(content.language)
    pdf.section(heading, "\n".join(content.legal_basis), size=SMALL_SIZE)
