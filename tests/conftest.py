"""Generic fixtures: an isolated environment, a fixed clock, a book under tmp_path, the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from cli_fixtures import Relance, Run
from relance.domain.policy import DEFAULT_POLICY
from relance.startup import command_line as main
from relance.store.database import close_database, open_database
from relance.store.triage_index import set_active_policy

FIXED_TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every path relance reads at tmp_path and fix the clock, so no test sees $HOME."""
    monkeypatch.setenv("RELANCE_DB", str(tmp_path / "env" / "relance.db"))
    monkeypatch.setenv("RELANCE_CONFIG", str(tmp_path / "env" / "config.toml"))
    monkeypatch.setenv("RELANCE_TODAY", FIXED_TODAY.isoformat())
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / "config"))


@pytest.fixture
def today() -> date:
    """The fixed day every test runs on."""
    return FIXED_TODAY


@pytest.fixture
def at(today: date) -> datetime:
    """A fixed moment on the fixed day, as services take it."""
    return datetime.combine(today, datetime.min.time()).replace(hour=9, minute=30)


@pytest.fixture
def relance(capsys: pytest.CaptureFixture[str]) -> Relance:
    """Run `relance ARGS…` in-process and capture what it printed."""

    def run(*argv: str) -> Run:
        capsys.readouterr()
        status = main(list(argv))
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


@pytest.fixture
def book(tmp_path: Path) -> Iterator[SqliteDatabase]:
    """A fresh book in a file under tmp_path, closed after the test."""
    db = open_database(tmp_path / "book" / "relance.db")
    try:
        yield db
    finally:
        close_database()


@pytest.fixture(autouse=True)
def default_policy() -> Iterator[None]:
    """Every test starts with the shipped dunning policy: entry points set it from config."""
    set_active_policy(DEFAULT_POLICY)
    yield
    set_active_policy(DEFAULT_POLICY)
