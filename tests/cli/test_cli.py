"""The command line, run in-process: every command and option, JSON shapes and the book after."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from cli_fixtures import Relance, ok
from relance.cli import reports as cli_reports


@pytest.fixture
def client(relance: Relance) -> int:
    """A client with an e-mail address, one overdue invoice and one not yet due."""
    client_id = int(ok(relance("client", "add", "Durand SARL", "--email", "compta@durand.fr")).out)
    ok(
        relance(
            "invoice",
            "add",
            "Durand SARL",
            "F-1",
            "1200.00",
            "--issued",
            "2026-09-01",
            "--due",
            "2026-10-01",
        )
    )
    ok(
        relance(
            "invoice",
            "add",
            str(client_id),
            "F-2",
            "300",
            "--issued",
            "2026-11-15",
            "--due",
            "2026-12-15",
        )
    )
    return client_id


def shown(relance: Relance, client: int | str) -> dict[str, Any]:
    """`relance show CLIENT --json`."""
    data: dict[str, Any] = ok(relance("show", str(client), "--json")).json()
    return data


def test_version(relance: Relance) -> None:
    """`--version` prints the version and succeeds."""
    run = relance("--version")
    assert run.status == 0
    assert run.out.strip() == "relance 0.1.0"


def test_help_lists_every_command(relance: Relance) -> None:
    """`--help` names every command of the contract."""
    run = relance("--help")
    assert run.status == 0
    for command in (
        "demo",
        "init",
        "today",
        "show",
        "client",
        "invoice",
        "payment",
        "call",
        "remind",
        "plan",
        "note",
        "snooze",
        "dispute",
    ):
        assert command in run.out


def test_init_creates_a_private_database_and_prints_its_path(
    relance: Relance, tmp_path: Path
) -> None:
    """`init` creates the book (mode 0600, folders made) and prints where it is."""
    target = tmp_path / "new" / "folder" / "book.db"
    run = ok(relance("init", "--db", str(target)))
    assert run.out.strip() == str(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert ok(relance("today", "--json", "--db", str(target))).json() == []
    # Running it again keeps the book.
    assert ok(relance("init", "--db", str(target))).out.strip() == str(target)


def test_init_uses_relance_db(relance: Relance) -> None:
    """Without --db, `init` creates the book named by RELANCE_DB."""
    run = ok(relance("init"))
    assert run.out.strip() == os.environ["RELANCE_DB"]
    assert Path(os.environ["RELANCE_DB"]).exists()


def test_db_option_before_or_after_the_subcommand(relance: Relance, tmp_path: Path) -> None:
    """`--db` works on either side of the subcommand, and RELANCE_DB is then left alone."""
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    ok(relance("--db", str(first), "client", "add", "Alpha"))
    ok(relance("client", "add", "Beta", "--db", str(second)))
    ok(relance("--db", str(first), "note", "Alpha", "before"))
    ok(relance("note", "Beta", "after", "--db", str(second)))
    assert [r["client"] for r in ok(relance("today", "--json", "--db", str(first))).json()] == [
        "Alpha"
    ]
    assert [r["client"] for r in ok(relance("--db", str(second), "today", "--json")).json()] == [
        "Beta"
    ]
    # Given on both sides, the one after the subcommand wins.
    both = relance("--db", str(first), "today", "--json", "--db", str(second))
    assert [r["client"] for r in ok(both).json()] == ["Beta"]
    assert not Path(os.environ["RELANCE_DB"]).exists()


def test_client_add_prints_only_the_new_id(relance: Relance) -> None:
    """`client add` prints the id alone, so `id=$(relance client add X)` captures it."""
    assert ok(relance("client", "add", "First")).out == "1\n"
    assert ok(relance("client", "add", "Second")).out == "2\n"


def test_client_add_options_are_stored(relance: Relance) -> None:
    """--email, --phone, --kind and --lang end up on the client and its billing contact."""
    ok(
        relance(
            "client",
            "add",
            "Jane Smith",
            "--email",
            "jane@example.org",
            "--phone",
            "+44 20 7946 0000",
            "--kind",
            "b2c",
            "--lang",
            "en",
        )
    )
    data = shown(relance, "Jane Smith")
    assert (data["kind"], data["language"]) == ("b2c", "en")
    assert data["contacts"] == [
        {
            "name": "",
            "role": "",
            "email": "jane@example.org",
            "phone": "+44 20 7946 0000",
            "address": "",
            "is_billing": True,
            "id": 1,
            "language": None,
            "phone_wrong": False,
            "phone_wrong_reason": None,
            "email_bounced": False,
            "email_bounced_reason": None,
        }
    ]
    assert data["history"][0]["summary"] == "client added"


def test_client_add_json(relance: Relance) -> None:
    """`client add --json` prints the record with the client and event ids."""
    record = ok(relance("client", "add", "Martin", "--json")).json()
    assert record["client_id"] == 1
    assert record["name"] == "Martin"
    assert record["kind"] == "b2b" and record["language"] == "fr"
    assert record["event_id"] == shown(relance, 1)["history"][0]["id"]


def test_invoice_add(relance: Relance, client: int) -> None:
    """`invoice add` prints what it did, and `--json` gives the record."""
    run = ok(
        relance(
            "invoice",
            "add",
            "Durand SARL",
            "F-3",
            "99.90",
            "--issued",
            "2026-11-01",
            "--due",
            "2026-11-10",
        )
    )
    assert run.out == "Durand SARL: invoice F-3 added: €99.90 due 2026-11-10\n"
    record = ok(
        relance(
            "invoice",
            "add",
            str(client),
            "F-4",
            "10",
            "--issued",
            "2026-11-01",
            "--due",
            "2026-11-10",
            "--currency",
            "EUR",
            "--json",
        )
    ).json()
    assert record["number"] == "F-4" and record["amount"] == "10.00"
    assert record["client_id"] == client and isinstance(record["event_id"], int)
    invoices = {inv["number"]: inv for inv in shown(relance, client)["invoices"]}
    assert invoices["F-3"] == {
        "number": "F-3",
        "issued_on": "2026-11-01",
        "due_on": "2026-11-10",
        "amount": "99.90",
        "paid": "0.00",
        "outstanding": "99.90",
        "days_overdue": 13,
        "currency": "EUR",
        "is_deposit": False,
    }
    assert set(invoices) == {"F-1", "F-2", "F-3", "F-4"}


def test_invoice_currency_option_sets_the_client_currency(relance: Relance) -> None:
    """The first invoice's --currency decides the client's currency."""
    ok(relance("client", "add", "London Ltd", "--lang", "en"))
    ok(
        relance(
            "invoice",
            "add",
            "London Ltd",
            "L-1",
            "500",
            "--issued",
            "2026-10-01",
            "--due",
            "2026-10-31",
            "--currency",
            "gbp",
        )
    )
    data = shown(relance, "London Ltd")
    assert data["currency"] == "GBP"
    assert data["invoices"][0]["currency"] == "GBP"


def test_payment_add_with_every_option(relance: Relance, client: int) -> None:
    """`payment add` pays the chosen invoice first and keeps date, method and reference."""
    run = ok(
        relance(
            "payment",
            "add",
            "Durand SARL",
            "100.50",
            "--on",
            "2026-11-20",
            "--invoice",
            "F-2",
            "--method",
            "transfer",
            "--reference",
            "VIR 42",
        )
    )
    assert run.out.startswith("Durand SARL: payment received: €100.50 → F-2")
    data = shown(relance, client)
    assert data["payments"] == [
        {
            "id": 1,
            "amount": "100.50",
            "received_on": "2026-11-20",
            "method": "transfer",
            "reference": "VIR 42",
            "allocated": "100.50",
            "credit": "0.00",
            "reversed_at": None,
            "reversal_reason": "",
            "allocations": [{"to": "invoice F-2", "amount": "100.50"}],
        }
    ]
    paid = {inv["number"]: inv["paid"] for inv in data["invoices"]}
    assert paid == {"F-1": "0.00", "F-2": "100.50"}
    payments = [event for event in data["history"] if event["kind"] == "payment"]
    assert payments[0]["at"].startswith("2026-11-20T"), "dated the day it was received"


def test_payment_add_json_pays_oldest_first_on_today(relance: Relance, client: int) -> None:
    """Without options the payment is dated today and goes to the oldest invoice."""
    record = ok(relance("payment", "add", str(client), "1250", "--json")).json()
    assert record["received_on"] == "2026-11-23"
    assert record["allocations"] == [
        {"invoice": "F-1", "amount": "1200.00"},
        {"invoice": "F-2", "amount": "50.00"},
    ]
    assert record["client_id"] == client and isinstance(record["event_id"], int)
    assert shown(relance, client)["outstanding"] == "250.00"


@pytest.mark.parametrize(
    ("outcome", "follow_up_on"),
    [
        ("no-answer", "2026-11-24"),
        ("voicemail", "2026-11-25"),
        ("dispute", "2026-11-30"),
        ("wrong-number", None),
        ("says-paid", None),
        ("refused", None),
    ],
)
def test_call_outcomes(
    relance: Relance, client: int, outcome: str, follow_up_on: str | None
) -> None:
    """Every outcome is logged as a call with its follow-up; the note is kept."""
    ok(relance("call", "Durand SARL", "--outcome", outcome, "--note", "spoke to accounts"))
    calls = [e for e in shown(relance, client)["history"] if e["kind"] == "call"]
    assert len(calls) == 1
    assert calls[0]["outcome"] == outcome
    assert calls[0]["channel"] == "phone"
    assert calls[0]["body"] == "spoke to accounts"
    assert calls[0]["at"].startswith("2026-11-23T")
    if follow_up_on:
        assert calls[0]["follow_up_on"] == follow_up_on


def test_call_dispute_marks_the_client_disputed(relance: Relance, client: int) -> None:
    """A call that ends in a dispute turns the dispute on."""
    ok(relance("call", str(client), "--outcome", "dispute"))
    assert shown(relance, client)["disputed"] is True


def test_call_promised_records_the_promise(relance: Relance, client: int) -> None:
    """A promise needs --amount and --on and is recorded with the words said."""
    record = ok(
        relance(
            "call",
            str(client),
            "--outcome",
            "promised",
            "--amount",
            "600",
            "--on",
            "2026-11-30",
            "--note",
            "will pay half",
            "--json",
        )
    ).json()
    assert record["promised_amount"] == "600.00"
    assert record["promised_on"] == "2026-11-30"
    assert record["follow_up_on"] == "2026-12-01"
    data = shown(relance, client)
    assert data["promises"] == [
        {
            "id": 1,
            "amount": "600.00",
            "due_on": "2026-11-30",
            "made_on": "2026-11-23",
            "status": "open",
            "made_by": "",
            "words": "will pay half",
        }
    ]
    assert data["next_action_on"] == "2026-12-01"
    assert ok(relance("today", "--json")).json()[0]["promise"] is True


def test_remind_dry_run_shows_the_message_and_writes_nothing(
    relance: Relance, client: int, tmp_path: Path
) -> None:
    """`remind --dry-run` prints recipient, subject and body; no history, no outbox file."""
    before = shown(relance, client)
    run = ok(relance("remind", "Durand SARL", "--dry-run"))
    lines = run.out.splitlines()
    assert lines[0] == "To: compta@durand.fr"
    assert lines[1].startswith("Subject: ")
    assert "F-1" in run.out and "1 200,00" in run.out
    assert "F-2" not in run.out, "only overdue invoices are listed"
    as_json = ok(relance("remind", str(client), "--dry-run", "--json")).json()
    assert as_json["dry_run"] is True and as_json["to"] == ["compta@durand.fr"]
    assert as_json["subject"] == lines[1].removeprefix("Subject: ")
    assert shown(relance, client) == before
    assert not (tmp_path / "env" / "relance-outbox").exists()


def test_remind_writes_to_the_outbox_and_the_history(
    relance: Relance, client: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`remind` writes an .eml beside the book, signed with the creditor from the config."""
    Path(os.environ["RELANCE_CONFIG"]).write_text(
        '[creditor]\nname = "Claire Dev"\nemail = "claire@example.fr"\n', encoding="utf-8"
    )
    run = ok(relance("remind", "Durand SARL"))
    assert "reminder for €1,200.00 written to" in run.out
    files = list((tmp_path / "env" / "relance-outbox" / "new").iterdir())
    assert len(files) == 1
    message = files[0].read_text(encoding="utf-8")
    assert "compta@durand.fr" in message and "claire@example.fr" in message
    event = shown(relance, client)["history"][0]
    assert (event["kind"], event["channel"], event["amount"]) == ("email", "email", "1200.00")
    # A week later: a second reminder the same day is refused (one reminder a day at most).
    monkeypatch.setenv("RELANCE_TODAY", "2026-11-30")
    record = ok(relance("remind", str(client), "--json")).json()
    assert record["to"] == ["compta@durand.fr"] and record["total"] == "1200.00"
    assert Path(record["file"]).exists()
    assert record["event_id"] == shown(relance, client)["history"][0]["id"]


