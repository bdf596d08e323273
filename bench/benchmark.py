"""Measure relance in a real terminal (tmux, 80×24): first paint, key to paint, import, memory."""

from __future__ import annotations

import argparse
import csv
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 11, 23)
SOCKET = "relance-bench"
POLL_SECONDS = 0.005
WAIT_LIMIT_SECONDS = 120.0
MOVES = 15
# Filter keys timed per run, each on its own client.
FILTER_KEYS = 3
IMPORT_ROWS = 20_000


def relance_package() -> str:
    """Where the relance package lives (src/relance in an editable install)."""
    import relance

    return str(Path(relance.__file__).parent)


def tmux(*args: str) -> str:
    """Run one tmux command on the benchmark's own server and return its output."""
    done = subprocess.run(["tmux", "-L", SOCKET, *args], check=True, capture_output=True, text=True)
    return done.stdout


def screen() -> str:
    """The pane's text as it is painted now."""
    return tmux("capture-pane", "-p", "-t", "bench")


def wait_for(seen: Callable[[str], bool], what: str) -> float:
    """Poll the pane until ``seen`` holds; return the moment it did."""
    limit = time.perf_counter() + WAIT_LIMIT_SECONDS
    while time.perf_counter() < limit:
        if seen(screen()):
            return time.perf_counter()
        time.sleep(POLL_SECONDS)
    raise SystemExit(f"gave up waiting for {what}; the screen was:\n{screen()}")


def start(command: str, env: dict[str, str]) -> float:
    """Start a fresh 80×24 session running ``command``; return the moment of the start."""
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
    # A server still shutting down refuses a new session for a moment.
    for _ in range(50):
        if subprocess.run(["tmux", "-L", SOCKET, "has-session"], capture_output=True).returncode:
            break
        time.sleep(0.05)
    began = time.perf_counter()
    # exec: the pane's process is the app itself, so its peak memory can be read.
    tmux(
        "new-session", "-d", "-s", "bench", "-x", "80", "-y", "24", f"exec env {exports} {command}"
    )
    return began


def peak_memory_mb() -> float:
    """The pane process's peak resident memory (VmHWM), in megabytes."""
    pid = tmux("list-panes", "-t", "bench", "-F", "#{pane_pid}").strip()
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM for the app process")


def stop() -> None:
    """End the session."""
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)


def bare_first_paint(python: str) -> float:
    """Seconds from process start to the first paint of a trivial Textual app (one run)."""
    began = start(f"{python} {HERE / 'bare_app.py'}", {})
    painted = wait_for(lambda text: "bare app ready" in text, "the bare app") - began
    stop()
    return painted


def bare_key_to_paint(python: str) -> float:
    """Median seconds from a key to its paint in the trivial app: the harness's own floor."""
    start(f"{python} {HERE / 'bare_app.py'}", {})
    wait_for(lambda text: "bare app ready" in text, "the bare app")
    times = []
    for count in range(1, MOVES + 1):
        pressed = time.perf_counter()
        tmux("send-keys", "-t", "bench", "j")
        shown = f"bare app key {count}"
        times.append(wait_for(lambda text, shown=shown: shown in text, shown) - pressed)
    stop()
    return statistics.median(times)


