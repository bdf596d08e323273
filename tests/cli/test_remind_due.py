"""`relance remind --due`: the morning batch, safe from cron, through a real SMTP server."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli_fixtures import Relance, Run, ok
from relance.cli import main
from smtp_server import SmtpServer, smtp_server


def on_day(monkeypatch: pytest.MonkeyPatch, day: str, relance: Relance, *argv: str) -> Run:
    """Run a command as if on another day, then come back to the fixed today."""
    monkeypatch.setenv("RELANCE_TODAY", day)
    try:
        return ok(relance(*argv))
    finally:
        monkeypatch.setenv("RELANCE_TODAY", "2026-11-23")


def add(relance: Relance, name: str, *, email: str = "", due: str = "2026-10-01") -> None:
    """A client with one overdue invoice."""
    options = ["--email", email] if email else []
    ok(relance("client", "add", name, *options))
    number = "F-" + name.split()[0]
    ok(relance("invoice", "add", name, number, "500.00", "--issued", "2026-09-01", "--due", due))


@pytest.fixture
def book(relance: Relance, monkeypatch: pytest.MonkeyPatch) -> None:
    """One client due for an e-mail, and one for each reason the batch leaves a client out."""
    ok(relance("init"))
    add(relance, "Durand SARL", email="compta@durand.fr")
    add(relance, "Lefort BTP", email="compta@lefort.fr")
    # A formal notice sent three weeks ago: the next step is the legal route, not an e-mail.
    on_day(monkeypatch, "2026-11-02", relance, "log", "Lefort BTP", "letter")
    add(relance, "Sans Adresse")
    add(relance, "Querelle SA", email="a@querelle.fr")
    on_day(monkeypatch, "2026-11-10", relance, "dispute", "Querelle SA", "on")
    # Not due yet: nothing to say about it.
    add(relance, "Ponctuel", email="p@ponctuel.fr", due="2026-11-30")


def configure(server: SmtpServer | None) -> None:
    """Write the config file: a creditor, and [smtp] when a server is given."""
    text = '[creditor]\nname = "Claire Dev"\nemail = "claire@example.fr"\n'
    if server is not None:
        text += f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n'
    Path(os.environ["RELANCE_CONFIG"]).write_text(text, encoding="utf-8")


def book_data(relance: Relance) -> dict[str, Any]:
    """Everything in the book, from a JSON export, without the moment of the export."""
    data: dict[str, Any] = ok(relance("export", "--format", "json")).json()
    data.pop("exported_at")
    return data


def statuses(run: Run) -> dict[str, tuple[str, str | None]]:
    """Client → (status, reason) from a `--json` run."""
    return {line["client"]: (line["status"], line["reason"]) for line in run.json()["clients"]}


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    """A real SMTP server, set in the config."""
    with smtp_server() as running:
        configure(running)
        yield running


def test_twice_the_same_day_sends_once(book: None, relance: Relance, server: SmtpServer) -> None:
    first = ok(relance("remind", "--due"))
    lines = first.out.splitlines()
    assert lines[0] == "sent 1, queued 0, failed 0, skipped 3"
    assert any(line.split()[:3] == ["sent", "Durand", "SARL"] for line in lines)
    assert len(server.received) == 1
    assert server.received[0].rcpt_tos == ["compta@durand.fr"]
    assert "F-Durand" in server.received[0].message.get_content()

    second = ok(relance("remind", "--due", "--json"))
    assert second.json()["counts"] == {
        "sent": 0,
        "queued": 0,
        "failed": 0,
        "skipped": 4,
        "would send": 0,
    }
    assert statuses(second)["Durand SARL"] == ("skipped", "already reminded today")
    assert len(server.received) == 1, "no client gets a second reminder the same day"
    history = ok(relance("show", "Durand SARL", "--json")).json()["history"]
    assert [e["kind"] for e in history].count("email") == 1


def test_every_left_out_client_says_why(book: None, relance: Relance, server: SmtpServer) -> None:
    done = statuses(ok(relance("remind", "--due", "--json")))
    assert done["Durand SARL"] == ("sent", None)
    status, reason = done["Lefort BTP"]
    assert status == "skipped" and reason is not None and "not an e-mail" in reason
    assert done["Sans Adresse"] == ("skipped", "no e-mail address: add one to a contact")
    status, reason = done["Querelle SA"]
    assert status == "skipped" and reason is not None and reason.startswith("disputed")
    assert "Ponctuel" not in done


def test_a_dry_run_writes_nothing(
    book: None, relance: Relance, server: SmtpServer, tmp_path: Path
) -> None:
    before = book_data(relance)
    run = ok(relance("remind", "--due", "--dry-run"))
    assert run.out.splitlines()[0] == "would send 1, skipped 3, failed 0"
    assert "would send Durand SARL — " in run.out
    as_json = ok(relance("remind", "--due", "--dry-run", "--json")).json()
    assert as_json["dry_run"] is True and as_json["counts"]["would send"] == 1
    assert book_data(relance) == before
    assert server.received == []
    assert not (tmp_path / "env" / "relance-outbox").exists()


def test_a_refusing_server_fails_the_run_and_retry_sends_once(
    book: None, relance: Relance, server: SmtpServer
) -> None:
    server.collector.refuse = "550 5.1.1 no such mailbox"
    run = relance("remind", "--due")
    assert run.status == 1
    assert "failed 1" in run.out.splitlines()[0]
    assert "550 5.1.1 no such mailbox" in run.out
    listed = ok(relance("outbox", "list", "--json")).json()
    assert [(m["state"], m["client"]) for m in listed] == [("refused", "Durand SARL")]
    assert "550 5.1.1 no such mailbox" in listed[0]["reason"]
    # The reminder is logged, so the batch does not write a second one.
    again = ok(relance("remind", "--due", "--json"))
    assert statuses(again)["Durand SARL"] == ("skipped", "already reminded today")
    # Refused for good: a plain retry leaves it for the user, and says so with status 1.
    held = relance("outbox", "retry")
    assert held.status == 1 and held.out.startswith("refused: Durand SARL — ")
    server.collector.refuse = ""
    assert len(server.received) == 0
    retried = ok(relance("outbox", "retry", listed[0]["name"]))
    assert retried.out.startswith("sent: Durand SARL — ")
    assert ok(relance("outbox", "retry")).out.startswith("nothing queued in the outbox ")
    assert len(server.received) == 1
    [sent] = ok(relance("outbox", "list", "--json")).json()
    assert sent["state"] == "sent" and sent["attempts"] == 2 and sent["reason"] is None


def test_without_smtp_the_batch_queues_and_succeeds(
    book: None, relance: Relance, tmp_path: Path
) -> None:
    configure(None)
    run = ok(relance("remind", "--due"))
    assert run.out.splitlines()[0] == "sent 0, queued 1, failed 0, skipped 3"
    outbox = tmp_path / "env" / "relance-outbox"
    assert f"queued in {outbox}: no [smtp] configured" in run.out
    assert len(list((outbox / "new").iterdir())) == 1


def test_remind_needs_a_client_or_due(book: None, relance: Relance) -> None:
    for argv in (("remind",), ("remind", "Durand SARL", "--due")):
        run = relance(*argv)
        assert run.status == 2 and run.out == ""
        assert run.err.startswith("relance: ") and len(run.err.splitlines()) == 1


class Terminal(io.StringIO):
    """A stderr that says it is a terminal, to see the progress bar."""

    def isatty(self) -> bool:
        """Pretend to be a terminal."""
        return True


def test_a_terminal_gets_a_progress_bar_and_a_pipe_does_not(
    book: None, relance: Relance, server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ok(relance("remind", "--due", "--dry-run")).err == ""
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["remind", "--due", "--dry-run"]) == 0
    drawn = terminal.getvalue()
    assert "4/4" in drawn and "\x1b[" in drawn


def test_one_connection_for_the_batch_and_a_refused_login_fails_the_rest_at_once(
    book: None, relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(relance, "Martin SA", email="compta@martin.fr")
    monkeypatch.setenv("RELANCE_TEST_SMTP_PASSWORD", "wrong")
    with smtp_server(password="right") as server:
        configure(server)
        config = Path(os.environ["RELANCE_CONFIG"])
        auth = 'username = "claire"\npassword_env = "RELANCE_TEST_SMTP_PASSWORD"\n'
        config.write_text(config.read_text(encoding="utf-8") + auth, encoding="utf-8")
        run = relance("remind", "--due", "--json")
        assert run.status == 1
        done = statuses(run)
        assert done["Durand SARL"][0] == done["Martin SA"][0] == "failed"
        assert done["Durand SARL"][1] == done["Martin SA"][1]
        assert "refused the login: 535" in str(done["Martin SA"][1])
        # smtplib tries each mechanism once, on one connection only.
        tried = len(server.collector.logins)
        assert 1 <= tried <= 2
        monkeypatch.setenv("RELANCE_TEST_SMTP_PASSWORD", "right")
        retried = ok(relance("outbox", "retry", "--json")).json()
        assert retried["sent"] == 2
        assert server.collector.logins[tried:] == [("claire", "right")]
    assert sorted(r.rcpt_tos[0] for r in server.received) == [
        "compta@durand.fr",
        "compta@martin.fr",
    ]
