"""The command line refusing: one line on stderr, exit 2 for bad input, 1 otherwise, no writes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli_fixtures import Relance, Run
from relance.cli import views
from relance.store import database


def refused(run: Run, status: int, *fragments: str) -> str:
    """Assert a clean refusal: the status, one `relance:` line on stderr, nothing on stdout."""
    assert run.status == status, (run.status, run.err)
    assert run.out == ""
    assert run.err.count("\n") == 1 and run.err.startswith("relance: "), run.err
    assert "Traceback" not in run.err
    for fragment in fragments:
        assert fragment in run.err, (fragment, run.err)
    return run.err


def book_state(relance: Relance) -> Any:
    """Everything the CLI can see of the book: the list and every client in full."""
    rows = json.loads(relance("today", "--json").out)
    clients = [json.loads(relance("show", str(row["client_id"]), "--json").out) for row in rows]
    return rows, clients


@pytest.fixture
def book(relance: Relance) -> Iterator[None]:
    """A client with one overdue invoice, one paid-off client, and the book unchanged after."""
    for argv in (
        ("client", "add", "Durand SARL", "--email", "compta@durand.fr"),
        (
            "invoice",
            "add",
            "Durand SARL",
            "F-1",
            "1200.00",
            "--issued",
            "2026-09-01",
            "--due",
            "2026-10-01",
        ),
        ("client", "add", "Quiet"),
    ):
        assert relance(*argv).status == 0
    before = book_state(relance)
    yield
    assert book_state(relance) == before, "a refused command wrote to the book"


INVOICE = ("invoice", "add", "Durand SARL", "F-9")
DATES = ("--issued", "2026-11-01", "--due", "2026-11-30")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        pytest.param((*INVOICE, "-5", *DATES), "must not be negative", id="negative-invoice"),
        pytest.param((*INVOICE, "-5.00", *DATES), "must not be negative", id="negative-decimal"),
        pytest.param((*INVOICE, "12,50", *DATES), "not an amount", id="comma-amount"),
        pytest.param((*INVOICE, "abc", *DATES), "not an amount", id="malformed-amount"),
        pytest.param((*INVOICE, "1e3", *DATES), "not an amount", id="exponent-amount"),
        pytest.param((*INVOICE, "10.001", *DATES), "more than two decimals", id="three-decimals"),
        pytest.param((*INVOICE, "0", *DATES), "greater than zero", id="zero-amount"),
        pytest.param(
            (*INVOICE, "10", "--issued", "2026-02-30", "--due", "2026-03-30"),
            "not a date",
            id="impossible-issue-date",
        ),
        pytest.param(
            (*INVOICE, "10", "--issued", "2026-11-01", "--due", "2026-13-01"),
            "not a date",
            id="impossible-due-date",
        ),
        pytest.param(
            (*INVOICE, "10", "--issued", "2026-11-01", "--due", "2026-10-01"),
            "due date is before the issue date",
            id="due-before-issue",
        ),
        pytest.param(
            ("invoice", "add", "Quiet", "F-1", "10", *DATES),
            "invoice F-1 already exists",
            id="duplicate-invoice-number",
        ),
        pytest.param(
            (*INVOICE, "10", *DATES, "--currency", "XYZ"), "unknown currency", id="unknown-currency"
        ),
        pytest.param(
            ("payment", "add", "Durand SARL", "-1"), "must not be negative", id="negative-payment"
        ),
        pytest.param(
            ("payment", "add", "Durand SARL", "1.999"),
            "more than two decimals",
            id="payment-three-decimals",
        ),
        pytest.param(
            ("payment", "add", "Durand SARL", "10", "--on", "2026-11-31"),
            "not a date",
            id="payment-impossible-date",
        ),
        pytest.param(
            ("payment", "add", "Durand SARL", "10", "--on", "2026-12-01"),
            "cannot be received in the future",
            id="payment-in-the-future",
        ),
        pytest.param(
            ("payment", "add", "Durand SARL", "10", "--invoice", "NOPE"),
            "has no invoice NOPE",
            id="payment-unknown-invoice",
        ),
        pytest.param(("client", "add", ""), "name is required", id="empty-name"),
        pytest.param(("client", "add", "   "), "name is required", id="blank-name"),
        pytest.param(("client", "add", "durand sarl"), "already exists", id="duplicate-name"),
        pytest.param(("client", "add", "Evil\x1b[2J"), "control characters", id="escape-in-name"),
        pytest.param(
            ("client", "add", "X", "--email", "not-an-address"), "not an e-mail", id="bad-email"
        ),
        pytest.param(
            (
                "call",
                "Durand SARL",
                "--outcome",
                "promised",
                "--amount",
                "-3",
                "--on",
                "2026-11-30",
            ),
            "must not be negative",
            id="negative-promise",
        ),
        pytest.param(
            (
                "call",
                "Durand SARL",
                "--outcome",
                "promised",
                "--amount",
                "30",
                "--on",
                "2026-11-01",
            ),
            "in the past",
            id="promise-in-the-past",
        ),
        pytest.param(
            ("call", "Durand SARL", "--outcome", "promised", "--amount", "30"),
            "needs --on",
            id="promise-without-date",
        ),
        pytest.param(
            ("call", "Durand SARL", "--outcome", "promised"),
            "needs --amount and --on",
            id="promise-without-anything",
        ),
        pytest.param(
            ("call", "Durand SARL", "--outcome", "voicemail", "--amount", "30"),
            "only go with --outcome promised",
            id="amount-without-promise",
        ),
        pytest.param(("note", "Durand SARL", "  "), "text is required", id="empty-note"),
        pytest.param(
            ("snooze", "Durand SARL", "--until", "2026-02-29"),
            "not a date",
            id="snooze-impossible-date",
        ),
        pytest.param(
            ("snooze", "Durand SARL", "--until", "2026-11-01"),
            "in the past",
            id="snooze-in-the-past",
        ),
        pytest.param(("dispute", "Durand SARL", "off"), "not disputed", id="dispute-already-off"),
        pytest.param(
            ("plan", "propose", "Durand SARL", "--instalments", "0"),
            "whole number from 1",
            id="plan-zero-instalments",
        ),
        pytest.param(
            ("plan", "propose", "Durand SARL", "--instalments", "three"),
            "whole number from 1",
            id="plan-words",
        ),
        pytest.param(
            ("plan", "propose", "Durand SARL", "--instalments", "3", "--first", "2026-11-01"),
            "cannot be in the past",
            id="plan-in-the-past",
        ),
        pytest.param(
            ("plan", "propose", "Durand SARL", "--instalments", "3", "--deposit", "5000"),
            "deposit",
            id="plan-deposit-too-big",
        ),
        pytest.param(
            ("plan", "propose", "Quiet", "--instalments", "3"),
            "owes nothing",
            id="plan-owes-nothing",
        ),
        pytest.param(("remind", "Quiet"), "nothing is overdue", id="remind-nothing-overdue"),
        pytest.param(
            ("remind", "Quiet", "--dry-run"),
            "nothing is overdue",
            id="remind-dry-run-nothing-overdue",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    relance: Relance, book: None, argv: tuple[str, ...], fragment: str
) -> None:
    """Each bad input: exit 2, one line naming the problem, the book unchanged."""
    refused(relance(*argv), 2, fragment)


def test_remind_without_an_address_is_refused(relance: Relance, tmp_path: Path) -> None:
    """A client with nothing to write to gets no reminder and no outbox file."""
    assert relance("client", "add", "Mute").status == 0
    assert (
        relance(
            "invoice", "add", "Mute", "M-1", "10", "--issued", "2026-09-01", "--due", "2026-09-30"
        ).status
        == 0
    )
    before = book_state(relance)
    refused(relance("remind", "Mute"), 2, "no e-mail address")
    assert book_state(relance) == before
    assert not list((tmp_path / "env").rglob("*.eml"))


def test_every_field_is_reported_on_one_line(relance: Relance, book: None) -> None:
    """Several bad fields are all named in the single error line."""
    err = refused(
        relance(*INVOICE, "-1", "--issued", "2026-02-30", "--due", "nope"),
        2,
        "amount must not be negative",
        "issued: not a date",
        "due: not a date",
    )
    assert err.count(";") == 2


@pytest.mark.parametrize(
    "argv",
    [
        ("show", "Nobody"),
        ("show", "999"),
        ("invoice", "add", "Nobody", "N-1", "10", *DATES),
        ("payment", "add", "Nobody", "10"),
        ("call", "Nobody", "--outcome", "no-answer"),
        ("remind", "Nobody"),
        ("remind", "Nobody", "--dry-run"),
        ("plan", "propose", "Nobody", "--instalments", "2"),
        ("note", "Nobody", "hello"),
        ("snooze", "Nobody", "--until", "+3"),
        ("dispute", "Nobody", "on"),
        ("note", "durand sarl", "names are exact"),
    ],
)
def test_unknown_client(relance: Relance, book: None, argv: tuple[str, ...]) -> None:
    """A client that is neither an id nor an exact name: exit 2, nothing written."""
    refused(relance(*argv), 2, "no client")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("frobnicate",), "invalid choice"),
        (("call", "Durand SARL"), "--outcome"),
        (("call", "Durand SARL", "--outcome", "maybe"), "invalid choice"),
        (("client", "add", "X", "--kind", "b2g"), "invalid choice"),
        (("client", "add", "X", "--lang", "de"), "invalid choice"),
        (("client",), "required"),
        (("plan", "propose", "Durand SARL"), "--instalments"),
        (
            ("plan", "propose", "Durand SARL", "--instalments", "2", "--every", "day"),
            "invalid choice",
        ),
        # --due is optional (the client's payment terms give it); --issued never is.
        (("invoice", "add", "Durand SARL", "F-9", "10", "--due", "2026-12-01"), "--issued"),
        (("dispute", "Durand SARL", "maybe"), "invalid choice"),
        (("snooze", "Durand SARL"), "--until"),
        (("note", "Durand SARL"), "TEXT"),
        (("today", "--bogus"), "unrecognized arguments"),
        (("today", "\x1b[31m"), "\\x1b[31m"),
    ],
)
def test_usage_errors_are_one_line(
    relance: Relance, book: None, argv: tuple[str, ...], fragment: str
) -> None:
    """argparse's refusals: one line (no usage block), exit 2, escape sequences shown inert."""
    err = refused(relance(*argv), 2, fragment)
    assert "usage:" not in err and "\x1b" not in err


