"""The lock that keeps a restore and the book's writers apart, across processes.

Every process that opens a book holds a shared lock on ``.NAME.lock`` beside it until it closes
the book; a restore holds it exclusively for its whole length, so nobody can commit into the
file being replaced. A second file, ``.NAME.gate``, lets a restore through a steady stream of
short commands: a restore takes it first, and a newcomer waits at it before taking its share.
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from relance.store.errors import DatabaseLocked

POLL_SECONDS = 0.02
# How long a restore waits for the commands already at work to finish before refusing.
RESTORE_PATIENCE_SECONDS = 15.0

# The shared locks this process holds, by book: one file descriptor each, and the thread that
# opened the book (the app's workers close their own connections, not the app's share).
_held: dict[Path, tuple[int, int]] = {}


def lock_file(book: Path, kind: str) -> Path:
    """The hidden lock file of a book (``lock`` or ``gate``)."""
    return book.with_name(f".{book.name}.{kind}")


def hold_shared(book: Path, patience: float) -> None:
    """Take this process's share of the book, waiting while a restore replaces it."""
    key = book.resolve()
    if key in _held:
        return
    with _taken(lock_file(book, "gate"), fcntl.LOCK_SH, patience, _restoring(book)):
        fd = _open(lock_file(book, "lock"))
        try:
            _acquire(fd, fcntl.LOCK_SH, patience, _restoring(book))
        except BaseException:
            os.close(fd)
            raise
    _held[key] = (fd, threading.get_ident())


def release_shared(book: Path, *, opener_only: bool = False) -> None:
    """Give up this process's share of the book; with ``opener_only``, only from its opener."""
    key = book.resolve()
    held = _held.get(key)
    if held is None or (opener_only and held[1] != threading.get_ident()):
        return
    del _held[key]
    os.close(held[0])


@contextmanager
def exclusive(book: Path, patience: float = RESTORE_PATIENCE_SECONDS) -> Iterator[None]:
    """Hold the book alone: no other process has it open, and none can open it meanwhile."""
    release_shared(book)
    busy = f"{book} is open in another program; close relance there and restore again"
    with (
        _taken(lock_file(book, "gate"), fcntl.LOCK_EX, patience, busy),
        _taken(lock_file(book, "lock"), fcntl.LOCK_EX, patience, busy),
    ):
        yield


def _restoring(book: Path) -> str:
    """What a command says when a restore kept the book too long."""
    return f"{book} is being restored by another relance; try again in a moment"


@contextmanager
def _taken(path: Path, mode: int, patience: float, busy: str) -> Iterator[None]:
    """Hold a lock on a file for the block."""
    fd = _open(path)
    try:
        _acquire(fd, mode, patience, busy)
        yield
    finally:
        os.close(fd)


def _open(path: Path) -> int:
    """Open (creating, private) a lock file."""
    return os.open(path, os.O_CREAT | os.O_RDWR, 0o600)


def _acquire(fd: int, mode: int, patience: float, busy: str) -> None:
    """Take a lock, polling until ``patience`` runs out (then DatabaseLocked says ``busy``)."""
    deadline = time.monotonic() + patience
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except OSError as error:
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            if time.monotonic() >= deadline:
                raise DatabaseLocked(busy) from None
            time.sleep(POLL_SECONDS)
