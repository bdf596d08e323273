"""Client actions: add a client, change its legal and payment terms, note, snooze, dispute."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from relance.domain.email_address import is_email_address
from relance.domain.jurisdictions import (
    JURISDICTIONS,
    UnknownJurisdiction,
    default_jurisdiction,
    jurisdiction,
)
from relance.domain.us_states import US_STATE_CODES
from relance.services.contact_details import BY_USER
from relance.services.payment_terms import (
    TermsInput,
    apply_terms,
    read_terms,
    terms_record,
    terms_words,
)
from relance.services.results import ActionResult
from relance.services.validation import Form, InvalidInput
from relance.store import clients as store_clients
from relance.store.client_flags import set_disputed, set_snoozed_until
from relance.store.client_terms import stored_terms
from relance.store.clients import insert_billing_contact, insert_client
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.lookup import get_client, name_taken
from relance.store.triage_index import refresh_client_summary

KINDS = ("b2b", "b2c")
NO_TERMS = TermsInput()
LANGUAGES = ("fr", "en")


def add_client(
    name: str,
    at: datetime,
    *,
    email: str = "",
    phone: str = "",
    kind: str = "b2b",
    language: str = "fr",
    contact_name: str = "",
    address: str = "",
    jurisdiction_code: str = "",
    terms: TermsInput = NO_TERMS,
) -> ActionResult:
    """Create a client with its billing contact and terms; no jurisdiction means French law."""
    form = Form()
    clean_name = form.line("name", name, required=True)
    clean_email = form.line("email", email)
    if clean_email and not is_email_address(clean_email):
        form.fail("email", f"not an e-mail address: {clean_email!r}")
    clean_phone = form.line("phone", phone, limit=40)
    clean_kind = form.choice("kind", kind, KINDS)
    clean_lang = form.choice("language", language, LANGUAGES)
    clean_contact = form.line("contact", contact_name)
    clean_address = form.text("address", address)
    law = _jurisdiction(form, jurisdiction_code) or default_jurisdiction(clean_kind)
    update = read_terms(form, terms)
    form.check()
    with transaction():
        if name_taken(clean_name):
            raise InvalidInput.one("name", f"a client named {clean_name!r} already exists")
        client_id = insert_client(clean_name, clean_kind, clean_lang, law, at)
        if clean_email or clean_phone or clean_contact or clean_address:
            insert_billing_contact(
                client_id, clean_contact, clean_email, clean_phone, clean_address
            )
        # Terms agreed from the start belong to the client's first line, not to a change.
        agreed = apply_terms(client_id, update, get_client(client_id).currency)
        summary = "client added" + (f", {terms_words(stored_terms(client_id))}" if agreed else "")
        event_id = record_event(
            client_id, "note", summary, at, direction="internal", outcome="client-added"
        )
        refresh_client_summary(client_id)
    return ActionResult(
        client_id,
        f"added client {clean_name} (id {client_id})",
        event_id,
        {
            "client_id": client_id,
            "name": clean_name,
            "kind": clean_kind,
            "language": clean_lang,
            "jurisdiction": law,
        },
    )


def set_legal_terms(
    client_id: int,
    at: datetime,
    *,
    jurisdiction_code: str = "",
    contract_rate: str = "",
    region: str = "",
    terms: TermsInput = NO_TERMS,
) -> ActionResult:
    """Change the law a client's claims follow, its contract rate, US state and payment terms.

    ``none`` removes a contract rate, a state, the methods, the agreed fee or the terms note.
    """
    form = Form()
    law = _jurisdiction(form, jurisdiction_code)
    rate = _contract_rate(form, contract_rate)
    state = _region(form, region)
    update = read_terms(form, terms)
    if not (jurisdiction_code.strip() or contract_rate.strip() or region.strip() or terms.given):
        form.fail("jurisdiction", "give a jurisdiction, a contract rate or a state to change")
    form.check()
    with transaction():
        client = get_client(client_id)
        changes: list[str] = []
        if law and law != client.jurisdiction:
            changes.append(f"jurisdiction {client.jurisdiction} → {law}")
            client.jurisdiction = law
        if rate is not None and (rate or None) != client.contract_rate:
            before = f"{client.contract_rate} %" if client.contract_rate else "none"
            changes.append(f"contract rate {before} → {f'{rate} %' if rate else 'none'}")
            client.contract_rate = rate or None
        if state is not None and state != client.region:
            changes.append(f"state {client.region or 'none'} → {state or 'none'}")
            client.region = state
        payment_changes = apply_terms(client_id, update, client.currency)
        changes.extend(payment_changes)
        if not changes:
            raise InvalidInput.one("jurisdiction", f"{client.name} already has these terms")
        store_clients.set_legal_terms(
            client_id, client.jurisdiction, client.contract_rate, client.region
        )
        what = "payment terms" if len(payment_changes) == len(changes) else "legal terms"
        summary = f"{what} changed: " + ", ".join(changes)
        event_id = record_event(
            client_id,
            "note",
            summary,
            at,
            direction="internal",
            outcome="terms-changed",
            author=BY_USER,
        )
        # The jurisdiction decides the country whose public holidays the ladder avoids.
        refresh_client_summary(client_id)
    return ActionResult(
        client_id,
        f"{client.name}: {summary}",
        event_id,
        {
            "jurisdiction": client.jurisdiction,
            "contract_rate": client.contract_rate,
            "state": client.region,
            **terms_record(stored_terms(client_id)),
        },
    )


def _jurisdiction(form: Form, text: str) -> str:
    """A known jurisdiction code, or "" when none was given."""
    if not text.strip():
        return ""
    try:
        return jurisdiction(text).code
    except UnknownJurisdiction:
        form.fail("jurisdiction", f"jurisdiction must be one of: {', '.join(JURISDICTIONS)}")
        return ""


def _region(form: Form, text: str) -> str | None:
    """A two-letter state code in capitals, "" to remove it, None when not given."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if cleaned.lower() == "none":
        return ""
    if cleaned.upper() not in US_STATE_CODES:
        form.fail("state", "state must be a US state's two-letter code such as CA, NY or TX")
        return None
    return cleaned.upper()


