"""The kinds of letter `relance letter` writes, apart so the command line reads them cheaply."""

from __future__ import annotations

FORMAL_NOTICE = "formal-notice"
STATEMENT = "statement"
KINDS = (FORMAL_NOTICE, STATEMENT)
