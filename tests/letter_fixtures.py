"""A French client at the letter step, and the creditor who writes to it."""

from __future__ import annotations

from datetime import date, datetime, time

from relance.config import Creditor
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.triage_index import refresh_client_summary

CREDITOR = Creditor(
    name="Camille Martin — développeuse",
    address="8 rue des Capucins, 69001 Lyon, France",
    email="camille@example.fr",
    company_number="123 456 789 00012",
    iban="FR76 3000 6000 0112 3456 7890 189",
)


def french_client(name: str = "Atelier Dupont SARL") -> int:
    """A French business owing two late invoices, one partly paid, with a billing address."""
    client_id = add_client(
        name,
        datetime(2026, 1, 5, 9, 0),
        email="compta@dupont.example",
        contact_name="Jeanne Dupont",
        address="3 quai Saint-Vincent, 69001 Lyon",
    ).client_id
    add_invoice(
        client_id, "F-2026-031", "4800.00", "2026-06-01", "2026-07-01", datetime(2026, 6, 1, 9)
    )
    add_invoice(
        client_id, "F-2026-032", "1200.00", "2026-08-01", "2026-09-01", datetime(2026, 8, 1, 9)
    )
    record_payment(
        client_id, "1000.00", datetime(2026, 9, 10, 9), method="transfer", reference="VIR 1"
    )
    return client_id


def reach_letter_step(client_id: int) -> None:
    """Three e-mail reminders on three days: the careless ladder's next step is the letter."""
    with transaction():
        for day in (date(2026, 8, 1), date(2026, 8, 15), date(2026, 9, 1)):
            when = datetime.combine(day, time(10, 0))
            record_event(client_id, "email", "reminder", when, channel="email")
        refresh_client_summary(client_id)
