"""The page every letter shares: A4, the font, the two address blocks, paragraphs and tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from relance.delivery.letters.content import Party
from relance.delivery.letters.fonts import LetterFont, clean_text
from relance.delivery.letters.wording import address_lines

LEFT_MARGIN = 20
TOP_MARGIN = 18
RIGHT_MARGIN = 20
BOTTOM_MARGIN = 18
# A window envelope (DL, window on the right) shows the recipient from here.
RECIPIENT_X = 110
RECIPIENT_Y = 45
LINE = 5.0
BODY_SIZE = 10
SMALL_SIZE = 8
# Lines of text a heading takes with it onto the next page rather than stand alone (a short
# text, such as the calculation basis, moves whole).
KEPT_LINES = 6


class LetterPdf(FPDF):
    """An A4 letter in one font, with a page-numbered footer."""

    def __init__(self, font: LetterFont, footer_text: str, written_on: date) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.letter_font = font
        self.footer_text = footer_text
        if font.regular is not None and font.bold is not None:
            self.add_font(font.family, "", str(font.regular))
            self.add_font(font.family, "B", str(font.bold))
        self.set_margins(LEFT_MARGIN, TOP_MARGIN, RIGHT_MARGIN)
        self.set_auto_page_break(auto=True, margin=BOTTOM_MARGIN)
        # The letter's date, not the clock: the same letter renders to the same bytes.
        self.set_creation_date(datetime.combine(written_on, datetime.min.time(), UTC))
        self.set_creator("relance")
        self.set_font(font.family, "", BODY_SIZE)
        self.add_page()

    def clean(self, value: str, *, keep_newlines: bool = False) -> str:
        """Text the font can print, without control characters."""
        return clean_text(value, self.letter_font, keep_newlines=keep_newlines)

    def use(self, *, bold: bool = False, size: float = BODY_SIZE) -> None:
        """Switch between regular and bold, at a size."""
        self.set_font(self.letter_font.family, "B" if bold else "", size)

    def footer(self) -> None:
        """The document's name and the page number, at the foot of every page."""
        self.set_y(-12)
        self.use(size=SMALL_SIZE)
        label = self.clean(f"{self.footer_text} — {self.page_no()}/")
        self.cell(0, 4, label + "{nb}", align=Align.R)
        self.use()

    def block(self, x: float, y: float, width: float, party: Party, attention: str = "") -> float:
        """A name in bold with its address and details under it; returns where it ends."""
        self.set_xy(x, y)
        self.use(bold=True)
        self.multi_cell(width, LINE, self.clean(party.name), new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.use()
        lines = []
        if party.attention and attention:
            lines.append(f"{attention} {party.attention}")
        lines += address_lines(party.address)
        lines += list(party.details)
        for line in lines:
            self.multi_cell(width, LINE, self.clean(line), new_x=XPos.LEFT, new_y=YPos.NEXT)
        return self.get_y()

    def paragraph(self, text: str, *, bold: bool = False, size: float = BODY_SIZE) -> None:
        """A paragraph across the page, followed by a small gap."""
        if not text:
            return
        self.use(bold=bold, size=size)
        self.set_x(self.l_margin)
        self.multi_cell(
            0,
            LINE,
            self.clean(text, keep_newlines=True),
            align=Align.L,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.use()
        self.ln(2)

    def section(self, heading: str, text: str, *, size: float = BODY_SIZE) -> None:
        """A bold heading and its text, the heading never left alone at the foot of a page."""
        self.use(bold=True, size=size)
        needed = self._height_of(heading)
        self.use(size=size)
        # The heading moves with the first lines of its text (all of them when they are few).
        needed += min(self._height_of(text), KEPT_LINES * LINE)
        if self.get_y() + needed > self.page_break_trigger and self.get_y() > self.t_margin:
            self.add_page()
        self.paragraph(heading, bold=True, size=size)
        self.paragraph(text, size=size)

    def _height_of(self, text: str) -> float:
        """How tall a paragraph of this text is across the page, in the current font."""
        lines = self.multi_cell(
            0, LINE, self.clean(text, keep_newlines=True), dry_run=True, output="LINES"
        )
        assert isinstance(lines, list)  # output="LINES" gives the lines alone
        return len(lines) * LINE + 2

    def right_line(self, text: str, *, bold: bool = False) -> None:
        """One line against the right margin (the place and date)."""
        self.use(bold=bold)
        self.set_x(self.l_margin)
        self.cell(0, LINE, self.clean(text), align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.use()

    def grid(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        aligns: Sequence[str],
        *,
        size: float = 9,
    ) -> None:
        """A table with a bold heading row repeated on each page."""
        self.use(size=size)
        self.set_x(self.l_margin)
        with self.table(
            col_widths=tuple(widths),
            width=sum(widths),
            text_align=tuple(aligns),
            line_height=LINE - 0.5,
            first_row_as_headings=True,
            repeat_headings=1,
        ) as table:
            heading = table.row()
            for text in headings:
                heading.cell(self.clean(text))
            for values in rows:
                row = table.row()
                for text in values:
                    row.cell(self.clean(text))
        self.use()
        self.ln(3)

    def amounts(self, rows: Sequence[tuple[str, str, bool]]) -> None:
        """Label and amount pairs against the right margin, the bold ones standing out."""
        label_width, amount_width = 80.0, 35.0
        start = self.w - self.r_margin - label_width - amount_width
        for label, amount, bold in rows:
            self.use(bold=bold)
            self.set_x(start)
            self.cell(label_width, LINE + 0.5, self.clean(label))
            self.cell(
                amount_width,
                LINE + 0.5,
                self.clean(amount),
                align=Align.R,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        self.use()
        self.ln(3)

    def finish(self) -> bytes:
        """The PDF file's bytes."""
        return bytes(self.output())


def headed_letter(
    font: LetterFont,
    title: str,
    creditor: Party,
    debtor: Party,
    written_on: date,
    place_and_date: str,
    language: str,
) -> LetterPdf:
    """A letter begun: its title, the sender's and the recipient's blocks, the place and date."""
    pdf = LetterPdf(font, f"{title} — {debtor.name}", written_on)
    pdf.set_title(pdf.clean(title))
    pdf.set_author(pdf.clean(creditor.name))
    bottom = pdf.block(LEFT_MARGIN, pdf.t_margin, 80, creditor)
    attention = "À l'attention de" if language == "fr" else "For the attention of"
    bottom = max(bottom, pdf.block(RECIPIENT_X, RECIPIENT_Y, 80, debtor, attention))
    pdf.set_y(bottom + 8)
    pdf.right_line(place_and_date)
    pdf.ln(4)
    return pdf
