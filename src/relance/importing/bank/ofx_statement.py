"""Reading OFX bank and credit card statements, 1.x SGML or 2.x XML, into bank lines."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date

from relance.domain.bank_lines import BankLine, BankStatement
from relance.domain.money import AmountError, parse_currency
from relance.importing.bank.errors import StatementError
from relance.importing.bank.iban_text import is_iban
from relance.importing.bank.occurrences import number_repeats
from relance.importing.bank.ofx_sgml import LINE, parse_sgml
from relance.importing.bank.safe_xml import parse_xml
from relance.importing.dates import ImportDateError, parse_compact_date
from relance.importing.numbers import ImportAmountError, parse_xml_amount

# Bank statements (STMTRS) and credit card statements (CCSTMTRS), with their account element.
STATEMENTS = {"STMTRS": "BANKACCTFROM", "CCSTMTRS": "CCACCTFROM"}


def looks_like_ofx(head: str) -> bool:
    """Whether the start of a file is an OFX header (1.x) or an OFX processing instruction (2.x)."""
    start = head.lstrip("\ufeff \t\r\n")
    return start.startswith("OFXHEADER") or bool(re.search(r"<\?OFX\b|<OFX>", head, re.I))


def read_ofx(text: str, raw: bytes) -> BankStatement:
    """Every <STMTTRN> of every statement in an OFX file, in the file's order."""
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith("<?xml") or re.search(r"<\?OFX\b", text[:4096], re.I):
        root = parse_xml(raw)
        file_format = "ofx2"
    else:
        body_start = _body_start(text)
        root = parse_sgml(text[body_start:], text.count("\n", 0, body_start) + 1)
        file_format = "ofx1"
    if root.tag != "OFX":
        raise StatementError(f"XML element <{root.tag}>: not an OFX document (expected <OFX>)")
    lines: list[BankLine] = []
    counts: dict[str, int] = {}
    for statement in root.iter():
        if statement.tag not in STATEMENTS:
            continue
        counts[statement.tag] = counts.get(statement.tag, 0) + 1
        reader = _StatementReader(statement, f"{statement.tag}[{counts[statement.tag]}]")
        lines.extend(reader.lines())
    if not counts:
        raise StatementError(
            "the OFX file holds no bank or credit card statement (<STMTRS> or <CCSTMTRS>)"
        )
    return BankStatement(file_format=file_format, lines=number_repeats(lines))


def _body_start(text: str) -> int:
    """Where the SGML body starts: after the "KEY:VALUE" header lines and the blank line."""
    first_tag = text.find("<")
    if first_tag < 0:
        raise StatementError("line 1: an OFX header but no <OFX> element after it")
    return first_tag


@dataclass(frozen=True)
class _StatementReader:
    """One statement: its currency, its account and its transactions."""

    statement: ET.Element
    where: str

    def fail(self, element: ET.Element, path: str, reason: str) -> StatementError:
        """An error naming the line (SGML) or the element (XML) that is wrong."""
        line = element.get(LINE)
        if line is not None:
            return StatementError(f"line {line}: <{path.rsplit('/', 1)[-1]}>: {reason}")
        return StatementError(f"XML element <{path}>: {reason}")

    def lines(self) -> list[BankLine]:
        """The statement's transactions, across every <BANKTRANLIST> it holds."""
        statement = self.statement
        account_tag = STATEMENTS[statement.tag]
        account = _text(statement, f"{account_tag}/ACCTID").replace(" ", "")
        currency = self.currency(statement, "CURDEF", self.where)
        lines = []
        transactions = statement.findall("BANKTRANLIST/STMTTRN")
        for number, transaction in enumerate(transactions, start=1):
            where = f"{self.where}/STMTTRN[{number}]"
            lines.append(self.line(transaction, where, account, currency))
        return lines

    def line(self, transaction: ET.Element, where: str, account: str, currency: str) -> BankLine:
        """One <STMTTRN>: its amount, dates, FITID, name and memo."""
        amount_text = _text(transaction, "TRNAMT")
        if not amount_text:
            raise self.fail(transaction, f"{where}/TRNAMT", "missing")
        try:
            # A few European banks write the decimal mark as a comma.
            amount = parse_xml_amount(amount_text.replace(",", ".").replace("+", "", 1))
        except ImportAmountError as error:
            raise self.fail(_child(transaction, "TRNAMT"), f"{where}/TRNAMT", str(error)) from None
        line_currency = currency
        for path in ("CURRENCY/CURSYM", "ORIGCURRENCY/CURSYM"):
            if _text(transaction, path):
                line_currency = self.currency(transaction, path, where)
                break
        counterparty_iban = _text(transaction, "BANKACCTTO/ACCTID").replace(" ", "").upper()
        return BankLine(
            account=account,
            booked_on=self.day(transaction, "DTPOSTED", where, required=True) or date.min,
            value_on=self.day(transaction, "DTAVAIL", where, required=False),
            amount_minor=amount,
            currency=line_currency,
            bank_reference=_text(transaction, "FITID"),
            debtor_name=_text(transaction, "NAME") or _text(transaction, "PAYEE/NAME"),
            debtor_iban=counterparty_iban if is_iban(counterparty_iban) else "",
            remittance=_text(transaction, "MEMO"),
            position=f"line {transaction.get(LINE)}" if transaction.get(LINE) else where,
        )

    def currency(self, element: ET.Element, path: str, where: str) -> str:
        """A currency code at a path, refused when it is not one relance knows."""
        try:
            return parse_currency(_text(element, path))
        except AmountError as error:
            raise self.fail(_child(element, path), f"{where}/{path}", str(error)) from None

    def day(self, element: ET.Element, tag: str, where: str, *, required: bool) -> date | None:
        """An OFX date ("20090401122017.000[-5:EST]"): its day, as the bank wrote it."""
        text = _text(element, tag)
        if not text:
            if required:
                raise self.fail(element, f"{where}/{tag}", "missing")
            return None
        try:
            return parse_compact_date(text[:8])
        except ImportDateError as error:
            raise self.fail(_child(element, tag), f"{where}/{tag}", str(error)) from None


def _text(element: ET.Element, path: str) -> str:
    """The trimmed text at a path, "" when absent."""
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _child(element: ET.Element, path: str) -> ET.Element:
    """The element at a path, or the element itself when absent (to name a line)."""
    found = element.find(path)
    return found if found is not None else element
