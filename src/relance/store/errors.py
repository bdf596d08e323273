"""Storage failures, each with a message fit to show the user as it is."""

from __future__ import annotations


class StoreError(Exception):
    """A database problem the user can understand and act on."""


class NotARelanceDatabase(StoreError):
    """The file exists but is not a relance book."""


class BookDamaged(StoreError):
    """The file is a relance book, but some of its pages cannot be read any more."""


class DatabaseLocked(StoreError):
    """Another process held the database for longer than the busy timeout."""


class DatabaseUnavailable(StoreError):
    """The file cannot be opened, read or written (permissions, disk, folder)."""


class SchemaTooNew(StoreError):
    """The book was written by a newer relance than this one."""


class DatabaseReadOnly(DatabaseUnavailable):
    """The book can be read but not written (a read-only file, folder or disk)."""


class DiskFull(DatabaseUnavailable):
    """The disk holding the book has no room left for a write."""
