"""Reading bank statements (camt.053/054, MT940, OFX, French bank CSV) into bank lines."""

from __future__ import annotations

from relance.importing.bank.detect import read_statement
from relance.importing.bank.errors import StatementError

__all__ = ["StatementError", "read_statement"]
