"""A client with two overdue invoices, a config with a creditor, and contacts logged by hand."""

from __future__ import annotations

from datetime import datetime

from relance.config import Creditor
from relance.services import clients, invoices
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.models import Invoice
from relance.store.triage_index import refresh_client_summary

CREDITOR = Creditor(name="Studio Nord", email="hello@nord.example", iban="FR76 1111 2222 3333")


def client_with_invoices(
    at: datetime, *, language: str = "fr", kind: str = "b2b", name: str = "Garage Petit"
) -> int:
    """A client with two invoices overdue since September and October."""
    client_id = clients.add_client(
        name,
        at,
        email="compta@petit.example",
        contact_name="M. Petit",
        kind=kind,
        language=language,
    ).client_id
    invoices.add_invoice(client_id, f"{name[:1]}-101", "1000.00", "2026-08-01", "2026-09-01", at)
    invoices.add_invoice(client_id, f"{name[:1]}-102", "500.00", "2026-09-01", "2026-10-01", at)
    return client_id


def contact(
    client_id: int, kind: str, at: datetime, *, invoice: str = "", outcome: str = ""
) -> None:
    """Log a contact straight in the history, as a sent reminder or a letter would be."""
    invoice_id = Invoice.get(Invoice.number == invoice).id if invoice else None
    direction = "internal" if kind == "dispute" else "out"
    with transaction():
        record_event(
            client_id,
            kind,
            f"{kind} logged",
            at,
            channel=kind,
            direction=direction,
            outcome=outcome,
            invoice_id=invoice_id,
        )
        refresh_client_summary(client_id)
