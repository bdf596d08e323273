"""Which invoices a client disputes: the dispute events that name them, the open dispute's note."""

from __future__ import annotations

from typing import cast

from relance.store.models import ContactEvent


def invoice_dispute_marks(client_id: int) -> list[tuple[int, bool]]:
    """Each dispute event naming an invoice, oldest first: the invoice and whether it opened one."""
    linked = (
        ContactEvent.select(ContactEvent.invoice, ContactEvent.outcome)
        .where(
            (ContactEvent.client == client_id)
            & (ContactEvent.kind == "dispute")
            & ContactEvent.invoice.is_null(False)
        )
        .order_by(ContactEvent.happened_at, ContactEvent.id)
        .tuples()
    )
    # .tuples() yields plain tuples; the stubs type it as the model.
    return [
        (int(invoice_id), outcome == "on")
        for invoice_id, outcome in cast("list[tuple[int, str]]", list(linked))
    ]


def open_dispute_note(client_id: int) -> str:
    """The note of the client's latest dispute opened ("" when none was)."""
    opened = (
        ContactEvent.select(ContactEvent.summary)
        .where(
            (ContactEvent.client == client_id)
            & (ContactEvent.kind == "dispute")
            & (ContactEvent.outcome == "on")
        )
        .order_by(ContactEvent.happened_at.desc(), ContactEvent.id.desc())
        .first()
    )
    return str(opened.summary) if opened else ""
