"""The benchmark's book generator writes a consistent book the app can read."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

from locations import REPO
from relance.store.database import close_database, open_database
from relance.store.models import Client, ContactEvent, Invoice, Payment
from relance.store.triage_index import open_position

GENERATOR = REPO / "bench" / "generate.py"


def load_generator():  # type: ignore[no-untyped-def]
    """Import bench/generate.py, which is a script, not part of the package."""
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_book_has_its_size_and_exact_triage_columns(tmp_path: Path) -> None:
    path = tmp_path / "bench.db"
    load_generator().generate(path, 30, date(2026, 11, 23), seed=7)
    open_database(path)
    try:
        assert Client.select().count() == 30
        assert Invoice.select().count() == 30 * 20
        assert Payment.select().count() > 0
        assert ContactEvent.select().where(ContactEvent.kind == "email").count() > 0
        late = [c for c in Client.select() if c.outstanding > 0]
        assert late, "some clients must owe money for the benchmark to mean anything"
        for client in Client.select():
            outstanding, open_count, oldest = open_position(client.id)
            assert (client.outstanding, client.open_invoices) == (outstanding, open_count)
            assert client.oldest_due_on == oldest
    finally:
        close_database()
