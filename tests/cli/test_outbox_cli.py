"""`relance outbox list|retry`, crash leftovers, and delivery events in the policy and exports."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from cli_fixtures import Relance, ok
from relance.config import Config, Creditor, SmtpSettings, load_config
from relance.delivery.mime import OutgoingMail, new_message_id
from relance.delivery.outbox import Outbox
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.outbox import retry_outbox
from relance.services.reminders import send_reminder
from relance.store.models import Client, ContactEvent
from smtp_server import Collector, free_port, smtp_server, start_server


def configure(text: str = "") -> None:
    """The config file: a creditor, plus whatever the test adds."""
    creditor = '[creditor]\nname = "Claire Dev"\nemail = "claire@example.fr"\n'
    Path(os.environ["RELANCE_CONFIG"]).write_text(creditor + text, encoding="utf-8")


def smtp_table(port: int) -> str:
    """An [smtp] table for the test server."""
    return f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'


@pytest.fixture
def client(relance: Relance) -> None:
    """A client with an overdue invoice and an e-mail address."""
    ok(relance("client", "add", "Durand [b]SARL[/b]", "--email", "compta@durand.fr"))
    ok(
        relance(
            "invoice", "add", "1", "F-1", "1200.00", "--issued", "2026-09-01", "--due", "2026-10-01"
        )
    )


def test_without_smtp_remind_says_where_and_retry_fails(
    client: None, relance: Relance, tmp_path: Path
) -> None:
    configure()
    outbox = tmp_path / "env" / "relance-outbox"
    assert ok(relance("outbox", "list")).out == f"the outbox {outbox} is empty\n"
    run = ok(relance("remind", "1"))
    assert run.out == (
        f"Durand [b]SARL[/b]: reminder for €1,200.00 written to the outbox {outbox}"
        " (no [smtp] configured)\n"
    )
    listing = ok(relance("outbox", "list")).out
    assert "queued" in listing and "Durand [b]SARL[/b]" in listing
    assert f"outbox: {outbox}" in listing
    retry = relance("outbox", "retry")
    assert retry.status == 1
    assert retry.out.splitlines()[0].startswith("queued: Durand [b]SARL[/b] — ")
    assert retry.out.splitlines()[0].endswith(": no [smtp] configured")
    assert "add an [smtp] table to " in retry.out
    [entry] = ok(relance("outbox", "list", "--json")).json()
    assert entry["state"] == "queued" and entry["reason"] == "no [smtp] configured"
    assert entry["attempts"] == 0 and entry["to"] == ["compta@durand.fr"]


def test_remind_through_the_server_then_list(client: None, relance: Relance) -> None:
    with smtp_server() as server:
        configure(smtp_table(server.port))
        run = ok(relance("remind", "1", "--json")).json()
    assert run["status"] == "sent" and run["reason"] is None
    assert len(server.received) == 1
    [entry] = ok(relance("outbox", "list", "--json")).json()
    assert entry["state"] == "sent" and entry["message_id"] == run["message_id"]
    assert entry["file"].endswith(":2,S")
    kinds = [e["kind"] for e in ok(relance("show", "1", "--json")).json()["history"]]
    assert kinds[:2] == ["outbox", "email"]
    assert ok(relance("outbox", "retry", "--json")).json()["messages"] == []


def test_a_stopped_server_then_retry_exit_statuses(client: None, relance: Relance) -> None:
    port = free_port()
    configure(smtp_table(port))
    run = relance("remind", "1")
    # The message did not leave: `remind CLIENT` says so with status 1, for cron and scripts.
    assert run.status == 1
    assert "queued in the outbox" in run.out and f"cannot reach 127.0.0.1:{port}" in run.out
    failed = relance("outbox", "retry", "--json")
    assert failed.status == 1
    assert failed.json()["failed"] == 1
    server = start_server(Collector(), port)
    try:
        assert ok(relance("outbox", "retry", "--json")).json()["sent"] == 1
        assert ok(relance("outbox", "retry")).out.startswith("nothing queued")
    finally:
        server.stop()
    assert len(server.received) == 1


def test_a_bad_smtp_table_is_refused_in_one_line(client: None, relance: Relance) -> None:
    for table, words in (
        ("[smtp]\nport = 25\n", "smtp.host is required"),
        ('[smtp]\nhost = "h"\nsecurity = "tls"\n', "smtp.security must be one of"),
        ('[smtp]\nhost = "h"\nport = "x"\n', "smtp.port must be a whole number"),
        ('[smtp]\nhost = "h"\npassword = "hunter2"\n', "smtp.password is not read"),
        ('[smtp]\nhost = "h"\nusername = "u"\n', "needs smtp.password_env"),
        (
            '[smtp]\nhost = "h"\nusername = "u"\npassword_env = "A"\npassword_command = "b"\n',
            "not both",
        ),
    ):
        configure(table)
        run = relance("outbox", "list")
        assert run.status == 2 and words in run.err, run.err
        assert "hunter2" not in run.err
        assert len(run.err.splitlines()) == 1


def test_smtp_settings_are_read_with_their_defaults(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[smtp]\nhost = "mail.example.fr"\nusername = "me"\n'
        'password_command = "pass show \'mail/me\'"\nfrom = "Me <me@example.fr>"\n',
        encoding="utf-8",
    )
    assert load_config(path).smtp == SmtpSettings(
        host="mail.example.fr",
        port=587,
        security="starttls",
        username="me",
        password_command=("pass", "show", "mail/me"),
        sender="Me <me@example.fr>",
    )
    path.write_text('[smtp]\nhost = "h"\nsecurity = "ssl"\n', encoding="utf-8")
    assert load_config(path).smtp == SmtpSettings(host="h", port=465, security="ssl")
    path.write_text("", encoding="utf-8")
    assert load_config(path).smtp is None


def owing(at: datetime) -> int:
    """A client with an overdue invoice."""
    client_id = add_client("Atelier Brun", at, email="compta@brun.fr").client_id
    add_invoice(client_id, "F-001", "1000.00", "2026-08-01", "2026-08-31", at)
    return client_id


def test_a_retry_tidies_up_after_a_crash(book: object, at: datetime, tmp_path: Path) -> None:
    client_id = owing(at)
    outbox = tmp_path / "outbox"
    config = Config(path=tmp_path / "config.toml", creditor=Creditor(email="me@example.fr"))
    logged = send_reminder(client_id, at, config, outbox)
    box = Outbox(outbox)
    never_logged = OutgoingMail(
        "me@example.fr", ["x@y.fr"], "orphan", "text", at, new_message_id("me@example.fr")
    )
    with box.locked():
        # A crash between writing a file and its commit, and one in the middle of sending.
        orphan = box.stage(never_logged, client_id, "Atelier Brun")
        assert box.claim(logged.record["file"].rsplit("/", 1)[1]) is not None
    with smtp_server() as server:
        smtp = SmtpSettings(host="127.0.0.1", port=server.port, security="none")
        results = retry_outbox(outbox, Config(path=config.path, smtp=smtp), at)
    assert [r.status for r in results] == ["sent"]
    assert [m.message["Message-ID"] for m in server.received] == [logged.record["message_id"]]
    assert not (outbox / "tmp" / orphan).exists()
    assert [e.state for e in box.entries()] == ["sent"]


def test_a_reminder_counts_once_from_its_delivery(
    book: object, at: datetime, tmp_path: Path
) -> None:
    client_id = owing(at)
    outbox = tmp_path / "outbox"
    port = free_port()
    smtp = SmtpSettings(host="127.0.0.1", port=port, security="none")
    config = Config(path=tmp_path / "c.toml", creditor=Creditor(email="me@example.fr"), smtp=smtp)
    send_reminder(client_id, at, config, outbox)
    before = Client.get_by_id(client_id)
    server = start_server(Collector(), port)
    try:
        retry_outbox(outbox, config, at + timedelta(days=3))
    finally:
        server.stop()
    after = Client.get_by_id(client_id)
    assert [e.kind for e in ContactEvent.select().where(ContactEvent.kind == "outbox")] == [
        "outbox",
        "outbox",
    ]
    # The server was down: the reminder did not count. Once accepted, it is the one first step.
    assert (before.next_action, before.ladder_step) == ("courteous email", 1)
    assert (after.next_action, after.ladder_step) == ("second email", 2)


def test_delivery_events_survive_an_export_and_restore(
    client: None, relance: Relance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server() as server:
        configure(smtp_table(server.port))
        ok(relance("remind", "1"))
    exported = tmp_path / "book.json"
    ok(relance("export", "--format", "json", "--out", str(exported)))
    monkeypatch.setenv("RELANCE_DB", str(tmp_path / "restored" / "relance.db"))
    ok(relance("init"))
    ok(relance("import", str(exported)))
    history = ok(relance("show", "1", "--json")).json()["history"]
    assert [e["kind"] for e in history][:2] == ["outbox", "email"]
    assert history[0]["summary"] == "reminder sent to compta@durand.fr by 127.0.0.1"


def test_damaged_entries_are_set_aside_and_the_others_go(relance: Relance, tmp_path: Path) -> None:
    ok(relance("init"))
    configure()
    for name in ("Attempts", "String", "Sound"):
        ok(relance("client", "add", name, "--email", f"compta@{name.lower()}.fr"))
        dates = ("--issued", "2026-09-01", "--due", "2026-10-01")
        ok(relance("invoice", "add", name, f"F-{name}", "100.00", *dates))
        ok(relance("remind", name))
    outbox = tmp_path / "env" / "relance-outbox"
    states = {
        json.loads(path.read_text("utf-8"))["client"]: path
        for path in (outbox / "state").glob("*.json")
    }
    damage = {"Attempts": {"attempts": "lots"}, "String": {"to": "victim@example.com"}}
    for client, change in damage.items():
        states[client].write_text(
            json.dumps({**json.loads(states[client].read_text("utf-8")), **change}), "utf-8"
        )
    # Sorted first (it has no state file), so it would stop every message after it.
    (outbox / "new" / "0.folder").mkdir()
    listed = {entry["name"]: entry for entry in ok(relance("outbox", "list", "--json")).json()}
    assert listed["0.folder"]["state"] == "damaged"
    reasons = sorted(entry["reason"] for entry in listed.values() if entry["state"] == "damaged")
    assert reasons == [
        "its attempts is not a whole number",
        "its recipients are not a list of addresses",
        "not a message file (a folder or a special file)",
    ]
    with smtp_server() as server:
        configure(smtp_table(server.port))
        retry = relance("outbox", "retry")
    assert retry.status == 1
    assert [m.rcpt_tos for m in server.received] == [["compta@sound.fr"]]
    assert retry.out.count("set aside: ") == 3
    assert "sent: Sound" in retry.out
    assert sorted(path.name for path in (outbox / "damaged").iterdir())[0] == "0.folder"
    assert len(list((outbox / "damaged").iterdir())) == 3
    assert list((outbox / "new").iterdir()) == []
    # Set aside once: the next retry has nothing left to send or report.
    assert ok(relance("outbox", "retry")).out == f"nothing queued in the outbox {outbox}\n"


def test_discard_and_redirect_from_the_command_line(
    client: None, relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server() as server:
        server.collector.refuse_recipients["compta@durand.fr"] = "550 5.1.1 no such mailbox"
        configure(smtp_table(server.port))
        assert relance("remind", "1").status == 1
        [refused] = ok(relance("outbox", "list", "--json")).json()
        assert refused["state"] == "refused"
        bad = relance("outbox", "redirect", refused["name"], "not an address")
        assert bad.status == 2 and "not an e-mail address" in bad.err
        assert relance("outbox", "discard", "no-such-message").status == 2
        moved = ok(relance("outbox", "redirect", refused["name"], "paie@durand.fr"))
        assert "sent: Durand" in moved.out
        [received] = server.received
        assert received.rcpt_tos == ["paie@durand.fr"]
        # The refusal marked the address bounced: a week later the reminder has nowhere to go.
        monkeypatch.setenv("RELANCE_TODAY", "2026-11-30")
        blocked = relance("remind", "1")
        assert blocked.status == 2 and "bounced (compta@durand.fr)" in blocked.err
        # With the mark cleared the next reminder goes there again: refused too, then discarded.
        ok(relance("contact", "clear-mark", "1", "compta@durand.fr", "bounced"))
        assert relance("remind", "1").status == 1
        waiting = [
            m for m in ok(relance("outbox", "list", "--json")).json() if m["state"] != "sent"
        ]
        ok(relance("outbox", "discard", waiting[0]["name"]))
    assert [m["state"] for m in ok(relance("outbox", "list", "--json")).json()] == ["sent"]
    history = ok(relance("show", "1", "--json")).json()["history"]
    assert history[0]["summary"].startswith("reminder discarded from the outbox: ")
