"""Reading the CSV exports of French banks (and others, with a mapping) into bank lines."""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from relance.domain.bank_lines import BankLine, BankStatement
from relance.domain.money import AmountError, parse_currency
from relance.importing.bank.errors import StatementError
from relance.importing.bank.iban_text import find_iban
from relance.importing.bank.occurrences import number_repeats
from relance.importing.csv_source import header_key
from relance.importing.dates import ImportDateError, parse_import_date
from relance.importing.numbers import ImportAmountError, parse_import_amount

# The names a mapping file gives to columns ("Title" = field).
FIELDS = (
    "date",
    "value_date",
    "amount",
    "debit",
    "credit",
    "label",
    "reference",
    "currency",
    "debtor",
    "debtor_iban",
    "end_to_end_id",
    "creditor_reference",
)
DELIMITERS = (";", ",", "\t")
DEFAULT_CURRENCY = "EUR"
# Banks write a few lines (account, IBAN, balance) before the header, never many.
PREAMBLE_MAX = 30

# Column titles recognised out of the box, written as `header_key` leaves them.
ALIASES: dict[str, str] = {
    **dict.fromkeys(
        (
            "date",
            "date operation",
            "date d operation",
            "date de l operation",
            "date op",
            "dateop",
            "date comptable",
            "date de comptabilisation",
            "booking date",
            "transaction date",
            "posting date",
        ),
        "date",
    ),
    **dict.fromkeys(
        ("date valeur", "date de valeur", "date val", "dateval", "value date"), "value_date"
    ),
    **dict.fromkeys(
        (
            "montant",
            "montant eur",
            "montant euros",
            "montant en euros",
            "montant de l operation",
            "amount",
        ),
        "amount",
    ),
    **dict.fromkeys(
        ("debit", "debits", "debit eur", "debit euros", "debit en euros", "debit amount"),
        "debit",
    ),
    **dict.fromkeys(
        ("credit", "credits", "credit eur", "credit euros", "credit en euros", "credit amount"),
        "credit",
    ),
    **dict.fromkeys(
        (
            "libelle",
            "libelle operation",
            "libelle de l operation",
            "intitule",
            "label",
            "description",
            "details",
        ),
        "label",
    ),
    **dict.fromkeys(
        (
            "reference",
            "ref",
            "numero",
            "numero d operation",
            "reference operation",
            "reference de l operation",
            "transaction id",
        ),
        "reference",
    ),
    **dict.fromkeys(("devise", "monnaie", "currency"), "currency"),
    **dict.fromkeys(("tiers", "nom du tiers", "counterparty", "payer"), "debtor"),
}


@dataclass(frozen=True)
class CsvMapping:
    """What a mapping file adds: column titles, and the currency and account files omit."""

    columns: Mapping[str, str]
    currency: str = DEFAULT_CURRENCY
    account: str = ""


def load_mapping(path: Path) -> CsvMapping:
    """A mapping from a TOML file: ``[columns]`` ("Title" = field), ``currency``, ``account``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise StatementError(f"cannot read the mapping file {path}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise StatementError(f"the mapping file {path} is not valid TOML: {error}") from None
    unknown = sorted(set(data) - {"columns", "currency", "account"})
    if unknown:
        raise StatementError(
            f"the mapping file {path} has unknown keys: {', '.join(unknown)}"
            " (it may hold [columns], currency and account)"
        )
    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        raise StatementError(
            f'the mapping file {path}: [columns] must be a table ("Title" = "field")'
        )
    mapped: dict[str, str] = {}
    for title, target in columns.items():
        if not isinstance(target, str) or target not in FIELDS:
            raise StatementError(
                f"mapping {title!r} = {target!r}: the field must be one of {', '.join(FIELDS)}"
            )
        mapped[header_key(title)] = target
    currency = data.get("currency", DEFAULT_CURRENCY)
    account = data.get("account", "")
    if not isinstance(account, str):
        raise StatementError(f"the mapping file {path}: account must be a text")
    try:
        code = parse_currency(currency if isinstance(currency, str) else "")
    except AmountError as error:
        raise StatementError(f"the mapping file {path}: currency: {error}") from None
    return CsvMapping(mapped, code, account.replace(" ", "").upper())


def read_bank_amount(text: str) -> int:
    """A bank's amount cell (``-1 234,56``, ``+1.234,56``, ``1234.56``) in signed minor units."""
    cleaned = text.strip()
    if cleaned.startswith("+"):
        cleaned = cleaned[1:].lstrip()
        if cleaned.startswith("-"):
            raise ImportAmountError(f"not an amount: {text.strip()!r}")
    return parse_import_amount(cleaned, allow_negative=True)


def read_bank_date(text: str) -> date:
    """A bank's date cell: ``dd/mm/yyyy`` (or ``dd.mm.yyyy``, ``dd-mm-yyyy``) or ISO."""
    cleaned = text.strip()
    parts = cleaned.split("-")
    if len(parts) == 3 and len(parts[2]) == 4:
        cleaned = "/".join(parts)
    return parse_import_date(cleaned)


def looks_like_csv(text: str, mapping: CsvMapping | None) -> bool:
    """Whether one of the first lines is a bank CSV header this reader understands."""
    return _find_header(_split_lines(text), _aliases(mapping)) is not None


