"""The triage reads that use the index: the stored name fold, the broken-promise clients first,
and positions counted rather than walked, each checked against a plain recomputation."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from peewee import SQL, SqliteDatabase

from relance.cli import main
from relance.services.calls import log_call
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment
from relance.store import triage
from relance.store.database import close_database, open_database
from relance.store.migrations import APPLICATION_ID, MIGRATIONS
from relance.store.models import Client
from relance.store.promises import broken_marker
from relance.store.triage import (
    SortKey,
    TriageFilter,
    narrow_matches,
    triage_count,
    triage_position,
    triage_window,
)

NAMES = ["École Martin", "ecole du Nord", "Straße GmbH", "STRASSE AG", "Ørsted A/S", "Plain"]


def folded_matches(text: str) -> list[str]:
    """The names the filter must keep: Python's casefold, the semantics the column stores."""
    return sorted(
        (
            name
            for (name,) in Client.select(Client.name).tuples()
            if text.casefold() in name.casefold()
        ),
    )


def filtered_names(text: str, today: date) -> list[str]:
    """The names the triage window shows under a name filter."""
    return sorted(row.name for row in triage_window(today, limit=1000, where=TriageFilter(text)))


def stored_folds(path: Path) -> dict[str, str | None]:
    """Each client's stored fold, read with a plain connection."""
    raw = sqlite3.connect(path)
    try:
        return dict(raw.execute("SELECT name, folded_name FROM client").fetchall())
    finally:
        raw.close()


@pytest.mark.parametrize("text", ["ÉCOLE", "école", "ss", "ß", "STRASSE", "ø", "a/s", "zz"])
def test_filter_keeps_the_casefold_semantics(
    book: SqliteDatabase, at: datetime, today: date, text: str
) -> None:
    for name in NAMES:
        add_client(name, at)
    expected = folded_matches(text)
    assert filtered_names(text, today) == expected
    assert triage_count(TriageFilter(text)) == len(expected)
    for sort in SortKey:
        for row in triage_window(today, sort, limit=1000, where=TriageFilter(text)):
            assert triage_position(row.client_id, today, sort, TriageFilter(text)) is not None


def test_a_new_client_is_folded_in_its_own_transaction(
    book: SqliteDatabase, at: datetime, tmp_path: Path
) -> None:
    add_client("Société ÉLAN", at)
    assert stored_folds(tmp_path / "book" / "relance.db") == {"Société ÉLAN": "société élan"}


