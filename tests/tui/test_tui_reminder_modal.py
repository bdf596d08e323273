"""The reminder modal: the rendered draft, $EDITOR, call scripts, SMS texts and broken templates."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from relance.config import Config, Creditor
from relance.services import clients, invoices
from relance.services.drafting import call_script, draft_reminder, sms_text
from relance.services.results import ActionResult
from relance.store.database import transaction
from relance.store.detail import client_detail
from relance.store.history import record_event
from relance.store.triage_index import refresh_client_summary
from relance.tui.modals.reminder import ReminderModal
from tui_fixtures import ModalHostApp, play_modal, settle

CREDITOR = Creditor(name="Camille Martin", email="camille@example.fr", iban="FR76 3000 4000")

Scenario = Callable[[ModalHostApp, Pilot[None], ReminderModal], Awaitable[None]]


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """The user's config in its own folder (templates would go beside it)."""
    folder = tmp_path / "config"
    folder.mkdir()
    return Config(path=folder / "config.toml", creditor=CREDITOR)


@pytest.fixture
def client_id(book: SqliteDatabase, at: datetime) -> int:
    """A French client with an address and two overdue invoices."""
    cid = clients.add_client(
        "Boulangerie Roux", at, email="compta@roux.example", contact_name="Jeanne Roux"
    ).client_id
    invoices.add_invoice(cid, "F-001", "1200.00", "2026-09-01", "2026-10-01", at)
    invoices.add_invoice(cid, "F-002", "800.50", "2026-09-15", "2026-10-15", at)
    return cid


def script_panel(modal: ReminderModal) -> dict[str, str]:
    """The call script or SMS panel as shown: its title, text, visibility and the step line."""
    return {
        "title": str(modal.query_one("#script-title", Static).content),
        "script": modal.query_one("#script", TextArea).text,
        "shown": str(modal.query_one("#script", TextArea).display),
        "step": shown(modal, "#field-step"),
    }


def run_modal(
    book: SqliteDatabase, today: date, config: Config, client: int, scenario: Scenario
) -> ModalHostApp:
    """Open the reminder modal at 80×24 and play the scenario."""
    app = ModalHostApp(Path(book.database), today, config)
    return play_modal(app, lambda: ReminderModal(client, "Boulangerie Roux"), scenario, settle)


def shown(modal: ReminderModal, selector: str) -> str:
    """The plain text a Static shows."""
    content = modal.query_one(selector, Static).content
    return content.plain if isinstance(content, Text) else str(content)


def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, replacement: str) -> Path:
    """An $EDITOR that keeps a copy of what it was given and writes ``replacement`` instead."""
    seen = tmp_path / "editor-saw.txt"
    script = tmp_path / "fake_editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "target = pathlib.Path(sys.argv[1])\n"
        f"pathlib.Path({str(seen)!r}).write_text(target.read_text(encoding='utf-8'), "
        "encoding='utf-8')\n"
        f"target.write_text({replacement!r}, encoding='utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    return seen


def test_opens_on_the_rendered_draft_with_its_step(
    book: SqliteDatabase, client_id: int, today: date, config: Config
) -> None:
    """Subject, body, recipients and the step/template, as drafting renders them."""
    draft = draft_reminder(client_id, today, config)
    seen: dict[str, str] = {}

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ReminderModal) -> None:
        seen["subject"] = modal.query_one("#field-subject", Input).value
        seen["body"] = modal.query_one("#field-body", TextArea).text
        seen["to"] = shown(modal, "#field-to")
        seen["step"] = shown(modal, "#field-step")
        seen["focus"] = app.focused.id if app.focused else ""
        seen["script shown"] = str(modal.query_one("#script", TextArea).display)
        await pilot.press("escape")

    app = run_modal(book, today, config, client_id, scenario)
    assert seen["subject"] == draft.subject == "Factures impayées (2) — 2 000,50 €"
    assert seen["body"] == draft.body
    assert seen["to"] == "Jeanne Roux <compta@roux.example>"
    assert seen["step"] == "courteous email · template courteous (fr)"
    assert seen["focus"] == "field-subject"
    assert seen["script shown"] == "False"
    assert app.results == [None]


def test_ctrl_e_edits_in_the_editor_and_the_edited_text_is_sent(
    book: SqliteDatabase,
    client_id: int,
    today: date,
    config: Config,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The editor gets subject and body; what it saved is in the fields and is what is sent."""
    draft = draft_reminder(client_id, today, config)
    edited = "Subject: Rappel amical\n\nBonjour Jeanne,\n\nUn petit rappel pour F-001.\n"
    seen = fake_editor(tmp_path, monkeypatch, edited)
    fields: dict[str, str] = {}

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ReminderModal) -> None:
        await pilot.press("ctrl+e")
        await settle(pilot)
        fields["subject"] = modal.query_one("#field-subject", Input).value
        fields["body"] = modal.query_one("#field-body", TextArea).text
        await pilot.press("ctrl+s")
        await settle(pilot)

    app = run_modal(book, today, config, client_id, scenario)
    assert seen.read_text(encoding="utf-8") == f"Subject: {draft.subject}\n\n{draft.body}"
    assert fields == {
        "subject": "Rappel amical",
        "body": "Bonjour Jeanne,\n\nUn petit rappel pour F-001.\n",
    }
    assert isinstance(app.results[0], ActionResult)
    event = client_detail(client_id, today).history[0]
    assert event.kind == "email"
    headers, sent = event.body.split("\n\n", 1)
    assert headers.startswith("Subject: Rappel amical\n")
    assert sent.strip() == "Bonjour Jeanne,\n\nUn petit rappel pour F-001."


def test_e_opens_the_editor_only_outside_text_fields(
    book: SqliteDatabase,
    client_id: int,
    today: date,
    config: Config,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In the subject, ``e`` is a letter; with the focus elsewhere it opens the editor."""
    seen = fake_editor(tmp_path, monkeypatch, "Subject: Par l'éditeur\n\nCorps.\n")
    fields: dict[str, str] = {}

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ReminderModal) -> None:
        await pilot.press("end", "e")
        fields["typed"] = modal.query_one("#field-subject", Input).value
        fields["editor ran"] = str(seen.exists())
        app.set_focus(None)
        await pilot.press("e")
        await settle(pilot)
        fields["subject"] = modal.query_one("#field-subject", Input).value
        await pilot.press("escape")

    run_modal(book, today, config, client_id, scenario)
    assert fields["typed"].endswith("€e")
    assert fields["editor ran"] == "False"
    assert seen.exists()
    assert fields["subject"] == "Par l'éditeur"


