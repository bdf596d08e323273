"""Where the tests find the repository's files, their own data and the shared samples."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
# Small files made for the tests: CSVs, mappings.
TEST_DATA = TESTS / "data"
# The real files beside the checkout (e-invoices, bank statements), as CI lays them.
SHARED_SAMPLES = REPO.parent / "shared" / "samples"
