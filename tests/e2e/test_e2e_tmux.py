"""End to end in a real terminal: tmux at 80×24 runs `relance demo`, logs a call, quits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

TODAY = "2026-11-23"


def _env(tmp_path: Path) -> dict[str, str]:
    """A clean environment: fixed clock, private config, no real book reachable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELANCE_")}
    env.update(
        RELANCE_TODAY=TODAY,
        RELANCE_CONFIG=str(tmp_path / "config.toml"),
        RELANCE_DB=str(tmp_path / "must-not-be-used.db"),
        TERM="xterm-256color",
    )
    return env


def _relance(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI the way a user would, through the interpreter running the tests."""
    return subprocess.run(
        [sys.executable, "-m", "relance", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def _wait_for(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll until the predicate holds; fail with the reason if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the terminal")


def _calls_today(env: dict[str, str], db: Path, client_id: int) -> int:
    """How many unanswered calls dated today a client's history holds."""
    shown = json.loads(_relance(env, "show", str(client_id), "--json", "--db", str(db)).stdout)
    return sum(
        1
        for event in shown["history"]
        if event["kind"] == "call"
        and event["outcome"] == "no-answer"
        and event["at"].startswith(TODAY)
    )


def test_log_a_call_in_a_real_terminal(tmp_path: Path) -> None:
    """`c` then `ctrl+s` on the top client logs an unanswered call that `show --json` finds."""
    assert shutil.which("tmux"), "tmux is required: .ci/run installs it"
    env = _env(tmp_path)
    reference = tmp_path / "reference.db"
    _relance(env, "init", "--sample", "--db", str(reference))
    top = json.loads(_relance(env, "today", "--json", "--db", str(reference)).stdout)[0]
    demo = tmp_path / "demo.db"
    session = f"relance-e2e-{uuid.uuid4().hex[:8]}"
    command = f"{sys.executable} -m relance demo --db {demo}"
    tmux_env = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", *tmux_env, command],
        check=True,
        env=env,
    )

    def screen() -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session],
            capture_output=True,
            text=True,
            check=False,
        ).stdout

    def keys(*names: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", session, *names], check=True)

    try:
        _wait_for(lambda: top["client"][:20] in screen())
        keys("c")
        _wait_for(lambda: "Log a call" in screen() and "no answer" in screen())
        keys("C-s")
        # The form closes only once the call is written, so its disappearance is the proof.
        _wait_for(lambda: "Log a call" not in screen())
        keys("q")
        _wait_for(
            lambda: (
                subprocess.run(
                    ["tmux", "has-session", "-t", session], capture_output=True, check=False
                ).returncode
                != 0
            )
        )
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)

    assert demo.exists(), "demo --db keeps the book it was given"
    assert (
        _calls_today(env, demo, top["client_id"])
        == _calls_today(env, reference, top["client_id"]) + 1
    )
    assert not Path(env["RELANCE_DB"]).exists(), "demo never touches RELANCE_DB"


def test_a_burst_of_keys_fills_each_field_of_the_client_form(tmp_path: Path) -> None:
    """`a`, then one `send-keys` of text and tabs: each piece lands in its own field."""
    env = _env(tmp_path)
    book = tmp_path / "book.db"
    _relance(env, "init", "--db", str(book))
    session = f"relance-burst-{uuid.uuid4().hex[:8]}"
    tmux_env = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
    command = f"{sys.executable} -m relance --db {book}"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", *tmux_env, command],
        check=True,
        env=env,
    )

    def screen() -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
        ).stdout

    def keys(*names: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", session, *names], check=True)

    try:
        _wait_for(lambda: "Add client" in screen())
        keys("a")
        _wait_for(lambda: "Add a client" in screen())
        keys("Burst SARL", "Tab", "Tab", "Tab", "Mme B", "Tab", "b@burst.fr", "Tab", "0102030405")
        _wait_for(lambda: "0102030405" in screen())
        shown_form = screen()
        keys("C-s")
        _wait_for(lambda: "Add a client" not in screen())
        keys("q")
        _wait_for(
            lambda: (
                subprocess.run(
                    ["tmux", "has-session", "-t", session], capture_output=True, check=False
                ).returncode
                != 0
            )
        )
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)
    assert "Burst SARL" in shown_form and "Mme B" in shown_form, shown_form
    shown = json.loads(_relance(env, "show", "Burst SARL", "--json", "--db", str(book)).stdout)
    (contact,) = shown["contacts"]
    assert (contact["name"], contact["email"], contact["phone"]) == (
        "Mme B",
        "b@burst.fr",
        "0102030405",
    )
