"""What counts as one phone number: digits with the usual separators, one number, nothing more."""

from __future__ import annotations

import re

# An optional leading +, then digits grouped by spaces, dots, hyphens, slashes or parentheses.
_SHAPE = re.compile(r"\+?[0-9()][0-9 .\-/()]*")
MIN_DIGITS = 4
MAX_DIGITS = 17


def is_phone_number(text: str) -> bool:
    """True for ``+33 1 23 45 67 89`` or ``(555) 010-4477``; false for letters or two numbers."""
    digits = sum(char.isdigit() for char in text)
    return bool(_SHAPE.fullmatch(text)) and MIN_DIGITS <= digits <= MAX_DIGITS
