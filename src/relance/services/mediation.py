"""Recording a mediation: the proposal of a mediator, then its failure or the settlement agreed.

A proposal is the ladder's mediation step, its letter drafted from the ``mediation`` template;
a failure opens the court route at once; an agreement is held like a promise to pay by the
day agreed, and the court route comes back if that promise is broken.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from relance.config import Config
from relance.domain.ladder import MEDIATION_KIND
from relance.domain.mediation import MediationOutcome
from relance.domain.money import decimal_string, format_money
from relance.services.contact_details import BY_USER
from relance.services.contacts import CHECK_PROMISE, read_promise
from relance.services.drafting import draft_mediation_proposal
from relance.services.results import ActionResult
from relance.services.validation import Form
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.lookup import get_client
from relance.store.promises import add_promise
from relance.store.triage_index import refresh_client_summary

OUTCOMES = tuple(outcome.value for outcome in MediationOutcome)


def record_mediation(
    client_id: int,
    outcome: str,
    at: datetime,
    config: Config,
    *,
    mediator: str = "",
    note: str = "",
    amount: str = "",
    pay_by: str = "",
) -> ActionResult:
    """Record a mediation proposed, failed, or agreed (with the amount and day agreed)."""
    form = Form()
    value = form.choice("outcome", outcome, OUTCOMES)
    picked = MediationOutcome(value) if value in OUTCOMES else None
    clean_mediator = form.line("mediator", mediator)
    clean_note = form.text("note", note)
    promise = None
    if picked is MediationOutcome.AGREED:
        promise = read_promise(form, amount, pay_by, at.date())
        if promise is None and not form.errors:
            form.fail("on", "an agreed mediation needs the amount and the day agreed")
    elif (amount.strip() or pay_by.strip()) and not form.errors:
        form.fail("amount", "only an agreed mediation has an amount and a day to pay by")
    form.check()
    assert picked is not None
    with transaction():
        client = get_client(client_id)
        body = clean_note
        if picked is MediationOutcome.PROPOSED:
            # Drafted inside the transaction, so the letter recorded is the one the book backs.
            draft = draft_mediation_proposal(client_id, at.date(), config, clean_mediator)
            body = f"Subject: {draft.subject}\n\n{draft.body}"
        summary = _summary(picked, clean_mediator, promise, client.currency)
        summary += f" — {clean_note}" if clean_note else ""
        event_id = record_event(
            client_id,
            MEDIATION_KIND,
            summary,
            at,
            channel=MEDIATION_KIND,
            outcome=picked.value,
            body=body,
            amount=promise[0] if promise else None,
            follow_up_action=CHECK_PROMISE if promise else "",
            follow_up_on=promise[1] + timedelta(days=1) if promise else None,
            author=BY_USER,
        )
        if promise is not None:
            add_promise(client_id, event_id, promise, at.date(), clean_mediator, clean_note)
        refresh_client_summary(client_id)
    record: dict[str, object] = {
        "outcome": picked.value,
        "mediator": clean_mediator,
        "note": clean_note,
    }
    if picked is MediationOutcome.PROPOSED:
        record["letter"] = body
    if promise is not None:
        record |= {"agreed_amount": decimal_string(promise[0]), "pay_by": promise[1].isoformat()}
    return ActionResult(client_id, f"{client.name}: {summary}", event_id, record)


def _summary(
    outcome: MediationOutcome, mediator: str, promise: tuple[int, date] | None, currency: str
) -> str:
    """The history line of a mediation event."""
    with_whom = f" ({mediator})" if mediator else ""
    if outcome is MediationOutcome.PROPOSED:
        return f"mediation proposed{with_whom}"
    if outcome is MediationOutcome.FAILED:
        return f"mediation failed{with_whom}: the court route is next"
    assert promise is not None
    return f"mediation agreed{with_whom}: {format_money(promise[0], currency)} by {promise[1]}"
