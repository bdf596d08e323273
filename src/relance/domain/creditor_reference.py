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
# One of our references inside a remittance text, printed with or without its spaces:
# RF, the check digits, RL and up to 19 digits, not glued to other letters or digits.
_DIGIT_RUN = f"{{{CLIENT_DIGITS},{MAX_BODY - len(CLIENT_MARK)}}}"
_IN_TEXT = re.compile(
    r"(?<![0-9A-Z])R ?F ?([0-9] ?[0-9]) ?R ?L((?: ?[0-9])" + _DIGIT_RUN + r")(?![0-9A-Z])"
)


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


def _our_client(reference: str) -> int | None:
    """The client id of one reference in electronic form, if relance handed it out."""
    if not verify(reference):
        return None
    match = _CLIENT_BODY.fullmatch(reference[4:])
    if match is None:
        return None
    client_id = int(match.group(1))
    # Only the canonical spelling is ours: extra leading zeros would be a different reference.
    return client_id if client_reference(client_id) == reference else None


def _clients_in_text(text: str) -> set[int]:
    """The clients whose references a remittance text quotes among other words."""
    found = set()
    for match in _IN_TEXT.finditer(" ".join(text.upper().split())):
        check, run = match.group(1).replace(" ", ""), match.group(2)
        # The digits may run on into a number written after a space: the reference ends at
        # the end of the run or at one of its spaces, the longest that checks winning.
        ends = [len(run), *(index for index in range(len(run) - 1, 0, -1) if run[index] == " ")]
        for end in ends:
            client_id = _our_client(f"RF{check}RL{run[:end].replace(' ', '')}")
            if client_id is not None:
                found.add(client_id)
                break
    return found


def client_id_from_reference(text: str) -> int | None:
    """The client a reference relance handed out names, or None for any other text.

    The text is a structured reference (spaces and case aside) or a remittance text that
    quotes one; a text quoting the references of two clients names neither.
    """
    whole = _our_client(normalise(text))
    if whole is not None:
        return whole
    found = _clients_in_text(text)
    return found.pop() if len(found) == 1 else None
