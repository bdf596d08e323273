"""Forward migrations: a book of the first schema opens, upgrades and gets its index backfilled."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from relance.domain.policy import DEFAULT_POLICY, policy_fingerprint
from relance.store.database import close_database, open_database
from relance.store.migrations import APPLICATION_ID, LATEST_VERSION, MIGRATIONS
from relance.store.models import ALL_MODELS, Client, ContactEvent, database
from relance.store.triage import SortKey, triage_window
from relance.store.triage_index import POLICY_SETTING

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def closed_after() -> object:
    """Close whatever book a test left open."""
    yield
    close_database()


def first_schema_book(path: Path) -> None:
    """Write a version-1 book by hand, with plain SQL, as relance 0.1 would have left it."""
    raw = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](raw)
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    raw.execute("PRAGMA user_version = 1")
    raw.executescript(
        """
        INSERT INTO client (id, name, kind, language, created_at)
            VALUES (1, 'Atelier Brun', 'b2b', 'fr', '2026-01-05 10:00:00');
        INSERT INTO client (id, name, kind, language, created_at, disputed)
            VALUES (2, 'Zebra Ltd', 'b2b', 'en', '2026-01-05 10:00:00', 1);
        INSERT INTO client (id, name, kind, language, created_at)
            VALUES (3, 'Paid Up SARL', 'b2b', 'fr', '2026-01-05 10:00:00');
        INSERT INTO client (id, name, kind, language, created_at, snoozed_until)
            VALUES (4, 'Snoozy', 'b2c', 'fr', '2026-01-05 10:00:00', '2027-01-15');
        INSERT INTO invoice (client_id, number, issued_on, due_on, amount, paid, created_at)
            VALUES (1, 'F-001', '2026-08-01', '2026-08-31', 100000, 40000, '2026-08-01 09:00:00'),
                   (1, 'F-002', '2026-09-01', '2026-10-01', 50000, 0, '2026-09-01 09:00:00'),
                   (1, 'F-003', '2026-11-01', '2026-12-01', 20000, 0, '2026-11-01 09:00:00'),
                   (2, 'F-004', '2026-06-01', '2026-07-01', 30000, 0, '2026-06-01 09:00:00'),
                   (3, 'F-005', '2026-06-01', '2026-07-01', 30000, 30000, '2026-06-01 09:00:00'),
                   (4, 'F-006', '2026-09-01', '2026-10-15', 8000, 0, '2026-09-01 09:00:00');
        INSERT INTO payment (id, client_id, amount, received_on, created_at)
            VALUES (1, 1, 40000, '2026-09-10', '2026-09-10 12:00:00'),
                   (2, 3, 30000, '2026-07-02', '2026-07-02 12:00:00');
        INSERT INTO allocation (payment_id, invoice_id, amount)
            VALUES (1, 1, 40000), (2, 5, 30000);
        INSERT INTO contact_event (client_id, kind, summary, happened_at, channel, outcome,
                                   follow_up_action, follow_up_on)
            VALUES (1, 'email', 'reminder', '2026-09-07 09:00:00', 'email', '', '', NULL),
                   (1, 'call', 'call: left a voicemail', '2026-11-20 09:00:00', 'phone',
                    'voicemail', 'call again', '2026-11-22'),
                   (1, 'payment', 'payment received', '2026-09-10 12:00:00', '', '', '', NULL);
        INSERT INTO contact_event (client_id, kind, summary, happened_at, direction, outcome)
            VALUES (2, 'dispute', 'dispute opened', '2026-11-10 15:00:00', 'internal', 'on');
        """
    )
    raw.close()


def test_first_schema_book_is_migrated_and_backfilled(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    first_schema_book(path)
    open_database(path)
    assert database.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = {
        c.id: (c.outstanding, c.open_invoices, c.oldest_due_on, c.next_action, c.next_action_on)
        for c in Client.select()
    }
    assert columns == {
        # Sunday 22 November: the call is made on the Monday.
        1: (130000, 3, date(2026, 8, 31), "call again", date(2026, 11, 23)),
        2: (30000, 1, date(2026, 7, 1), "resolve dispute", date(2026, 11, 17)),
        3: (0, 0, None, "", None),
        4: (8000, 1, date(2026, 10, 15), "courteous email", date(2027, 1, 15)),
    }
    # The old rows are all still there, and the history stays append-only.
    assert ContactEvent.select().count() == 4
    with pytest.raises(Exception, match="append-only"):
        ContactEvent.delete().execute()
    # The list reads the backfilled index.
    rows = triage_window(TODAY, SortKey.OVERDUE)
    assert [r.name for r in rows] == ["Zebra Ltd", "Atelier Brun", "Snoozy", "Paid Up SARL"]
    assert rows[1].days_overdue == (TODAY - date(2026, 8, 31)).days


def test_migration_of_an_empty_first_schema_book(tmp_path: Path) -> None:
    path = tmp_path / "empty-old.db"
    raw = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](raw)
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    raw.execute("PRAGMA user_version = 1")
    raw.close()
    open_database(path)
    assert Client.select().count() == 0
    assert database.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST_VERSION


def schema_of(path: Path) -> dict[str, object]:
    """Every table, index and trigger definition, and every table's columns."""
    raw = sqlite3.connect(path)
    try:
        objects = {
            (kind, name): " ".join(sql.split())
            for kind, name, sql in raw.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
            )
        }
        tables = [name for kind, name in objects if kind == "table"]
        columns = {table: raw.execute(f"PRAGMA table_info({table})").fetchall() for table in tables}
        foreign = {
            table: raw.execute(f"PRAGMA foreign_key_list({table})").fetchall() for table in tables
        }
        indexes = {
            table: sorted(raw.execute(f"PRAGMA index_list({table})").fetchall()) for table in tables
        }
        return {"objects": objects, "columns": columns, "foreign": foreign, "indexes": indexes}
    finally:
        raw.close()


