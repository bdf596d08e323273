"""The EPC QR code drawn on a letter with segno, its caption beside it."""

from __future__ import annotations

import io

import segno
from fpdf.enums import XPos, YPos

from relance.delivery.letters.layout import LINE, SMALL_SIZE, LetterPdf

# EPC069-12: error correction level M and a symbol no larger than version 13.
ERROR_LEVEL = "m"
MAX_VERSION = 13
# The guidelines ask for at least 2 cm a side; 3 cm reads easily from a printed page.
SIZE_MM = 30.0
CAPTION_GAP_MM = 4.0
PIXELS_PER_MODULE = 8
QUIET_ZONE_MODULES = 4


def qr_png(payload: str) -> bytes:
    """The payload as a QR code (level M, UTF-8, its quiet zone kept) in PNG bytes."""
    # segno would raise the error level when the data leaves room; the standard fixes it at M.
    symbol = segno.make(
        payload, error=ERROR_LEVEL, boost_error=False, micro=False, encoding="utf-8"
    )
    if not isinstance(symbol.version, int) or symbol.version > MAX_VERSION:
        raise ValueError(f"an EPC QR code is at most version {MAX_VERSION}, not {symbol.version}")
    out = io.BytesIO()
    symbol.save(out, kind="png", scale=PIXELS_PER_MODULE, border=QUIET_ZONE_MODULES)
    return out.getvalue()


def draw_payment_qr(pdf: LetterPdf, payload: str, caption: tuple[str, str]) -> None:
    """The QR code at the left margin, the caption's two lines beside it, on one page."""
    if pdf.get_y() + SIZE_MM > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(payload)), x=pdf.l_margin, y=top, w=SIZE_MM, h=SIZE_MM)
    text_x = pdf.l_margin + SIZE_MM + CAPTION_GAP_MM
    width = pdf.w - pdf.r_margin - text_x
    headline, detail = caption
    pdf.set_xy(text_x, top + SIZE_MM / 2 - LINE)
    pdf.use(bold=True)
    pdf.multi_cell(width, LINE, pdf.clean(headline), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.use(size=SMALL_SIZE)
    pdf.multi_cell(width, LINE - 1, pdf.clean(detail), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.use()
    pdf.set_xy(pdf.l_margin, top + SIZE_MM + 2)