def test_bad_relance_today(relance: Relance, book: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A RELANCE_TODAY that is not a date is bad input, for reading and writing commands."""
    monkeypatch.setenv("RELANCE_TODAY", "2026-02-30")
    refused(relance("today"), 2, "RELANCE_TODAY")
    refused(relance("note", "Durand SARL", "hello"), 2, "RELANCE_TODAY")
    monkeypatch.setenv("RELANCE_TODAY", "2026-11-23")


def test_bad_config(relance: Relance, book: None) -> None:
    """A config file that is not valid TOML is bad input, and no reminder goes out."""
    Path(os.environ["RELANCE_CONFIG"]).write_text("[creditor\nname = ", encoding="utf-8")
    refused(relance("remind", "Durand SARL"), 2, "not valid TOML")
    Path(os.environ["RELANCE_CONFIG"]).write_text("theme = 3\n", encoding="utf-8")
    refused(relance("remind", "Durand SARL", "--dry-run"), 2, "theme must be a string")
    os.remove(os.environ["RELANCE_CONFIG"])


def test_missing_database_is_not_created(relance: Relance, tmp_path: Path) -> None:
    """Reading or acting on a book that does not exist fails without creating it."""
    target = tmp_path / "typo.db"
    for argv in (("today",), ("show", "1"), ("note", "1", "x"), ("remind", "1", "--dry-run")):
        refused(relance(*argv, "--db", str(target)), 1, "no relance database", "relance init")
    assert not target.exists()


@pytest.fixture
def locked(book: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[sqlite3.Connection]:
    """Another program holding the write lock, with a short busy timeout so the test is fast."""
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)
    other = sqlite3.connect(os.environ["RELANCE_DB"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.parametrize(
    "argv",
    [
        ("note", "Durand SARL", "while locked"),
        ("client", "add", "Newcomer"),
        ("invoice", "add", "Durand SARL", "F-9", "10", *DATES),
        ("payment", "add", "Durand SARL", "10"),
        ("call", "Durand SARL", "--outcome", "voicemail"),
        ("dispute", "Durand SARL", "on"),
    ],
)
def test_locked_database(
    relance: Relance, locked: sqlite3.Connection, argv: tuple[str, ...]
) -> None:
    """A write while another process holds the lock: a clear message, exit 1, nothing written."""
    refused(relance(*argv), 1, "busy in another program")


def test_reading_a_locked_database_still_works(
    relance: Relance, locked: sqlite3.Connection
) -> None:
    """WAL lets the list be read while another program writes."""
    result = relance("today", "--json")
    assert result.status == 0 and "Durand SARL" in result.out


def test_remind_on_a_locked_database_leaves_no_outbox_file(
    relance: Relance, locked: sqlite3.Connection, tmp_path: Path
) -> None:
    """A reminder that cannot be logged is not left in the outbox to be sent later."""
    refused(relance("remind", "Durand SARL"), 1, "busy")
    outbox = tmp_path / "env" / "relance-outbox"
    assert [p for p in outbox.rglob("*") if p.is_file() and p.name != ".lock"] == []


def test_file_that_is_not_a_database(relance: Relance, tmp_path: Path) -> None:
    """Random bytes: a clear message, exit 1, the file untouched."""
    junk = tmp_path / "junk.db"
    content = bytes(range(256)) * 8
    junk.write_bytes(content)
    for argv in (("today",), ("init",), ("client", "add", "X"), ("show", "1", "--json")):
        refused(relance(*argv, "--db", str(junk)), 1, "is not a relance database")
    assert junk.read_bytes() == content


def test_sqlite_file_that_is_not_a_relance_database(relance: Relance, tmp_path: Path) -> None:
    """Someone else's SQLite database: refused, and left as it was."""
    other = tmp_path / "other.sqlite"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.execute("INSERT INTO recipes VALUES ('soup')")
    connection.commit()
    connection.close()
    content = other.read_bytes()
    for argv in (("today",), ("init",), ("client", "add", "X")):
        refused(relance(*argv, "--db", str(other)), 1, "is not a relance database")
    assert other.read_bytes() == content


def test_folder_instead_of_a_database(relance: Relance, tmp_path: Path) -> None:
    """A folder where the file should be: unusable, exit 1."""
    folder = tmp_path / "a-folder"
    folder.mkdir()
    refused(relance("today", "--db", str(folder)), 1, "is a folder")
    refused(relance("init", "--db", str(folder)), 1, "is a folder")


def test_init_sample_refuses_a_book_with_clients(relance: Relance, book: None) -> None:
    """`init --sample` only fills an empty book."""
    refused(relance("init", "--sample"), 2, "already has clients")


def test_demo_refuses_an_existing_path(relance: Relance, tmp_path: Path) -> None:
    """`demo --db PATH` never overwrites a file: exit 2, the file untouched."""
    existing = tmp_path / "mine.db"
    existing.write_bytes(b"precious")
    refused(relance("demo", "--db", str(existing)), 2, "already exists")
    refused(relance("--db", str(existing), "demo"), 2, "already exists")
    assert existing.read_bytes() == b"precious"


def test_the_app_needs_a_terminal(
    relance: Relance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no terminal, `relance` and `relance demo` say so instead of hanging; nothing made."""
    from relance.cli import launch

    monkeypatch.setattr(launch, "has_terminal", lambda: False)
    refused(relance(), 1, "needs a terminal")
    refused(relance("demo", "--db", str(tmp_path / "demo.db")), 1, "needs a terminal")
    assert not (tmp_path / "demo.db").exists()
    assert not Path(os.environ["RELANCE_DB"]).exists()


def test_ctrl_c_exits_quietly_with_130(relance: Relance, monkeypatch: pytest.MonkeyPatch) -> None:
    """An interrupted command ends with status 130 and no traceback."""

    def interrupted(ctx: object) -> int:
        raise KeyboardInterrupt

    assert relance("init").status == 0
    monkeypatch.setattr(views, "today", interrupted)
    run = relance("today")
    assert run.status == 130
    assert "Traceback" not in run.err and run.out == ""


def test_an_unexpected_failure_is_one_line(
    relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a bug ends with one line and status 1, not a traceback."""

    def broken(ctx: object) -> int:
        raise RuntimeError("boom\nsecond line")

    assert relance("init").status == 0
    monkeypatch.setattr(views, "today", broken)
    refused(relance("today"), 1, "RuntimeError: boom second line")


def _subprocess(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m relance ARGS…` as a user would, in an isolated environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELANCE_")}
    env.update(
        RELANCE_DB=str(tmp_path / "proc.db"),
        RELANCE_CONFIG=str(tmp_path / "proc.toml"),
        RELANCE_TODAY="2026-11-23",
    )
    return subprocess.run(
        [sys.executable, "-m", "relance", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _one_clean_line(process: subprocess.CompletedProcess[str]) -> None:
    """Stderr holds one `relance:` line and no traceback."""
    assert "Traceback" not in process.stderr
    assert process.stderr.count("\n") == 1 and process.stderr.startswith("relance: ")


def test_subprocess_success_and_unknown_client(tmp_path: Path) -> None:
    """A real process: `client add` prints the id; an unknown client exits 2 with one line."""
    added = _subprocess(tmp_path, "client", "add", "Proc Client")
    assert (added.returncode, added.stdout, added.stderr) == (0, "1\n", "")
    missing = _subprocess(tmp_path, "note", "Nobody", "hello")
    assert missing.returncode == 2 and missing.stdout == ""
    _one_clean_line(missing)
    assert "no client 'Nobody'" in missing.stderr


def test_subprocess_usage_error(tmp_path: Path) -> None:
    """A real process: a usage error is one line with exit 2, not argparse's usage block."""
    process = _subprocess(tmp_path, "call", "1", "--outcome", "shrug")
    assert process.returncode == 2
    _one_clean_line(process)


def test_subprocess_not_a_database(tmp_path: Path) -> None:
    """A real process: random bytes as the book exit 1 with one line."""
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(4096))
    process = _subprocess(tmp_path, "today", "--db", str(junk))
    assert process.returncode == 1
    _one_clean_line(process)
    assert "is not a relance database" in process.stderr
