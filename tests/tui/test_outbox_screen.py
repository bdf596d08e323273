"""The outbox screen (`o`): every message with its reason, and keys that send, discard, redirect
and read, through the same services as `relance outbox`, against a real SMTP server."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from relance.config import Config, Creditor, SmtpSettings
from relance.delivery.outbox import Outbox, OutboxEntry
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.reminders import send_reminder
from relance.store.clients import OtherContact, insert_other_contacts
from relance.store.database import transaction
from relance.store.detail import client_detail
from relance.tui.app import RelanceApp
from relance.tui.help_screen import HelpScreen
from relance.tui.main_screen import MainScreen
from relance.tui.modals.outbox import MessageModal, RedirectMessageModal
from relance.tui.outbox_screen import EMPTY, OutboxScreen
from smtp_server import Collector, SmtpServer, free_port, start_server
from tui_fixtures import run_async, screen_text, settle

NARROW = (80, 24)
GONE = "gone@brun.fr"
REFUSAL = "550 5.1.1 no such mailbox"
SnapCompare = Callable[..., bool]


class MiddayClock(datetime):
    """A wall clock that always reads noon, after every set-up hour below."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> MiddayClock:
        """Noon of the system's day."""
        return cls.combine(date.today(), time(12, 0))


@pytest.fixture(autouse=True)
def midday(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the time of day the app stamps its actions with.

    The app's actions fall on the session's day at the wall clock's time; set up at 08:00, a
    client would otherwise have its history out of order in a run before 08:00.
    """
    monkeypatch.setattr("relance.clock.datetime", MiddayClock)


def moment(today: date, hour: int) -> datetime:
    """An hour of the session's day."""
    return datetime.combine(today, time(hour, 0))


def owing(name: str, email: str, today: date, hour: int = 8) -> int:
    """A client with one invoice overdue since October."""
    client_id = add_client(name, moment(today, hour), email=email).client_id
    number = f"F-{client_id}"
    add_invoice(client_id, number, "100.00", "2026-09-01", "2026-10-01", moment(today, hour))
    return client_id


def config_for(tmp_path: Path, port: int | None) -> Config:
    """A config sending through 127.0.0.1 at this port, or with no `[smtp]` at all."""
    smtp = SmtpSettings(host="127.0.0.1", port=port, security="none") if port else None
    return Config(
        path=tmp_path / "config.toml", creditor=Creditor(email="me@example.fr"), smtp=smtp
    )


def outbox_of(book: SqliteDatabase) -> Path:
    """The outbox beside the test's book."""
    return Path(book.database).parent / "outbox"


def entries(book: SqliteDatabase) -> list[OutboxEntry]:
    """What the outbox holds now, oldest first."""
    return Outbox(outbox_of(book)).entries()


def history(client_id: int, today: date) -> list[str]:
    """The client's history summaries, newest first."""
    return [event.summary for event in client_detail(client_id, today).history]


def refused_reminder(book: SqliteDatabase, tmp_path: Path, today: date) -> tuple[int, Config]:
    """A reminder the server refused for good (550), and the config that sent it."""
    client_id = owing("Atelier Brun", GONE, today)
    server = start_server(Collector(refuse_recipients={GONE: REFUSAL}), free_port())
    try:
        config = config_for(tmp_path, server.port)
        sent = send_reminder(client_id, moment(today, 8), config, outbox_of(book))
        assert sent.record["status"] == "failed"
    finally:
        server.stop()
    assert [entry.state for entry in entries(book) if entry.client_id == client_id] == ["refused"]
    return client_id, config


async def open_outbox(pilot: Pilot[Any]) -> OutboxScreen:
    """Press `o` on the main screen and wait for the outbox to be read."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, MainScreen)
    await pilot.press("o")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, OutboxScreen)
    return screen


def outbox_rows(app: RelanceApp) -> list[list[str]]:
    """The outbox table's rows as plain text cells."""
    table = app.screen.query_one("#outbox-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


def about(app: RelanceApp) -> str:
    """The lines under the outbox's list: the highlighted message's recipients and reason."""
    return str(app.screen.query_one("#outbox-about", Static).content)


def notes(app: RelanceApp) -> list[str]:
    """The notifications shown so far."""
    return [str(note.message) for note in app._notifications]


@run_async
async def test_the_outbox_lists_every_state_with_its_reason(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    outbox = outbox_of(book)
    waiting = owing("Waiting Co", "a@waiting.fr", today, hour=7)
    send_reminder(waiting, moment(today, 7), config_for(tmp_path, None), outbox)
    refused_reminder(book, tmp_path, today)
    down = owing("Down Co", "b@down.fr", today, hour=9)
    # Nobody listens on this port: a temporary failure, retried later.
    send_reminder(down, moment(today, 9), config_for(tmp_path, free_port()), outbox)
    server = start_server(Collector(), free_port())
    try:
        sent = owing("Sent Co", "c@sent.fr", today, hour=10)
        send_reminder(sent, moment(today, 10), config_for(tmp_path, server.port), outbox)
    finally:
        server.stop()
    app = RelanceApp(Path(book.database), config_for(tmp_path, None), today, outbox)
    async with app.run_test(size=NARROW) as pilot:
        await open_outbox(pilot)
        rows = outbox_rows(app)
        assert [(row[0], row[2], row[4]) for row in rows] == [
            ("queued", "Waiting Co", "0"),
            ("refused", "Atelier Brun", "1"),
            ("failed", "Down Co", "1"),
            ("sent", "Sent Co", "1"),
        ]
        assert all(row[1] == today.isoformat() for row in rows)
        text = screen_text(app)
        assert "Outbox · 3 waiting · 1 sent" in text
        assert "To a@waiting.fr" in about(app)
        assert "Reason no [smtp] configured" in about(app)
        await pilot.press("down")
        await pilot.pause()
        assert f"To {GONE}" in about(app)
        assert f"Reason the server refused every recipient: {GONE}: {REFUSAL}" in about(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


@run_async
async def test_an_empty_outbox_says_so(book: SqliteDatabase, tmp_path: Path, today: date) -> None:
    app = RelanceApp(Path(book.database), config_for(tmp_path, None), today, outbox_of(book))
    async with app.run_test(size=NARROW) as pilot:
        await open_outbox(pilot)
        assert EMPTY[:60] in screen_text(app)
        await pilot.press("R")
        await settle(pilot)
        assert notes(app)[-1] == "No queued or failed message to send."


@run_async
async def test_r_sends_a_failed_message_once_the_server_is_up(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    outbox = outbox_of(book)
    client_id = owing("[b]Brun[/b]", "compta@brun.fr", today)
    port = free_port()
    config = config_for(tmp_path, port)
    assert send_reminder(client_id, moment(today, 8), config, outbox).record["status"] == "failed"
    app = RelanceApp(Path(book.database), config, today, outbox)
    server = start_server(Collector(), port)
    try:
        async with app.run_test(size=NARROW) as pilot:
            await open_outbox(pilot)
            assert outbox_rows(app)[0][0] == "failed"
            await pilot.press("r")
            await settle(pilot)
            assert outbox_rows(app)[0][0] == "sent"
            assert outbox_rows(app)[0][4] == "2"
            assert notes(app)[-1] == "Done: 1 of 1 sent"
            assert "Done: 1 of 1 sent" in screen_text(app)
            # Back on the list, the row has lost its `@` (latest reminder not sent).
            await pilot.press("escape")
            await settle(pilot)
            row = next(line for line in screen_text(app).splitlines() if "[b]Brun[/b]" in line)
            assert "@" not in row
    finally:
        server.stop()
    [received] = server.received
    assert received.rcpt_tos == ["compta@brun.fr"]
    assert history(client_id, today)[0] == "reminder sent to compta@brun.fr by 127.0.0.1"


@run_async
async def test_a_550_refusal_shows_its_reason_and_marks_the_row(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    outbox = outbox_of(book)
    client_id = owing("Atelier Brun", GONE, today)
    port = free_port()
    config = config_for(tmp_path, port)
    send_reminder(client_id, moment(today, 8), config, outbox)
    server = start_server(Collector(refuse_recipients={GONE: REFUSAL}), port)
    try:
        app = RelanceApp(Path(book.database), config, today, outbox)
        async with app.run_test(size=NARROW) as pilot:
            await open_outbox(pilot)
            await pilot.press("r")
            await settle(pilot)
            assert outbox_rows(app)[0][0] == "refused"
            assert REFUSAL in about(app)
            assert REFUSAL in notes(app)[-1]
            # Refused for good: "send all" leaves it for the user to decide.
            await pilot.press("R")
            await settle(pilot)
            assert notes(app)[-1] == (
                "No queued or failed message to send (a refused one is sent again with r)."
            )
            await pilot.press("escape")
            await settle(pilot)
            row = next(line for line in screen_text(app).splitlines() if "Atelier Brun" in line)
            assert "@" in row
    finally:
        server.stop()
    assert server.received == []
    # The refusal is told, and then the address is marked bounced with the server's reply.
    marked, refused = history(client_id, today)[:2]
    assert refused.startswith(f"reminder not sent to {GONE}, refused for good")
    assert f"{GONE} marked bounced: 550" in marked


@run_async
async def test_d_discards_a_refused_message_for_good(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id, config = refused_reminder(book, tmp_path, today)
    app = RelanceApp(Path(book.database), config, today, outbox_of(book))
    async with app.run_test(size=NARROW) as pilot:
        await open_outbox(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert "Discard the message · Atelier Brun" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OutboxScreen)
        assert EMPTY[:60] in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        row = next(line for line in screen_text(app).splitlines() if "Atelier Brun" in line)
        assert "@" not in row
    assert entries(book) == []
    assert history(client_id, today)[0].startswith("reminder discarded from the outbox: ")


@run_async
async def test_escape_keeps_the_message_in_the_discard_form(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id, config = refused_reminder(book, tmp_path, today)
    before = history(client_id, today)
    app = RelanceApp(Path(book.database), config, today, outbox_of(book))
    async with app.run_test(size=NARROW) as pilot:
        await open_outbox(pilot)
        await pilot.press("d", "escape")
        await settle(pilot)
        assert isinstance(app.screen, OutboxScreen)
    assert [entry.state for entry in entries(book)] == ["refused"]
    assert history(client_id, today) == before


def add_second_address(client_id: int, address: str) -> None:
    """A second contact with its own address (as an import or the sample would store it)."""
    with transaction():
        insert_other_contacts(client_id, [OtherContact("Paie", "accounts", address, "", "")])


@run_async
async def test_t_redirects_to_the_clients_other_address_then_sends(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id, _ = refused_reminder(book, tmp_path, today)
    add_second_address(client_id, "paie@brun.fr")
    server = start_server(Collector(refuse_recipients={GONE: REFUSAL}), free_port())
    try:
        config = config_for(tmp_path, server.port)
        app = RelanceApp(Path(book.database), config, today, outbox_of(book))
        async with app.run_test(size=NARROW) as pilot:
            await open_outbox(pilot)
            await pilot.press("t")
            await settle(pilot)
            modal = app.screen
            assert isinstance(modal, RedirectMessageModal)
            assert modal.value_of("address") == "paie@brun.fr"
            assert "The client's other addresses: paie@brun.fr" in screen_text(app)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, OutboxScreen)
            assert outbox_rows(app)[0][0] == "sent"
            assert notes(app)[-1] == ("Atelier Brun: reminder redirected to paie@brun.fr, sent")
    finally:
        server.stop()
    [received] = server.received
    assert received.rcpt_tos == ["paie@brun.fr"]
    assert received.message["To"] == "paie@brun.fr"
    assert history(client_id, today)[:2] == [
        "reminder sent to paie@brun.fr by 127.0.0.1",
        f"reminder redirected from {GONE} to paie@brun.fr, queued",
    ]


@run_async
async def test_a_bad_redirect_address_is_refused_next_to_the_field(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    client_id, config = refused_reminder(book, tmp_path, today)
    before = history(client_id, today)
    [entry] = entries(book)
    state_file = outbox_of(book) / "state" / f"{entry.name}.json"
    state_before = state_file.read_bytes()
    app = RelanceApp(Path(book.database), config, today, outbox_of(book))
    async with app.run_test(size=NARROW) as pilot:
        await open_outbox(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert app.screen.query_one("#field-address").has_focus
        await pilot.press(*"a@b", "ctrl+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RedirectMessageModal)
        error = modal.query_one("#error-address")
        assert error.has_class("-shown")
        assert "not an e-mail address: 'a@b'" in screen_text(app)
    assert history(client_id, today) == before
    assert state_file.read_bytes() == state_before
    assert json.loads(state_before)["to"] == [GONE]
    assert [entry.state for entry in entries(book)] == ["refused"]


@run_async
async def test_enter_reads_the_whole_message_literally(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    outbox = outbox_of(book)
    client_id = owing("[b]Brun[/b]", "compta@brun.fr", today)
    # Edited by hand: markup and an escape sequence, which must show as typed.
    body = "Bonjour [bold red]Brun[/],\n\x1b[31mmerci de régler F-1.\n\nJeanne"
    config = config_for(tmp_path, None)
    send_reminder(client_id, moment(today, 8), config, outbox, body=body)
    [entry] = entries(book)
    app = RelanceApp(Path(book.database), config_for(tmp_path, None), today, outbox)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_outbox(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MessageModal)
        text = screen_text(app)
        assert f"Subject: {entry.subject}"[:60] in text
        assert "To: compta@brun.fr" in text
        assert "Bonjour [bold red]Brun[/]," in text
        assert "\\x1b[31mmerci de régler F-1." in text
        assert "Jeanne" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OutboxScreen)


@dataclass
class GatedCollector(Collector):
    """A server that holds every message after the first until the test opens the gate."""

    gate: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Take the first message at once, the next ones once the gate is open."""
        if self.received:
            await asyncio.get_running_loop().run_in_executor(None, self.gate.wait, 30)
        return await super().handle_DATA(server, session, envelope)


@run_async
async def test_sending_all_runs_in_a_worker_and_shows_its_progress(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    outbox = outbox_of(book)
    port = free_port()
    config = config_for(tmp_path, port)
    for hour, name in ((8, "Alpha"), (9, "Beta")):
        client_id = owing(name, f"compta@{name.lower()}.fr", today, hour=hour)
        send_reminder(client_id, moment(today, hour), config, outbox)
    collector = GatedCollector()
    server: SmtpServer = start_server(collector, port)
    try:
        app = RelanceApp(Path(book.database), config, today, outbox)
        async with app.run_test(size=NARROW) as pilot:
            screen = await open_outbox(pilot)
            await pilot.press("R")
            for _ in range(200):
                if "Sending: 1 of 2 tried…" in screen_text(app):
                    break
                await pilot.pause(0.02)
            assert "Sending: 1 of 2 tried…" in screen_text(app)
            # The second message is held by the server, yet the screen still answers keys.
            table = screen.query_one("#outbox-table", DataTable)
            await pilot.press("down")
            await pilot.pause()
            assert table.cursor_row == 1
            await pilot.press("r")
            await pilot.pause()
            assert notes(app)[-1] == "The outbox is sending: wait until it is done."
            collector.gate.set()
            await settle(pilot)
            assert "Done: 2 of 2 sent" in screen_text(app)
            assert [row[0] for row in outbox_rows(app)] == ["sent", "sent"]
    finally:
        collector.gate.set()
        server.stop()
    assert len(server.received) == 2


@run_async
async def test_the_help_lists_the_outbox_keys(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    lines = {line.binding_id: line for line in MainScreen.key_help_for({"outbox_discard": "x"})}
    assert lines["outbox_retry"].keys == "r"
    assert lines["outbox_retry_all"].keys == "R"
    assert lines["outbox_discard"].keys == "x"
    assert lines["outbox_redirect"].keys == "t"
    assert lines["outbox_read"].keys == "enter, v"
    app = RelanceApp(Path(book.database), config_for(tmp_path, None), today, outbox_of(book))
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = {line.binding_id: line.description for line in app.screen.keys}
        assert shown["outbox_redirect"] == "outbox: redirect to another address"
        assert [line.binding_id for line in app.screen.keys].count("outbox_read") == 1
        assert "outbox_redirect" in screen_text(app)


def test_outbox_screen_at_80x24(
    snap_compare: SnapCompare, book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    """A queued, a refused and a sent message; the queued one's reason under the list."""
    outbox = outbox_of(book)
    waiting = owing("Waiting Co", "a@waiting.fr", today, hour=7)
    send_reminder(waiting, moment(today, 7), config_for(tmp_path, None), outbox)
    refused_reminder(book, tmp_path, today)
    server = start_server(Collector(), free_port())
    try:
        sent = owing("Sent Co", "c@sent.fr", today, hour=10)
        send_reminder(sent, moment(today, 10), config_for(tmp_path, server.port), outbox)
    finally:
        server.stop()
    app = RelanceApp(Path(book.database), config_for(tmp_path, None), today, outbox)

    async def opened(pilot: Pilot[Any]) -> None:
        """Open the outbox."""
        await open_outbox(pilot)

    assert snap_compare(app, terminal_size=NARROW, run_before=opened)