def test_migrated_schema_equals_a_fresh_one(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    first_schema_book(old)
    open_database(old)
    close_database()
    fresh = tmp_path / "fresh.db"
    open_database(fresh)
    close_database()
    migrated_schema = schema_of(old)
    fresh_schema = schema_of(fresh)
    assert migrated_schema == fresh_schema
    assert len(fresh_schema["columns"]) == len(ALL_MODELS)  # type: ignore[arg-type]


def test_every_model_field_has_a_column(book: object) -> None:
    for model in ALL_MODELS:
        table = model._meta.table_name
        info = database.execute_sql(f"PRAGMA table_info({table})").fetchall()
        columns = {row[1]: row for row in info}
        fields = {field.column_name: field for field in model._meta.sorted_fields}
        assert set(fields) == set(columns), table
        for name, field in fields.items():
            if field.primary_key:
                continue
            not_null = bool(columns[name][3])
            # A NOT NULL column must not be declared nullable in the model, and the reverse.
            assert not_null == (not field.null), f"{table}.{name}"


def test_migrations_are_numbered_from_one() -> None:
    assert LATEST_VERSION == len(MIGRATIONS) >= 2


def test_a_failing_migration_leaves_the_book_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    first_schema_book(path)

    def broken(connection: sqlite3.Connection) -> None:
        connection.execute("ALTER TABLE client ADD COLUMN half_done INTEGER")
        raise RuntimeError("power cut")

    from relance.store import migrations

    monkeypatch.setattr(migrations, "MIGRATIONS", [MIGRATIONS[0], broken])
    from relance.store import database as database_module

    monkeypatch.setattr(database_module, "MIGRATIONS", [MIGRATIONS[0], broken])
    with pytest.raises(RuntimeError, match="power cut"):
        open_database(path)
    close_database()
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    names = [row[1] for row in raw.execute("PRAGMA table_info(client)")]
    assert "half_done" not in names
    assert "outstanding" not in names
    raw.close()
    monkeypatch.undo()
    open_database(path)
    assert Client.get_by_id(1).outstanding == 130000


def book_of_version(path: Path, version: int) -> None:
    """A book migrated by hand up to ``version``, with one client whose summary is stale."""
    raw = sqlite3.connect(path)
    for migration in MIGRATIONS[:version]:
        migration(raw)
    raw.execute(
        "INSERT INTO client (id, name, kind, language, created_at, outstanding)"
        " VALUES (1, 'Stale SARL', 'b2b', 'fr', '2026-01-05 10:00:00', 12345)"
    )
    # The index was built with the policy in force: only the upgrade itself may recompute.
    raw.execute(
        "INSERT INTO book_setting (key, value) VALUES (?, ?)",
        (POLICY_SETTING, policy_fingerprint(DEFAULT_POLICY)),
    )
    raw.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    raw.execute(f"PRAGMA user_version = {version}")
    raw.commit()
    raw.close()


def test_an_upgrade_adding_indexes_only_keeps_the_summaries(tmp_path: Path) -> None:
    # Version 8 adds the totals' indexes: a big book must not have every summary recomputed.
    path = tmp_path / "v7.db"
    book_of_version(path, 7)
    open_database(path)
    assert database.execute_sql("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert Client.get_by_id(1).outstanding == 12345, "recomputed: it has no invoice at all"


def test_an_upgrade_through_older_versions_recomputes_the_summaries(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    book_of_version(path, 6)
    open_database(path)
    assert Client.get_by_id(1).outstanding == 0


def test_the_header_totals_are_read_from_indexes(
    book: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from relance.store.triage import book_totals

    plans: list[str] = []
    real_execute = database.obj.execute_sql

    def explained(sql: str, params: object = None, *args: object, **kwargs: object) -> object:
        plans.extend(str(row[3]) for row in real_execute("EXPLAIN QUERY PLAN " + sql, params))
        return real_execute(sql, params, *args, **kwargs)

    monkeypatch.setattr(database.obj, "execute_sql", explained)
    book_totals(TODAY)
    monkeypatch.undo()
    for index in ("invoice_open", "client_by_overdue"):
        assert any(f"COVERING INDEX {index}" in plan for plan in plans), plans
    # Only the amount invoiced lately (the DSO's) reads the invoices themselves.
    scans = [plan for plan in plans if "INDEX" not in plan]
    assert scans == ["SCAN t1"], plans
