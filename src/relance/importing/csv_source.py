"""Reading a spreadsheet's CSV export into an import plan, whatever its dialect."""

from __future__ import annotations

import csv
import io
import tomllib
import unicodedata
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from relance.domain.email_address import is_email_address
from relance.domain.money import AmountError, parse_currency
from relance.importing.dates import ImportDateError, parse_import_date
from relance.importing.numbers import ImportAmountError, parse_import_amount
from relance.importing.plan import ImportPlan, PlannedInvoice, company_key, default_due

FIELDS = (
    "number",
    "client",
    "issued",
    "due",
    "amount",
    "balance",
    "paid",
    "paid_on",
    "currency",
    "email",
    "company_id",
)
REQUIRED = ("number", "client", "amount", "issued")
DELIMITERS = (",", ";", "\t")
NAME_MAX = 200
# Unicode categories refused in one-line text: controls, formats, surrogates, private use.
CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
NUMBER_MAX = 60

# Column titles recognised out of the box, written as `header_key` leaves them.
ALIASES: dict[str, str] = {
    **dict.fromkeys(
        (
            "numero",
            "n facture",
            "no facture",
            "n de facture",
            "numero facture",
            "numero de facture",
            "facture",
            "invoice",
            "invoice number",
            "invoice no",
            "invoice n",
            "number",
            "no",
        ),
        "number",
    ),
    **dict.fromkeys(
        ("client", "customer", "nom du client", "nom client", "client name", "customer name"),
        "client",
    ),
    **dict.fromkeys(
        (
            "date",
            "date facture",
            "date de facture",
            "date d emission",
            "date emission",
            "issued",
            "issue date",
            "issued on",
            "invoice date",
        ),
        "issued",
    ),
    **dict.fromkeys(
        ("date d echeance", "date echeance", "echeance", "due date", "due", "due on"), "due"
    ),
    **dict.fromkeys(
        ("montant ttc", "montant", "total ttc", "amount", "total", "total amount", "amount ttc"),
        "amount",
    ),
    **dict.fromkeys(
        ("reste a payer", "restant du", "solde", "balance", "amount due", "outstanding"),
        "balance",
    ),
    **dict.fromkeys(("paye", "montant paye", "deja paye", "paid", "amount paid"), "paid"),
    **dict.fromkeys(
        ("date de paiement", "date paiement", "date de reglement", "paid on", "payment date"),
        "paid_on",
    ),
    **dict.fromkeys(("devise", "monnaie", "currency"), "currency"),
    **dict.fromkeys(
        ("email", "e mail", "courriel", "mail", "adresse email", "adresse e mail"), "email"
    ),
    **dict.fromkeys(
        (
            "siren",
            "siret",
            "company id",
            "company number",
            "n tva",
            "numero tva",
            "tva intracommunautaire",
            "vat id",
            "vat number",
        ),
        "company_id",
    ),
}


class MappingError(ValueError):
    """A mapping file that cannot be used: unreadable, or naming unknown fields."""


def header_key(title: str) -> str:
    """A column title without case, accents or punctuation: "N° Facture" → "n facture"."""
    decomposed = unicodedata.normalize("NFKD", title.strip().casefold())
    letters = "".join(
        char if char.isalnum() else " "
        for char in decomposed
        if not unicodedata.combining(char) and char != "°"
    )
    return " ".join(letters.split())


