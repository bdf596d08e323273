"""Count the bytes the app writes to the terminal (tmux pipe-pane) per event, beside a bare app."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOCKET = "relance-bytes"
TODAY = "2026-11-23"
# Output unchanged for this long: the app has painted all a key asked for.
SETTLED_SECONDS = 1.0
# A blinking cursor in a form never lets the output rest: count no longer than this after a key.
LONGEST_SECONDS = 3.0
IDLE_SECONDS = 5.0
# Goal of issue 19: each event at most this many times the bare app's bytes.
GOAL_RATIO = 1.5
# The slow link: 32 kbit/s, and the morning triage over it must be done within this bound.
SLOW_LINK_BYTES_PER_SECOND = 4000
SLOW_TRIAGE_BOUND_SECONDS = 20.0


@dataclass(frozen=True)
class Event:
    """One thing a user does: the keys sent before it (not counted), then the keys counted."""

    name: str
    keys: tuple[str, ...]
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


EVENTS = (
    Event("move, new detail (`j`)", ("j",)),
    Event("move back, detail already read (`k`)", ("k",)),
    Event("open the call form (`c`)", ("c",)),
    Event("close the call form (`escape`)", ("Escape",)),
    Event("open the reminder form (`r`)", ("r",)),
    Event("close the reminder form (`escape`)", ("Escape",)),
    Event("open the payment form (`$`)", ("$",)),
    Event("close the payment form (`escape`)", ("Escape",)),
    Event("`/` then one letter", ("/", "a"), after=("Escape", "Escape")),
    Event("save a call (`ctrl+s` in the form)", ("C-s",), before=("c",)),
)


def tmux(*args: str) -> None:
    """Run one tmux command on the benchmark's own server."""
    subprocess.run(["tmux", "-L", SOCKET, *args], check=True, capture_output=True)


def settle(log: Path, least: float = 0.3) -> int:
    """Wait until the pane's output stops growing; return its size in bytes."""
    limit = time.monotonic() + max(least, LONGEST_SECONDS)
    time.sleep(least)
    size, since = log.stat().st_size, time.monotonic()
    while time.monotonic() - since < SETTLED_SECONDS and time.monotonic() < limit:
        time.sleep(0.05)
        now = log.stat().st_size
        if now != size:
            size, since = now, time.monotonic()
    return size


def measure(command: str, env: dict[str, str], work: Path) -> dict[str, int]:
    """Bytes written for start-up, each event and an idle spell, in one tmux session of 80×24."""
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    log = work / "pane.bytes"
    log.write_bytes(b"")
    exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
    # The shell waits for Enter, so that pipe-pane is listening before the app's first byte.
    tmux(
        "new-session", "-d", "-s", "bytes", "-x", "80", "-y", "24",
        f"stty -echo; read line; exec env {exports} {command}",
    )  # fmt: skip
    time.sleep(0.5)
    tmux("pipe-pane", "-t", "bytes", "-o", f"cat >> {shlex.quote(str(log))}")
    tmux("send-keys", "-t", "bytes", "Enter")
    figures = {"start-up to the first full screen": settle(log, least=2.0)}
    for event in EVENTS:
        for key in event.before:
            tmux("send-keys", "-t", "bytes", key)
        begin = settle(log) if event.before else log.stat().st_size
        for key in event.keys:
            tmux("send-keys", "-t", "bytes", key)
        figures[event.name] = settle(log) - begin
        for key in event.after:
            tmux("send-keys", "-t", "bytes", key)
        if event.after:
            settle(log)
    begin = log.stat().st_size
    time.sleep(IDLE_SECONDS)
    figures[f"idle, {IDLE_SECONDS:.0f} s"] = log.stat().st_size - begin
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    return figures


def sample_book(relance: str, env: dict[str, str], work: Path) -> Path:
    """A fresh sample book, opened once (its lapsed promises told) so no run starts with a toast."""
    book = work / "sample.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{book}{suffix}").unlink(missing_ok=True)
    full_env = {**os.environ, **env}
    subprocess.run([relance, "init", "--sample", "--db", str(book)], env=full_env, check=True,
                   capture_output=True)  # fmt: skip
    subprocess.run([relance, "today", "--db", str(book)], env=full_env, check=True,
                   capture_output=True)  # fmt: skip
    return book


def pane_text() -> str:
    """The pane's text as it is painted now."""
    done = subprocess.run(
        ["tmux", "-L", SOCKET, "capture-pane", "-p", "-t", "bytes"], capture_output=True, text=True
    )
    return done.stdout


