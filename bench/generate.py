"""Write a synthetic book of N clients (~20 invoices each, payments, history) for benchmarks."""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from relance.store.database import close_database, open_database
from relance.store.models import database
from relance.store.triage_index import refresh_all_summaries

INVOICES_PER_CLIENT = 20
BATCH_CLIENTS = 2_000
COMPANY_WORDS = [
    "Atelier",
    "Studio",
    "Conseil",
    "Garage",
    "Boulangerie",
    "Cabinet",
    "Agence",
    "Menuiserie",
    "Transports",
    "Hôtel",
    "Pharmacie",
    "Librairie",
    "Imprimerie",
    "Brasserie",
    "Clinique",
    "Ferme",
    "Domaine",
    "Optique",
    "Fleurs",
    "Taxi",
]
SURNAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
]


@dataclass
class Rows:
    """The rows of one batch of clients, table by table, ready for executemany."""

    clients: list[tuple[object, ...]] = field(default_factory=list)
    contacts: list[tuple[object, ...]] = field(default_factory=list)
    invoices: list[tuple[object, ...]] = field(default_factory=list)
    payments: list[tuple[object, ...]] = field(default_factory=list)
    allocations: list[tuple[object, ...]] = field(default_factory=list)
    events: list[tuple[object, ...]] = field(default_factory=list)


def client_name(rng: random.Random, client_id: int) -> str:
    """A plausible, unique company name."""
    return f"{rng.choice(COMPANY_WORDS)} {rng.choice(SURNAMES)} {client_id:06d}"


def client_rows(rng: random.Random, client_id: int, today: date, rows: Rows) -> None:
    """Append one client with its contact, invoices, payments, allocations and history."""
    created = datetime.combine(today - timedelta(days=760), datetime.min.time())
    english = rng.random() < 0.15
    rows.clients.append(
        (
            client_id,
            client_name(rng, client_id),
            "b2c" if rng.random() < 0.1 else "b2b",
            "en" if english else "fr",
            "uk-b2b" if english else "fr-b2b",
            "GBP" if english else "EUR",
            created.isoformat(" "),
        )
    )
    rows.contacts.append(
        (client_id, f"{rng.choice(SURNAMES)}", f"billing{client_id}@example.test", 1)
    )
    habit = rng.choice((0, 0, 5, 15, 40, 90))  # days this client usually pays late
    for seq in range(INVOICES_PER_CLIENT):
        invoice_id = (client_id - 1) * INVOICES_PER_CLIENT + seq + 1
        issued = today - timedelta(days=730 - seq * 36 - rng.randint(0, 20))
        due = issued + timedelta(days=30)
        amount = rng.randint(200, 900) * 100 + rng.choice((0, 50, 99))
        paid_on = due + timedelta(days=habit + rng.randint(-3, 20))
        paid = amount if paid_on <= today - timedelta(days=5) else 0
        rows.invoices.append(
            (
                invoice_id,
                client_id,
                f"F{client_id:06d}-{seq:02d}",
                issued.isoformat(),
                due.isoformat(),
                amount,
                "GBP" if english else "EUR",
                paid,
                created.isoformat(" "),
            )
        )
        if paid:
            rows.payments.append(
                (invoice_id, client_id, amount, paid_on.isoformat(), created.isoformat(" "))
            )
            rows.allocations.append((invoice_id, invoice_id, amount))
        elif due < today:
            for days_after in (7, 14)[: rng.randint(0, 2)]:
                sent = due + timedelta(days=days_after)
                if sent < today:
                    rows.events.append(
                        (
                            client_id,
                            "email",
                            "email",
                            f"reminder e-mailed for F{client_id:06d}-{seq:02d}",
                            datetime.combine(sent, datetime.min.time()).isoformat(" "),
                        )
                    )


INSERTS = {
    "clients": "INSERT INTO client (id, name, kind, language, jurisdiction, currency, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)",
    "contacts": "INSERT INTO contact (client_id, name, email, is_billing) VALUES (?, ?, ?, ?)",
    "invoices": "INSERT INTO invoice (id, client_id, number, issued_on, due_on, amount, currency,"
    " paid, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "payments": "INSERT INTO payment (id, client_id, amount, received_on, created_at)"
    " VALUES (?, ?, ?, ?, ?)",
    "allocations": "INSERT INTO allocation (payment_id, invoice_id, amount) VALUES (?, ?, ?)",
    "events": "INSERT INTO contact_event (client_id, kind, channel, summary, happened_at)"
    " VALUES (?, ?, ?, ?, ?)",
}


def batches(clients: int, today: date, seed: int) -> Iterator[Rows]:
    """The whole book, a few thousand clients at a time."""
    rng = random.Random(seed)
    for start in range(1, clients + 1, BATCH_CLIENTS):
        rows = Rows()
        for client_id in range(start, min(start + BATCH_CLIENTS, clients + 1)):
            client_rows(rng, client_id, today, rows)
        yield rows


def generate(path: Path, clients: int, today: date, seed: int = 1) -> None:
    """Create a new book at ``path`` and fill it, then build the triage index."""
    if path.exists():
        raise SystemExit(f"{path} exists; choose a new path")
    open_database(path)
    try:
        connection = database.connection()
        with database.atomic():
            for rows in batches(clients, today, seed):
                for table, sql in INSERTS.items():
                    connection.executemany(sql, getattr(rows, table))
            # The triage columns are computed by the same code the app uses on every write.
            refresh_all_summaries()
    finally:
        close_database()


def main() -> None:
    """Parse the arguments and write the book."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    generate(args.out, args.clients, args.today, args.seed)
    print(
        f"{args.clients} clients written to {args.out} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
