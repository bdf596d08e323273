"""The one error every bank statement reader raises: where in the file, and what is wrong."""

from __future__ import annotations


class StatementError(ValueError):
    """A file that cannot be read as a bank statement; the message names the line or element."""
