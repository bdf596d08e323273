"""`relance dossier`: the per-client files for a legal claim, as a folder or a zip."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from relance.cli import main
from relance.config import Config, Creditor
from relance.domain.interest import HALF_YEAR_CONVENTION
from relance.literal import printable
from relance.services.calls import log_call
from relance.services.claims import claim_for_client
from relance.services.clients import add_client
from relance.services.contacts import log_contact
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment
from relance.services.reminders import send_reminder
from relance.store.database import close_database, open_database
from relance.store.models import ContactEvent

TODAY = date(2026, 11, 23)
CREDITOR = Creditor(
    name="Atelier Martin", address="1 rue de la Paix\n75002 Paris", company_number="123 456 789"
)
REMINDER_BODY = "Bonjour,\n\nMerci de régler F-1.\n\n[bold]Jeanne[/] \x1b[31mrouge\x1b[0m\n"
CALL_NOTE = 'dit "payer [bold]lundi[/]", \x1b[2J; rappeler'
LETTER_NOTE = "mise en demeure, LRAR n° 1A 234"
EXPECTED_FILES = {
    "README.txt",
    "statement.txt",
    "invoices.csv",
    "payments.csv",
    "history.csv",
    "history.txt",
    "interest.csv",
    "interest.txt",
    "client.json",
}


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, int]:
    """A book with one client: two late invoices, one not due, a partial payment, a reminder,
    a call and a formal-notice letter; the creditor set in the config; cwd in tmp_path."""
    db = tmp_path / "book" / "relance.db"
    open_database(db)
    try:
        client_id = add_client(
            "Durand SARL",
            datetime(2026, 1, 5, 9, 0),
            email="compta@durand.fr",
            address="3 place du Marché\n69001 Lyon",
        ).client_id
        at = datetime(2026, 2, 1, 10, 0)
        add_invoice(client_id, "F-1", "10000.00", "2026-01-10", "2026-02-09", at)
        add_invoice(client_id, "F-2", "1200.00", "2026-03-01", "2026-03-31", at)
        add_invoice(client_id, "F-3", "700.00", "2026-11-01", "2026-12-01", at)
        record_payment(
            client_id,
            "4000.00",
            datetime(2026, 5, 4, 11, 0),
            received_on="2026-05-04",
            reference="VIR [bold]42[/]",
            invoice_number="F-1",
        )
        send_reminder(
            client_id,
            datetime(2026, 6, 1, 8, 15),
            Config(path=tmp_path / "config.toml", creditor=CREDITOR),
            tmp_path / "outbox",
            body=REMINDER_BODY,
        )
        log_call(client_id, "no-answer", datetime(2026, 6, 15, 14, 5), note=CALL_NOTE)
        log_contact(client_id, "letter", datetime(2026, 7, 1, 9, 0), note=LETTER_NOTE)
    finally:
        close_database()
    Path(os.environ["RELANCE_CONFIG"]).parent.mkdir(parents=True, exist_ok=True)
    Path(os.environ["RELANCE_CONFIG"]).write_text(
        '[creditor]\nname = "Atelier Martin"\naddress = "1 rue de la Paix, 75002 Paris"\n'
        'siret = "123 456 789"\n\n[law.court_costs]\n"injonction de payer" = "150.00"\n',
        encoding="utf-8",
    )
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return db, client_id


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `relance ARGS…` in-process; the status and what it printed."""
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def rows(text: str) -> list[dict[str, str]]:
    """A CSV file's rows by column name."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def expected_claim(db: Path, client_id: int) -> tuple[int, int, int, int]:
    """Interest, principal, fees and total straight from the claim service."""
    open_database(db)
    try:
        claim = claim_for_client(client_id, TODAY)
        return claim.interest, claim.outstanding, claim.fixed_fees, claim.total
    finally:
        close_database()


def reminder_text(db: Path, client_id: int) -> str:
    """The reminder's full text as stored in the history."""
    open_database(db)
    try:
        event = ContactEvent.get(
            (ContactEvent.client == client_id) & (ContactEvent.kind == "email")
        )
        return str(event.body)
    finally:
        close_database()


