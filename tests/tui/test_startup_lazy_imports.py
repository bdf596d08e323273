"""Start-up's lazy imports: what the app's first frame must not have loaded, in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from relance.store.database import close_database
from tui_fixtures import seed_book

# Every module the first frame must do without, and the measure that keeps it out.
DEFERRED_PACKAGES = {
    # The forms are imported when one first opens (the main screen's form actions).
    "relance.tui.modals": "forms load when they open",
    "relance.tui.import_screen": "the import screen loads when `I` is pressed",
    "relance.tui.outbox_screen": "the outbox screen loads when `o` is pressed",
    # The detail is read once the list is painted, and with it the claims and their rates.
    "relance.services.claims": "the detail and its claim are read after the first paint",
    "relance.store.detail": "the detail is read after the first paint",
    # Public holidays are loaded after the first paint, before the first save needs them.
    "holidays": "holidays load after the first paint",
    # Mail, letters and messages are needed only by the actions that send or write them.
    "relance.delivery": "SMTP, the outbox and PDF letters load on use",
    "relance.messages": "templates load when a message is drafted",
    "relance.services.letters": "the letters service loads at a letter step",
    "relance.services.outbox": "the outbox service loads with the outbox screen (`o`)",
    "relance.importing": "importers load with `I`",
    "jinja2": "templates load when a message is drafted",
    "fpdf": "PDF letters load on use",
    "segno": "the EPC QR code loads when a formal letter draws one",
    "pypdf": "PDF reading loads with an e-invoice import",
    "email": "MIME loads when a message is sent",
    "smtplib": "SMTP loads when a message is sent",
}

PROBE = """
import asyncio, json, sys
from datetime import date
from pathlib import Path

db, today = Path(sys.argv[1]), date.fromisoformat(sys.argv[2])
from relance.tui import main_screen

seen = {}
painted = main_screen.MainScreen._first_list_painted

def spy(self):
    seen["modules"] = sorted(sys.modules)
    painted(self)

main_screen.MainScreen._first_list_painted = spy
from relance.config import load_config
from relance.paths import outbox_path
from relance.store.database import open_database
from relance.tui.app import RelanceApp
from relance.tui.list_reads import FirstRead

open_database(db)
first = FirstRead(db, today).start()
app = RelanceApp(db, load_config(), today, outbox_path(db), first_read=first)

async def run():
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(500):
            if "modules" in seen:
                break
            await pilot.pause(0.02)

asyncio.run(run())
print(json.dumps(seen.get("modules")))
"""


@pytest.fixture
def modules_at_first_paint(book: SqliteDatabase, today: date) -> list[str]:
    """The modules a fresh process had loaded when the app's first list was painted."""
    seed_book(today)
    path = Path(book.database)
    close_database()
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(path), today.isoformat()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    modules: list[str] | None = json.loads(done.stdout.strip().splitlines()[-1])
    assert modules is not None, "the first list was never painted"
    return modules


def test_the_first_frame_loads_none_of_the_deferred_modules(
    modules_at_first_paint: list[str],
) -> None:
    loaded = {
        package: why
        for package, why in DEFERRED_PACKAGES.items()
        if any(name == package or name.startswith(f"{package}.") for name in modules_at_first_paint)
    }
    assert loaded == {}


def test_the_probe_sees_the_modules_the_first_frame_needs(
    modules_at_first_paint: list[str],
) -> None:
    # Proof that the probe ran inside the app: the list and the screen were loaded.
    assert {"relance.tui.main_screen", "relance.store.triage", "textual"} <= set(
        modules_at_first_paint
    )