def test_plan_propose_with_every_option(relance: Relance, client: int) -> None:
    """`plan propose` schedules the outstanding in equal parts after the deposit."""
    run = ok(
        relance(
            "plan",
            "propose",
            "Durand SARL",
            "--instalments",
            "3",
            "--every",
            "2weeks",
            "--first",
            "2026-12-01",
            "--deposit",
            "300",
        )
    )
    assert run.out.splitlines()[0].startswith("Durand SARL: payment plan proposed: €1,500.00")
    plan = shown(relance, client)["plans"][0]
    assert plan["status"] == "proposed" and plan["total"] == "1500.00"
    assert plan["frequency"] == "2weeks" and plan["created_on"] == "2026-11-23"
    schedule = [(i["due_on"], i["amount"], i["paid"]) for i in plan["instalments"]]
    assert schedule[0] == ("2026-12-01", "300.00", "0.00")
    assert sum(float(amount) for _, amount, _ in schedule) == 1500.0
    assert len(schedule) == 4
    assert [i["seq"] for i in plan["instalments"]] == [1, 2, 3, 4]
    assert ok(relance("today", "--json")).json()[0]["plan"] is True


def test_plan_propose_defaults_and_json(relance: Relance, client: int) -> None:
    """By default a plan is monthly from the next 20th; --json gives the schedule."""
    record = ok(relance("plan", "propose", str(client), "--instalments", "2", "--json")).json()
    # The next 20th is a Sunday: the first instalment moves to Monday the 21st.
    assert record["instalments"] == [
        {"due_on": "2026-12-21", "amount": "750.00"},
        {"due_on": "2027-01-20", "amount": "750.00"},
    ]
    assert record["client_id"] == client and isinstance(record["event_id"], int)