def bring_up_to_date(db: Path) -> None:
    """Open a stored book once with this relance, so that no measured start migrates it."""
    script = (
        "from pathlib import Path; from relance.store.database import open_database\n"
        f"open_database(Path({str(db)!r}))\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


@dataclass(frozen=True)
class Figures:
    """What one book size measured."""

    clients: int
    first_paint: float
    move: float
    detail: float
    filter_key: float
    filter_paste: float
    call: float
    memory_mb: float
    import_rows_per_second: float


def first_rows(db: Path, count: int) -> list[str]:
    """The names at the top of the triage list, in order, read through the app's own query."""
    script = (
        "import sys; from datetime import date; from pathlib import Path\n"
        "from relance.store.database import open_database\n"
        "from relance.store.triage import triage_window\n"
        f"open_database(Path({str(db)!r}))\n"
        f"for row in triage_window(date.fromisoformat({TODAY.isoformat()!r}), limit={count}):\n"
        "    print(row.name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    )
    return done.stdout.splitlines()


def detail_names(name: str) -> Callable[[str], bool]:
    """True when the detail pane's title is this client (painted with the cursor's move)."""
    return lambda text: f"╭─ {name} ─" in text


def detail_shows(name: str) -> Callable[[str], bool]:
    """True when the detail pane shows this client's detail, loaded."""
    return lambda text: f"╭─ {name} ─" in text and "Loading…" not in text


def clients_shown(text: str) -> int | None:
    """How many clients the list's title says it shows, if the title is on screen."""
    found = re.search(r"Clients (\d+)", text)
    return int(found.group(1)) if found else None


def filter_key(number: str) -> float | None:
    """Seconds from the key that completes a client's number in the filter to the list of one.

    The number but its last digit is typed first and left to settle (it matches ten clients or
    so); the last digit is the key measured. None when the shorter text already matched one.
    """
    tmux("send-keys", "-t", "bench", "/")
    tmux("send-keys", "-t", "bench", "-l", number[:-1])
    wait_for(lambda text: f"“{number[:-1]}”" in text, "the filter's first digits")
    time.sleep(0.3)
    before = clients_shown(screen())
    pressed = time.perf_counter()
    tmux("send-keys", "-t", "bench", "-l", number[-1])
    shown = wait_for(lambda text: clients_shown(text) == 1, "the filtered list") - pressed
    tmux("send-keys", "-t", "bench", "Escape")
    wait_for(lambda text: "name contains" not in text, "the filter cleared")
    time.sleep(0.3)
    return shown if before is not None and before > 1 else None


def measure_book(db: Path, relance: str, env: dict[str, str]) -> Figures:
    """Open the app on a book and time what a user does first."""
    names = first_rows(db, MOVES + 1)
    began = start(f"{relance} --db {shlex.quote(str(db))}", env)
    first_paint = wait_for(lambda text: names[0][:15] in text, "the first client") - began
    wait_for(detail_shows(names[0]), "the first client's detail")
    moves, details = [], []
    for name in names[1:]:
        pressed = time.perf_counter()
        tmux("send-keys", "-t", "bench", "j")
        moves.append(wait_for(detail_names(name), f"the move to {name}") - pressed)
        details.append(wait_for(detail_shows(name), f"the detail of {name}") - pressed)
    # Every client's name ends in its six-digit number (bench/generate.py).
    keys = [filter_key(name[-6:]) for name in names[-FILTER_KEYS:]]
    target = names[-1]
    tmux("send-keys", "-t", "bench", "/")
    time.sleep(0.3)
    pressed = time.perf_counter()
    tmux("send-keys", "-t", "bench", "-l", target)
    pasted = wait_for(lambda text: clients_shown(text) == 1, "the filtered list") - pressed
    tmux("send-keys", "-t", "bench", "Enter")
    time.sleep(0.3)
    tmux("send-keys", "-t", "bench", "c")
    wait_for(lambda text: "Log a call" in text, "the call modal")
    # A user reads the form before saving it; the form has settled by then.
    time.sleep(0.3)
    pressed = time.perf_counter()
    tmux("send-keys", "-t", "bench", "C-s")
    logged = wait_for(lambda text: "Log a call" not in text, "the list after the call") - pressed
    memory = peak_memory_mb()
    stop()
    measured = [key for key in keys if key is not None]
    if not measured:
        raise SystemExit("no filter key could be measured: every number matched one client")
    return Figures(
        clients=0,
        first_paint=first_paint,
        move=statistics.median(moves),
        detail=statistics.median(details),
        filter_key=statistics.median(measured),
        filter_paste=pasted,
        call=logged,
        memory_mb=memory,
        import_rows_per_second=0.0,
    )


def remove_book(path: Path) -> None:
    """Delete a book with its WAL files: a stale WAL would be replayed into the next copy."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def write_import_file(path: Path, rows: int) -> None:
    """A CSV of new invoices for new clients, in the French spreadsheet dialect."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Client", "N° facture", "Date", "Date d'échéance", "Montant TTC"])
        for index in range(rows):
            issued = TODAY - timedelta(days=10 + index % 300)
            writer.writerow(
                [
                    f"Importé {index // 10:06d}",
                    f"IMP-{index:07d}",
                    issued.strftime("%d/%m/%Y"),
                    (issued + timedelta(days=30)).strftime("%d/%m/%Y"),
                    f"{1000 + index % 997},{index % 100:02d}",
                ]
            )


