"""The list's reads, kept free of Textual so that the first one can start before the app does."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from relance.store.database import BookWatch
from relance.store.errors import StoreError
from relance.store.triage import (
    SortKey,
    TriageFilter,
    TriageRow,
    triage_count,
    triage_position,
    triage_window,
)

R = TypeVar("R")

# Rows asked of the database at a time; the list grows by one page as the cursor nears its end.
PAGE_SIZE = 60


@dataclass(frozen=True)
class ListRequest:
    """What the list should show: order, filter, and which client or row to highlight."""

    today: date
    sort: SortKey
    where: TriageFilter
    select_client: int | None = None
    select_index: int = 0
    reveal: bool = False
    # The header's totals do not depend on the order or the filter: only a change of the
    # book reads them again (at 100 000 clients they cost more than the list itself).
    totals: bool = True
    # Stay on the highlighted client: a move made while reading wins over select_client.
    keep_cursor: bool = False


@dataclass(frozen=True)
class ListWindow:
    """The first window of the list, with the counts and totals that go with it."""

    rows: list[TriageRow]
    total: int
    book_size: int
    cursor: int
    where: TriageFilter
    # True when the filter was lifted to show the client asked for.
    lifted: bool = False
    # The client a keep-the-cursor reload asked for (None for other reloads).
    kept: int | None = None


def fetch_list(request: ListRequest) -> ListWindow:
    """Read the first window(s) of the list, enough to reach the client to highlight."""
    where = request.where
    cursor = request.select_index
    if request.select_client is not None:
        position = triage_position(request.select_client, request.today, request.sort, where)
        if position is None and request.reveal and where != TriageFilter():
            where = TriageFilter()
            position = triage_position(request.select_client, request.today, request.sort, where)
        if position is not None:
            cursor = position
    total = triage_count(where)
    limit = (max(cursor, 0) // PAGE_SIZE + 1) * PAGE_SIZE
    rows = triage_window(request.today, request.sort, 0, limit, where, matching=total)
    cursor = max(0, min(cursor, len(rows) - 1))
    book_size = total if where == TriageFilter() else triage_count(TriageFilter())
    kept = request.select_client if request.keep_cursor else None
    return ListWindow(
        rows, total, book_size, cursor, where, lifted=where != request.where, kept=kept
    )


def fetch_page(request: ListRequest, offset: int) -> list[TriageRow]:
    """Read the window of the list that follows ``offset``."""
    return triage_window(request.today, request.sort, offset, PAGE_SIZE, request.where)


class FirstRead:
    """The list's first window, read before Textual loads.

    It comes from the indexes in a few milliseconds, so the very first frame already shows
    the clients. (A read in a thread during Textual's import would wait for the interpreter at
    every row; the header's totals, which sum the whole book, are read after the first paint.)
    """

    def __init__(self, db_path: Path, today: date) -> None:
        self.watch = BookWatch(db_path)
        self.request = ListRequest(today, SortKey.OVERDUE, TriageFilter())
        self.window: Future[ListWindow] = Future()

    def start(self) -> FirstRead:
        """Read the window now, on this thread."""
        # The baseline comes before the read, so a commit made after it is seen later.
        with contextlib.suppress(StoreError):
            self.watch.changed()
        _settle(self.window, fetch_list, self.request)
        return self


def _settle(future: Future[R], read: Callable[..., R], *args: object) -> None:
    """Put a read's result, or the error it raised, in its future."""
    try:
        future.set_result(read(*args))
    except Exception as error:  # handed over whole: the screen reports it
        future.set_exception(error)
