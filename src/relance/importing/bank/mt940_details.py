"""Reading the :86: field of an MT940 line: German "?NN" subfields, "/TAG/" pairs or free text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from relance.importing.bank.iban_text import is_iban

# The German banking standard (DFÜ-Abkommen) numbers its subfields: "166?00GUTSCHRIFT?20…".
_SUBFIELDS = re.compile(r"^\d{3}\?\d{2}|^\?\d{2}")
_SUBFIELD = re.compile(r"\?(\d{2})")
# ?20–?29 and ?60–?63 hold the purpose, cut every 27 characters wherever the cut falls.
_PURPOSE_CODES = tuple(f"{code:02d}" for code in (*range(20, 30), *range(60, 64)))
# SEPA keywords inside the purpose: end-to-end id, customer and mandate references, creditor
# id, the remittance text itself, the deviating (ultimate) payer and payee, amounts.
_SEPA_KEYWORD = re.compile(r"(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|COAM|OAMT|BREF|RREF)\+")
# The slash-tagged form of Dutch and Belgian banks: "/TRTP/SEPA OVERBOEKING/IBAN/NL…/NAME/…/".
_SLASH_TAGS = (
    "TRTP|IBAN|BIC|NAME|REMI|EREF|MARF|CSID|ORDP|BENM|ADDR|ULTC|ULTD|RTRN|PREF|SVCL|CDTRREF"
    "|CDTRREFTP|ISSR|ID|PURP|CNTP"
)
_SLASH = re.compile(rf"/({_SLASH_TAGS})/")
NO_END_TO_END_ID = "NOTPROVIDED"


@dataclass(frozen=True)
class Details:
    """What the :86: field says about who paid and why."""

    remittance: str = ""
    end_to_end_id: str = ""
    creditor_reference: str = ""
    debtor_name: str = ""
    debtor_iban: str = ""


def read_details(text: str) -> Details:
    """The remittance, references and payer of one :86: field, as the bank laid them out."""
    stripped = text.strip()
    if _SUBFIELDS.match(stripped):
        return _german(stripped)
    if _SLASH.match(stripped):
        return _slashed(stripped)
    return Details(remittance=" ".join(line.strip() for line in stripped.splitlines()).strip())


def _german(text: str) -> Details:
    """Subfields ?20–?29 (purpose), ?31 (IBAN), ?32–?33 (name), with SEPA keywords inside."""
    # Lines wrap at a fixed width, even inside a word or a subfield number: they join as one.
    joined = text.replace("\n", "")
    parts = _SUBFIELD.split(joined)
    fields: dict[str, str] = {}
    for code, value in zip(parts[1::2], parts[2::2], strict=True):
        fields[code] = fields.get(code, "") + value
    purpose = "".join(fields.get(code, "") for code in _PURPOSE_CODES)
    keywords = _keywords(purpose)
    iban = fields.get("31", "").replace(" ", "").upper()
    name = (fields.get("32", "") + fields.get("33", "")).strip()
    end_to_end = keywords.get("EREF", "")
    return Details(
        # Without SVWZ (a return, an old format) the purpose as a whole is the only text.
        remittance=(keywords.get("SVWZ") or purpose).strip(),
        end_to_end_id="" if end_to_end.upper() == NO_END_TO_END_ID else end_to_end,
        debtor_name=name or keywords.get("ABWA", ""),
        debtor_iban=iban if is_iban(iban) else "",
    )


def _keywords(purpose: str) -> dict[str, str]:
    """The SEPA keyword values of a purpose text ("EREF+…SVWZ+…"), each trimmed."""
    pieces = _SEPA_KEYWORD.split(purpose)
    return {
        keyword: value.strip() for keyword, value in zip(pieces[1::2], pieces[2::2], strict=True)
    }


def _slashed(text: str) -> Details:
    """ "/TAG/value" pairs: IBAN, NAME, EREF, REMI (with its USTD or STRD/…/CDTRREF parts)."""
    joined = text.replace("\n", "")
    pieces = _SLASH.split(joined)
    values: dict[str, str] = {}
    for tag, value in zip(pieces[1::2], pieces[2::2], strict=True):
        values.setdefault(tag, value.strip().strip("/").strip())
    name = values.get("NAME", "")
    iban = values.get("IBAN", "").replace(" ", "").upper()
    if "CNTP" in values:
        # ING's counterparty: "/CNTP/account/BIC/name/city/".
        account, _bic, cntp_name, *_city = [*values["CNTP"].split("/"), "", "", ""][:4]
        iban = iban or account.replace(" ", "").upper()
        name = name or cntp_name.strip()
    end_to_end = values.get("EREF", "")
    remittance = values.get("REMI", "")
    creditor_reference = values.get("CDTRREF", "")
    # "/REMI/USTD//free text/" or "/REMI/STRD/CUR/reference/": the tag's own sub-tags.
    if remittance.startswith("USTD/"):
        remittance = remittance.removeprefix("USTD/").strip("/").strip()
    elif remittance.startswith("STRD/"):
        creditor_reference = creditor_reference or remittance.rstrip("/").rsplit("/", 1)[-1]
        remittance = ""
    return Details(
        remittance=remittance,
        end_to_end_id="" if end_to_end.upper() == NO_END_TO_END_ID else end_to_end,
        creditor_reference=creditor_reference.replace(" ", ""),
        debtor_name=name,
        debtor_iban=iban if is_iban(iban) else "",
    )