def _split_lines(text: str) -> list[str]:
    """The file's lines as an editor numbers them (only CR, LF and CRLF end a line)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_csv_statement(text: str, mapping: CsvMapping | None = None) -> BankStatement:
    """Every movement of a bank's CSV export (already decoded), in the file's order."""
    lines = _split_lines(text)
    aliases = _aliases(mapping)
    found = _find_header(lines, aliases)
    if found is None:
        raise StatementError(
            "no header with a date and an amount (or debit and credit) column in the first"
            f" {PREAMBLE_MAX} lines; map the columns with --mapping FILE"
        )
    header_index, delimiter, columns, width = found
    account = find_iban("\n".join(lines[:header_index])) or (mapping.account if mapping else "")
    currency = mapping.currency if mapping else DEFAULT_CURRENCY
    body = "\n".join(lines[header_index + 1 :])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    read_row = _RowReader(columns, width, account, currency)
    movements: list[BankLine] = []
    first_line = header_index + 2
    try:
        for cells in reader:
            line = first_line
            first_line = header_index + 2 + reader.line_num
            if not "".join(cells).strip():
                continue
            movements.append(read_row(line, cells))
    except csv.Error as error:
        raise StatementError(f"line {first_line}: unreadable row: {error}") from None
    if not movements:
        raise StatementError(f"line {header_index + 1}: the file has a header but no movements")
    return BankStatement(file_format="csv", lines=number_repeats(movements))


def _aliases(mapping: CsvMapping | None) -> dict[str, str]:
    """The column titles understood: the built-in ones, then the mapping's over them."""
    return {**ALIASES, **(mapping.columns if mapping else {})}


def _find_header(
    lines: list[str], aliases: Mapping[str, str]
) -> tuple[int, str, dict[str, int], int] | None:
    """The header's index, delimiter, columns and width: the first naming a date and an amount."""
    for index, line in enumerate(lines[:PREAMBLE_MAX]):
        for delimiter in DELIMITERS:
            if delimiter not in line:
                continue
            cells = next(csv.reader([line], delimiter=delimiter), [])
            columns = _columns(index + 1, cells, aliases)
            if "date" in columns and ({"amount", "debit", "credit"} & columns.keys()):
                return index, delimiter, columns, len(cells)
    return None


def _columns(line: int, cells: list[str], aliases: Mapping[str, str]) -> dict[str, int]:
    """Which cell holds each field; two columns for one field are refused."""
    columns: dict[str, int] = {}
    for index, title in enumerate(cells):
        field = aliases.get(header_key(title))
        if field is None:
            continue
        if field in columns:
            first = cells[columns[field]].strip()
            raise StatementError(
                f"line {line}: two columns for {field}: {first!r} and {title.strip()!r}"
                " (map the one to use with --mapping FILE)"
            )
        columns[field] = index
    if "amount" in columns and ({"debit", "credit"} & columns.keys()):
        raise StatementError(
            f"line {line}: both an amount column and debit/credit columns; map one with --mapping"
        )
    return columns


class _RowReader:
    """Turns the cells of one row into a bank line, naming the line and column of any error."""

    def __init__(self, columns: dict[str, int], width: int, account: str, currency: str) -> None:
        """Remember where each field is, the header's width, the account and default currency."""
        self.columns = columns
        self.width = width
        self.account = account
        self.currency = currency

    def cell(self, cells: list[str], field: str) -> str:
        """The trimmed cell of a field, "" when the column or the cell is missing."""
        index = self.columns.get(field)
        if index is None or index >= len(cells):
            return ""
        # A quoted cell may span lines: they are joined with a space, each kept as written.
        return " ".join(part.strip() for part in cells[index].splitlines() if part.strip())

    def __call__(self, line: int, cells: list[str]) -> BankLine:
        """The bank line of one row."""
        where = f"line {line}"
        if len(cells) > self.width and any(cell.strip() for cell in cells[self.width :]):
            # An unquoted "12,50" in a comma-separated file splits the amount in two cells.
            raise StatementError(
                f"{where}: {len(cells)} cells but the header has {self.width} columns"
                " (a decimal comma in a comma-separated file must be quoted)"
            )
        booked = self.cell(cells, "date")
        try:
            booked_on = read_bank_date(booked)
            value = self.cell(cells, "value_date")
            value_on = read_bank_date(value) if value else None
        except ImportDateError as error:
            raise StatementError(f"{where}: {error}") from None
        currency = self.currency
        if currency_cell := self.cell(cells, "currency"):
            try:
                currency = parse_currency(currency_cell)
            except AmountError as error:
                raise StatementError(f"{where}: currency: {error}") from None
        return BankLine(
            account=self.account,
            booked_on=booked_on,
            value_on=value_on,
            amount_minor=self._amount(where, cells),
            currency=currency,
            bank_reference=self.cell(cells, "reference"),
            end_to_end_id=self.cell(cells, "end_to_end_id"),
            creditor_reference=self.cell(cells, "creditor_reference").replace(" ", ""),
            debtor_name=self.cell(cells, "debtor"),
            debtor_iban=self.cell(cells, "debtor_iban").replace(" ", "").upper(),
            remittance=self.cell(cells, "label"),
            position=where,
        )

    def _amount(self, where: str, cells: list[str]) -> int:
        """The signed amount: the amount column, else the credit less the (positive) debit."""
        try:
            if "amount" in self.columns:
                text = self.cell(cells, "amount")
                if not text:
                    raise StatementError(f"{where}: no amount")
                return read_bank_amount(text)
            debit_text = self.cell(cells, "debit")
            credit_text = self.cell(cells, "credit")
            debit = abs(read_bank_amount(debit_text)) if debit_text else 0
            credit = read_bank_amount(credit_text) if credit_text else 0
        except ImportAmountError as error:
            raise StatementError(f"{where}: {error}") from None
        if credit < 0:
            raise StatementError(f"{where}: the credit is negative: {credit_text!r}")
        if debit and credit:
            raise StatementError(f"{where}: both a debit and a credit")
        if not debit_text and not credit_text:
            raise StatementError(f"{where}: neither a debit nor a credit")
        return credit - debit
