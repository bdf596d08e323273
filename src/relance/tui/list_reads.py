"""The list's reads, kept free of Textual so that the first one can start before the app does."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Self, TypeVar

from relance.store.database import BookWatch
from relance.store.errors import StoreError
from relance.store.triage import (
    SortKey,
    TriageFilter,
    TriageRow,
    narrow_matches,
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

    def same_window(self, other: ListRequest) -> bool:
        """True when both ask for the same rows and cursor (the totals are read apart)."""
        return dataclasses.replace(self, totals=other.totals) == other


@dataclass(frozen=True)
class ListWindow:
    """The first window of the list, with the counts and totals that go with it."""

    rows: list[TriageRow]
    total: int
    book_size: int
    # The cursor's row among ``rows``.
    cursor: int
    where: TriageFilter
    # True when the filter was lifted to show the client asked for.
    lifted: bool = False
    # The client a keep-the-cursor reload asked for (None for other reloads).
    kept: int | None = None
    # The list position of rows[0]: past the first pages, the window starts near the cursor.
    first: int = 0


def fetch_list(request: ListRequest) -> ListWindow:
    """Read the window of the list around the client or row to highlight.

    It is the page holding that row and the page before it: a client at row 50 000 costs no
    more to show than one at the top.
    """
    where = request.where
    cursor = request.select_index
    if request.select_client is not None:
        position = triage_position(request.select_client, request.today, request.sort, where)
        if position is None and request.reveal and where != TriageFilter():
            where = TriageFilter()
            position = triage_position(request.select_client, request.today, request.sort, where)
        if position is not None:
            cursor = position
    among = narrow_matches(where)
    total = len(among) if among is not None else triage_count(where)
    page = max(0, min(cursor, total - 1)) // PAGE_SIZE
    first = max(0, page - 1) * PAGE_SIZE
    limit = (page + 1) * PAGE_SIZE - first
    rows = triage_window(
        request.today, request.sort, first, limit, where, matching=total, among=among
    )
    cursor = max(0, min(cursor - first, len(rows) - 1))
    book_size = total if where == TriageFilter() else triage_count(TriageFilter())
    kept = request.select_client if request.keep_cursor else None
    return ListWindow(
        rows,
        total,
        book_size,
        cursor,
        where,
        lifted=where != request.where,
        kept=kept,
        first=first,
    )


def fetch_page(request: ListRequest, offset: int, limit: int | None = None) -> list[TriageRow]:
    """Read a page of the list from position ``offset`` (``limit`` rows, a page by default)."""
    size = PAGE_SIZE if limit is None else limit
    return triage_window(request.today, request.sort, offset, size, request.where)


def page_before(first: int) -> tuple[int, int]:
    """The offset and length of the page that ends just before list position ``first``."""
    offset = max(0, first - PAGE_SIZE)
    return offset, first - offset


class ListRead:
    """A read of the list made before the screen asks for it, for the screen to take if it fits.

    The screen shows a window read ahead in the frame that needs it, with no worker and no
    second paint, when the window answers the very request it makes (see MainScreen.reload).
    """

    def __init__(self, watch: BookWatch, request: ListRequest) -> None:
        self.watch = watch
        self.request = request
        self.window: Future[ListWindow] = Future()

    def start(self) -> Self:
        """Read the window now, on this thread; an error is kept in the future, never raised."""
        # The baseline comes before the read, so a commit made after it is seen later.
        with contextlib.suppress(StoreError):
            self.watch.changed()
        _settle(self.window, fetch_list, self.request)
        return self


class FirstRead(ListRead):
    """The list's first window, read before Textual loads.

    It comes from the indexes in a few milliseconds, so the very first frame already shows
    the clients. (A read in a thread during Textual's import would wait for the interpreter at
    every row; the header's totals, which sum the whole book, are read after the first paint.)
    """

    def __init__(self, db_path: Path, today: date) -> None:
        super().__init__(BookWatch(db_path), ListRequest(today, SortKey.OVERDUE, TriageFilter()))


class ReadAfterSave:
    """The list read again by a form's save worker, right after the save, for the closing form.

    The form then closes onto the changed list in one frame, instead of closing first and
    painting the list once more when a second worker has read it.
    """

    def __init__(self, watch: BookWatch, request: ListRequest) -> None:
        # ``request`` leaves the client to highlight open: the save says which one it was.
        self.watch = watch
        self.request = request
        self.read: ListRead | None = None

    def after(self, client_id: int | None) -> None:
        """Read the list highlighting the saved client (in the save's worker thread)."""
        request = dataclasses.replace(self.request, select_client=client_id)
        read = ListRead(self.watch, request).start()
        # A read that failed (the book busy a moment) is left out: the screen reads afresh.
        self.read = read if read.window.exception() is None else None


def _settle(future: Future[R], read: Callable[..., R], *args: object) -> None:
    """Put a read's result, or the error it raised, in its future."""
    try:
        future.set_result(read(*args))
    except Exception as error:  # handed over whole: the screen reports it
        future.set_exception(error)