def _contract_rate(form: Form, text: str) -> str | None:
    """A yearly rate in percent as a decimal string, "" to remove it, None when not given."""
    cleaned = text.strip().lower().removesuffix("%").strip()
    if not cleaned:
        return None
    if cleaned == "none":
        return ""
    try:
        rate = Decimal(cleaned)
    except InvalidOperation:
        rate = Decimal(-1)
    if not rate.is_finite() or not 0 < rate <= 100 or rate != rate.quantize(Decimal("0.0001")):
        form.fail("contract_rate", "contract rate must be a percentage like 12.5 (0 to 100)")
        return None
    return format(rate.normalize(), "f")


def add_note(client_id: int, text: str, at: datetime) -> ActionResult:
    """Write a free note in the client's history."""
    form = Form()
    note = form.text("text", text, required=True)
    form.check()
    with transaction():
        client = get_client(client_id)
        event_id = record_event(client.id, "note", note, at, direction="internal")
    return ActionResult(client_id, f"note added to {client.name}", event_id, {"note": note})


def snooze_client(client_id: int, until: str, at: datetime) -> ActionResult:
    """Hold every action for a client until a date; today lifts the snooze."""
    form = Form()
    day = form.day("until", until, today=at.date())
    if day is not None and day < at.date():
        form.fail("until", "the snooze date is in the past")
    form.check()
    assert day is not None
    lifting = day == at.date()
    with transaction():
        client = get_client(client_id)
        set_snoozed_until(client_id, None if lifting else day)
        summary = "snooze lifted" if lifting else f"snoozed until {day.isoformat()}"
        event_id = record_event(client_id, "snooze", summary, at, direction="internal")
        refresh_client_summary(client_id)
    return ActionResult(
        client_id,
        f"{client.name}: {summary}",
        event_id,
        {"snoozed_until": None if lifting else day.isoformat()},
    )


def set_dispute(client_id: int, on: bool, at: datetime, note: str = "") -> ActionResult:
    """Mark a client as disputing (off the reminder sequence) or resolve the dispute."""
    form = Form()
    clean_note = form.text("note", note)
    form.check()
    with transaction():
        client = get_client(client_id)
        if bool(client.disputed) == on:
            state = "already disputed" if on else "not disputed"
            raise InvalidInput.one("on", f"{client.name} is {state}")
        set_disputed(client_id, on)
        summary = "dispute opened" if on else "dispute resolved"
        if clean_note:
            summary = f"{summary}: {clean_note}"
        event_id = record_event(
            client_id, "dispute", summary, at, direction="internal", outcome="on" if on else "off"
        )
        refresh_client_summary(client_id)
    return ActionResult(client_id, f"{client.name}: {summary}", event_id, {"disputed": on})