def load_mapping(path: Path) -> dict[str, str]:
    """Column titles mapped to fields, from a TOML file with a ``[columns]`` table."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise MappingError(f"cannot read the mapping file {path}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"the mapping file {path} is not valid TOML: {error}") from None
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise MappingError(f'the mapping file {path} needs a [columns] table ("Title" = field)')
    mapping: dict[str, str] = {}
    for title, target in columns.items():
        if not isinstance(target, str) or target not in FIELDS:
            raise MappingError(
                f"mapping {title!r} = {target!r}: the field must be one of {', '.join(FIELDS)}"
            )
        mapping[header_key(title)] = target
    return mapping


def decode(raw: bytes) -> str:
    """UTF-8 with or without a byte order mark, else cp1252 as French spreadsheets write it."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def detect_delimiter(header_line: str) -> str:
    """The delimiter the header uses most among comma, semicolon and tab."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_csv(path: Path, mapping: Mapping[str, str] | None = None) -> ImportPlan:
    """Read every row of a CSV file into a plan, collecting every error with line and column."""
    plan = ImportPlan(source=path, kind="csv")
    try:
        text = decode(path.read_bytes())
    except UnicodeDecodeError:
        plan.fail(1, "-", "the file is neither UTF-8 nor cp1252 text")
        return plan
    if not text.strip():
        plan.fail(1, "-", "the file is empty")
        return plan
    delimiter = detect_delimiter(text.splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as error:
        plan.fail(1, "-", f"unreadable header: {error}")
        return plan
    columns = _columns(header, {**ALIASES, **(mapping or {})}, plan)
    if columns is None:
        return plan
    read_row = _RowReader(plan, header, columns)
    try:
        for cells in reader:
            # A row of blank cells (or an empty line) is no row at all.
            if not "".join(cells).strip():
                continue
            plan.lines_read += 1
            read_row(reader.line_num, cells)
    except csv.Error as error:
        plan.fail(reader.line_num, "-", f"unreadable row: {error}")
    if not plan.rows and not plan.errors:
        plan.fail(1, "-", "the file has a header but no rows")
    return plan


def _columns(
    header: list[str], aliases: Mapping[str, str], plan: ImportPlan
) -> dict[str, int] | None:
    """Which cell holds each field; None (with errors recorded) when the header is unusable."""
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        field = aliases.get(header_key(title))
        if field is None:
            continue
        if field in columns:
            first = header[columns[field]]
            plan.fail(1, title, f"a second column for {field} (the first is {first!r})")
            continue
        columns[field] = index
    missing = [field for field in REQUIRED if field not in columns]
    for field in missing:
        plan.fail(1, "-", f"no column for {field} (map one with --mapping FILE)")
    return None if missing or plan.errors else columns


class _RowReader:
    """Checks rows against one header: where each field's cell is, and how its column is titled.

    This runs once per row of files of many thousand rows, so the columns are looked up once.
    """

    def __init__(self, plan: ImportPlan, header: list[str], columns: dict[str, int]) -> None:
        """Remember the plan to fill and where each field is."""
        self.plan = plan
        self.width = len(header)
        self.indexes = [columns.get(field) for field in FIELDS]
        self.present = [index for index in self.indexes if index is not None]
        self.reach = max(self.present) + 1
        self.titles = {
            field: header[columns[field]].strip() if field in columns else field for field in FIELDS
        }
        self.amount_given = "amount" in columns

    def cells(self, cells: list[str]) -> list[str]:
        """Each field's trimmed cell in FIELDS order, "" when the column or the cell is missing."""
        if len(cells) >= self.reach:
            return [cells[index].strip() if index is not None else "" for index in self.indexes]
        count = len(cells)
        return [
            cells[index].strip() if index is not None and index < count else ""
            for index in self.indexes
        ]

    def __call__(self, line: int, cells: list[str]) -> None:
        """Check one row's cells and add it to the plan, or record each of its errors."""
        plan = self.plan
        title = self.titles
        errors_before = len(plan.errors)
        if len(cells) > self.width and any(cell.strip() for cell in cells[self.width :]):
            plan.fail(line, "-", f"{len(cells)} cells but the header has {self.width} columns")
        (
            number_cell,
            client_cell,
            issued_cell,
            due_cell,
            amount_cell,
            balance_cell,
            paid_cell,
            paid_on_cell,
            currency_cell,
            email,
            company_cell,
        ) = self.cells(cells)
        number = _line_text(plan, line, title["number"], number_cell, NUMBER_MAX)
        client = _line_text(plan, line, title["client"], client_cell, NAME_MAX)
        if email and not is_email_address(email):
            plan.fail(line, title["email"], f"not an e-mail address: {email!r}")
        company_id = _line_text(plan, line, title["company_id"], company_cell, 40, required=False)
        total = _amount(plan, line, title["amount"], amount_cell, allow_negative=True)
        issued = _date(plan, line, title["issued"], issued_cell)
        due = _date(plan, line, title["due"], due_cell) if due_cell else None
        if issued and due and due < issued:
            plan.fail(line, title["due"], "the due date is before the issue date")
        paid_on = _date(plan, line, title["paid_on"], paid_on_cell) if paid_on_cell else None
        currency = ""
        if currency_cell:
            try:
                currency = parse_currency(currency_cell)
            except AmountError as error:
                plan.fail(line, title["currency"], str(error))
        paid = _paid(
            plan, line, total, (balance_cell, title["balance"]), (paid_cell, title["paid"])
        )
        if total == 0 and self.amount_given and amount_cell:
            plan.fail(line, title["amount"], "the amount is zero")
        if len(plan.errors) > errors_before or issued is None or total is None:
            return
        plan.rows.append(
            PlannedInvoice(
                line=line,
                client_name=client,
                number=number,
                issued=issued,
                due=due or (issued if total < 0 else default_due(issued)),
                total=abs(total),
                paid=paid,
                currency=currency,
                company_id=company_key(company_id) if company_id else "",
                email=email,
                credit_note=total < 0,
                paid_on=paid_on,
            )
        )


