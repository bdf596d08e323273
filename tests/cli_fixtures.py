"""What the in-process command-line tests share: one run's result and the check it went well."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass(frozen=True)
class Run:
    """What one `relance …` run returned and printed."""

    status: int
    out: str
    err: str

    def json(self) -> Any:
        """Standard output read as JSON."""
        return json.loads(self.out)


# The `relance` fixture (tests/conftest.py): call it with the arguments of one run.
Relance = Callable[..., Run]


def ok(run: Run) -> Run:
    """Assert a run succeeded quietly on stderr, and hand it back."""
    assert run.status == 0, run.err
    assert run.err == ""
    return run


def next_action(relance: Relance) -> tuple[str, str, str]:
    """The only client's next action, its date and its reason, as `relance today --json` says."""
    [row] = ok(relance("today", "--json")).json()
    return row["next_action"], row["next_action_on"], row["reason"]


def on(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """Move the clock the commands read to a day."""
    monkeypatch.setenv("RELANCE_TODAY", day)