def test_rows_written_or_renamed_by_another_program_are_still_found(
    book: SqliteDatabase, at: datetime, today: date, tmp_path: Path
) -> None:
    path = tmp_path / "book" / "relance.db"
    plain = add_client("Plain", at).client_id
    # Another program knows nothing of casefold: its writes must work and the filter stay exact.
    raw = sqlite3.connect(path)
    try:
        raw.execute("INSERT INTO client (name, created_at) VALUES ('GROẞE Halle', '2026-11-23')")
        raw.execute("UPDATE client SET name = 'Über Plain' WHERE id = ?", (plain,))
        raw.commit()
    finally:
        raw.close()
    assert stored_folds(path) == {"GROẞE Halle": None, "Über Plain": None}
    assert filtered_names("grosse", today) == ["GROẞE Halle"]
    assert filtered_names("ÜBER", today) == ["Über Plain"]
    assert filtered_names("plain", today) == ["Über Plain"]
    # The next change the app makes to the client folds it again.
    add_invoice(plain, "F-1", "10.00", "2026-10-01", "2026-10-31", at)
    assert stored_folds(path)["Über Plain"] == "über plain"
    assert filtered_names("über", today) == ["Über Plain"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `relance ARGS…` in-process; returns the status, stdout and stderr."""
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_export_leaves_the_fold_out_and_a_restore_recomputes_it(
    book: SqliteDatabase,
    at: datetime,
    today: date,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in NAMES:
        add_client(name, at)
    close_database()
    path = tmp_path / "book" / "relance.db"
    status, out, err = run(capsys, "export", "--format", "json", "--db", str(path))
    assert status == 0, err
    assert "folded_name" not in out
    assert all("folded_name" not in row for row in json.loads(out)["clients"])
    source = tmp_path / "export.json"
    source.write_text(out, encoding="utf-8")
    copy = tmp_path / "copy" / "relance.db"
    status, _out, err = run(capsys, "import", str(source), "--db", str(copy))
    assert status == 0, err
    assert stored_folds(copy) == {name: name.casefold() for name in NAMES}
    open_database(copy)
    assert filtered_names("ss", today) == ["STRASSE AG", "Straße GmbH"]


def test_an_imported_csv_client_is_folded(
    tmp_path: Path, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "invoices.csv"
    source.write_text(
        "Facture;Client;Date;Échéance;Montant TTC;Payé\n"
        "F-1;ÉCOLE Straße;01/10/2026;31/10/2026;120,00;0\n",
        encoding="utf-8",
    )
    path = tmp_path / "book" / "relance.db"
    status, _out, err = run(capsys, "import", str(source), "--db", str(path))
    assert status == 0, err
    assert stored_folds(path) == {"ÉCOLE Straße": "école strasse"}
    open_database(path)
    try:
        assert filtered_names("ecole", today) == []
        assert filtered_names("école ss", today) == []
        assert filtered_names("école strasse", today) == ["ÉCOLE Straße"]
    finally:
        close_database()


def reference_ids(today: date, sort: SortKey, where: TriageFilter) -> list[int]:
    """The whole list's ids sorted the plain way: the broken marker evaluated on every row."""
    keys = {
        SortKey.OVERDUE: [
            broken_marker(today).desc(),
            Client.oldest_due_on.is_null(),
            Client.oldest_due_on,
            Client.outstanding.desc(),
            Client.id,
        ],
        SortKey.OUTSTANDING: [Client.outstanding.desc(), Client.id],
        SortKey.NAME: [SQL("name COLLATE NOCASE"), Client.id],
        SortKey.NEXT_ACTION: [Client.next_action_on.is_null(), Client.next_action_on, Client.id],
    }[sort]
    ids = [
        client.id
        for client in Client.select(Client.id, Client.name, Client.next_action_on).order_by(*keys)
        if where.text.casefold() in client.name.casefold()
        and (
            where.due_by is None
            or (client.next_action_on is not None and client.next_action_on <= where.due_by)
        )
    ]
    return ids


@pytest.fixture
def mixed_book(book: SqliteDatabase, today: date) -> list[int]:
    """Forty clients with ties, nothing owed, broken, kept, lapsed and followed-up promises."""
    rng = random.Random(7)
    start = datetime(2026, 9, 1, 9, 30)
    made: list[int] = []
    for number in range(40):
        name = f"{rng.choice(['Alpha', 'beta', 'Gamma', 'DELTA'])} {number:02d} {rng.choice('aé')}"
        client_id = add_client(name, start).client_id
        made.append(client_id)
        for seq in range(rng.randint(0, 3)):
            due = date(2026, 9, 1) + timedelta(days=rng.choice([0, 10, 10, 40, 90]))
            amount = rng.choice(["100.00", "100.00", "250.00"])
            add_invoice(client_id, f"F{number}-{seq}", amount, "2026-08-01", due.isoformat(), start)
        if rng.random() < 0.5:
            promised_on = date(2026, 9, 10) + timedelta(days=rng.choice([0, 30, 80]))
            log_call(
                client_id,
                "promised",
                start + timedelta(days=rng.randint(0, 5)),
                promised_amount="50.00",
                promised_on=promised_on.isoformat(),
            )
            if rng.random() < 0.3:
                log_call(client_id, "no-answer", datetime(2026, 11, 20, 10, 0))
            if rng.random() < 0.2:
                record_payment(client_id, "50.00", datetime(2026, 9, 8, 10, 0))
    return made


FILTERS = [
    TriageFilter(),
    TriageFilter(text="A"),
    TriageFilter(text="é"),
    TriageFilter(text="1"),
    TriageFilter(text="nothing"),
    TriageFilter(due_by=date(2026, 11, 30)),
]


@pytest.mark.parametrize("sort", list(SortKey))
def test_windows_and_positions_match_a_full_sort(
    mixed_book: list[int], today: date, sort: SortKey
) -> None:
    broken = {row.client_id for row in triage_window(today, limit=100) if row.broken_promise}
    assert broken, "the book must hold broken promises to test their place"
    for where in FILTERS:
        expected = reference_ids(today, sort, where)
        assert triage_count(where) == len(expected)
        for offset, limit in [(0, 100), (0, 3), (2, 5), (7, 11), (len(expected) - 1, 4)]:
            offset = max(offset, 0)
            for matching in (None, 0, 10**6):
                window = triage_window(today, sort, offset, limit, where, matching=matching)
                assert [row.client_id for row in window] == expected[offset : offset + limit]
            among = narrow_matches(where)
            if among is not None:
                window = triage_window(today, sort, offset, limit, where, among=among)
                assert [row.client_id for row in window] == expected[offset : offset + limit]
        for client_id in mixed_book:
            position = triage_position(client_id, today, sort, where)
            assert position == (expected.index(client_id) if client_id in expected else None)


def test_broken_promise_rows_are_marked_and_lead_the_default_order(
    mixed_book: list[int], today: date
) -> None:
    rows = triage_window(today, limit=100)
    marked = [
        client.id
        for client in Client.select(Client.id, broken_marker(today).alias("broken"))
        if client.broken
    ]
    assert sorted(row.client_id for row in rows if row.broken_promise) == sorted(marked)
    leading = [row.broken_promise for row in rows]
    assert leading == sorted(leading, reverse=True)


def test_an_older_book_is_folded_when_migrated(tmp_path: Path, today: date) -> None:
    path = tmp_path / "old.db"
    raw = sqlite3.connect(path)
    for migration in MIGRATIONS[:6]:
        migration(raw)
    raw.execute("INSERT INTO client (name, created_at) VALUES ('ÉCOLE Straße', '2026-01-02')")
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    raw.execute("PRAGMA user_version = 6")
    raw.commit()
    raw.close()
    open_database(path)
    try:
        assert stored_folds(path) == {"ÉCOLE Straße": "école strasse"}
        assert filtered_names("strasse", today) == ["ÉCOLE Straße"]
    finally:
        close_database()


def test_narrow_matches_are_the_filter_s_clients_or_none_when_too_many(
    mixed_book: list[int], today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One pass gives the few matches of a name filter; a broad one, or no name, gives None."""
    for where in FILTERS:
        expected = reference_ids(today, SortKey.OVERDUE, where)
        among = narrow_matches(where)
        if not where.text:
            assert among is None
        else:
            assert among is not None and sorted(among) == sorted(expected)
    broad = TriageFilter(text="a")
    matching = triage_count(broad)
    assert matching > 3
    monkeypatch.setattr(triage, "NARROW_AT_MOST", matching - 1)
    assert narrow_matches(broad) is None
    monkeypatch.setattr(triage, "NARROW_AT_MOST", matching)
    assert narrow_matches(broad) is not None
