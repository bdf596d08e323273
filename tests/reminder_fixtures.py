"""The creditor and the owing client the reminder tests draft and send for."""

from __future__ import annotations

from datetime import datetime

from relance.config import Creditor
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment

CREDITOR = Creditor(
    name="Martin, Jeanne",
    email="jeanne@example.fr",
    phone="06 12 34 56 78",
    iban="FR76 3000 6000 0112 3456 7890 189",
)


def owing_client(at: datetime, language: str = "fr", email_address: str = "compta@brun.fr") -> int:
    """A client with two overdue invoices (one partly paid) and one not yet due."""
    client_id = add_client(
        "Atelier Brun", at, email=email_address, contact_name="Mme Brun", language=language
    ).client_id
    add_invoice(client_id, "F-001", "1000.00", "2026-08-01", "2026-08-31", at)
    add_invoice(client_id, "F-002", "234.56", "2026-09-01", "2026-10-01", at)
    add_invoice(client_id, "F-003", "99.00", "2026-11-01", "2026-12-01", at)
    record_payment(client_id, "200.00", at)
    return client_id