def test_note(relance: Relance, client: int) -> None:
    """`note` adds a note to the history and says so."""
    run = ok(relance("note", "Durand SARL", "called the boss, he knows"))
    assert run.out == "note added to Durand SARL\n"
    event = shown(relance, client)["history"][0]
    assert (event["kind"], event["summary"]) == ("note", "called the boss, he knows")
    record = ok(relance("note", str(client), "second", "--json")).json()
    assert record == {"note": "second", "client_id": client, "event_id": record["event_id"]}


def test_snooze_and_lift(relance: Relance, client: int) -> None:
    """`snooze --until` holds the client; `--until today` lifts it."""
    ok(relance("snooze", "Durand SARL", "--until", "2026-12-01"))
    assert shown(relance, client)["snoozed_until"] == "2026-12-01"
    row = ok(relance("today", "--json")).json()[0]
    assert row["snoozed_until"] == "2026-12-01"
    record = ok(relance("snooze", str(client), "--until", "today", "--json")).json()
    assert record["snoozed_until"] is None
    assert shown(relance, client)["snoozed_until"] is None


def test_dispute_on_and_off(relance: Relance, client: int) -> None:
    """`dispute on|off` flips the flag and logs it, with an optional note."""
    run = ok(relance("dispute", "Durand SARL", "on", "--note", "hours contested"))
    assert run.out == "Durand SARL: dispute opened: hours contested\n"
    assert shown(relance, client)["disputed"] is True
    assert ok(relance("today", "--json")).json()[0]["disputed"] is True
    record = ok(relance("dispute", str(client), "off", "--json")).json()
    assert record["disputed"] is False
    data = shown(relance, client)
    assert data["disputed"] is False
    assert [e["outcome"] for e in data["history"] if e["kind"] == "dispute"] == ["off", "on"]


