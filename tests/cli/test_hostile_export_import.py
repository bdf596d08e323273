"""A hand-edited export is checked like typed input: a smuggled recipient is never restored."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from cli_fixtures import Relance, ok
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.plans import propose_plan
from relance.store.database import close_database

AT = datetime(2026, 11, 2, 9, 30)


@pytest.fixture
def exported(book: SqliteDatabase, tmp_path: Path, relance: Relance) -> dict[str, Any]:
    """The JSON export of a one-client book with a contact, an invoice and a plan."""
    client = add_client("Durand SARL", AT, email="compta@durand.fr").client_id
    add_invoice(client, "F-1", "1200.00", "2026-09-01", "2026-10-01", AT)
    propose_plan(client, "2", AT, every="month", first="2026-12-20")
    close_database()
    db = tmp_path / "book" / "relance.db"
    data: dict[str, Any] = ok(relance("export", "--format", "json", "--db", str(db))).json()
    return data


@pytest.mark.parametrize(
    ("table", "column", "value", "reason"),
    [
        ("contacts", "email", "a@b.c, evil@attacker.example", "not one e-mail address"),
        ("contacts", "email", "a@b.c,evil@attacker.example", "not one e-mail address"),
        ("contacts", "email", "a@b.c\r\nBcc: evil@attacker.example", "control characters"),
        ("clients", "name", "Durand\x00SARL", "control characters"),
        ("clients", "name", "Durand \x1b]0;pwned\x07", "control characters"),
        ("clients", "name", "Durand\r\nSARL", "control characters"),
        ("clients", "name", "N" * 10_000, "longer than 200 characters"),
        ("clients", "notes", "a\x00b", "NUL"),
        ("clients", "jurisdiction", "xx-b2b", "must be one of"),
        ("clients", "currency", "XYZ", "unknown currency"),
        ("invoices", "currency", "eur", "capitals"),
        ("plans", "status", "paid-in-full", "must be one of"),
        ("clients", "payment_terms_days", -30, "from 0 to 3650"),
        ("clients", "language", "klingon", "must be one of"),
    ],
)
def test_a_hostile_field_is_refused_naming_the_record_and_nothing_is_written(
    exported: dict[str, Any],
    tmp_path: Path,
    relance: Relance,
    table: str,
    column: str,
    value: object,
    reason: str,
) -> None:
    exported[table][0][column] = value
    source = tmp_path / "edited.json"
    source.write_text(json.dumps(exported), encoding="utf-8")
    copy = tmp_path / "copy" / "relance.db"
    run = relance("import", str(source), "--db", str(copy))
    assert run.status == 2, run.out
    assert f"{table} row 1, column {column}" in run.err
    assert reason in run.err
    assert "\x1b" not in run.err and "\x00" not in run.err
    assert (
        not copy.exists()
        or not ok(relance("export", "--format", "json", "--db", str(copy))).json()["clients"]
    )


def test_the_untouched_export_is_restored(
    exported: dict[str, Any], tmp_path: Path, relance: Relance
) -> None:
    source = tmp_path / "book.json"
    source.write_text(json.dumps(exported), encoding="utf-8")
    copy = tmp_path / "copy" / "relance.db"
    ok(relance("import", str(source), "--db", str(copy)))
    (contact,) = ok(relance("export", "--format", "json", "--db", str(copy))).json()["contacts"]
    assert contact["email"] == "compta@durand.fr"
