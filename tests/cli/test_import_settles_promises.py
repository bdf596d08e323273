"""Money that comes in through an import keeps a promise, as a payment typed by hand does."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_fixtures import Relance, ok

HEADER = "Client;N° facture;Date;Date d'échéance;Montant TTC;Reste à payer\n"


def write_csv(path: Path, balance: str) -> Path:
    """One invoice of Garnier for 800,00, with what is left to pay."""
    path.write_text(
        HEADER + f"Garnier SARL;F-2026-090;01/09/2026;01/10/2026;800,00;{balance}\n",
        encoding="utf-8",
    )
    return path


def promise_status(relance: Relance, db: str) -> str:
    """The status of the client's only promise, as `show --json` tells it."""
    [promise] = ok(relance("--db", db, "show", "Garnier SARL", "--json")).json()["promises"]
    return str(promise["status"])


def test_a_payment_imported_after_a_promise_keeps_it(
    relance: Relance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "book.db")
    monkeypatch.setenv("RELANCE_TODAY", "2026-11-10")
    ok(relance("--db", db, "init"))
    ok(relance("--db", db, "import", str(write_csv(tmp_path / "first.csv", "800,00"))))
    ok(
        relance(
            "--db", db, "call", "Garnier SARL", "--outcome", "promised",
            "--amount", "800.00", "--on", "2026-11-20",
        )
    )  # fmt: skip
    assert promise_status(relance, db) == "open"
    monkeypatch.setenv("RELANCE_TODAY", "2026-11-18")
    ok(relance("--db", db, "import", str(write_csv(tmp_path / "paid.csv", "0,00"))))
    assert promise_status(relance, db) == "kept"
    # The day after the promised date nothing breaks: it was kept.
    monkeypatch.setenv("RELANCE_TODAY", "2026-11-21")
    today = ok(relance("--db", db, "today", "--json")).json()
    assert not any(row["broken_promise"] for row in today)
    assert promise_status(relance, db) == "kept"


def test_an_import_that_pays_nothing_leaves_the_promise_open(
    relance: Relance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "book.db")
    monkeypatch.setenv("RELANCE_TODAY", "2026-11-10")
    ok(relance("--db", db, "init"))
    ok(relance("--db", db, "import", str(write_csv(tmp_path / "first.csv", "800,00"))))
    ok(
        relance(
            "--db", db, "call", "Garnier SARL", "--outcome", "promised",
            "--amount", "800.00", "--on", "2026-11-20",
        )
    )  # fmt: skip
    ok(relance("--db", db, "import", str(write_csv(tmp_path / "again.csv", "800,00"))))
    assert promise_status(relance, db) == "open"
