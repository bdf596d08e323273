"""Reminder drafts as the send service uses them: the listed invoices, totals and the next step."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from relance.config import Config, Creditor
from relance.services.drafting import draft_reminder
from relance.services.reminders import send_reminder
from relance.store.models import ContactEvent
from reminder_fixtures import CREDITOR, owing_client


@pytest.fixture
def outbox(tmp_path: Path) -> Path:
    """Where reminders are written."""
    return tmp_path / "data" / "relance-outbox"


def config_with(tmp_path: Path, creditor: Creditor = CREDITOR) -> Config:
    """A config file path of the test's own, with this creditor."""
    return Config(path=tmp_path / "config" / "config.toml", creditor=creditor)


def test_french_draft_lists_every_overdue_invoice_with_totals(
    book: object, at: datetime, today: date, tmp_path: Path
) -> None:
    client_id = owing_client(at)
    draft = draft_reminder(client_id, today, config_with(tmp_path))
    assert draft.subject == "Factures impayées (2) — 1 034,56 €"
    body = draft.body
    assert body.startswith("Bonjour Mme Brun,\n")
    assert "F-001    01/08/2026  31/08/2026  1 000,00  200,00    800,00    84 j" in body
    assert "F-002    01/09/2026  01/10/2026    234,56    0,00    234,56    53 j" in body
    assert "F-003" not in body
    assert "Total restant dû : 1 034,56 €" in body
    assert "FR76 3000 6000 0112 3456 7890 189" in body
    assert body.rstrip().endswith("Martin, Jeanne\njeanne@example.fr\n06 12 34 56 78")
    # Drafting writes nothing.
    assert ContactEvent.select().where(ContactEvent.kind == "email").count() == 0


def test_english_draft(book: object, at: datetime, today: date, tmp_path: Path) -> None:
    client_id = owing_client(at, language="en")
    draft = draft_reminder(client_id, today, config_with(tmp_path, Creditor()))
    assert draft.subject == "2 overdue invoices — €1,034.56"
    assert draft.body.startswith("Dear Mme Brun,\n")
    assert "F-001    2026-08-01  2026-08-31    1,000.00  200.00   800.00    84" in draft.body
    assert "F-002    2026-09-01  2026-10-01      234.56    0.00   234.56    53" in draft.body
    assert "Total due: €1,034.56" in draft.body
    assert "IBAN" not in draft.body
    assert draft.body.rstrip().endswith("Kind regards,")


def test_second_reminder_is_the_next_step(
    book: object, at: datetime, outbox: Path, tmp_path: Path
) -> None:
    client_id = owing_client(at)
    config = config_with(tmp_path)
    send_reminder(client_id, at, config, outbox, sent_by_hand=True)
    draft = draft_reminder(client_id, at.date(), config)
    assert (draft.template, draft.step_label) == ("second", "second email")
    assert draft.subject == "Nouvelle relance : 2 factures impayées — 1 034,56 €"
    assert "Nous vous avons déjà relancé le 23 novembre 2026 (e-mail)." in draft.body
