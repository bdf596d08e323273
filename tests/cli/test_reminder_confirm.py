"""Scenario: with no [smtp], a reminder counts only once the user says it was sent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_fixtures import Relance, ok
from smtp_server import smtp_server


def configure(text: str = "") -> None:
    """The config file: a creditor, plus whatever the test adds."""
    creditor = '[creditor]\nname = "Claire Dev"\nemail = "claire@example.fr"\n'
    config = Path(os.environ["RELANCE_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(creditor + text, encoding="utf-8")


def standing(relance: Relance) -> tuple[str, int, bool, str]:
    """The client's next action, step, not-sent marker and reason, as `today --json` has them."""
    [row] = ok(relance("today", "--json")).json()
    return row["next_action"], row["step"], row["undelivered"], row["reason"]


@pytest.fixture
def client(relance: Relance, monkeypatch: pytest.MonkeyPatch) -> None:
    """On 2 November, a client with an invoice overdue since 1 October and an e-mail address."""
    monkeypatch.setenv("RELANCE_TODAY", "2026-11-02")
    configure()
    ok(relance("client", "add", "Durand SARL", "--email", "compta@durand.fr"))
    ok(
        relance(
            "invoice", "add", "1", "F-1", "1200.00", "--issued", "2026-09-01", "--due", "2026-10-01"
        )
    )


def test_a_draft_counts_once_confirmed(
    client: None, relance: Relance, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    outbox = tmp_path / "env" / "relance-outbox"
    before = standing(relance)
    assert before[:3] == ("courteous email", 1, False)

    # Week 1: the draft is written for the user to send; it is no step yet, and is marked.
    written = ok(relance("remind", "1", "--json")).json()
    assert written["status"] == "queued"
    assert Path(written["file"]).parent == outbox / "new"
    # Exactly as before, the marker aside.
    assert standing(relance) == (*before[:2], True, before[3])
    assert (
        before[3] == "courteous email — 32 days late, no reminder yet, step 1 of 7; due since 8 Oct"
    )
    show = ok(relance("show", "1")).out
    assert "not counted until you confirm it went" in show
    # Not cited either: the next draft still reads as a first reminder.
    draft = ok(relance("remind", "1", "--dry-run", "--json")).json()
    assert draft["template"] == "courteous"
    assert "We reminded you" not in draft["body"] and "Nous vous avons relancé" not in draft["body"]

    # Two days later the user says it went: it counts from that day.
    monkeypatch.setenv("RELANCE_TODAY", "2026-11-04")
    confirmed = ok(relance("reminder", "confirm", "1"))
    assert confirmed.out == "Durand SARL: reminder confirmed as sent; it counts from 2026-11-04\n"
    action, step, marked, reason = standing(relance)
    assert reason == "second email — 34 days late, last reminder today, step 2 of 7; due on 9 Nov"
    assert (action, step, marked) == ("second email", 2, False)
    [entry] = ok(relance("outbox", "list", "--json")).json()
    assert entry["state"] == "sent"
    again = relance("reminder", "confirm", "1")
    assert again.status == 2
    assert (
        again.err == "relance: reminder: Durand SARL has no reminder waiting for you to confirm\n"
    )

    # Week 3: the second reminder, sent by hand at once with --sent, counts at once.
    monkeypatch.setenv("RELANCE_TODAY", "2026-11-16")
    draft = ok(relance("remind", "1", "--dry-run", "--json")).json()
    assert draft["template"] == "second"
    assert "4 November 2026" in draft["body"] or "4 novembre 2026" in draft["body"]
    sent = ok(relance("remind", "1", "--sent", "--json")).json()
    assert sent["status"] == "sent"
    assert standing(relance)[:3] == ("phone call", 3, False)


def test_sent_needs_no_server_and_no_dry_run(client: None, relance: Relance) -> None:
    both = relance("remind", "1", "--sent", "--dry-run")
    assert (both.status, both.err) == (2, "relance: give --sent or --dry-run, not both\n")
    with smtp_server() as server:
        configure(f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n')
        refused = relance("remind", "1", "--sent")
        assert refused.status == 2
        assert refused.err == (
            "relance: --sent is for a reminder you send yourself; [smtp] is configured\n"
        )
        assert server.received == []
    assert ok(relance("outbox", "list", "--json")).json() == []
