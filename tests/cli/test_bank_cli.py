"""`relance bank …` on real CSV statements, and what an import changes for `remind --due`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli_fixtures import Relance, Run, ok
from hostile_text import book_dump
from locations import SHARED_SAMPLES
from smtp_server import SmtpServer, smtp_server

HEADER = "Compte courant;FR76 3000 4000 0312 3456 7890 143\nDate;Libellé;Référence;Tiers;Montant\n"


def statement(folder: Path, name: str, *rows: str) -> Path:
    """A French bank's CSV export with these rows (date;label;reference;payer;amount)."""
    path = folder / name
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def on_day(monkeypatch: pytest.MonkeyPatch, day: str, relance: Relance, *argv: str) -> Run:
    """Run a command on another day."""
    monkeypatch.setenv("RELANCE_TODAY", day)
    return ok(relance(*argv))


def triage(monkeypatch: pytest.MonkeyPatch, day: str, relance: Relance) -> dict[str, Any]:
    """`today --json` on a day, by client name."""
    return {
        row["client"]: row for row in on_day(monkeypatch, day, relance, "today", "--json").json()
    }


def batch(
    monkeypatch: pytest.MonkeyPatch, day: str, relance: Relance
) -> dict[str, tuple[str, str | None, str | None]]:
    """`remind --due --json` on a day: client → (status, reason, subject)."""
    run = on_day(monkeypatch, day, relance, "remind", "--due", "--json")
    return {
        line["client"]: (line["status"], line["reason"], line["subject"])
        for line in run.json()["clients"]
    }


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1, set in the config with a creditor."""
    with smtp_server() as running:
        Path(os.environ["RELANCE_CONFIG"]).write_text(
            '[creditor]\nname = "Claire Dev"\nemail = "claire@example.fr"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {running.port}\nsecurity = "none"\n',
            encoding="utf-8",
        )
        yield running


@pytest.fixture
def book(relance: Relance, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two clients who each owe 500.00, due on 1 November."""
    monkeypatch.setenv("RELANCE_TODAY", "2026-11-01")
    ok(relance("init"))
    for name, number in (("Durand SARL", "F-2026-041"), ("Lefort BTP", "F-2026-042")):
        ok(relance("client", "add", name, "--email", f"compta@{name.split()[0].lower()}.fr"))
        ok(
            relance(
                "invoice",
                "add",
                name,
                number,
                "500.00",
                "--issued",
                "2026-10-02",
                "--due",
                "2026-11-01",
            )
        )


def test_a_client_who_paid_yesterday_by_transfer_is_not_reminded_today(
    book: None,
    relance: Relance,
    monkeypatch: pytest.MonkeyPatch,
    server: SmtpServer,
    tmp_path: Path,
) -> None:
    # Week 1: both are 8 days late and get the courteous e-mail.
    rows = triage(monkeypatch, "2026-11-09", relance)
    assert (
        rows["Durand SARL"]["reason"]
        == "courteous email — 8 days late, no reminder yet, step 1 of 6; due today"
    )
    sent = batch(monkeypatch, "2026-11-09", relance)
    assert sent["Durand SARL"] == ("sent", None, "Facture F-2026-041 impayée — 500,00 €")
    assert len(server.received) == 2
    # Durand pays on the 22nd; the statement is imported on the morning of the 23rd.
    path = statement(
        tmp_path,
        "releve.csv",
        "22/11/2026;VIR SEPA RECU /DE DURAND SARL /MOTIF F-2026-041;VIR001;;500,00",
    )
    imported = on_day(
        monkeypatch, "2026-11-23", relance, "bank", "import", str(path), "--json"
    ).json()
    assert imported["counts"] == {
        "matched": 1,
        "to_review": 0,
        "debits": 0,
        "reversed": 0,
        "already_imported": 0,
    }
    [line] = imported["files"][0]["lines"]
    assert (line["status"], line["client"], line["booked_on"]) == (
        "recorded",
        "Durand SARL",
        "2026-11-22",
    )
    # Week 3: Lefort gets the second e-mail, Durand owes nothing and gets nothing.
    rows = triage(monkeypatch, "2026-11-23", relance)
    assert rows["Durand SARL"]["outstanding"] == "0.00"
    assert rows["Durand SARL"]["next_action"] == ""
    assert rows["Lefort BTP"]["reason"].startswith("second email — 22 days late")
    sent = batch(monkeypatch, "2026-11-23", relance)
    assert "Durand SARL" not in sent
    assert sent["Lefort BTP"][0] == "sent"
    assert [message.rcpt_tos for message in server.received[2:]] == [["compta@lefort.fr"]]
    shown = on_day(monkeypatch, "2026-11-23", relance, "show", "Durand SARL", "--json").json()
    [payment] = shown["payments"]
    assert (payment["method"], payment["reference"], payment["received_on"]) == (
        "bank transfer",
        "VIR001",
        "2026-11-22",
    )
    history = [event for event in shown["history"] if event["kind"] == "payment"]
    assert history[0]["summary"] == "payment received: €500.00 → F-2026-041"


