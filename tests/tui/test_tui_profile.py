"""The payer profile in the app: `b` sets it by hand; the detail shows it, the terms and flags."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from peewee import SqliteDatabase
from textual.binding import Binding

from relance.services.clients import set_legal_terms
from relance.services.payment_terms import TermsInput
from relance.services.prevention import flag_client
from relance.store.models import Client, ContactEvent
from relance.tui.main_screen import MainScreen
from relance.tui.modals.profile import ProfileModal
from tui_fixtures import make_app, run_async, screen_text, seed_book, settle

SIZE = (120, 40)


@run_async
async def test_b_sets_the_profile_and_the_detail_shows_it(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    seed_book(today)
    app = make_app(Path(book.database), tmp_path / "config.toml", today)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        row = screen.current
        assert row is not None
        text = screen_text(app)
        assert row.next_action_reason.split(" — ")[1] in text
        assert "Payer: unknown — too little history" in text
        await pilot.press("b")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ProfileModal)
        # The choice starts on the option after the current profile: careless.
        assert modal.value_of("profile") == "careless"
        await pilot.press("down")
        assert modal.value_of("profile") == "bad-faith"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "Payer: bad faith — set by hand; the rules say unknown" in screen_text(app)
    client = Client.get_by_id(row.client_id)
    assert client.profile_override == "bad-faith"
    event = ContactEvent.select().order_by(ContactEvent.id.desc()).first()
    assert (event.client_id, event.outcome) == (row.client_id, "profile-override")


def test_the_key_is_bound_and_in_the_help() -> None:
    from relance.tui.app import RelanceApp
    from relance.tui.client_table import ClientTable
    from relance.tui.help_screen import key_help

    keys = {
        line.binding_id: line.keys for line in key_help([ClientTable, MainScreen, RelanceApp], {})
    }
    assert keys["set_profile"] == "b"
    bound = {b.id: b.key for b in MainScreen.BINDINGS if isinstance(b, Binding)}
    assert bound["set_profile"] == "b"


@run_async
async def test_the_detail_shows_the_terms_and_where_deposit_and_contract_stand(
    book: SqliteDatabase, tmp_path: Path, today: date
) -> None:
    """Agreed terms replace the bare delay; the latest flag of each kind shows, a refusal too."""
    seeded = seed_book(today)
    dupont = seeded["dupont"]
    at = datetime.combine(today, time(9))
    terms = TermsInput(delay="45", end_of_month=True, methods="transfer,cheque")
    set_legal_terms(dupont, at, terms=terms)
    flag_client(dupont, "deposit-asked", at - timedelta(days=40), invoice="F-2026-031")
    flag_client(dupont, "deposit-paid", at - timedelta(days=30), invoice="F-2026-031")
    flag_client(dupont, "contract-refused", at - timedelta(days=20))
    app = make_app(Path(book.database), tmp_path / "config.toml", today)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.current is not None and screen.current.client_id == dupont
        text = screen_text(app)
    assert "terms 45 days end of month by bank transfer, cheque" in text
    paid_on, refused_on = today - timedelta(days=30), today - timedelta(days=20)
    assert (
        f"Before work: deposit paid on {paid_on} (F-2026-031) · contract refused on {refused_on}"
        in text
    )
    assert "deposit asked" not in text