def check_contents(files: dict[str, str], db: Path, client_id: int) -> None:
    """Every file is there and says what the book says."""
    assert set(files) == EXPECTED_FILES
    interest, principal, fees, total = expected_claim(db, client_id)
    cents = Decimal("0.01")

    invoices = rows(files["invoices.csv"])
    assert [r["number"] for r in invoices] == ["F-1", "F-2", "F-3"]
    first = invoices[0]
    assert (first["issued_on"], first["due_on"], first["amount"], first["paid"]) == (
        "2026-01-10",
        "2026-02-09",
        "10000.00",
        "4000.00",
    )
    assert first["outstanding"] == "6000.00"
    assert first["fixed_compensation"] == "40.00"
    assert first["limitation_on"] == "2031-02-09"
    assert invoices[2]["interest"] == ""  # not due yet

    interest_rows = rows(files["interest.csv"])
    assert {r["invoice"] for r in interest_rows} == {"F-1", "F-2"}
    assert sum(Decimal(r["interest"]) for r in interest_rows) == interest * cents
    f1 = [r for r in interest_rows if r["invoice"] == "F-1"]
    # The payment on 2026-05-04 lowers the base from the day after; the half-year cuts on 07-01.
    assert [(r["from"], r["to"], r["base"]) for r in f1][:3] == [
        ("2026-02-10", "2026-05-04", "10000.00"),
        ("2026-05-05", "2026-06-30", "6000.00"),
        ("2026-07-01", "2026-11-23", "6000.00"),
    ]
    for r in interest_rows:
        days = (date.fromisoformat(r["to"]) - date.fromisoformat(r["from"])).days + 1
        assert int(r["days"]) == days
    assert HALF_YEAR_CONVENTION in files["interest.txt"]
    assert f"total claimable {total * cents} EUR" in files["interest.txt"]

    readme = files["README.txt"]
    assert "Atelier Martin" in readme and "123 456 789" in readme
    assert "Durand SARL" in readme and "3 place du Marché" in readme
    assert "2026-11-23" in readme
    assert f"principal overdue     {principal * cents:>14} EUR" in readme
    assert f"late interest         {interest * cents:>14} EUR" in readme
    assert f"fixed compensation    {fees * cents:>14} EUR" in readme
    assert f"total claimable       {total * cents:>14} EUR" in readme
    assert "F-1: due 2026-02-09, barred on 2031-02-09" in readme
    assert "injonction de payer" in readme
    assert "worth it?" in readme and "worth it: the claim" in readme
    assert "L441-10 Code de commerce" in readme
    for name in EXPECTED_FILES:
        assert f"  {name}" in readme

    statement = files["statement.txt"]
    assert "invoice F-1 (issued 2026-01-10, due 2026-02-09)" in statement
    assert "→ invoice F-1 4000.00" in statement
    assert "VIR [bold]42[/]" in statement
    assert "balance 7900.00 EUR" in statement

    payments = rows(files["payments.csv"])
    assert payments == [
        {
            "received_on": "2026-05-04",
            "amount": "4000.00",
            "currency": "EUR",
            "method": "",
            "reference": "VIR [bold]42[/]",
            "allocated": "4000.00",
            "unallocated": "0.00",
            "applied_to": "invoice F-1 4000.00",
        }
    ]

    history = rows(files["history.csv"])
    moments = [r["at"] for r in history]
    assert moments == sorted(moments)
    kinds = [r["kind"] for r in history]
    assert {"email", "call", "letter"} <= set(kinds)
    stored = reminder_text(db, client_id)
    assert REMINDER_BODY.rstrip("\n") in stored
    reminder = next(r for r in history if r["kind"] == "email")
    assert reminder["at"] == "2026-06-01T08:15:00"
    assert reminder["channel"] == "email"
    assert reminder["text"] == stored
    call = next(r for r in history if r["kind"] == "call")
    assert call["outcome"] == "no-answer"
    assert call["text"] == CALL_NOTE
    letter = next(r for r in history if r["kind"] == "letter")
    assert letter["at"] == "2026-07-01T09:00:00" and letter["text"] == LETTER_NOTE
    # The text files show escape sequences as codes; the CSV above keeps them exactly.
    assert printable(stored) in files["history.txt"]
    assert printable(CALL_NOTE) in files["history.txt"]
    assert "\x1b" not in files["history.txt"]

    record = json.loads(files["client.json"])
    assert record["name"] == "Durand SARL"
    assert record["claim"]["interest"] == str(interest * cents)
    assert record["claim"]["total"] == str(total * cents)
    assert any(e["body"] == CALL_NOTE for e in record["history"])
    assert record["payments"][0]["reference"] == "VIR [bold]42[/]"


