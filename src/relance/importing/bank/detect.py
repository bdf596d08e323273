"""The one entry point: which format a statement file is in, told from its content."""

from __future__ import annotations

from pathlib import Path

from relance.domain.bank_lines import BankStatement
from relance.importing.bank.camt import read_camt
from relance.importing.bank.csv_statement import load_mapping, looks_like_csv, read_csv_statement
from relance.importing.bank.errors import StatementError
from relance.importing.bank.mt940_statement import looks_like_mt940, read_mt940
from relance.importing.bank.ofx_statement import looks_like_ofx, read_ofx
from relance.importing.bank.text_decoding import decode_statement

# Bank files are a few megabytes at most; a larger file is not a statement to read in memory.
SIZE_MAX = 64 * 1024 * 1024


def read_statement(path: Path, *, mapping: Path | None = None) -> BankStatement:
    """Every line of a bank statement file (camt.053/054, MT940, OFX 1/2, CSV), in file order."""
    csv_mapping = load_mapping(mapping) if mapping is not None else None
    try:
        if path.stat().st_size > SIZE_MAX:
            raise StatementError(f"{path} is larger than {SIZE_MAX // (1024 * 1024)} MB")
        raw = path.read_bytes()
    except OSError as error:
        raise StatementError(f"cannot read {path}: {error.strerror or error}") from None
    if not raw.strip():
        raise StatementError(f"{path} is empty")
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if looks_like_ofx(head.decode("latin-1")):
        return read_ofx(decode_statement(raw)[0], raw)
    if head.startswith(b"<"):
        # Any other XML goes to the camt reader too: it refuses DTDs and names a wrong root.
        return read_camt(raw)
    text, _encoding = decode_statement(raw)
    if looks_like_mt940(text):
        return read_mt940(text)
    if looks_like_csv(text, csv_mapping):
        return read_csv_statement(text, csv_mapping)
    raise StatementError(
        f"{path} is not a bank statement: expected camt.053/054 XML, MT940, OFX or a CSV"
        " export with a date and an amount column (--mapping FILE names other columns)"
    )
