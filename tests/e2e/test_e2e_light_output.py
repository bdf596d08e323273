"""The light output in a real terminal: tmux shows the same screens as with whole frames."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from terminal_cells import Cell, cells_of_capture

pytestmark = pytest.mark.e2e

TODAY = "2026-11-23"
WIDTH, HEIGHT = 80, 24
# A screen unchanged over this long has finished painting what a key asked for.
SETTLED_SECONDS = 1.0


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment: fixed clock, private config, no real book reachable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELANCE_")}
    env.update(
        RELANCE_TODAY=TODAY,
        RELANCE_CONFIG=str(tmp_path / "config.toml"),
        TERM="xterm-256color",
        **extra,
    )
    return env


class Pane:
    """One tmux session of 80×24 running the app."""

    def __init__(self, env: dict[str, str], command: str) -> None:
        """Start the session."""
        self.name = f"relance-light-{uuid.uuid4().hex[:8]}"
        tmux_env = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        size = ["-x", str(WIDTH), "-y", str(HEIGHT)]
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, *size, *tmux_env, command],
            check=True,
            env=env,
        )

    def capture(self) -> str:
        """The pane with its colours and attributes (`capture-pane -e`)."""
        return subprocess.run(
            ["tmux", "capture-pane", "-e", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        ).stdout

    def keys(self, *names: str) -> None:
        """Type keys into the pane."""
        subprocess.run(["tmux", "send-keys", "-t", self.name, *names], check=True)

    def settled(self, shows: Callable[[str], bool], timeout: float = 30.0) -> str:
        """The pane once it shows what is awaited and has stopped changing."""
        deadline = time.monotonic() + timeout
        last, since = "", time.monotonic()
        while time.monotonic() < deadline:
            now = self.capture()
            if now != last:
                last, since = now, time.monotonic()
            elif shows(now) and time.monotonic() - since >= SETTLED_SECONDS:
                return now
            time.sleep(0.1)
        raise AssertionError(f"the pane never settled; it showed:\n{last}")

    def close(self) -> None:
        """End the session."""
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True, check=False)


def _walk(env: dict[str, str], book: Path) -> list[list[list[Cell]]]:
    """The screens after a start, a move, opening the call form and closing it."""
    pane = Pane(env, f"{sys.executable} -m relance --db {book}")
    try:
        screens = [pane.settled(lambda text: "Clients" in text and "Loading…" not in text)]
        pane.keys("j")
        screens.append(pane.settled(lambda text: "Loading…" not in text))
        pane.keys("c")
        screens.append(pane.settled(lambda text: "Log a call" in text))
        pane.keys("Escape")
        screens.append(pane.settled(lambda text: "Log a call" not in text))
    finally:
        pane.close()
    return [cells_of_capture(screen, WIDTH, HEIGHT) for screen in screens]


def test_the_light_output_shows_the_screens_that_whole_frames_show(tmp_path: Path) -> None:
    """Start, move, call form open and closed: the same cells with and without the light driver."""
    assert shutil.which("tmux"), "tmux is required: .ci/run installs it"
    env = _env(tmp_path)
    book = tmp_path / "sample.db"
    subprocess.run(
        [sys.executable, "-m", "relance", "init", "--sample", "--db", str(book)],
        env=env,
        check=True,
        capture_output=True,
    )
    # The first open records the sample's lapsed promises and tells them in a toast: do it now,
    # so that neither walk (which writes nothing) starts with it.
    subprocess.run(
        [sys.executable, "-m", "relance", "today", "--db", str(book)],
        env=env,
        check=True,
        capture_output=True,
    )
    light = _walk(env, book)
    whole = _walk(_env(tmp_path, RELANCE_FULL_FRAMES="1"), book)
    for step, (light_screen, whole_screen) in enumerate(zip(light, whole, strict=True)):
        assert light_screen == whole_screen, f"step {step} differs"
    # The walk really moved and opened the form: four different screens.
    assert len({str(screen) for screen in light}) >= 3
