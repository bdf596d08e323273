"""Reading ISO 20022 camt.052/053/054 statements and notifications (any version) into lines."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

from relance.domain.bank_lines import BankLine, BankStatement
from relance.domain.money import AmountError, parse_currency
from relance.importing.bank.errors import StatementError
from relance.importing.bank.occurrences import number_repeats
from relance.importing.bank.safe_xml import parse_xml
from relance.importing.dates import ImportDateError, parse_import_date
from relance.importing.numbers import ImportAmountError, parse_xml_amount

# The message element under <Document> and the report element it repeats, per camt message.
MESSAGES = {
    "BkToCstmrAcctRpt": ("Rpt", "camt.052"),
    "BkToCstmrStmt": ("Stmt", "camt.053"),
    "BkToCstmrDbtCdtNtfctn": ("Ntfctn", "camt.054"),
}
# Entries that are not booked yet (pending, for information) are no money on the account.
UNBOOKED = frozenset({"PDNG", "INFO", "FUTR"})
# What a payer's bank writes when the payer gave no end-to-end id.
NO_END_TO_END_ID = "NOTPROVIDED"


def is_camt(root: ET.Element) -> bool:
    """Whether a parsed document is a camt bank-to-customer message."""
    return root.tag == "Document" and any(child.tag in MESSAGES for child in root)


def read_camt(raw: bytes) -> BankStatement:
    """Every booked transaction of a camt file: one line per TxDtls, in the file's order."""
    root = parse_xml(raw)
    message = next((child for child in root if child.tag in MESSAGES), None)
    if root.tag != "Document" or message is None:
        raise StatementError(
            f"XML element <{root.tag}>: not a camt.052/053/054 message"
            " (expected <Document><BkToCstmrStmt> or <BkToCstmrDbtCdtNtfctn>)"
        )
    report_tag, file_format = MESSAGES[message.tag]
    lines: list[BankLine] = []
    for report_number, report in enumerate(message.findall(report_tag), start=1):
        account = _account(report)
        entries = report.findall("Ntry")
        for entry_number, entry in enumerate(entries, start=1):
            where = f"{report_tag}[{report_number}]/Ntry[{entry_number}]"
            lines.extend(_EntryReader(entry, where, account).lines())
    if not lines:
        raise StatementError(f"XML element <{message.tag}>: no booked entry (<Ntry>) in the file")
    return BankStatement(file_format=file_format, lines=number_repeats(lines))


def _text(element: ET.Element | None, path: str) -> str:
    """The trimmed text at a path below an element, "" when absent."""
    if element is None:
        return ""
    found = element.find(path)
    return " ".join((found.text or "").split()) if found is not None else ""


def _account(report: ET.Element) -> str:
    """The statement's account: its IBAN, else the bank's own account id."""
    return _text(report, "Acct/Id/IBAN") or _text(report, "Acct/Id/Othr/Id")


