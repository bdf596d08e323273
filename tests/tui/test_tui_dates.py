"""Short dates on the screens near a year end: ``30 Dec`` this year, ``27 Jan 2027`` the next."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from relance.services.clients import add_client, snooze_client
from relance.services.invoices import add_invoice
from relance.tui.client_table import ClientTable
from tui_fixtures import make_app, run_async, screen_text, settle

# Four days before the year ends: next month is in another year.
YEAR_END = date(2026, 12, 28)
NARROW = (80, 24)


@pytest.fixture
def year_end(monkeypatch: pytest.MonkeyPatch) -> date:
    """The app's day moved to the end of December."""
    monkeypatch.setenv("RELANCE_TODAY", YEAR_END.isoformat())
    return YEAR_END


def seed_year_end(today: date) -> None:
    """One client snoozed into next January, one whose action fell this December."""
    at = datetime.combine(today, time(9, 30))
    later = add_client("Snoozed Into January", at).client_id
    add_invoice(later, "F-1", "100.00", "2026-10-01", "2026-10-31", at)
    snooze_client(later, "2027-01-27", at)
    soon = add_client("Due This December", at).client_id
    add_invoice(soon, "F-2", "100.00", "2026-11-16", "2026-12-16", at)


@run_async
async def test_the_narrow_list_writes_next_year_s_dates_with_their_year(
    book: SqliteDatabase, tmp_path: Path, year_end: date
) -> None:
    """At 80 columns the list shows ``27 Jan 2027``, never ``Jan 27``, and ``18 Dec`` bare."""
    seed_year_end(year_end)
    app = make_app(Path(book.database), tmp_path / "config.toml", year_end)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        table = app.screen.query_one(ClientTable)
        when = {
            row.name: str(table.get_row_at(index)[-1].plain).strip()
            for index, row in enumerate(table.triage_rows)
        }
        assert when == {"Snoozed Into January": "27 Jan 2027", "Due This December": "18 Dec"}
        shown = screen_text(app)
        assert "Jan 27" not in shown
        # The highlighted client's reason says when, with the year, the same way.
        assert "due on 27 Jan 2027" in shown.replace("│", "").replace("\n", " ")