def test_folder_holds_every_file_with_the_books_figures(
    seeded: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    db, client_id = seeded
    status, out, err = run(capsys, "dossier", str(client_id), "--db", str(db))
    assert (status, err) == (0, "")
    folder = Path.cwd() / f"dossier-{client_id}-2026-11-23"
    assert out.strip() == str(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = {}
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
        files[path.name] = path.read_bytes().decode("utf-8")
    check_contents(files, db, client_id)
    assert not [p for p in Path.cwd().iterdir() if p.name.startswith(".")]


def test_zip_holds_the_same_files(
    seeded: tuple[Path, int], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db, client_id = seeded
    status, out, err = run(capsys, "dossier", "Durand SARL", "--db", str(db), "--zip")
    assert (status, err) == (0, "")
    archive_path = Path.cwd() / f"dossier-{client_id}-2026-11-23.zip"
    assert out.strip() == str(archive_path)
    assert stat.S_IMODE(archive_path.stat().st_mode) == 0o600
    with zipfile.ZipFile(archive_path) as archive:
        names = archive.namelist()
        assert all(n.startswith(f"dossier-{client_id}-2026-11-23/") for n in names)
        files = {n.split("/", 1)[1]: archive.read(n).decode("utf-8") for n in names}
        for info in archive.infolist():
            assert (info.external_attr >> 16) & 0o777 == 0o600
    check_contents(files, db, client_id)
    # An --out ending in .zip means a zip too.
    target = tmp_path / "out" / "claim.zip"
    status, out, _ = run(capsys, "dossier", str(client_id), "--db", str(db), "--out", str(target))
    assert status == 0 and out.strip() == str(target)
    assert zipfile.is_zipfile(target)


def test_an_existing_non_empty_target_is_refused(
    seeded: tuple[Path, int], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db, client_id = seeded
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine", encoding="utf-8")
    status, out, err = run(capsys, "dossier", str(client_id), "--db", str(db), "--out", str(folder))
    assert status == 2 and out == ""
    assert "already exists" in err
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]
    taken_zip = tmp_path / "taken.zip"
    taken_zip.write_bytes(b"old")
    status, _, _ = run(capsys, "dossier", str(client_id), "--db", str(db), "--out", str(taken_zip))
    assert status == 2 and taken_zip.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    # An empty folder is a fine target.
    empty = tmp_path / "empty"
    empty.mkdir()
    status, _, _ = run(capsys, "dossier", str(client_id), "--db", str(db), "--out", str(empty))
    assert status == 0
    assert {p.name for p in empty.iterdir()} == EXPECTED_FILES
    assert stat.S_IMODE(empty.stat().st_mode) == 0o700


def test_a_client_with_nothing_overdue_gets_a_dossier_saying_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "book" / "relance.db"
    open_database(db)
    try:
        client_id = add_client("Petit Client", datetime(2026, 11, 1, 9, 0)).client_id
        add_invoice(
            client_id, "P-1", "300.00", "2026-11-01", "2026-12-01", datetime(2026, 11, 1, 9, 0)
        )
    finally:
        close_database()
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "dossier", str(client_id), "--db", str(db))
    assert (status, err) == (0, "")
    folder = Path(out.strip())
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert "Nothing is overdue on 2026-11-23: there is no claim to make today." in readme
    assert "Outstanding, not yet due: 300.00 EUR" in readme
    assert rows((folder / "interest.csv").read_text(encoding="utf-8")) == []
    assert "(not set: fill [creditor] in the config file)" in readme


def test_an_unknown_client_is_refused(
    seeded: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = seeded
    status, out, err = run(capsys, "dossier", "Nobody", "--db", str(db))
    assert status == 2 and out == ""
    assert "Nobody" in err
    assert list(Path.cwd().iterdir()) == []


def test_text_files_show_escape_sequences_as_codes(book: object) -> None:
    """A note with an escape sequence is shown as `\\x1b` in history.txt, never as the raw byte."""
    from relance.services.clients import add_note
    from relance.services.dossier import HISTORY_TXT, dossier_files, read_dossier

    at = datetime(2026, 11, 23, 10, 0)
    client_id = add_client("Escape SARL", at).client_id
    add_note(client_id, "careful \x1b[31mred", at)
    files = dossier_files(read_dossier(client_id, TODAY, Creditor()), {})
    assert "\x1b" not in files[HISTORY_TXT]
    assert "careful \\x1b[31mred" in files[HISTORY_TXT]
