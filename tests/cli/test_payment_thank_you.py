"""`payment add` and the thank-you: --thank-you, --no-thank-you and [messages] thank_you."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_fixtures import Relance, ok
from smtp_server import SmtpServer, smtp_server


def configure(port: int, thank_you: str = "") -> None:
    """A creditor, the test server, and [messages] when given."""
    config = Path(os.environ["RELANCE_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    text = '[creditor]\nname = "Claire Dev"\nemail = "claire@example.fr"\n'
    text += f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
    if thank_you:
        text += f'[messages]\nthank_you = "{thank_you}"\n'
    config.write_text(text, encoding="utf-8")


@pytest.fixture
def server(relance: Relance) -> Iterator[SmtpServer]:
    """The test server, and a client owing two invoices (1200.00 and 300.00), overdue."""
    with smtp_server() as running:
        configure(running.port)
        ok(relance("client", "add", "Durand SARL", "--email", "compta@durand.fr", "--lang", "en"))
        for number, amount in (("F-1", "1200.00"), ("F-2", "300.00")):
            ok(
                relance(
                    "invoice",
                    "add",
                    "1",
                    number,
                    amount,
                    "--issued",
                    "2026-09-01",
                    "--due",
                    "2026-10-01",
                )
            )
        yield running


def steps(relance: Relance) -> tuple[str, int]:
    """The next action and step of the client."""
    [row] = ok(relance("today", "--json")).json()
    return row["next_action"], row["step"]


def test_thank_you_asked_by_flag_is_sent_and_never_a_step(
    server: SmtpServer, relance: Relance
) -> None:
    before = steps(relance)
    # Not settling anything: no thank-you even when asked, and nothing said of one.
    part = ok(relance("payment", "add", "1", "100.00", "--thank-you", "--json")).json()
    assert part["settled"] == [] and part["thank_you"] is None
    run = ok(relance("payment", "add", "1", "1100.00", "--thank-you"))
    lines = run.out.splitlines()
    assert lines[0] == "Durand SARL: payment received: €1,100.00 → F-1"
    assert lines[1] == (
        "Durand SARL: message 'Thank you for your payment' sent to compta@durand.fr"
    )
    [received] = server.received
    body = received.message.get_content()
    assert "We have received your payment of €1,100.00 on 23 November 2026. Thank you." in body
    assert "The balance of your account is now €300.00." in body
    assert steps(relance) == before
    history = ok(relance("show", "1", "--json")).json()["history"]
    assert [e["kind"] for e in history[:3]] == ["message-outbox", "message", "payment"]
    # A thank-you is no reminder of the day: a reminder may still go today.
    ok(relance("remind", "1"))
    assert len(server.received) == 2


def test_ask_by_default_only_hints_and_always_or_never_decide(
    server: SmtpServer, relance: Relance
) -> None:
    hinted = ok(relance("payment", "add", "1", "1200.00"))
    assert hinted.out.splitlines()[1] == "F-1 settled: --thank-you sends the thank-you message"
    assert server.received == []
    configure(server.port, "always")
    declined = ok(relance("payment", "add", "1", "100.00", "--no-thank-you", "--json")).json()
    assert declined["settled"] == [] and declined["thank_you"] is None
    sent = ok(relance("payment", "add", "1", "200.00", "--json")).json()
    assert sent["settled"] == ["F-2"]
    assert sent["thank_you"]["status"] == "sent"
    assert len(server.received) == 1
    assert "Your account is now up to date." in server.received[0].message.get_content()


def test_never_sends_none_and_a_client_without_address_is_refused_first(
    server: SmtpServer, relance: Relance
) -> None:
    configure(server.port, "never")
    quiet = ok(relance("payment", "add", "1", "1200.00"))
    assert quiet.out.splitlines() == ["Durand SARL: payment received: €1,200.00 → F-1"]
    ok(relance("client", "add", "No Mail"))
    refused = relance("payment", "add", "2", "10.00", "--thank-you")
    assert refused.status == 2
    assert refused.err == (
        "relance: --thank-you: the client has no e-mail address; add one to a contact\n"
    )
    assert server.received == []
    assert ok(relance("show", "2", "--json")).json()["payments"] == []
