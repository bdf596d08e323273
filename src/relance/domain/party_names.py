"""A payer's name reduced to what identifies it, so a bank's spelling meets the book's."""

from __future__ import annotations

import re
import unicodedata

# Legal forms and civil titles say nothing about who paid: "SARL DUPONT" is "Dupont".
IGNORED_WORDS = frozenset(
    {
        "sarl",
        "sas",
        "sa",
        "eurl",
        "sasu",
        "sci",
        "snc",
        "selarl",
        "scm",
        "scea",
        "earl",
        "bv",
        "nv",
        "srl",
        "spa",
        "kg",
        "ug",
        "llp",
        "gmbh",
        "ag",
        "ltd",
        "limited",
        "llc",
        "inc",
        "plc",
        "co",
        "corp",
        "m",
        "mr",
        "mrs",
        "ms",
        "mme",
        "mlle",
        "monsieur",
        "madame",
        "ste",
        "societe",
    }
)
_NOT_LETTER_OR_DIGIT = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """The name's words without accents, case, punctuation or legal forms, sorted ("" if none).

    Sorting makes "DUPONT JEAN" (how many banks write a person) meet "Jean Dupont".
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    # "S.A.R.L." and "s.a.s" are legal forms too once their dots are gone.
    joined = re.sub(r"\b((?:[a-z]\.){2,}[a-z]?)", lambda m: m.group(1).replace(".", ""), bare)
    words = [w for w in _NOT_LETTER_OR_DIGIT.split(joined) if w and w not in IGNORED_WORDS]
    return " ".join(sorted(words))
