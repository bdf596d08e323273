"""CSV cells a spreadsheet will not run: text that would read as a formula is kept as text."""

from __future__ import annotations

import re

# OWASP's list: a cell starting with one of these may be evaluated as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The mark that makes a spreadsheet show the rest of the cell as plain text.
TEXT_MARK = "'"
# A plain signed number is no formula: amounts like -12.50 stay numbers in the sheet.
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def is_formula_like(cell: str) -> bool:
    """True when a spreadsheet could read the cell as a formula."""
    return cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell)


def safe_cell(cell: str) -> str:
    """A cell for people: a formula-like text gets the text mark in front."""
    return TEXT_MARK + cell if is_formula_like(cell) else cell


def export_cell(cell: str) -> str:
    """A cell of the relance-export CSV: marked like ``safe_cell``, and a leading mark doubled."""
    # Marking cells that already start with the mark keeps the reading back exact.
    if is_formula_like(cell) or cell.startswith(TEXT_MARK):
        return TEXT_MARK + cell
    return cell


def read_export_cell(cell: str) -> str:
    """The text an ``export_cell`` was written from."""
    return cell.removeprefix(TEXT_MARK)
