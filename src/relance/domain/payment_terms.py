"""Payment terms agreed with a client: the delay, the methods accepted, the due date they give."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# A delay longer than a year is a typo; French B2B law caps it far below (60 days).
MAX_DELAY_DAYS = 365

# The methods a client may be told it can pay by, in the order they are listed.
PAYMENT_METHODS = ("transfer", "card", "cheque", "cash", "direct-debit", "paypal")

METHOD_WORDS = {
    "fr": {
        "transfer": "virement",
        "card": "carte bancaire",
        "cheque": "chèque",
        "cash": "espèces",
        "direct-debit": "prélèvement",
        "paypal": "PayPal",
    },
    "en": {
        "transfer": "bank transfer",
        "card": "card",
        "cheque": "cheque",
        "cash": "cash",
        "direct-debit": "direct debit",
        "paypal": "PayPal",
    },
}


class UnknownMethod(ValueError):
    """A payment method relance does not know."""


@dataclass(frozen=True)
class PaymentDelay:
    """Days after the issue date, then (with ``end_of_month``) to the end of that month."""

    days: int
    end_of_month: bool = False

    def due_on(self, issued_on: date) -> date:
        """The due date of an invoice issued on ``issued_on`` under this delay."""
        due = issued_on + timedelta(days=self.days)
        if self.end_of_month:
            due = due.replace(day=calendar.monthrange(due.year, due.month)[1])
        return due

    def words(self, language: str) -> str:
        """ "30 jours fin de mois", "30 days end of month"."""
        if language == "fr":
            return f"{self.days} jours" + (" fin de mois" if self.end_of_month else "")
        return f"{self.days} days" + (" end of month" if self.end_of_month else "")


def parse_methods(text: str) -> tuple[str, ...]:
    """Methods from a comma list ("transfer,card"), in the shipped order, without repeats."""
    picked = {part.strip().lower().replace("_", "-").replace(" ", "-") for part in text.split(",")}
    picked.discard("")
    unknown = sorted(picked - set(PAYMENT_METHODS))
    if unknown:
        raise UnknownMethod(
            f"unknown payment method {unknown[0]!r}: use {', '.join(PAYMENT_METHODS)}"
        )
    return tuple(method for method in PAYMENT_METHODS if method in picked)


def method_words(methods: tuple[str, ...], language: str) -> str:
    """The methods as a reader's list: "virement, carte bancaire"."""
    words = METHOD_WORDS.get(language, METHOD_WORDS["en"])
    return ", ".join(words.get(method, method) for method in methods)
