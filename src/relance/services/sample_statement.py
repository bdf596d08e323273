"""The sample book's bank statement, dated from the day the sample is loaded, as a bank's CSV."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta

from relance.domain.money import parse_amount
from relance.services.sample import (
    SampleDataError,
    number_invoices,
    parse_book,
    sample_book_text,
    sample_file,
)

STATEMENT_FILE = "statement.toml"
# The name `relance init --sample` gives the statement, beside the book.
STATEMENT_NAME = "sample-statement.csv"


def sample_statement_text(today: date) -> str:
    """The CSV a French bank would export for the sample's last days, matching its invoices."""
    with sample_file(STATEMENT_FILE) as path:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    book = parse_book(sample_book_text())
    numbers = number_invoices(book, today)
    positions = {client.name: client.position for client in book}
    rows = [
        f"Compte courant;{raw['account']}",
        f"Relevé au {today:%d/%m/%Y}",
        "Date;Libellé;Tiers;Montant",
    ]
    for entry in raw["line"]:
        label = str(entry["label"])
        if "invoice" in entry:
            key = (positions[str(entry["client"])], str(entry["invoice"]))
            if key not in numbers:
                raise SampleDataError(f"{STATEMENT_FILE}: no invoice {key[1]} of {entry['client']}")
            label = label.replace("{invoice}", numbers[key])
        booked = today + timedelta(days=int(entry["day"]))
        rows.append(
            ";".join(
                (
                    f"{booked:%d/%m/%Y}",
                    label,
                    str(entry.get("debtor", "")),
                    _french_amount(str(entry["amount"])),
                )
            )
        )
    return "\r\n".join(rows) + "\r\n"


def _french_amount(text: str) -> str:
    """A signed decimal amount as French banks write it: a comma before the cents."""
    negative = text.startswith("-")
    minor = parse_amount(text.removeprefix("-"))
    return f"{'-' if negative else ''}{minor // 100},{minor % 100:02d}"