class _EntryReader:
    """One <Ntry> and its transaction details, read into bank lines."""

    def __init__(self, entry: ET.Element, where: str, account: str) -> None:
        """Remember the entry, where it sits (for messages) and the statement's account."""
        self.entry = entry
        self.where = where
        self.account = account

    def fail(self, element: str, reason: str) -> StatementError:
        """An error naming the element of this entry that is wrong."""
        return StatementError(f"XML element <{self.where}/{element}>: {reason}")

    def lines(self) -> list[BankLine]:
        """The entry's lines: none if unbooked, one per TxDtls, or one for the entry itself."""
        entry = self.entry
        status = _text(entry, "Sts/Cd") or _text(entry, "Sts")
        if status in UNBOOKED:
            return []
        amount, currency = self.amount(entry, "Amt", required=True)
        sign = self.sign(entry, required=True)
        value_on = self.day("ValDt", required=False)
        # camt.054 may notify a credit by its value date alone.
        booked_on = self.day("BookgDt", required=value_on is None) or value_on or date.min
        reversal = _text(entry, "RvslInd").lower() in ("true", "1")
        entry_reference = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
        details = entry.findall("NtryDtls/TxDtls")
        template = BankLine(
            account=self.account,
            booked_on=booked_on,
            amount_minor=sign * amount,
            currency=currency,
            value_on=value_on,
            reversal=reversal,
            position=self.where,
        )
        if not details:
            return [
                replace(
                    template,
                    bank_reference=entry_reference,
                    remittance=_text(entry, "AddtlNtryInf"),
                )
            ]
        lines = []
        for number, detail in enumerate(details, start=1):
            where = f"NtryDtls/TxDtls[{number}]"
            if len(details) == 1:
                # The entry's amount is the booked one (a detail may show it before charges).
                line_amount, line_currency, line_sign = amount, currency, sign
            else:
                line_amount, line_currency = self.detail_amount(detail, where)
                line_sign = self.sign(detail, required=False, where=where) or sign
            reference = _text(detail, "Refs/AcctSvcrRef")
            if not reference and entry_reference:
                # Several transactions share the entry's reference: their index tells them apart.
                suffix = f"/{number}" if len(details) > 1 else ""
                reference = entry_reference + suffix
            name, iban = _counterparty(detail, credit=line_sign > 0)
            lines.append(
                replace(
                    template,
                    amount_minor=line_sign * line_amount,
                    currency=line_currency,
                    bank_reference=reference,
                    end_to_end_id=_end_to_end_id(detail),
                    creditor_reference=_text(detail, "RmtInf/Strd/CdtrRefInf/Ref").replace(" ", ""),
                    debtor_name=name,
                    debtor_iban=iban,
                    remittance=self.remittance(detail),
                    position=f"{self.where}/{where}",
                )
            )
        return lines

    def amount(self, element: ET.Element, path: str, *, required: bool) -> tuple[int, str]:
        """An <Amt Ccy="…"> below an element: minor units (unsigned) and currency."""
        found = element.find(path)
        if found is None or not (found.text or "").strip():
            if required:
                raise self.fail(path, "missing")
            return 0, ""
        try:
            minor = parse_xml_amount(found.text or "")
            currency = parse_currency(found.get("Ccy", ""))
        except (ImportAmountError, AmountError) as error:
            raise self.fail(path, str(error)) from None
        if minor < 0:
            raise self.fail(path, "a camt amount is never negative (the sign is CdtDbtInd)")
        return minor, currency

    def detail_amount(self, detail: ET.Element, where: str) -> tuple[int, str]:
        """A transaction's own amount, where each camt version puts it."""
        for path in ("Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/InstdAmt/Amt"):
            if detail.find(path) is not None:
                return self.amount(detail, path, required=True)
        raise self.fail(f"{where}/Amt", "missing: a batch transaction needs its own amount")

    def sign(self, element: ET.Element, *, required: bool, where: str = "") -> int:
        """+1 for CRDT, -1 for DBIT, 0 when absent and not required."""
        indicator = _text(element, "CdtDbtInd")
        if indicator == "CRDT":
            return 1
        if indicator == "DBIT":
            return -1
        path = f"{where}/CdtDbtInd" if where else "CdtDbtInd"
        if indicator:
            raise self.fail(path, f"{indicator!r} is neither CRDT nor DBIT")
        if required:
            raise self.fail(path, "missing")
        return 0

    def day(self, path: str, *, required: bool) -> date | None:
        """A <BookgDt> or <ValDt>, written as <Dt> or as <DtTm> (its day is kept)."""
        text = _text(self.entry, f"{path}/Dt") or _text(self.entry, f"{path}/DtTm")[:10]
        if not text:
            if required:
                raise self.fail(f"{path}/Dt", "missing")
            return None
        try:
            return parse_import_date(text)
        except ImportDateError as error:
            raise self.fail(f"{path}/Dt", str(error)) from None

    def remittance(self, detail: ET.Element) -> str:
        """The free remittance lines joined, else what the bank added about the transaction."""
        unstructured = [
            " ".join((line.text or "").split()) for line in detail.findall("RmtInf/Ustrd")
        ]
        text = " ".join(line for line in unstructured if line)
        return text or _text(detail, "AddtlTxInf") or _text(self.entry, "AddtlNtryInf")


def _end_to_end_id(detail: ET.Element) -> str:
    """The payer's end-to-end id, "" when the payer gave none."""
    value = _text(detail, "Refs/EndToEndId")
    return "" if value.upper() == NO_END_TO_END_ID else value


def _counterparty(detail: ET.Element, *, credit: bool) -> tuple[str, str]:
    """Who paid a credit (Dbtr) or was paid by a debit (Cdtr): name and IBAN.

    camt.053.001.08 wraps the party in <Pty>; older versions do not.
    """
    order = ("Dbtr", "Cdtr") if credit else ("Cdtr", "Dbtr")
    for role in order:
        name = _text(detail, f"RltdPties/{role}/Nm") or _text(detail, f"RltdPties/{role}/Pty/Nm")
        iban = _text(detail, f"RltdPties/{role}Acct/Id/IBAN")
        if name or iban:
            return name, iban.replace(" ", "").upper()
    return "", ""