def wait_until(seen: str, gone: bool = False, limit: float = 120.0) -> None:
    """Wait until ``seen`` is on the pane (or off it, when ``gone``)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if (seen in pane_text()) != gone:
            return
        time.sleep(0.05)
    raise SystemExit(f"over the slow link, gave up waiting for {seen!r}:\n{pane_text()}")


def slow_triage(relance: str, env: dict[str, str], work: Path) -> float:
    """Seconds for a morning triage (move, call, reminder, quit) through a 32 kbit/s link."""
    book = sample_book(relance, env, work)
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
    link = f"{shlex.quote(sys.executable)} {HERE / 'slow_link.py'}"
    rate = f"--bytes-per-second {SLOW_LINK_BYTES_PER_SECOND}"
    tmux(
        "new-session", "-d", "-s", "bytes", "-x", "80", "-y", "24",
        f"stty -echo; read line; exec env {exports} {link} {rate} {relance} --db {book}; sleep 60",
    )  # fmt: skip
    time.sleep(0.5)
    began = time.monotonic()
    tmux("send-keys", "-t", "bytes", "Enter")
    wait_until("Clients")
    wait_until("Loading…", gone=True)
    tmux("send-keys", "-t", "bytes", "j")
    time.sleep(0.3)
    wait_until("Loading…", gone=True)
    tmux("send-keys", "-t", "bytes", "c")
    wait_until("Log a call")
    tmux("send-keys", "-t", "bytes", "C-s")
    wait_until("Log a call", gone=True)
    tmux("send-keys", "-t", "bytes", "r")
    # The form takes ctrl+s once its draft has loaded, which its status line then says.
    wait_until("ctrl+s sends it")
    tmux("send-keys", "-t", "bytes", "C-s")
    wait_until("Send a reminder", gone=True)
    tmux("send-keys", "-t", "bytes", "q")
    # The pane's shell sleeps once the app has quit: its screen is the shell's again.
    wait_until("Clients", gone=True)
    took = time.monotonic() - began
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    return took


def main() -> None:
    """Print the byte table: relance as shipped, with whole frames, its lightest looks, bare."""
    argparse.ArgumentParser(description=__doc__).parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed: the benchmark counts a real terminal's bytes")
    relance = str(Path(sys.executable).parent / "relance")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "ansi.toml").write_text('theme = "relance-ansi"\n')
        base = {
            "RELANCE_TODAY": TODAY,
            "RELANCE_CONFIG": str(work / "none.toml"),
            "TERM": "xterm-256color",
        }
        variants = {
            "relance": base,
            "RELANCE_FULL_FRAMES=1": {**base, "RELANCE_FULL_FRAMES": "1"},
            "relance-ansi": {**base, "RELANCE_CONFIG": str(work / "ansi.toml")},
            "NO_COLOR": {**base, "NO_COLOR": "1"},
        }
        columns: dict[str, dict[str, int]] = {}
        for name, env in variants.items():
            book = sample_book(relance, env, work)
            columns[name] = measure(f"{relance} --db {shlex.quote(str(book))}", env, work)
        bare = f"{shlex.quote(sys.executable)} {HERE / 'bare_table_app.py'}"
        columns["bare Textual"] = measure(bare, {"TERM": "xterm-256color"}, work)
    names = list(columns)
    print("| event | " + " | ".join(names) + " | relance ÷ bare |")
    print("|---|" + "---:|" * (len(names) + 1))
    for event in columns["relance"]:
        bare = columns["bare Textual"][event]
        ours = columns["relance"][event]
        ratio = f"{ours / bare:.2f}" if bare else ("0" if not ours else "—")
        cells = " | ".join(f"{columns[name][event]:,}" for name in names)
        print(f"| {event} | {cells} | {ratio} |", flush=True)
    print(f"\ngoal: each relance figure ≤ {GOAL_RATIO}× the bare app's; idle sends nothing")
    with tempfile.TemporaryDirectory() as folder:
        took = slow_triage(relance, base, Path(folder))
    verdict = "within" if took <= SLOW_TRIAGE_BOUND_SECONDS else "OVER"
    print(
        f"morning triage (move, call, reminder, quit) at {SLOW_LINK_BYTES_PER_SECOND * 8 // 1000}"
        f" kbit/s: {took:.1f} s, {verdict} the bound of {SLOW_TRIAGE_BOUND_SECONDS:.0f} s"
    )
    if took > SLOW_TRIAGE_BOUND_SECONDS:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
