"""Reading SWIFT MT940 statements (with the mt-940 package) into bank lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import mt940

from relance.domain.bank_lines import BankLine, BankStatement
from relance.domain.money import AmountError, parse_currency
from relance.importing.bank.errors import StatementError
from relance.importing.bank.iban_text import find_iban
from relance.importing.bank.mt940_details import read_details
from relance.importing.bank.occurrences import number_repeats

# The mandatory start of a :61: line: value date, optional entry date, mark, funds code, amount.
_STATEMENT_LINE = re.compile(r"^:61:\d{6}(\d{4})?R?[CD][A-Z]?\n?\d[\d,]*", re.MULTILINE)
_BALANCE = re.compile(r"^:(62[FM]|64|65):")


def looks_like_mt940(text: str) -> bool:
    """Whether the text has an MT940 transaction reference and a balance or statement line."""
    return bool(re.search(r"^:20:", text, re.MULTILINE)) and bool(
        re.search(r"^:(60[FM]|61|62[FM]):", text, re.MULTILINE)
    )


@dataclass(frozen=True)
class _Chunk:
    """One statement of the file (from its :20: to the next), and where its lines are."""

    text: str
    # The file's line number of each :61: in the chunk, in order.
    statement_lines: tuple[int, ...]
    first_line: int
    last_line: int


def read_mt940(text: str) -> BankStatement:
    """Every :61: statement line of an MT940 file, with what its :86: says, in file order."""
    lines: list[BankLine] = []
    for chunk in _chunks(text):
        lines.extend(_read_chunk(chunk))
    if not lines:
        raise StatementError("line 1: the MT940 file has no statement line (:61:)")
    return BankStatement(file_format="mt940", lines=number_repeats(lines))


def _chunks(text: str) -> list[_Chunk]:
    """The file cut at each :20:, without the SWIFT envelope ({1:…}{4: … -}) around it."""
    chunks: list[_Chunk] = []
    current: list[str] = []
    numbers: list[int] = []
    start = 1
    closed = False

    def close(last: int) -> None:
        if current:
            chunks.append(_Chunk("\n".join(current), tuple(numbers), start, last))

    for number, raw_line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        line = raw_line.rstrip()
        if line.startswith("{"):
            # "{1:F01…}{2:…}{4:" opens a SWIFT message; what follows "{4:" is the statement.
            line = line.partition("{4:")[2]
        if line.startswith("-}") or line == "-":
            continue
        if line.startswith(":20:"):
            close(number - 1)
            current, numbers, start = [], [], number
            closed = False
        elif closed and not _BALANCE.match(line):
            # After the closing balance come only balances; an :86: there (and lines like
            # "-XXX") speak of the statement, not of its last line.
            continue
        closed = closed or line.startswith(":62")
        if line.startswith(":61:"):
            numbers.append(number)
        if current or line.startswith(":20:"):
            current.append(line)
    close(number)
    return chunks


def _read_chunk(chunk: _Chunk) -> list[BankLine]:
    """The lines of one statement: its account, then each :61: with its :86:."""
    _check_shape(chunk)
    transactions = mt940.models.Transactions(
        processors={"pre_statement": [], "post_transaction_details": []}
    )
    try:
        transactions.parse(chunk.text)
    except (RuntimeError, ValueError, KeyError, IndexError) as error:
        raise StatementError(
            f"line {chunk.first_line}: the MT940 statement cannot be read: {_first_words(error)}"
        ) from None
    found = list(transactions)
    if len(found) != len(chunk.statement_lines):
        raise StatementError(
            f"line {chunk.first_line}: {len(chunk.statement_lines)} statement lines (:61:) but"
            f" {len(found)} could be read"
        )
    account = str(transactions.data.get("account_identification") or "").replace(" ", "")
    # Some banks write the IBAN followed by the currency ("NL91ABNA0417164300EUR").
    account = find_iban(account) or account
    return [
        _line(transaction.data, account, f"line {number}")
        for transaction, number in zip(found, chunk.statement_lines, strict=True)
    ]


def _check_shape(chunk: _Chunk) -> None:
    """Each :61: starts as the standard says, and the statement ends with its closing balance."""
    offset = chunk.first_line
    for index, line in enumerate(chunk.text.split("\n")):
        if line.startswith(":61:") and not _STATEMENT_LINE.match(line):
            raise StatementError(
                f"line {offset + index}: not an MT940 statement line (expected :61: then"
                f" YYMMDD, C or D and the amount): {line[:40]!r}"
            )
    if not re.search(r"^:62[FM]:", chunk.text, re.MULTILINE):
        raise StatementError(
            f"line {chunk.last_line}: the statement that starts on line {chunk.first_line} ends"
            " without its closing balance (:62F:); the file may be cut short"
        )


def _line(data: dict[str, Any], account: str, where: str) -> BankLine:
    """One bank line from the mt-940 package's reading of a :61: and its :86:."""
    status = str(data.get("status") or "")
    try:
        currency = parse_currency(str(data.get("currency") or ""))
    except AmountError as error:
        raise StatementError(f"{where}: currency: {error}") from None
    minor = _minor(abs(data["amount"].amount), where)
    # C and RD (reversal of a debit) bring money in; D and RC (reversal of a credit) take it out.
    sign = 1 if status in ("C", "RD") else -1
    details = read_details(str(data.get("transaction_details") or ""))
    value_on = data["date"]
    booked_on = data.get("entry_date") or value_on
    return BankLine(
        account=account,
        booked_on=_plain_date(booked_on),
        value_on=_plain_date(value_on),
        amount_minor=sign * minor,
        currency=currency,
        bank_reference=str(data.get("bank_reference") or "").strip(),
        end_to_end_id=details.end_to_end_id,
        creditor_reference=details.creditor_reference,
        debtor_name=details.debtor_name,
        debtor_iban=details.debtor_iban,
        remittance=details.remittance,
        reversal=status.startswith("R"),
        position=where,
    )


def _minor(amount: Decimal, where: str) -> int:
    """An amount in minor units, refused when it has fractions of a cent."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise StatementError(f"{where}: the amount {amount} has more than two decimals")
    return int(cents)


def _plain_date(value: Any) -> date:
    """The mt-940 package's date as a plain ``date`` (its own type subclasses it)."""
    return date(value.year, value.month, value.day)


def _first_words(error: Exception) -> str:
    """The first line of a library's error, short enough for one message."""
    text = str(error.args[0] if error.args else error)
    return text.splitlines()[0][:120]
