"""A small deterministic book for the TUI tests, written through the services."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.worker import WorkerCancelled, WorkerFailed

from relance.config import Config
from relance.services.calls import log_call
from relance.services.clients import add_client, add_note, set_dispute, snooze_client
from relance.services.invoices import add_invoice
from relance.services.payments import record_payment
from relance.services.plans import propose_plan
from relance.services.results import ActionResult
from relance.tui.app import RelanceApp

MARKUP_NAME = "[bold red]ACME[/]"
ESCAPE_NOTE = "\x1b[31mred alert\x1b[0m"
# When a modal on ModalHostApp acts: a fixed moment on the session's day.
ACTION_MOMENT = time(10, 15)


def moment(today: date, days_ago: int, hour: int = 9, minute: int = 30) -> datetime:
    """A fixed moment some days before today."""
    return datetime.combine(today - timedelta(days=days_ago), time(hour, minute))


def day(today: date, offset: int) -> str:
    """An ISO date some days from today (negative: in the past)."""
    return (today + timedelta(days=offset)).isoformat()


def seed_book(today: date) -> dict[str, int]:
    """Eight clients covering every marker: late, disputed, promised, planned, snoozed, paid."""
    ids: dict[str, int] = {}

    def client(key: str, name: str, days_ago: int, **extra: str) -> int:
        ids[key] = add_client(name, moment(today, days_ago), **extra).client_id
        return ids[key]

    def invoice(client_id: int, number: str, amount: str, issued: int, due: int) -> None:
        add_invoice(
            client_id, number, amount, day(today, issued), day(today, due), moment(today, -issued)
        )

    dupont = client(
        "dupont",
        "Atelier Dupont SARL",
        300,
        email="compta@dupont.example",
        phone="+33 4 72 00 00 01",
        contact_name="Jeanne Dupont",
        address="3 quai Saint-Vincent, 69001 Lyon",
    )
    invoice(dupont, "F-2026-031", "4800.00", -150, -120)
    record_payment(dupont, "1200.00", moment(today, 60), method="transfer")
    log_call(dupont, "voicemail", moment(today, 5), note="left a message with reception")

    northwind = client(
        "northwind", "Northwind Trading Ltd", 280, email="ap@northwind.example", language="en"
    )
    invoice(northwind, "F-2026-044", "12500.00", -105, -75)
    set_dispute(northwind, True, moment(today, 10), note="says the API work was not delivered")

    martin = client("martin", "Boulangerie Martin", 250, phone="+33 6 12 34 56 78")
    invoice(martin, "F-2026-058", "950.00", -57, -27)
    invoice(martin, "F-2026-071", "480.00", -20, 10)
    log_call(
        martin,
        "promised",
        moment(today, 2, 11, 15),
        promised_amount="950.00",
        promised_on=day(today, 5),
        who="M. Martin",
    )

    moreau = client("moreau", "Claire Moreau", 90, kind="b2c", email="claire@moreau.example")
    invoice(moreau, "F-2026-080", "600.00", -16, 14)

    lumiere = client("lumiere", "Studio Lumière", 200, email="admin@lumiere.example")
    invoice(lumiere, "F-2026-049", "3200.00", -75, -45)
    propose_plan(lumiere, "3", moment(today, 3, 16, 0), every="month", first=day(today, 7))

    belvedere = client("belvedere", "Hôtel Belvédère", 220, phone="+33 4 50 00 00 02")
    invoice(belvedere, "F-2026-052", "2150.00", -63, -33)
    snooze_client(belvedere, day(today, 7), moment(today, 1, 14, 0))

    leaf = client("leaf", "Green Leaf Cafe", 120, language="en", email="hello@greenleaf.example")
    invoice(leaf, "F-2026-066", "1100.00", -40, -10)
    add_note(leaf, "Owner back from holiday on Monday.", moment(today, 4, 17, 45))

    zen = client("zen", "Zen Yoga", 100, kind="b2c")
    invoice(zen, "F-2026-060", "300.00", -50, -20)
    record_payment(zen, "300.00", moment(today, 18), method="card")
    return ids


def seed_markup_client(today: date) -> int:
    """A client whose name is Rich markup and whose note holds an escape sequence."""
    client_id = add_client(MARKUP_NAME, moment(today, 30)).client_id
    add_invoice(
        client_id, "[i]INV-1[/i]", "999.00", day(today, -60), day(today, -30), moment(today, 60)
    )
    add_note(client_id, ESCAPE_NOTE, moment(today, 1, 8, 0))
    return client_id


def make_app(db_path: Path, config_path: Path, today: date, **extra: object) -> RelanceApp:
    """The app over a book, with a config file under the test's folder."""
    config = Config(path=config_path)
    return RelanceApp(db_path, config, today, db_path.parent / "outbox", **extra)  # type: ignore[arg-type]


def screen_text(app: RelanceApp) -> str:
    """Everything on the screen as plain text, one line per row, as the terminal would show it."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False)


async def settle(pilot: Pilot[Any], delay: float = 0.0) -> None:
    """Let timers due within ``delay`` fire, every worker finish and every message be handled."""
    await pilot.pause(delay)
    for _ in range(4):
        # A worker that failed re-raises here; the app reports it, the test checks the report.
        # An exclusive worker (the book watch on a short interval) may be cancelled by its
        # next run while we wait: that is the app working, not a failure.
        with contextlib.suppress(WorkerFailed, WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def run_async(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test on a fresh event loop (no async pytest plugin is installed)."""

    @functools.wraps(test)
    def runner(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return runner


class ModalHostApp(App[None]):
    """A bare app with what the modals read from RelanceApp, to test one modal on its own."""

    def __init__(self, db_path: Path, today: date, config: Config) -> None:
        """Stand in for RelanceApp on one book, one day and one config."""
        super().__init__()
        self.db_path = db_path
        self.today = today
        self.config = config
        self.outbox = db_path.parent / "outbox"
        self.results: list[ActionResult | None] = []

    def action_time(self) -> datetime:
        """A fixed moment on the session's day."""
        return datetime.combine(self.today, ACTION_MOMENT)


ModalT = TypeVar("ModalT", bound=Screen[Any])


def play_modal(
    app: ModalHostApp,
    make_modal: Callable[[], ModalT],
    scenario: Callable[[ModalHostApp, Pilot[None], ModalT], Awaitable[None]],
    settle: Callable[[Pilot[Any]], Awaitable[None]],
) -> ModalHostApp:
    """Open the modal on the host app at 80×24, let it settle, then play the scenario."""

    async def play() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            modal = make_modal()
            app.push_screen(modal, app.results.append)
            await settle(pilot)
            await scenario(app, pilot, modal)

    asyncio.run(play())
    return app
