"""The checks typed input gets, made on the text of a relance export before it is restored."""

from __future__ import annotations

from collections.abc import Callable

from relance.domain.jurisdictions import JURISDICTIONS, UnknownJurisdiction, jurisdiction
from relance.domain.money import AmountError, parse_currency
from relance.domain.plans import FREQUENCIES
from relance.services.validation import NAME_MAX, Form

# One-line fields, as the CLI and the forms take them: no control characters, a bounded length.
LINE_COLUMNS = {
    "clients": ("name", "company_id", "vat_id", "country", "region"),
    "contacts": ("name", "role", "email", "phone", "phone_wrong", "email_bounced"),
    "invoices": ("number",),
    "payments": ("method", "reference"),
    "history": ("author",),
    "promises": ("made_by",),
}
# Free texts: kept as written, but never a NUL byte nor 20 000 characters.
TEXT_COLUMNS = {
    "clients": ("notes",),
    "contacts": ("address",),
    "payments": ("reversal_reason",),
    "history": ("summary", "body"),
    "promises": ("words",),
    "rates": ("note",),
}
CHOICE_COLUMNS = {
    ("clients", "language"): ("fr", "en"),
    ("contacts", "language"): ("", "fr", "en"),
    ("plans", "status"): ("proposed", "accepted", "active", "completed", "declined", "broken"),
    ("plans", "frequency"): FREQUENCIES,
    ("promises", "status"): ("open", "kept", "broken"),
}
CURRENCY_COLUMNS = {"clients": "currency", "invoices": "currency"}
# Characters that would make one address field name several recipients, or a header line.
ADDRESS_SEPARATORS = frozenset(' ,;<>"()[]')
TERMS_MAX = 3650


def field_errors(table: str, row: dict[str, object]) -> dict[str, str]:
    """Each column of the row refused as typed input would be, with the reason."""
    form = Form()
    for column in LINE_COLUMNS.get(table, ()):
        _checked(column, row, lambda name, text: form.line(name, text, limit=NAME_MAX))
    for column in TEXT_COLUMNS.get(table, ()):
        _checked(column, row, lambda name, text: form.text(name, text))
    for (choice_table, column), words in CHOICE_COLUMNS.items():
        value = row.get(column)
        if choice_table == table and isinstance(value, str) and value not in words:
            form.fail(column, f"{column} must be one of: {', '.join(words)}, not {value!r}")
    currency_column = CURRENCY_COLUMNS.get(table)
    currency = row.get(currency_column) if currency_column else None
    if currency_column and isinstance(currency, str):
        try:
            if parse_currency(currency) != currency:
                form.fail(currency_column, f"write the currency in capitals: {currency.upper()}")
        except AmountError as error:
            form.fail(currency_column, str(error))
    if table == "clients":
        _check_client(form, row)
    if table == "contacts":
        _check_email(form, row.get("email"))
    return form.errors


def _checked(column: str, row: dict[str, object], check: Callable[[str, str], object]) -> None:
    """Run a text check on a column that holds text."""
    value = row.get(column)
    if isinstance(value, str):
        check(column, value)


def _check_client(form: Form, row: dict[str, object]) -> None:
    """A client's law and terms, as `relance client` takes them."""
    code = row.get("jurisdiction")
    if isinstance(code, str) and code:
        try:
            jurisdiction(code)
        except UnknownJurisdiction:
            form.fail("jurisdiction", f"must be one of: {', '.join(JURISDICTIONS)}, not {code!r}")
    terms = row.get("payment_terms_days")
    if isinstance(terms, int) and not 0 <= terms <= TERMS_MAX:
        form.fail("payment_terms_days", f"must be a number of days from 0 to {TERMS_MAX}")


def _check_email(form: Form, value: object) -> None:
    """One address: an ``@``, and nothing that would add a second recipient."""
    if not isinstance(value, str) or not value:
        return
    if value.count("@") != 1 or any(char in ADDRESS_SEPARATORS for char in value):
        form.fail("email", f"not one e-mail address: {value!r}")
