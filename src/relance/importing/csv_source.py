"""Reading a spreadsheet's CSV export into an import plan, whatever its dialect."""

from __future__ import annotations

import csv
import io
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

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
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            plan.lines_read += 1
            _read_row(plan, reader.line_num, header, columns, cells)
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


def _read_row(
    plan: ImportPlan, line: int, header: list[str], columns: dict[str, int], cells: list[str]
) -> None:
    """Check one row's cells and add it to the plan, or record each of its errors."""
    errors_before = len(plan.errors)
    if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
        plan.fail(line, "-", f"{len(cells)} cells but the header has {len(header)} columns")

    def cell(field: str) -> str:
        """The trimmed cell of a field, "" when the column or the cell is missing."""
        index = columns.get(field)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def title(field: str) -> str:
        """The column title as the file writes it, to name it in errors."""
        return header[columns[field]].strip() if field in columns else field

    number = _line_text(plan, line, title("number"), cell("number"), NUMBER_MAX)
    client = _line_text(plan, line, title("client"), cell("client"), NAME_MAX)
    email = cell("email")
    if email and ("@" not in email or " " in email):
        plan.fail(line, title("email"), f"not an e-mail address: {email!r}")
    company_id = _line_text(plan, line, title("company_id"), cell("company_id"), 40, required=False)
    total = _amount(plan, line, title("amount"), cell("amount"), allow_negative=True)
    issued = _date(plan, line, title("issued"), cell("issued"))
    due = _date(plan, line, title("due"), cell("due")) if cell("due") else None
    if issued and due and due < issued:
        plan.fail(line, title("due"), "the due date is before the issue date")
    paid_on = _date(plan, line, title("paid_on"), cell("paid_on")) if cell("paid_on") else None
    currency = ""
    if cell("currency"):
        try:
            currency = parse_currency(cell("currency"))
        except AmountError as error:
            plan.fail(line, title("currency"), str(error))
    paid = _paid(plan, line, total, cell, title)
    if total == 0 and "amount" in columns and cell("amount"):
        plan.fail(line, title("amount"), "the amount is zero")
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
            company_id=company_key(company_id),
            email=email,
            credit_note=total < 0,
            paid_on=paid_on,
        )
    )


def _paid(
    plan: ImportPlan,
    line: int,
    total: int | None,
    cell: Callable[[str], str],
    title: Callable[[str], str],
) -> int:
    """What has been paid: total − balance, or the paid column; the two must agree."""
    if total is None or total < 0:
        return 0
    paid_from_balance: int | None = None
    paid_column: int | None = None
    if cell("balance"):
        balance = _amount(plan, line, title("balance"), cell("balance"))
        if balance is not None:
            if balance > total:
                plan.fail(line, title("balance"), "the balance is more than the total")
            paid_from_balance = total - balance
    if cell("paid"):
        paid_column = _amount(plan, line, title("paid"), cell("paid"))
        if paid_column is not None and paid_column > total:
            plan.fail(line, title("paid"), "the amount paid is more than the total")
    both = paid_from_balance is not None and paid_column is not None
    if both and paid_from_balance != paid_column:
        plan.fail(line, title("paid"), "amount paid and balance do not add up to the total")
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
    elif any(unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"} for char in value):
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