def test_failing_editor_keeps_the_text(
    book: SqliteDatabase,
    client_id: int,
    today: date,
    config: Config,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An editor that fails (or cannot be found) changes nothing and says why."""
    draft = draft_reminder(client_id, today, config)
    monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
    seen: dict[str, str] = {}

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ReminderModal) -> None:
        await pilot.press("ctrl+e")
        await settle(pilot)
        seen["error"] = shown(modal, "#form-error")
        seen["subject"] = modal.query_one("#field-subject", Input).value
        await pilot.press("escape")

    run_modal(book, today, config, client_id, scenario)
    assert "could not run the editor" in seen["error"]
    assert seen["subject"] == draft.subject


def test_broken_user_template_shows_the_error_and_sends_nothing(
    book: SqliteDatabase, client_id: int, today: date, config: Config
) -> None:
    """A syntax error in the user's template: file and line shown, ctrl+s sends nothing."""
    folder = config.path.parent / "templates" / "fr"
    folder.mkdir(parents=True)
    (folder / "courteous.txt").write_text("Subject: Relance\n\n{% if total %}\n{{ total }\n")
    before = len(client_detail(client_id, today).history)
    seen: dict[str, str] = {}

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ReminderModal) -> None:
        seen["error"] = shown(modal, "#form-error")
        await pilot.press("ctrl+s")
        await settle(pilot)
        seen["still open"] = str(app.screen is modal)
        await pilot.press("escape")

    app = run_modal(book, today, config, client_id, scenario)
    assert "Nothing to send:" in seen["error"]
    assert "templates/fr/courteous.txt, line 4:" in seen["error"]
    assert seen["still open"] == "True"
    assert app.results == [None]
    assert len(client_detail(client_id, today).history) == before
    outbox = Path(book.database).parent / "outbox"
    assert not outbox.exists() or not any(p.is_file() for p in outbox.rglob("*"))


def test_phone_step_shows_the_call_script(
    book: SqliteDatabase, client_id: int, today: date, config: Config, at: datetime
) -> None:
    """After two e-mails the ladder's step is the call: its script is shown with the hint."""
    with transaction():
        for day in (datetime(2026, 10, 10, 9), datetime(2026, 10, 24, 9)):
            record_event(client_id, "email", "reminder", day, channel="email")
        refresh_client_summary(client_id)
    script = call_script(client_id, today, config)
    seen: dict[str, str] = {}

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ReminderModal) -> None:
        seen.update(script_panel(modal))
        await pilot.press("escape")

    run_modal(book, today, config, client_id, scenario)
    assert seen["shown"] == "True"
    assert "log the call with c" in seen["title"]
    assert seen["script"] == script
    assert "F-001, F-002" in seen["script"]
    assert seen["step"] == "phone call · template second (fr)"


def test_sms_step_shows_the_text_to_copy(
    book: SqliteDatabase, client_id: int, today: date, tmp_path: Path
) -> None:
    """A ladder that opens with an SMS: the modal shows the text to copy, with the hint."""
    folder = tmp_path / "sms-config"
    folder.mkdir()
    sms_first = {
        "steps": [
            {"after": 3, "channel": "sms", "tone": "courteous", "template": "sms", "label": "text"},
            {"after": 10, "from": "previous", "channel": "email", "tone": "firm"},
        ]
    }
    config = Config(
        path=folder / "config.toml",
        creditor=CREDITOR,
        raw={"policy": {"ladders": {"fr-careless": sms_first}}},
    )
    text = sms_text(client_id, today, config)
    seen: dict[str, str] = {}

    async def scenario(app: ModalHostApp, pilot: Pilot[None], modal: ReminderModal) -> None:
        seen.update(script_panel(modal))
        await pilot.press("escape")

    run_modal(book, today, config, client_id, scenario)
    assert seen["shown"] == "True"
    assert seen["title"].startswith("SMS text")
    assert "copy this text into your phone" in seen["title"]
    assert seen["script"] == text
    assert "F-001" in seen["script"] and "F-002" in seen["script"]
    assert len(seen["script"]) <= 320
    # The step writes no e-mail of its own: the draft beside it uses the courteous template.
    assert seen["step"] == "text · template courteous (fr)"