def _paid(
    plan: ImportPlan,
    line: int,
    total: int | None,
    balance_cell: tuple[str, str],
    paid_cell: tuple[str, str],
) -> int:
    """What has been paid: total − balance, or the paid column; the two must agree.

    Each cell comes with its column's title, to name it in errors.
    """
    if total is None or total < 0:
        return 0
    paid_from_balance: int | None = None
    paid_column: int | None = None
    balance_text, balance_title = balance_cell
    paid_text, paid_title = paid_cell
    if balance_text:
        balance = _amount(plan, line, balance_title, balance_text)
        if balance is not None:
            if balance > total:
                plan.fail(line, balance_title, "the balance is more than the total")
            paid_from_balance = total - balance
    if paid_text:
        paid_column = _amount(plan, line, paid_title, paid_text)
        if paid_column is not None and paid_column > total:
            plan.fail(line, paid_title, "the amount paid is more than the total")
    both = paid_from_balance is not None and paid_column is not None
    if both and paid_from_balance != paid_column:
        plan.fail(line, paid_title, "amount paid and balance do not add up to the total")
    chosen = paid_from_balance if paid_from_balance is not None else paid_column
    return max(0, min(chosen or 0, total))


def _line_text(
    plan: ImportPlan, line: int, column: str, value: str, limit: int, *, required: bool = True
) -> str:
    """A one-line text cell: required unless told, not too long, no control characters."""
    if required and not value:
        plan.fail(line, column, f"{column} is empty")
    elif len(value) > limit:
        plan.fail(line, column, f"longer than {limit} characters")
    # A printable text has none of them: the check per character is for the rare other ones.
    elif not value.isprintable() and any(
        unicodedata.category(char) in CONTROL_CATEGORIES for char in value
    ):
        plan.fail(line, column, "contains control characters")
    return value


def _amount(
    plan: ImportPlan, line: int, column: str, value: str, *, allow_negative: bool = False
) -> int | None:
    """An amount cell in minor units, or None with the error recorded."""
    try:
        return parse_import_amount(value, allow_negative=allow_negative)
    except ImportAmountError as error:
        plan.fail(line, column, str(error))
        return None


def _date(plan: ImportPlan, line: int, column: str, value: str) -> date | None:
    """A date cell, or None with the error recorded."""
    try:
        return parse_import_date(value)
    except ImportDateError as error:
        plan.fail(line, column, str(error))
        return None
