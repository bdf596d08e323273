"""A client's payment terms: read from a form, applied with the legal terms in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, replace

from relance.domain.money import decimal_string, format_money
from relance.domain.payment_terms import (
    MAX_DELAY_DAYS,
    PaymentDelay,
    UnknownMethod,
    method_words,
    parse_methods,
)
from relance.services.validation import Form
from relance.store.client_terms import StoredTerms, save_terms, stored_terms

# Typed in a field, removes what it holds (the methods, the fee, the note).
REMOVE = "none"


@dataclass(frozen=True)
class TermsInput:
    """The terms as typed; "" (or None for the flag) leaves a term as it is."""

    delay: str = ""
    end_of_month: bool | None = None
    methods: str = ""
    fixed_fee: str = ""
    note: str = ""

    @property
    def given(self) -> bool:
        """True when at least one term is to change."""
        texts = (self.delay, self.methods, self.fixed_fee, self.note)
        return self.end_of_month is not None or any(text.strip() for text in texts)


@dataclass(frozen=True)
class TermsUpdate:
    """The terms checked: None leaves a term as it is."""

    delay: int | None = None
    end_of_month: bool | None = None
    methods: tuple[str, ...] | None = None
    # 0 removes the agreed fee (the law's applies).
    fixed_fee: int | None = None
    note: str | None = None


def read_terms(form: Form, typed: TermsInput) -> TermsUpdate:
    """Check the typed terms, recording each refusal on its field."""
    delay = None
    if typed.delay.strip():
        delay = form.count("delay", typed.delay, low=0, high=MAX_DELAY_DAYS)
    methods: tuple[str, ...] | None = None
    if typed.methods.strip():
        if typed.methods.strip().lower() == REMOVE:
            methods = ()
        else:
            try:
                methods = parse_methods(typed.methods)
            except UnknownMethod as error:
                form.fail("methods", str(error))
    fee = None
    if typed.fixed_fee.strip():
        fee = (
            0
            if typed.fixed_fee.strip().lower() == REMOVE
            else form.amount("fixed_fee", typed.fixed_fee)
        )
    note = None
    if typed.note.strip():
        cleaned = form.text("terms_note", typed.note)
        note = "" if cleaned.lower() == REMOVE else cleaned
    return TermsUpdate(delay, typed.end_of_month, methods, fee, note)


def apply_terms(client_id: int, update: TermsUpdate, currency: str) -> list[str]:
    """Store the terms that change (inside the caller's transaction); the changes in words."""
    before = stored_terms(client_id)
    after = before
    changes: list[str] = []
    old_delay = PaymentDelay(before.delay_days, before.end_of_month).words("en")
    if update.delay is not None:
        after = replace(after, delay_days=update.delay)
    if update.end_of_month is not None:
        after = replace(after, end_of_month=update.end_of_month)
    new_delay = PaymentDelay(after.delay_days, after.end_of_month).words("en")
    if new_delay != old_delay:
        changes.append(f"payment delay {old_delay} → {new_delay}")
    if update.methods is not None and ",".join(update.methods) != before.methods:
        after = replace(after, methods=",".join(update.methods))
        changes.append(f"methods {before.methods or 'none'} → {after.methods or 'none'}")
    if update.fixed_fee is not None and (update.fixed_fee or None) != before.fixed_fee:
        after = replace(after, fixed_fee=update.fixed_fee or None)
        changes.append(
            f"fixed fee {_fee(before.fixed_fee, currency)} → {_fee(after.fixed_fee, currency)}"
        )
    if update.note is not None and update.note != before.note:
        after = replace(after, note=update.note)
        changes.append("terms note removed" if not update.note else "terms note changed")
    if after != before:
        save_terms(client_id, after)
    return changes


def stored_methods(terms: StoredTerms) -> tuple[str, ...]:
    """The methods the book holds as a comma list, in their stored order."""
    return tuple(method for method in terms.methods.split(",") if method)


def terms_record(terms: StoredTerms) -> dict[str, object]:
    """The terms as `show --json` and the command results give them."""
    return {
        "payment_terms_days": terms.delay_days,
        "end_of_month": terms.end_of_month,
        "payment_methods": list(stored_methods(terms)),
        "fixed_fee": None if terms.fixed_fee is None else decimal_string(terms.fixed_fee),
        "terms_note": terms.note,
    }


def terms_words(terms: StoredTerms) -> str:
    """The delay and the methods in a few words: "terms 45 days end of month by card"."""
    delay = PaymentDelay(terms.delay_days, terms.end_of_month).words("en")
    methods = stored_methods(terms)
    return f"terms {delay}" + (f" by {method_words(methods, 'en')}" if methods else "")


def _fee(minor: int | None, currency: str) -> str:
    """An agreed fee in words, or "the law's" when none is agreed."""
    return "the law's" if minor is None else format_money(minor, currency)