def test_today_json_is_sorted_by_days_overdue(relance: Relance) -> None:
    """`today --json` lists every client, most days overdue first, with the contract's keys."""
    for name, due in (("Late", "2026-10-01"), ("Later", "2026-08-01"), ("Current", "2026-12-31")):
        ok(relance("client", "add", name))
        ok(
            relance(
                "invoice",
                "add",
                name,
                f"{name}-1",
                "1234.56",
                "--issued",
                "2026-07-01",
                "--due",
                due,
            )
        )
    ok(relance("client", "add", "Nothing owed"))
    rows = ok(relance("today", "--json")).json()
    assert [r["client"] for r in rows][:3] == ["Later", "Late", "Current"]
    assert {r["client"] for r in rows} == {"Later", "Late", "Current", "Nothing owed"}
    top = rows[0]
    assert top == {
        "client_id": 2,
        "client": "Later",
        "kind": "b2b",
        "days_overdue": 114,
        "outstanding": "1234.56",
        "currency": "EUR",
        "open_invoices": 1,
        # Due Saturday 1 August: +7 is a Saturday too, so the reminder waits for Monday.
        "next_action": "courteous email",
        "next_action_on": "2026-08-10",
        "step": 1,
        # Told as of today (23 November), not as of the step's date.
        "reason": "courteous email — 114 days late, no reminder yet, step 1 of 7; due since 10 Aug",
        "profile": "unknown",
        "disputed": False,
        "snoozed_until": None,
        "promise": False,
        "broken_promise": False,
        "plan": False,
        "next_instalment_on": None,
        "undelivered": False,
        "bank_lines_to_review": 0,
    }


