"""Finding an IBAN in free text (a CSV preamble, an MT940 :86: field), checked by its digits."""

from __future__ import annotations

import re
from functools import lru_cache

# Two letters, two check digits, then 11 to 30 letters or digits, in groups of four or not.
_CANDIDATE = re.compile(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b", re.ASCII)


# A statement names the same few payers' IBANs again and again: each is checked once.
@lru_cache(maxsize=4096)
def is_iban(text: str) -> bool:
    """Whether the text (spaces removed) is an IBAN whose ISO 7064 mod-97 check holds."""
    compact = text.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", compact, re.ASCII):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def find_iban(text: str) -> str:
    """The first valid IBAN written in the text, without spaces, or ""."""
    for match in _CANDIDATE.finditer(text.upper()):
        candidate = match[0].replace(" ", "")
        # A greedy match may run into the next word: the longest valid prefix is the IBAN.
        for end in range(len(candidate), 14, -1):
            if is_iban(candidate[:end]):
                return candidate[:end]
    return ""
