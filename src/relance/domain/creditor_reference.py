"""ISO 11649 structured creditor references ("RF" references): built, checked and read back.

A reference is ``RF``, two check digits and a body of 1 to 21 letters and digits; the check
digits are those of ISO 7064 MOD 97-10, as in an IBAN. relance gives each client one reference,
``RF`` + check digits + ``RL`` + the client id on at least eight digits, so that a payment that
quotes it can be traced back to the client without any stored column.
"""

from __future__ import annotations

import re

PREFIX = "RF"
MAX_BODY = 21
# The body of the references relance hands out: a fixed mark, then the client id.
CLIENT_MARK = "RL"
CLIENT_DIGITS = 8
_BODY = re.compile(r"[0-9A-Z]{1,21}")
_REFERENCE = re.compile(r"RF[0-9]{2}[0-9A-Z]{1,21}")
_CLIENT_BODY = re.compile(rf"{CLIENT_MARK}([0-9]{{{CLIENT_DIGITS},{MAX_BODY - len(CLIENT_MARK)}}})")


class CreditorReferenceError(ValueError):
    """A body that cannot become a creditor reference."""


def normalise(text: str) -> str:
    """The reference as its electronic form: spaces removed, letters in capitals."""
    return "".join(text.split()).upper()


def _as_number(text: str) -> int:
    """ISO 7064's reading of letters and digits: A is 10, B is 11, … Z is 35."""
    return int("".join(str(int(char, 36)) for char in text))


def check_digits(body: str) -> str:
    """The two check digits that make ``RF`` + digits + ``body`` verify."""
    remainder = _as_number(body + PREFIX + "00") % 97
    return f"{98 - remainder:02d}"


def build(body: str) -> str:
    """The creditor reference of a body of 1 to 21 letters and digits, in electronic form."""
    clean = normalise(body)
    if not _BODY.fullmatch(clean):
        raise CreditorReferenceError(
            f"a creditor reference body is 1 to {MAX_BODY} letters and digits, not {body!r}"
        )
    return PREFIX + check_digits(clean) + clean


def verify(text: str) -> bool:
    """Whether the text (spaces and case aside) is a well-formed reference whose digits check."""
    reference = normalise(text)
    if not _REFERENCE.fullmatch(reference):
        return False
    return _as_number(reference[4:] + reference[:4]) % 97 == 1


def grouped(text: str) -> str:
    """The reference as it is printed: in groups of four characters."""
    reference = normalise(text)
    return " ".join(reference[start : start + 4] for start in range(0, len(reference), 4))


def client_reference(client_id: int) -> str:
    """The one reference of a client, in electronic form."""
    if client_id < 1:
        raise CreditorReferenceError(f"a client id is a positive number, not {client_id}")
    body = f"{CLIENT_MARK}{client_id:0{CLIENT_DIGITS}d}"
    if len(body) > MAX_BODY:
        raise CreditorReferenceError(f"client id {client_id} is too long for a creditor reference")
    return build(body)


def client_id_from_reference(text: str) -> int | None:
    """The client a reference relance handed out names, or None for any other text."""
    reference = normalise(text)
    if not verify(reference):
        return None
    match = _CLIENT_BODY.fullmatch(reference[4:])
    if match is None:
        return None
    client_id = int(match.group(1))
    # Only the canonical spelling is ours: extra leading zeros would be a different reference.
    return client_id if client_reference(client_id) == reference else None
