"""Hostile text in spreadsheets, database addresses and template names stays harmless."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from cli_fixtures import Relance, ok
from relance.config import ConfigError, load_config
from relance.policy_config import policy_from_config
from relance.services.clients import add_client, add_note
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment
from relance.spreadsheet import export_cell, is_formula_like, read_export_cell, safe_cell
from relance.store.database import close_database

FORMULAS = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]
# Text that must come back exactly from the export, the text mark itself included.
HOSTILE_TEXT = [*FORMULAS, "'t Hooft", "''twice", "-12.50", "plain"]
# Names lose their surrounding blanks when typed: the tab and CR cases travel in notes.
HOSTILE_NAMES = [text for text in HOSTILE_TEXT if text.strip() == text]


@pytest.mark.parametrize("cell", FORMULAS)
def test_formula_like_cells_are_marked_as_text(cell: str) -> None:
    assert is_formula_like(cell)
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-12.50", "+33", "42", "Durand", "a=b", ""])
def test_numbers_and_plain_text_are_left_alone(cell: str) -> None:
    assert safe_cell(cell) == cell


@pytest.mark.parametrize("cell", HOSTILE_TEXT)
def test_an_export_cell_reads_back_exactly(cell: str) -> None:
    written = export_cell(cell)
    assert not is_formula_like(written)
    assert read_export_cell(written) == cell


def test_dossier_csv_files_hold_no_formula(
    book: SqliteDatabase, tmp_path: Path, relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = datetime(2026, 2, 1, 10, 0)
    client = add_client("=Evil SARL", at, email="compta@evil.fr").client_id
    add_invoice(client, "=1+1", "1200.00", "2026-01-10", "2026-02-09", at)
    record_payment(
        client, "200.00", at, received_on="2026-02-01", reference='=HYPERLINK("http://evil")'
    )
    add_note(client, "@SUM(A1:A9) call back", at)
    close_database()
    monkeypatch.chdir(tmp_path)
    run = ok(relance("dossier", str(client), "--db", str(tmp_path / "book" / "relance.db")))
    folder = Path(run.out.strip())
    cells = []
    for name in ("invoices.csv", "payments.csv", "history.csv", "interest.csv"):
        text = (folder / name).read_text(encoding="utf-8")
        cells += [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert "'=1+1" in cells
    assert '\'=HYPERLINK("http://evil")' in cells
    assert "'@SUM(A1:A9) call back" in cells
    assert [cell for cell in cells if is_formula_like(cell)] == []


def test_export_csv_marks_formulas_and_round_trips_hostile_names(
    book: SqliteDatabase, tmp_path: Path, relance: Relance
) -> None:
    at = datetime(2026, 2, 1, 10, 0)
    for name in HOSTILE_NAMES:
        client = add_client(name, at).client_id
    for note in HOSTILE_TEXT:
        add_note(client, note, at)
    close_database()
    db = tmp_path / "book" / "relance.db"
    first = tmp_path / "first"
    ok(relance("export", "--format", "csv", "--out", str(first), "--db", str(db)))
    text = (first / "clients.csv").read_text(encoding="utf-8")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert [cell for cell in cells if is_formula_like(cell)] == []
    assert '\'=HYPERLINK("http://evil","x")' in cells
    assert "'''twice" in cells
    copy = tmp_path / "copy" / "relance.db"
    ok(relance("import", str(first), "--db", str(copy)))
    shown = ok(relance("export", "--format", "json", "--db", str(copy))).json()
    assert sorted(row["name"] for row in shown["clients"]) == sorted(HOSTILE_NAMES)
    original = ok(relance("export", "--format", "json", "--db", str(db))).json()
    assert {**shown, "exported_at": ""} == {**original, "exported_at": ""}
    second = tmp_path / "second"
    ok(relance("export", "--format", "csv", "--out", str(second), "--db", str(copy)))
    assert (second / "clients.csv").read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    "address",
    ["postgresql://user@host/book", "sqlite:///tmp/x.db", "file:book.db", "mysql+pg://h/b"],
)
def test_a_database_url_is_refused_and_nothing_is_created(
    tmp_path: Path, relance: Relance, monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    run = relance("--db", address, "init")
    assert run.status == 2
    assert run.err.count("\n") == 1 and "--db" in run.err and "URL" in run.err
    monkeypatch.setenv("RELANCE_DB", address)
    run = relance("init")
    assert run.status == 2
    assert run.err.count("\n") == 1 and "RELANCE_DB" in run.err
    assert sorted(tmp_path.rglob("*")) == before


def test_a_path_with_a_colon_is_still_a_file(tmp_path: Path, relance: Relance) -> None:
    book_file = tmp_path / "book:v2.db"
    ok(relance("--db", str(book_file), "init"))
    assert book_file.is_file()


@pytest.mark.parametrize(
    "template", ["../../../../etc/passwd", "fr/firm", "firm.txt", "a b", "/etc/passwd", "~x"]
)
def test_a_template_name_that_is_not_plain_is_refused_naming_the_key(
    tmp_path: Path, template: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[policy.ladders.us]\n"
        f"steps = [{{after = 1, channel = 'email', template = {template!r}}}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"policy\.ladders\.us\.steps\[0\]\.template"):
        policy_from_config(load_config(path))


def test_a_plain_template_name_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[policy.ladders.us]\nsteps = [{after = 1, channel = 'email', template = 'firm-2_b'}]\n",
        encoding="utf-8",
    )
    (step,) = policy_from_config(load_config(path)).ladders["us"].steps
    assert step.template == "firm-2_b"
