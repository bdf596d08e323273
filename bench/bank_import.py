"""Time reading and matching a bank statement against a generated book, on a copy of it.

The statement is a French bank's CSV export: nine lines in ten quote an open invoice and its
exact amount (recorded with certainty), the tenth gives an amount alone (it waits for review).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as day_time
from pathlib import Path

from relance.domain.creditor_reference import client_id_from_reference
from relance.importing.bank import read_statement
from relance.services.bank import import_statement
from relance.store.database import close_database, open_database

TODAY = date(2026, 11, 23)
HEADER = "Compte courant;FR76 3000 4000 0312 3456 7890 143\nDate;Libellé;Référence;Tiers;Montant\n"


def open_invoices(db: Path, count: int) -> list[tuple[str, int]]:
    """Numbers and open amounts of ``count`` open euro invoices, one per client."""
    with sqlite3.connect(db) as raw:
        rows = raw.execute(
            "SELECT number, amount - paid FROM invoice WHERE amount > paid AND currency = 'EUR'"
            " GROUP BY client_id LIMIT ?",
            (count,),
        ).fetchall()
    return [(str(number), int(owed)) for number, owed in rows]


def write_statement(path: Path, invoices: list[tuple[str, int]]) -> None:
    """One credit per invoice, booked yesterday."""
    booked = (TODAY - timedelta(days=1)).strftime("%d/%m/%Y")
    rows = []
    for index, (number, owed) in enumerate(invoices):
        amount = f"{owed // 100},{owed % 100:02d}"
        label = "VIR SEPA RECU /MOTIF REGLEMENT" if index % 10 == 9 else f"VIR /MOTIF {number}"
        rows.append(f"{booked};{label};BK{index:07d};;{amount}\n")
    path.write_text(HEADER + "".join(rows), encoding="utf-8")


def measure(book: Path, lines: int) -> tuple[float, float, int]:
    """Seconds to read, seconds to match and record, and the lines that waited."""
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / "book.db"
        shutil.copyfile(book, copy)
        statement_path = Path(work) / "releve.csv"
        write_statement(statement_path, open_invoices(copy, lines))
        # Opened (and migrated) before the clock starts, as the app has it open already.
        open_database(copy)
        began = time.perf_counter()
        statement = read_statement(statement_path)
        read = time.perf_counter() - began
        began = time.perf_counter()
        report = import_statement(
            statement,
            statement_path.name,
            datetime.combine(TODAY, day_time(9, 0)),
            reference_client=client_id_from_reference,
        )
        matched = time.perf_counter() - began
        close_database()
    return read, matched, report.counts()["to review"]


def main() -> None:
    """Print one line per statement size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--book", type=Path, required=True)
    parser.add_argument("--lines", default="50,10000")
    args = parser.parse_args()
    for size in (int(part) for part in args.lines.split(",")):
        read, matched, waited = measure(args.book, size)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"| {size:,} lines | read {read:.3f} s | match + record {matched:.3f} s"
            f" | total {read + matched:.3f} s | {waited} to review | peak {peak:.0f} MB |"
        )


if __name__ == "__main__":
    main()
