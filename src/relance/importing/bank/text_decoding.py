"""Turning a statement file's bytes into text: UTF-8, else the single-byte code page it uses."""

from __future__ import annotations

from relance.importing.bank.errors import StatementError

# Bytes that are C1 control codes in ISO-8859-1 but letters and signs (€, ’, œ) in cp1252.
_CP1252_ONLY = frozenset(range(0x80, 0xA0))


def decode_statement(raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was written in: UTF-8 (with or without BOM), cp1252 or latin-1.

    A byte in 0x80–0x9F is a control code in ISO-8859-1 that no bank writes, so its presence
    means cp1252; without one, the two code pages read every byte the same way.
    """
    body = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if not any(byte in _CP1252_ONLY for byte in raw):
        return raw.decode("iso-8859-1"), "iso-8859-1"
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        # Five bytes of that range are undefined even in cp1252: the file is no text we know.
        line = raw.count(b"\n", 0, error.start) + 1
        raise StatementError(
            f"line {line}: byte 0x{raw[error.start]:02x} is not UTF-8, cp1252 or ISO-8859-1 text"
        ) from None
