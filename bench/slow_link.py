"""Run a command in its own terminal whose output reaches ours at a limited rate (a slow link)."""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import sys
import termios
import time
import tty


def relay(command: list[str], bytes_per_second: int) -> int:
    """Run ``command`` on a new pty of our size; pass keys in, its output out at the rate."""
    size = fcntl.ioctl(sys.stdin.fileno(), termios.TIOCGWINSZ, b"\0" * 8)
    pid, master = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    fcntl.ioctl(master, termios.TIOCSWINSZ, size)
    saved = termios.tcgetattr(sys.stdin.fileno())
    tty.setraw(sys.stdin.fileno())
    # Sent in slices of a tenth of a second's worth, each after its due time, as a link would.
    chunk = max(1, bytes_per_second // 10)
    sent, began = 0, time.monotonic()
    try:
        while True:
            ready, _, _ = select.select([master, sys.stdin.fileno()], [], [])
            if sys.stdin.fileno() in ready:
                os.write(master, os.read(sys.stdin.fileno(), 1024))
            if master in ready:
                try:
                    data = os.read(master, chunk)
                except OSError:
                    break
                if not data:
                    break
                due = began + (sent + len(data)) / bytes_per_second
                time.sleep(max(0.0, due - time.monotonic()))
                os.write(sys.stdout.fileno(), data)
                sent += len(data)
    finally:
        termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, saved)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def main() -> None:
    """Parse the rate and the command."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bytes-per-second", type=int, default=4000)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    raise SystemExit(relay(args.command, args.bytes_per_second))


if __name__ == "__main__":
    main()