def test_an_ambiguous_line_waits_and_the_batch_skips_both_clients_until_it_is_reviewed(
    book: None,
    relance: Relance,
    monkeypatch: pytest.MonkeyPatch,
    server: SmtpServer,
    tmp_path: Path,
) -> None:
    path = statement(
        tmp_path, "releve.csv", "08/11/2026;VIR SEPA RECU /MOTIF REGLEMENT;VIR002;;500,00"
    )
    run = on_day(monkeypatch, "2026-11-09", relance, "bank", "import", str(path))
    assert (
        run.out.splitlines()[0]
        == f"{path}: matched 0, to review 1, debits 0, reversed 0, already imported 0"
    )
    assert "2 clients owe this amount" in run.out
    rows = triage(monkeypatch, "2026-11-09", relance)
    assert rows["Durand SARL"]["bank_lines_to_review"] == 1
    assert rows["Lefort BTP"]["bank_lines_to_review"] == 1
    assert (
        "1 bank line waits for review: relance bank review"
        in on_day(monkeypatch, "2026-11-09", relance, "today").out
    )
    waits = "a bank line waiting for review could be their payment: relance bank review"
    assert batch(monkeypatch, "2026-11-09", relance) == {
        "Durand SARL": ("skipped", waits, None),
        "Lefort BTP": ("skipped", waits, None),
    }
    assert server.received == []
    [waiting] = on_day(monkeypatch, "2026-11-09", relance, "bank", "review", "--json").json()
    assert {p["client"] for p in waiting["proposals"]} == {"Durand SARL", "Lefort BTP"}
    assert all(p["reasons"] for p in waiting["proposals"])
    accepted = on_day(
        monkeypatch,
        "2026-11-09",
        relance,
        "bank",
        "accept",
        str(waiting["line"]),
        "--client",
        "Lefort BTP",
        "--json",
    )
    assert accepted.json()["client"] == "Lefort BTP"
    # Reviewed: Durand is reminded the same morning, Lefort has paid.
    assert batch(monkeypatch, "2026-11-09", relance) == {
        "Durand SARL": ("sent", None, "Facture F-2026-041 impayée — 500,00 €"),
    }
    assert on_day(monkeypatch, "2026-11-09", relance, "bank", "review", "--json").json() == []