def import_throughput(db: Path, relance: str, env: dict[str, str], work: Path) -> float:
    """Rows per second importing IMPORT_ROWS invoices into a copy of the book."""
    copy = work / "import-target.db"
    remove_book(copy)
    shutil.copyfile(db, copy)
    source = work / "invoices.csv"
    write_import_file(source, IMPORT_ROWS)
    began = time.perf_counter()
    subprocess.run(
        [relance, "--db", str(copy), "import", str(source)],
        check=True,
        env={**os.environ, **env},
        capture_output=True,
    )
    return IMPORT_ROWS / (time.perf_counter() - began)


def main() -> None:
    """Generate (or reuse) the books and print one table of figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,10000,100000")
    parser.add_argument("--books", type=Path, default=Path(tempfile.gettempdir()) / "relance-bench")
    parser.add_argument("--runs", type=int, default=5, help="first-paint runs per size")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed: the benchmark paints in a real terminal")
    bin_dir = Path(sys.executable).parent
    relance = str(bin_dir / "relance")
    args.books.mkdir(parents=True, exist_ok=True)
    env = {
        "RELANCE_TODAY": TODAY.isoformat(),
        "RELANCE_CONFIG": str(args.books / "no-config.toml"),
        "TERM": "xterm-256color",
    }
    # A real install has its bytecode compiled; without it every start compiles relance anew
    # (PYTHONDONTWRITEBYTECODE may be set), which the bare app, all in site-packages, never pays.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(relance_package()).parent)], check=True
    )
    floor = bare_key_to_paint(sys.executable)
    print(f"bare Textual app, key to paint: {floor * 1000:.0f} ms (median of {MOVES})")
    print(
        "| clients | first paint | bare | × bare | move | move + detail | filter key"
        " | log call + re-sort | filter paste | peak MB | import rows/s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(part) for part in args.sizes.split(",")):
        db = args.books / f"book-{size}.db"
        if not db.exists():
            subprocess.run(
                [
                    sys.executable,
                    str(HERE / "generate.py"),
                    "--clients",
                    str(size),
                    "--out",
                    str(db),
                ],
                check=True,
            )
        bring_up_to_date(db)
        runs, bares = [], []
        for _ in range(args.runs):
            # The bare app runs just before each run: the machine's speed drifts, and a ratio
            # of two starts made seconds apart drifts far less than one of separate medians.
            bares.append(bare_first_paint(sys.executable))
            # Every run changes the book (a call is logged): measure on a fresh copy each time.
            copy = args.books / f"run-{size}.db"
            remove_book(copy)
            shutil.copyfile(db, copy)
            runs.append(measure_book(copy, relance, env))
            remove_book(copy)
        with tempfile.TemporaryDirectory() as work:
            rate = import_throughput(db, relance, env, Path(work))
        first = statistics.median(run.first_paint for run in runs)
        ratio = statistics.median(
            run.first_paint / bare for run, bare in zip(runs, bares, strict=True)
        )
        print(
            f"| {size:,} | {first:.3f} s | {statistics.median(bares):.3f} s | {ratio:.2f} |"
            f" {statistics.median(run.move for run in runs) * 1000:.0f} ms |"
            f" {statistics.median(run.detail for run in runs) * 1000:.0f} ms |"
            f" {statistics.median(run.filter_key for run in runs) * 1000:.0f} ms |"
            f" {statistics.median(run.call for run in runs) * 1000:.0f} ms |"
            f" {statistics.median(run.filter_paste for run in runs) * 1000:.0f} ms |"
            f" {max(run.memory_mb for run in runs):.0f} |"
            f" {rate:,.0f} |",
            flush=True,
        )
    largest = max(int(part) for part in args.sizes.split(","))
    print(f"bank statements matched against the {largest:,}-client book:", flush=True)
    # A process of its own: its peak memory is the import's, not the benchmark's.
    subprocess.run(
        [
            sys.executable,
            str(HERE / "bank_import.py"),
            "--book",
            str(args.books / f"book-{largest}.db"),
        ],
        check=True,
    )


if __name__ == "__main__":
    main()
