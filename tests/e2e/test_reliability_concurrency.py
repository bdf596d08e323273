"""Two processes on one book: writes wait for each other, none is lost, the app sees the other's."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path

import pytest

from relance.services.clients import add_client, add_note
from relance.store import database as database_module
from relance.store.database import BookWatch, close_database, open_database
from relance.store.errors import DatabaseLocked, StoreError
from relance.store.models import Client, ContactEvent
from relance.tui.client_table import ClientTable
from tui_fixtures import make_app, run_async

# Another relance process: takes the write lock, writes a client, keeps the lock a while.
HOLDER = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime
    from pathlib import Path
    from relance.services.clients import add_client
    from relance.store.database import open_database, transaction

    path, name, hold = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    open_database(path)
    with transaction():
        add_client(name, datetime(2026, 11, 23, 9, 0))
        print("holding", flush=True)
        time.sleep(hold)
    print("committed", flush=True)
    """
)

# Another relance process writing notes as fast as it can.
WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from pathlib import Path
    from relance.services.clients import add_note
    from relance.store.database import open_database

    path, client_id, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    open_database(path)
    for number in range(count):
        add_note(client_id, f"{sys.argv[4]} {number}", datetime(2026, 11, 23, 9, 0))
    print("done", flush=True)
    """
)


def start_holder(path: Path, name: str, hold: float) -> subprocess.Popen[str]:
    """Start a process that holds the book's write lock for ``hold`` seconds, once it has it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), name, str(hold)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    return holder


@pytest.fixture
def short_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A busy timeout of 0.2 s and a patience of 20 of them (4 s), so the tests run quickly."""
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(database_module, "WRITE_PATIENCE_TIMEOUTS", 20)


def test_a_write_outwaits_a_lock_held_past_the_busy_timeout(
    tmp_path: Path, at: datetime, short_timeouts: None
) -> None:
    """Another process holds the lock for 1 s (five busy timeouts): the write waits, both land."""
    path = tmp_path / "book.db"
    open_database(path)
    client_id = add_client("Durand SARL", at).client_id
    holder = start_holder(path, "From the other process", 1.0)
    try:
        started = time.monotonic()
        add_note(client_id, "written while the other process held the lock", at)
        waited = time.monotonic() - started
    finally:
        assert holder.wait(timeout=30) == 0
    # The note could only be written once the other process let go: the retry did its work.
    assert waited > 0.2
    names = {client.name for client in Client.select()}
    assert names == {"Durand SARL", "From the other process"}
    summaries = [event.summary for event in ContactEvent.select()]
    assert summaries.count("written while the other process held the lock") == 1


def test_a_lock_held_past_the_patience_is_a_clear_refusal(
    tmp_path: Path, at: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock kept longer than the whole patience: one clear message, nothing written."""
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(database_module, "WRITE_PATIENCE_TIMEOUTS", 3)
    path = tmp_path / "book.db"
    open_database(path)
    client_id = add_client("Durand SARL", at).client_id
    holder = start_holder(path, "Holder", 5.0)
    try:
        with pytest.raises(DatabaseLocked, match="another relance is writing") as refused:
            add_note(client_id, "never written", at)
        assert "\n" not in str(refused.value)
    finally:
        holder.kill()
        holder.wait(timeout=30)
    # The holder died before committing: its client is gone with it, and the note never was.
    assert [client.name for client in Client.select()] == ["Durand SARL"]
    assert "never written" not in {event.summary for event in ContactEvent.select()}


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path, at: datetime) -> None:
    """Two other processes and this one add notes at the same time: every note is there."""
    path = tmp_path / "book.db"
    open_database(path)
    client_id = add_client("Durand SARL", at).client_id
    count = 40
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(client_id), str(count), label],
            stdout=subprocess.PIPE,
            text=True,
        )
        for label in ("first", "second")
    ]
    for number in range(count):
        add_note(client_id, f"third {number}", at)
    for writer in writers:
        out, _ = writer.communicate(timeout=120)
        assert writer.returncode == 0 and out.strip() == "done"
    summaries = [event.summary for event in ContactEvent.select()]
    summaries.remove("client added")
    expected = {f"{label} {n}" for label in ("first", "second", "third") for n in range(count)}
    assert sorted(summaries) == sorted(expected)


def test_the_watch_sees_other_connections_commits_only(tmp_path: Path, at: datetime) -> None:
    """``data_version`` moves when another connection commits, not when nobody did."""
    path = tmp_path / "book.db"
    open_database(path)
    watch = BookWatch(path)
    try:
        assert watch.changed() is True  # the first look cannot know what came before it
        assert watch.changed() is False
        add_client("Durand SARL", at)
        assert watch.changed() is True
        assert watch.changed() is False
    finally:
        watch.close()


@run_async
async def test_the_app_shows_a_client_added_by_another_process(
    tmp_path: Path, at: datetime
) -> None:
    """The list picks up a client `relance client add` wrote while the app was open."""
    path = tmp_path / "book.db"
    open_database(path)
    add_client("Durand SARL", at)
    close_database()
    app = make_app(path, tmp_path / "config.toml", at.date())
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(ClientTable)
        for _ in range(200):
            await pilot.pause(0.05)
            if table.total == 1:
                break
        assert table.current is not None and table.current.name == "Durand SARL"
        # Let the screen's watch take its first look, so what follows is a change it must see.
        watch = app.screen._book_watch
        for _ in range(200):
            await pilot.pause(0.05)
            if watch._seen is not None:
                break
        assert watch._seen is not None
        env = {**os.environ, "RELANCE_DB": str(path)}
        added = subprocess.run(
            [sys.executable, "-m", "relance", "client", "add", "Newcomer Ltd"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert added.returncode == 0, added.stderr
        # Generous: the screen looks every 2 s; this waits up to 20 s for the reload.
        for _ in range(200):
            await pilot.pause(0.1)
            if table.total == 2:
                break
        assert sorted(row.name for row in table.triage_rows) == ["Durand SARL", "Newcomer Ltd"]
        # The cursor stayed on the client it was on.
        assert table.current is not None and table.current.name == "Durand SARL"


def test_the_watch_never_creates_a_missing_book(tmp_path: Path) -> None:
    """A book removed under the app: the look fails (and is retried), no empty file appears."""
    watch = BookWatch(tmp_path / "gone.db")
    try:
        with pytest.raises(StoreError):
            watch.changed()
    finally:
        watch.close()
    assert not (tmp_path / "gone.db").exists()