def test_today_reads_every_window(relance: Relance, monkeypatch: pytest.MonkeyPatch) -> None:
    """The list is read in windows until the book is exhausted, in one order."""
    monkeypatch.setattr(cli_reports, "PAGE_SIZE", 2)
    for index in range(5):
        ok(relance("client", "add", f"C{index}"))
        ok(
            relance(
                "invoice",
                "add",
                f"C{index}",
                f"N{index}",
                "10",
                "--issued",
                "2026-01-01",
                "--due",
                f"2026-0{index + 1}-01",
            )
        )
    assert [r["client"] for r in ok(relance("today", "--json")).json()] == [
        "C0",
        "C1",
        "C2",
        "C3",
        "C4",
    ]


def test_today_follows_relance_today(
    relance: Relance, client: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RELANCE_TODAY is the clock: days overdue move with it."""
    assert ok(relance("today", "--json")).json()[0]["days_overdue"] == 53
    monkeypatch.setenv("RELANCE_TODAY", "2026-12-01")
    assert ok(relance("today", "--json")).json()[0]["days_overdue"] == 61


def test_today_table_and_totals(relance: Relance, client: int) -> None:
    """Plain `today` shows a table of clients and a totals line."""
    ok(relance("client", "add", "Zero"))
    ok(relance("dispute", "Durand SARL", "on"))
    out = ok(relance("today")).out
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["id", "client"]
    durand = next(line for line in lines if "Durand SARL" in line)
    assert "53d" in durand and "€1,500.00" in durand and durand.rstrip().endswith("D")
    assert lines.index(durand) < lines.index(next(line for line in lines if "Zero" in line))
    assert "markers: D dispute · ! broken promise · P promise · $ plan · Z snoozed" in out
    assert "outstanding €1,500.00 · overdue €1,200.00 · 1 of 2 clients overdue" in out


def test_today_on_an_empty_book(relance: Relance) -> None:
    """An empty book says how to start."""
    ok(relance("init"))
    assert "relance client add" in ok(relance("today")).out
    assert ok(relance("today", "--json")).json() == []


def test_show_json_has_the_whole_client(relance: Relance, client: int) -> None:
    """`show --json` gives figures, invoices, history, payments, plans and promises."""
    ok(relance("payment", "add", str(client), "200", "--method", "cheque"))
    ok(relance("call", str(client), "--outcome", "promised", "--amount", "500", "--on", "+7"))
    ok(relance("plan", "propose", str(client), "--instalments", "2"))
    data = shown(relance, "Durand SARL")
    assert data["id"] == data["client_id"] == client
    assert (data["name"], data["kind"], data["language"], data["currency"]) == (
        "Durand SARL",
        "b2b",
        "fr",
        "EUR",
    )
    assert (data["outstanding"], data["overdue"], data["days_overdue"], data["credit"]) == (
        "1300.00",
        "1000.00",
        53,
        "0.00",
    )
    assert data["notes"] == "" and data["disputed"] is False and data["snoozed_until"] is None
    assert data["invoices"][1] == {
        "number": "F-1",
        "issued_on": "2026-09-01",
        "due_on": "2026-10-01",
        "amount": "1200.00",
        "paid": "200.00",
        "outstanding": "1000.00",
        "days_overdue": 53,
        "currency": "EUR",
        "is_deposit": False,
    }
    kinds = [event["kind"] for event in data["history"]]
    assert kinds[:3] == ["plan", "call", "payment"], "history is newest first"
    call = data["history"][1]
    assert set(call) >= {
        "kind",
        "at",
        "summary",
        "outcome",
        "channel",
        "direction",
        "body",
        "amount",
        "follow_up",
        "follow_up_on",
    }
    assert call["amount"] == "500.00" and call["follow_up_on"] == "2026-12-01"
    assert data["payments"][0]["amount"] == "200.00"
    assert data["promises"][0]["due_on"] == "2026-11-30"
    plan = data["plans"][0]
    assert set(plan) >= {"status", "total", "frequency", "created_on", "instalments"}
    assert [i["amount"] for i in plan["instalments"]] == ["650.00", "650.00"]


def test_show_plain_report(relance: Relance, client: int) -> None:
    """Plain `show` prints the figures, the invoices and the history for people."""
    ok(relance("note", str(client), "prefers e-mail"))
    ok(relance("call", str(client), "--outcome", "promised", "--amount", "500", "--on", "+7"))
    ok(relance("plan", "propose", str(client), "--instalments", "2"))
    ok(relance("payment", "add", str(client), "100", "--reference", "VIR-9"))
    out = ok(relance("show", "Durand SARL")).out
    assert out.splitlines()[0].startswith("Durand SARL  #1")
    for text in (
        "outstanding €1,400.00",
        "53 days late",
        "Contacts",
        "compta@durand.fr",
        "Invoices",
        "F-1",
        "F-2",
        "Promises",
        "Payment plan (proposed)",
        "Payments",
        "VIR-9",
        "History (newest first)",
        "prefers e-mail",
        "promised to pay",
    ):
        assert text in out, text
    assert out.index("payment received") < out.index("prefers e-mail")


def test_markup_and_escape_sequences_print_literally(relance: Relance) -> None:
    """A name in Rich markup and a note with an escape sequence come out as typed, inert."""
    name = "[bold red]ACME[/]"
    client_id = ok(relance("client", "add", name)).out.strip()
    ok(
        relance(
            "invoice",
            "add",
            client_id,
            "A-1",
            "10",
            "--issued",
            "2026-10-01",
            "--due",
            "2026-10-15",
        )
    )
    ok(relance("note", client_id, "red \x1b[31malert\x1b[0m :fire:"))
    for argv in (("today",), ("show", client_id), ("note", client_id, "[link=x]y[/link]")):
        run = ok(relance(*argv))
        assert "\x1b" not in run.out
        if argv[0] != "note":
            assert name in run.out
    shown_plain = ok(relance("show", name)).out
    assert "red \\x1b[31malert\\x1b[0m :fire:" in shown_plain
    assert "[link=x]y[/link]" in shown_plain
    raw = ok(relance("show", name, "--json")).out
    assert "\x1b" not in raw and "\\u001b[31m" in raw
    history = json.loads(raw)["history"]
    assert history[1]["summary"] == "red \x1b[31malert\x1b[0m :fire:"
    assert json.loads(ok(relance("today", "--json")).out)[0]["client"] == name


def test_json_escapes_invisible_characters() -> None:
    """DEL, C1 controls and bidi overrides are escaped in JSON, not written raw."""
    from relance.cli.output import safe_json

    text = safe_json({"a": "x\x7fy\x9bz\u202eé\U000e0001"})
    assert all(ch not in text for ch in "\x7f\x9b\u202e\U000e0001")
    assert json.loads(text) == {"a": "x\x7fy\x9bz\u202eé\U000e0001"}
    assert "é" in text


@pytest.fixture
def app_runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replace the TUI's run loop with a recorder of what the app was opened on."""
    from relance.cli import launch
    from relance.store.triage import triage_count
    from relance.tui.app import RelanceApp

    runs: list[dict[str, Any]] = []

    def run(app: RelanceApp) -> None:
        runs.append(
            {
                "db_path": app.db_path,
                "outbox": app.outbox,
                "today": app.today,
                "config": app.config,
                "clients": triage_count(),
                "exists": app.db_path.exists(),
            }
        )

    monkeypatch.setattr(launch, "has_terminal", lambda: True)
    monkeypatch.setattr(RelanceApp, "run", run)
    return runs


def test_no_command_opens_the_app_on_relance_db(relance, app_runs: list[dict[str, Any]]) -> None:
    """`relance` opens the app on RELANCE_DB (created if missing) with today and the outbox."""
    from datetime import date

    config = Path(os.environ["RELANCE_CONFIG"])
    config.parent.mkdir(parents=True)
    config.write_text('[creditor]\nname = "Me"\n', encoding="utf-8")
    assert ok(relance()).out == ""
    book = Path(os.environ["RELANCE_DB"])
    assert app_runs == [
        {
            "db_path": book,
            "outbox": book.parent / "relance-outbox",
            "today": date(2026, 11, 23),
            "config": app_runs[0]["config"],
            "clients": 0,
            "exists": True,
        }
    ]
    assert app_runs[0]["config"].creditor.name == "Me"


def test_no_command_with_db_opens_that_book(
    relance, app_runs: list[dict[str, Any]], tmp_path: Path
) -> None:
    """`relance --db PATH` opens the app on PATH, not on RELANCE_DB."""
    ok(relance("client", "add", "Somebody", "--db", str(tmp_path / "other.db")))
    ok(relance("--db", str(tmp_path / "other.db")))
    assert app_runs[0]["db_path"] == tmp_path / "other.db"
    assert app_runs[0]["clients"] == 1
    assert not Path(os.environ["RELANCE_DB"]).exists()


@pytest.fixture
def temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the demo's throwaway book goes, so the test can check it is gone afterwards."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_demo_opens_a_throwaway_sample_book(
    relance, app_runs: list[dict[str, Any]], temporary_folder: Path
) -> None:
    """`demo` loads the sample into a temporary book, runs the app on it, then deletes it."""
    ok(relance("client", "add", "My real client"))
    real_book = Path(os.environ["RELANCE_DB"])
    before = real_book.read_bytes()
    demo = relance("demo")
    assert demo.status == 0, demo.err
    progress, statement = demo.err.splitlines()
    assert progress == "relance: preparing the sample book…", "one progress line, no noise"
    assert statement.startswith("relance: a bank statement to try with B then i: ")
    (run,) = app_runs
    assert run["exists"] and 30 <= run["clients"] <= 50
    assert run["db_path"].is_relative_to(temporary_folder)
    assert run["db_path"] != real_book
    assert not run["db_path"].exists()
    assert list(temporary_folder.iterdir()) == [], "the throwaway folder is deleted"
    assert real_book.read_bytes() == before, "demo never touches RELANCE_DB"


