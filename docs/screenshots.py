"""Write the README's screenshots: the main screen on the sample book, narrow and wide.

Run with `make screenshots`; the clock is fixed so the pictures only change with the code.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import date
from pathlib import Path

from relance.config import load_config
from relance.paths import outbox_path
from relance.services.sample import load_sample
from relance.store.database import close_database, open_database
from relance.tui.app import RelanceApp

DAY = date(2026, 11, 23)
SIZES = {"screenshot.svg": (80, 24), "screenshot-wide.svg": (160, 45)}


async def shoot(db: Path, config_file: Path, target: Path, size: tuple[int, int]) -> None:
    """Open the app at one terminal size, let it load, and save what it shows."""
    app = RelanceApp(db, load_config(config_file), DAY, outbox_path(db))
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        app.save_screenshot(filename=target.name, path=str(target.parent))


def main() -> int:
    """Build a sample book in a temporary folder and shoot every size."""
    out = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "sample.db"
        open_database(db)
        load_sample(DAY)
        for name, size in SIZES.items():
            asyncio.run(shoot(db, Path(folder) / "config.toml", out / name, size))
            print(f"wrote {out / name}", file=sys.stderr)
        close_database()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
