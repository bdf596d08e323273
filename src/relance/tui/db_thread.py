"""Running store and service calls from Textual thread workers."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from relance.store.database import close_database

P = ParamSpec("P")
R = TypeVar("R")


def in_db_thread(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Call a store or service function and close this thread's connection afterwards.

    Peewee opens one SQLite connection per thread; worker threads are short-lived, so each
    closes its own connection instead of leaving it to the garbage collector.
    """
    try:
        return function(*args, **kwargs)
    finally:
        close_database()