def test_demo_with_db_keeps_the_book(
    relance, app_runs: list[dict[str, Any]], tmp_path: Path
) -> None:
    """`demo --db PATH` builds the demo book at PATH and leaves it there to be read."""
    target = tmp_path / "kept" / "demo.db"
    assert relance("demo", "--db", str(target)).status == 0
    assert app_runs[0]["db_path"] == target
    rows = ok(relance("today", "--json", "--db", str(target))).json()
    assert len(rows) == app_runs[0]["clients"] >= 30
    assert rows[0]["days_overdue"] > 0
    assert not Path(os.environ["RELANCE_DB"]).exists()


def test_demo_uses_the_samples_creditor_so_letters_can_be_made(
    relance, app_runs: list[dict[str, Any]], tmp_path: Path
) -> None:
    """The demo runs on the sample's config: its creditor signs a letter and a statement."""
    from datetime import datetime

    from pypdf import PdfReader

    from relance.services.letters import write_letter
    from relance.store.database import close_database, open_database

    # The user's own config has no creditor: without the sample's, no letter could be made.
    target = tmp_path / "kept" / "demo.db"
    assert relance("demo", "--db", str(target)).status == 0
    config = app_runs[0]["config"]
    assert config.creditor.name == "Camille Martin — développeuse indépendante"
    assert config.keys == {"log_call": "c,g"}
    assert config.smtp is None, "no demo reminder may reach a real server"
    assert config.path.name == "config.toml"
    assert not config.path.is_relative_to(Path(os.environ["RELANCE_CONFIG"]).parent)
    rows = ok(relance("today", "--json", "--db", str(target))).json()
    overdue = next(row for row in rows if row["days_overdue"] > 30 and not row["disputed"])
    open_database(target)
    try:
        at = datetime(2026, 11, 23, 10, 0)
        for kind in ("formal-notice", "statement"):
            made = write_letter(overdue["client_id"], at, config, tmp_path / "letters", kind=kind)
            pages = PdfReader(made.record["path"]).pages
            text = " ".join(" ".join(page.extract_text().split()) for page in pages)
            assert "Camille Martin" in text
            assert "8 rue des Capucins" in text
    finally:
        close_database()


def test_init_sample_fills_an_empty_book(relance) -> None:
    """`init --sample` prints the path, then how many sample clients it loaded."""
    lines = ok(relance("init", "--sample")).out.splitlines()
    assert lines[0] == os.environ["RELANCE_DB"]
    rows = ok(relance("today", "--json")).json()
    assert lines[1] == f"loaded the sample book: {len(rows)} clients"
    assert 30 <= len(rows) <= 50
    assert any(row["disputed"] for row in rows)
    assert any(row["promise"] for row in rows)
    assert any(row["plan"] for row in rows)
