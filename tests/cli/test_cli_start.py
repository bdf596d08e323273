"""The executable's start: the short grammar of `relance [--db PATH]`, and the collector."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_fixtures import Relance, ok
from relance.cli.errors import UsageError
from relance.cli.parser import parse_command_line


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Leave the collector as the test found it: enabled, nothing frozen."""
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


@pytest.mark.parametrize(
    ("argv", "db"),
    [([], None), (["--db", "book.db"], "book.db"), (["--db=other.db"], "other.db")],
)
def test_a_command_line_that_only_opens_the_app_needs_no_command(
    argv: list[str], db: str | None
) -> None:
    args = parse_command_line(argv)
    assert args.db == db
    assert args.handler.__qualname__ == "launch.tui"
    assert not args.json


@pytest.mark.parametrize(
    ("argv", "handler"),
    [
        (["today"], "views.today"),
        (["--db", "book.db", "today", "--json"], "views.today"),
        (["today", "--db", "book.db"], "views.today"),
        (["demo"], "launch.demo"),
    ],
)
def test_a_command_gets_the_whole_grammar(argv: list[str], handler: str) -> None:
    assert parse_command_line(argv).handler.__qualname__ == handler


@pytest.mark.parametrize("argv", [["--db"], ["--db", "--json"], ["--nope"], ["nope"]])
def test_a_wrong_command_line_is_still_refused(argv: list[str]) -> None:
    with pytest.raises(UsageError):
        parse_command_line(argv)


def test_help_lists_every_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "relance", "--help"], capture_output=True, text=True, check=True
    )
    assert "demo" in done.stdout and "today" in done.stdout and "import" in done.stdout


def test_a_command_runs_with_the_collector_on(
    relance: Relance, tmp_path: Path, collector_restored: None
) -> None:
    gc.disable()  # as the executable does before loading anything
    ok(relance("--db", str(tmp_path / "book.db"), "init"))
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_the_executable_collects_again_when_it_ends() -> None:
    probe = (
        "import gc, sys; from relance import startup; sys.argv = ['relance', '--version']; "
        "status = startup.main(); print(gc.isenabled(), status)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "True 0"
