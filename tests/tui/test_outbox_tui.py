"""The `o` key opens the outbox, whose `R` sends the queued reminders from a worker."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from peewee import SqliteDatabase

from relance.config import Config, Creditor, SmtpSettings
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.reminders import send_reminder
from relance.tui.app import RelanceApp
from relance.tui.main_screen import MainScreen
from smtp_server import Collector, free_port, start_server
from tui_fixtures import run_async, screen_text, settle

SIZE = (160, 50)


def notes(app: RelanceApp) -> list[str]:
    """The notifications shown so far."""
    return [str(note.message) for note in app._notifications]


@run_async
async def test_o_sends_what_waits_in_the_outbox(
    book: SqliteDatabase, today: date, tmp_path: Path
) -> None:
    db_path = Path(book.database)
    outbox = db_path.parent / "outbox"
    at = datetime.combine(today, time(8, 0))
    client_id = add_client("[b]Brun[/b]", at, email="compta@brun.fr").client_id
    add_invoice(client_id, "F-1", "100.00", "2026-09-01", "2026-10-01", at)
    port = free_port()
    smtp = SmtpSettings(host="127.0.0.1", port=port, security="none")
    config = Config(
        path=tmp_path / "config.toml", creditor=Creditor(email="me@example.fr"), smtp=smtp
    )
    queued = send_reminder(client_id, at, config, outbox)
    assert queued.record["status"] == "failed"
    server = start_server(Collector(), port)
    try:
        app = RelanceApp(db_path, config, today, outbox)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            await pilot.press("o", "R")
            await settle(pilot)
            assert "Done: 1 of 1 sent" in notes(app)
            # The delivery shows in the client's history, under its own mark.
            await pilot.press("escape", "enter")
            await settle(pilot)
            text = screen_text(app)
            assert "OUTBOX" in text and "reminder sent to compta@brun.fr" in text
            await pilot.press("escape", "o", "R")
            await settle(pilot)
            assert notes(app)[-1] == "No queued or failed message to send."
    finally:
        server.stop()
    assert len(server.received) == 1


@run_async
async def test_o_without_a_server_says_why_it_waits(
    book: SqliteDatabase, today: date, tmp_path: Path
) -> None:
    db_path = Path(book.database)
    outbox = db_path.parent / "outbox"
    at = datetime.combine(today, time(8, 0))
    client_id = add_client("Brun", at, email="compta@brun.fr").client_id
    add_invoice(client_id, "F-1", "100.00", "2026-09-01", "2026-10-01", at)
    config = Config(path=tmp_path / "config.toml", creditor=Creditor(email="me@example.fr"))
    send_reminder(client_id, at, config, outbox)
    app = RelanceApp(db_path, config, today, outbox)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o", "R")
        await settle(pilot)
        assert notes(app)[-1] == "Done: 0 of 1 sent; not sent: no [smtp] configured"


@run_async
async def test_a_refused_reminder_shows_on_the_row_and_in_the_detail(
    book: SqliteDatabase, today: date, tmp_path: Path
) -> None:
    db_path = Path(book.database)
    outbox = db_path.parent / "outbox"
    at = datetime.combine(today, time(8, 0))
    client_id = add_client("Brun", at, email="gone@brun.fr").client_id
    add_invoice(client_id, "F-1", "100.00", "2026-09-01", "2026-10-01", at)
    collector = Collector(refuse_recipients={"gone@brun.fr": "550 5.1.1 no such mailbox"})
    server = start_server(collector, free_port())
    try:
        smtp = SmtpSettings(host="127.0.0.1", port=server.port, security="none")
        config = Config(
            path=tmp_path / "config.toml", creditor=Creditor(email="me@example.fr"), smtp=smtp
        )
        assert send_reminder(client_id, at, config, outbox).record["status"] == "failed"
    finally:
        server.stop()
    app = RelanceApp(db_path, config, today, outbox)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = [line for line in screen_text(app).splitlines() if "│@" in line.replace(" ", "")]
        assert rows and "Brun" in rows[0], screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Not sent reminder not sent to gone@brun.fr" in text
        assert "550 5.1.1 no such mailbox" in text
