"""The EPC QR code payload (EPC069-12 version 002): a SEPA transfer a bank app fills in."""

from __future__ import annotations

from dataclasses import dataclass

# Service tag, version, character set (1 is UTF-8) and identification, as EPC069-12 fixes them.
SERVICE_TAG = "BCD"
VERSION = "002"
UTF_8 = "1"
IDENTIFICATION = "SCT"
MAX_NAME = 70
MAX_IBAN = 34
MAX_STRUCTURED_REFERENCE = 35
# The largest amount the format allows, 999 999 999.99 euros, in cents.
MAX_CENTS = 99_999_999_999
MAX_PAYLOAD_BYTES = 331


class EpcError(ValueError):
    """Values that cannot make an EPC QR code payload."""


@dataclass(frozen=True)
class CreditTransfer:
    """What the payer's bank needs: who to pay, where, how much, and the reference to quote."""

    name: str
    iban: str
    amount_cents: int
    reference: str
    bic: str = ""


def amount_field(cents: int) -> str:
    """The amount as the format writes it: ``EUR`` and euros with a point and two decimals."""
    if not 1 <= cents <= MAX_CENTS:
        raise EpcError(f"an EPC QR amount is from 0.01 to 999999999.99 euros, not {cents} cents")
    return f"EUR{cents // 100}.{cents % 100:02d}"


def _compact(text: str) -> str:
    """An IBAN or BIC in its electronic form: no spaces, capitals."""
    return "".join(text.split()).upper()


def epc_payload(transfer: CreditTransfer) -> str:
    """The payload's lines in EPC069-12 order, joined by line feeds; the text line is left out."""
    name = " ".join(transfer.name.split())[:MAX_NAME].strip()
    iban = _compact(transfer.iban)
    bic = _compact(transfer.bic)
    reference = _compact(transfer.reference)
    if not name:
        raise EpcError("an EPC QR code needs the beneficiary's name")
    if not 15 <= len(iban) <= MAX_IBAN or not iban.isalnum():
        raise EpcError(f"an EPC QR code needs an IBAN of 15 to 34 letters and digits: {iban!r}")
    if bic and len(bic) not in (8, 11):
        raise EpcError(f"a BIC has 8 or 11 characters: {bic!r}")
    if not reference or len(reference) > MAX_STRUCTURED_REFERENCE:
        raise EpcError(f"the structured reference has 1 to 35 characters: {reference!r}")
    lines = [
        SERVICE_TAG,
        VERSION,
        UTF_8,
        IDENTIFICATION,
        bic,
        name,
        iban,
        amount_field(transfer.amount_cents),
        "",  # purpose: none
        reference,
    ]
    # The remittance text and the note to the payer stay empty; the last line has no separator.
    payload = "\n".join(lines)
    if len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise EpcError(f"an EPC QR payload is at most {MAX_PAYLOAD_BYTES} bytes")
    return payload