def test_import_twice_records_once(
    book: None, relance: Relance, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = statement(tmp_path, "novembre.csv", "08/11/2026;VIR /MOTIF F-2026-041;VIR003;;500,00")
    overlapping = statement(
        tmp_path,
        "novembre-bis.csv",
        "08/11/2026;VIR /MOTIF F-2026-041;VIR003;;500,00",
        "09/11/2026;FRAIS;FR01;;-4,90",
    )
    on_day(monkeypatch, "2026-11-10", relance, "bank", "import", str(first))
    again = on_day(
        monkeypatch, "2026-11-10", relance, "bank", "import", str(first), str(overlapping), "--json"
    ).json()
    assert again["counts"] == {
        "matched": 0,
        "to_review": 0,
        "debits": 1,
        "reversed": 0,
        "already_imported": 2,
    }
    shown = on_day(monkeypatch, "2026-11-10", relance, "show", "Durand SARL", "--json").json()
    assert len(shown["payments"]) == 1


def test_a_returned_transfer_reverses_the_payment(
    book: None, relance: Relance, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    paid = statement(tmp_path, "a.csv", "08/11/2026;VIR /MOTIF F-2026-041;VIR004;;500,00")
    on_day(monkeypatch, "2026-11-10", relance, "bank", "import", str(paid))
    back = statement(tmp_path, "b.csv", "12/11/2026;RETOUR VIR004 MOTIF AC04;RET1;;-500,00")
    run = on_day(monkeypatch, "2026-11-13", relance, "bank", "import", str(back), "--json").json()
    assert run["counts"]["reversed"] == 1
    shown = on_day(monkeypatch, "2026-11-13", relance, "show", "Durand SARL", "--json").json()
    [payment] = shown["payments"]
    assert payment["reversed_at"] is not None
    assert payment["reversal_reason"] == "returned by the bank: RETOUR VIR004 MOTIF AC04"
    assert shown["invoices"][0]["outstanding"] == "500.00"


def test_a_bad_file_writes_nothing_and_exits_2(
    book: None, relance: Relance, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    good = statement(tmp_path, "good.csv", "08/11/2026;VIR /MOTIF F-2026-041;VIR005;;500,00")
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing a bank would write\n", encoding="utf-8")
    before = book_dump(Path(os.environ["RELANCE_DB"]))
    monkeypatch.setenv("RELANCE_TODAY", "2026-11-10")
    run = relance("bank", "import", str(good), str(bad))
    assert run.status == 2
    assert run.err.startswith(f"relance: {bad} is not a bank statement")
    assert len(run.err.splitlines()) == 1
    assert book_dump(Path(os.environ["RELANCE_DB"])) == before


def test_a_dry_run_writes_nothing(
    book: None, relance: Relance, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = statement(tmp_path, "a.csv", "08/11/2026;VIR /MOTIF F-2026-041;VIR006;;500,00")
    before = book_dump(Path(os.environ["RELANCE_DB"]))
    run = on_day(monkeypatch, "2026-11-10", relance, "bank", "import", str(path), "--dry-run")
    assert "(dry run: nothing written): matched 1" in run.out
    assert book_dump(Path(os.environ["RELANCE_DB"])) == before


def test_set_aside_and_refusals(
    book: None, relance: Relance, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = statement(tmp_path, "a.csv", "08/11/2026;REMBOURSEMENT MUTUELLE;VIR007;;33,00")
    on_day(monkeypatch, "2026-11-10", relance, "bank", "import", str(path))
    [waiting] = on_day(monkeypatch, "2026-11-10", relance, "bank", "review", "--json").json()
    assert waiting["proposals"] == []
    refused = relance("bank", "accept", str(waiting["line"]))
    assert (refused.status, refused.err) == (
        2,
        f"relance: client: bank line {waiting['line']} has no proposal: pick the client\n",
    )
    assert relance("bank", "accept", "x1").status == 2
    ok(relance("bank", "set-aside", str(waiting["line"])))
    again = relance("bank", "set-aside", str(waiting["line"]))
    assert again.status == 2
    assert "was set aside: not in review" in again.err
    assert ok(relance("bank", "review")).out == "No bank line waits for review.\n"


def test_a_real_camt_053_credit_is_recorded_for_the_client_it_names(
    relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELANCE_TODAY", "2014-01-06")
    ok(relance("init"))
    ok(relance("client", "add", "3rd Party Media BV"))
    ok(
        relance(
            "invoice",
            "add",
            "3rd Party Media BV",
            "4210773",
            "1405.31",
            "--issued",
            "2013-11-01",
            "--due",
            "2013-12-01",
        )
    )
    camt = SHARED_SAMPLES / "bank" / "camt" / "oca-camt053.xml"
    run = ok(relance("bank", "import", str(camt), "--json")).json()
    assert run["counts"] == {
        "matched": 1,
        "to_review": 0,
        "debits": 3,
        "reversed": 0,
        "already_imported": 0,
    }
    recorded = [line for line in run["files"][0]["lines"] if line["status"] == "recorded"]
    assert [(line["client"], line["amount"], line["debtor"]) for line in recorded] == [
        ("3rd Party Media BV", "1405.31", "3rd party Media")
    ]
    shown = ok(relance("show", "3rd Party Media BV", "--json")).json()
    assert shown["invoices"][0]["outstanding"] == "0.00"
