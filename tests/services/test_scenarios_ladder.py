"""Books walked through the weeks with RELANCE_TODAY: next action and reason at each step."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli_fixtures import Relance, Run, ok
from smtp_server import SmtpServer, smtp_server


@pytest.fixture
def server(relance: Relance) -> Iterator[SmtpServer]:
    """A fresh book whose config sends through a real SMTP server on 127.0.0.1."""
    with smtp_server() as running:
        text = (
            '[creditor]\nname = "Claire Dev"\nemail = "claire@example.fr"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {running.port}\nsecurity = "none"\n'
        )
        ok(relance("init"))
        Path(os.environ["RELANCE_CONFIG"]).write_text(text, encoding="utf-8")
        yield running


def on(monkeypatch: pytest.MonkeyPatch, day: str, relance: Relance, *argv: str) -> Run:
    """Run one command as if on ``day`` (the clock stays there for the next ones)."""
    monkeypatch.setenv("RELANCE_TODAY", day)
    return ok(relance(*argv))


def shown(monkeypatch: pytest.MonkeyPatch, day: str, relance: Relance, client: str) -> Any:
    """`show --json` of a client as seen on ``day``."""
    return on(monkeypatch, day, relance, "show", client, "--json").json()


def next_of(record: dict[str, Any]) -> tuple[str, str, str]:
    """The next action, its date and its reason from a `show --json` record."""
    return record["next_action"], record["next_action_on"], record["reason"]


def owing(relance: Relance, name: str, amount: str = "1200.00", due: str = "2026-10-01") -> None:
    """A client with an e-mail address and one invoice."""
    ok(relance("client", "add", name, "--email", "compta@example.fr"))
    ok(
        relance(
            "invoice", "add", name, f"F-{name[:3]}", amount, "--issued", "2026-09-01", "--due", due
        )
    )


def test_a_resolved_dispute_returns_the_client_to_its_step(
    server: SmtpServer, relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    owing(relance, "Perrin")
    on(monkeypatch, "2026-10-08", relance, "remind", "Perrin")
    assert next_of(shown(monkeypatch, "2026-10-08", relance, "Perrin"))[:2] == (
        "second email",
        "2026-10-15",
    )
    # The call where the client contests the work: off the ladder while the dispute runs.
    on(monkeypatch, "2026-10-16", relance, "call", "Perrin", "--outcome", "dispute")
    during = shown(monkeypatch, "2026-10-20", relance, "Perrin")
    assert during["disputed"] is True
    assert during["next_action"] == "resolve dispute"
    # Settled seven weeks later: back on the ladder at the step reached (the call was step 3),
    # due from the resolution, not from a date in the past nor stuck at "resolve dispute".
    on(monkeypatch, "2026-12-07", relance, "dispute", "Perrin", "off")
    after = shown(monkeypatch, "2026-12-07", relance, "Perrin")
    assert after["disputed"] is False
    action, day, reason = next_of(after)
    assert (action, day, after["step"]) == ("firm email", "2026-12-07", 4)
    assert reason.startswith("firm email — 67 days late")
    assert "step 4 of 7" in reason
    # The morning batch sends it, and the ladder moves on to the formal notice.
    batch = on(monkeypatch, "2026-12-07", relance, "remind", "--due", "--json").json()
    assert [(line["client"], line["status"]) for line in batch["clients"]] == [("Perrin", "sent")]
    assert len(server.received) == 2
    assert next_of(shown(monkeypatch, "2026-12-07", relance, "Perrin"))[:2] == (
        "formal notice",
        "2026-12-14",
    )


def test_a_letter_written_the_day_of_an_email_is_the_formal_notice(
    server: SmtpServer, relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    owing(relance, "Lemoine")
    for day in ("2026-10-08", "2026-10-15"):
        on(monkeypatch, day, relance, "remind", "Lemoine")
    on(monkeypatch, "2026-10-22", relance, "call", "Lemoine", "--outcome", "says-paid")
    assert shown(monkeypatch, "2026-10-31", relance, "Lemoine")["step"] == 4
    # The firm e-mail, then the mise en demeure written the same morning.
    on(monkeypatch, "2026-11-02", relance, "remind", "Lemoine")
    assert shown(monkeypatch, "2026-11-02", relance, "Lemoine")["next_action"] == "formal notice"
    on(monkeypatch, "2026-11-02", relance, "log", "Lemoine", "letter")
    action, day, reason = next_of(shown(monkeypatch, "2026-11-02", relance, "Lemoine"))
    # Not a second formal notice: the mediation step, 15 days after the notice.
    assert (action, day) == ("mediation", "2026-11-17")
    assert "step 6 of 7" in reason
    # A second e-mail the same day is refused, and the one sent stays one step.
    owing(relance, "Double")
    on(monkeypatch, "2026-10-08", relance, "remind", "Double")
    again = relance("remind", "Double")
    assert again.status == 2
    assert "already reminded today" in again.err
    record = shown(monkeypatch, "2026-10-08", relance, "Double")
    assert (record["next_action"], record["step"]) == ("second email", 2)


def test_a_reversal_lets_the_credit_pay_what_it_reopened(
    server: SmtpServer, relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(relance("client", "add", "Vasseur", "--email", "compta@vasseur.fr"))
    for number, due in (("F-A", "2026-09-01"), ("F-B", "2026-10-01")):
        ok(
            relance(
                "invoice",
                "add",
                "Vasseur",
                number,
                "1000.00",
                "--issued",
                "2026-08-01",
                "--due",
                due,
            )
        )
    first = on(
        monkeypatch,
        "2026-10-20",
        relance,
        "payment",
        "add",
        "Vasseur",
        "600.00",
        "--invoice",
        "F-B",
        "--json",
    ).json()
    later = on(
        monkeypatch, "2026-10-25", relance, "payment", "add", "Vasseur", "2300.00", "--json"
    ).json()
    assert later["credit"] == "900.00"
    # The first transfer bounces: the credit the later one left pays what it reopened.
    reversed_ = on(
        monkeypatch,
        "2026-11-02",
        relance,
        "payment",
        "reverse",
        "Vasseur",
        str(first["payment_id"]),
        "--json",
    ).json()
    record = shown(monkeypatch, "2026-11-02", relance, "Vasseur")
    assert (record["outstanding"], record["overdue"], record["credit"]) == (
        "0.00",
        "0.00",
        "300.00",
    )
    # Owed money, not owing it: no dunning action at all.
    assert next_of(record) == ("", None, "")
    assert reversed_["credit_applied"] == [{"invoice": "F-B", "amount": "600.00"}]
    # A new invoice takes the rest of the credit at once; what is left falls due later.
    on(
        monkeypatch,
        "2026-11-10",
        relance,
        "invoice",
        "add",
        "Vasseur",
        "F-C",
        "500.00",
        "--issued",
        "2026-11-10",
        "--due",
        "2026-12-10",
    )
    record = shown(monkeypatch, "2026-11-10", relance, "Vasseur")
    assert (record["outstanding"], record["credit"]) == ("200.00", "0.00")
    assert record["next_action"] == "courteous email"
    assert record["next_action_on"] == "2026-12-17"


def promise_views(
    monkeypatch: pytest.MonkeyPatch, day: str, relance: Relance, client: str
) -> tuple[bool, bool, bool, bool]:
    """Is a broken promise still to follow up, per list JSON, banner, show JSON, marker."""
    listed = on(monkeypatch, day, relance, "today", "--json").json()
    row = next(line for line in listed if line["client"] == client)
    text = on(monkeypatch, day, relance, "show", client).out
    record = shown(monkeypatch, day, relance, client)
    marker_line = next(
        line for line in on(monkeypatch, day, relance, "today").out.splitlines() if client in line
    )
    return (
        row["broken_promise"],
        "BROKEN PROMISE" in text,
        record["broken_promise"] is not None,
        " ! " in f" {marker_line} ",
    )


def test_a_promise_made_broken_and_followed_up(
    server: SmtpServer, relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    owing(relance, "Roux")
    on(monkeypatch, "2026-10-08", relance, "remind", "Roux")
    on(
        monkeypatch,
        "2026-10-12",
        relance,
        "call",
        "Roux",
        "--outcome",
        "promised",
        "--amount",
        "1200",
        "--on",
        "2026-10-20",
    )
    action, day, reason = next_of(shown(monkeypatch, "2026-10-12", relance, "Roux"))
    assert (action, day) == ("check promise", "2026-10-21")
    assert "promised to pay by 2026-10-20" in reason
    assert promise_views(monkeypatch, "2026-10-20", relance, "Roux") == (False,) * 4
    # The day after the promised date, nothing came: every view says it is to follow up.
    assert promise_views(monkeypatch, "2026-10-21", relance, "Roux") == (True,) * 4
    record = shown(monkeypatch, "2026-10-21", relance, "Roux")
    # The call was the ladder's step 3: the firm e-mail comes next, and says why.
    assert record["next_action"] == "firm email"
    assert "promise to pay by 2026-10-20 broken" in record["reason"]
    # The reminder that follows it up: every view agrees there is nothing left to chase.
    on(monkeypatch, "2026-10-21", relance, "remind", "Roux")
    follow_up = server.received[-1].message
    assert follow_up["Subject"] == "Engagement de paiement non tenu — 1 200,00 €"
    assert (
        "le 12 octobre, vous vous étiez engagé à régler 1 200,00 € avant le 20 octobre"
        in " ".join(follow_up.get_content().split())
    )
    assert promise_views(monkeypatch, "2026-10-21", relance, "Roux") == (False,) * 4
    record = shown(monkeypatch, "2026-10-21", relance, "Roux")
    assert record["next_action"] == "formal notice"
    assert "broken" not in record["reason"]


def test_the_reason_says_where_the_client_stands_today(
    server: SmtpServer, relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    owing(relance, "Carrel")
    for day in ("2026-10-08", "2026-10-15"):
        on(monkeypatch, day, relance, "remind", "Carrel")
    on(monkeypatch, "2026-10-22", relance, "call", "Carrel", "--outcome", "voicemail")
    on(monkeypatch, "2026-10-23", relance, "remind", "Carrel")
    # The formal notice falls on Sunday 15 November, so Monday; read the reason week by week.
    expected = {
        "2026-11-09": "39 days late, last reminder 17 days ago, step 5 of 7; due on 16 Nov",
        "2026-11-16": "46 days late, last reminder 24 days ago, step 5 of 7; due today",
        "2026-11-23": "53 days late, last reminder 31 days ago, step 5 of 7; due since 16 Nov",
    }
    for day, words in expected.items():
        record = shown(monkeypatch, day, relance, "Carrel")
        assert record["next_action"] == "formal notice"
        assert record["reason"] == f"formal notice — {words}"
        listed = on(monkeypatch, day, relance, "today", "--json").json()
        assert listed[0]["reason"] == record["reason"]


def test_an_imported_invoice_takes_the_credit_first(
    server: SmtpServer, relance: Relance, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    owing(relance, "Garnier", amount="400.00")
    paid = on(monkeypatch, "2026-10-05", relance, "payment", "add", "Garnier", "1000.00", "--json")
    assert paid.json()["credit"] == "600.00"
    sheet = tmp_path / "factures.csv"
    sheet.write_text(
        "Facture;Client;Date;Échéance;Montant TTC;Payé\n"
        "F-G2;Garnier;2026-10-01;2026-10-31;900,00;0\n",
        encoding="utf-8",
    )
    on(monkeypatch, "2026-11-10", relance, "import", str(sheet))
    record = shown(monkeypatch, "2026-11-10", relance, "Garnier")
    # The credit paid 600 of the new invoice: 300 are late, and the ladder starts on them.
    assert (record["outstanding"], record["overdue"], record["credit"]) == (
        "300.00",
        "300.00",
        "0.00",
    )
    assert record["next_action"] == "courteous email"


def test_a_plan_proposed_sent_accepted_then_an_instalment_missed(
    server: SmtpServer, relance: Relance, monkeypatch: pytest.MonkeyPatch
) -> None:
    owing(relance, "Lemoine", amount="900.00")
    # Week 0: proposed and sent at once; the ladder waits for the answer.
    run = on(
        monkeypatch,
        "2026-10-15",
        relance,
        "plan",
        "propose",
        "Lemoine",
        "--instalments",
        "3",
        "--first",
        "2026-11-02",
        "--send",
        "--json",
    ).json()
    assert (run["status"], run["sent"]["status"]) == ("proposed", "sent")
    [proposal] = server.received
    assert proposal.message["Subject"] == "Proposition d'échéancier — 900,00 €"
    assert "900,00 € en 3 versements, chaque mois" in proposal.message.get_content()
    action, _, reason = next_of(shown(monkeypatch, "2026-10-20", relance, "Lemoine"))
    assert action == "follow up plan proposal"
    assert "plan proposed" in reason
    # Accepted: the plan holds the ladder; the reminder is the instalment notice.
    on(monkeypatch, "2026-10-22", relance, "plan", "accept", "Lemoine")
    record = shown(monkeypatch, "2026-10-30", relance, "Lemoine")
    assert record["next_action"] == "instalment notice"
    assert "the plan holds the ladder" in record["reason"]
    on(monkeypatch, "2026-10-30", relance, "remind", "Lemoine")
    notice = server.received[-1].message
    assert notice["Subject"] == "Prochaine échéance de votre plan de paiement — 300,00 €"
    assert "d'un montant de 300,00 €, est fixée au 2 novembre" in notice.get_content()
    # The first instalment never comes: the next reminder says so, and threatens nothing more.
    action, day, _ = next_of(shown(monkeypatch, "2026-11-03", relance, "Lemoine"))
    assert (action, day) == ("instalment missed", "2026-11-03")
    on(monkeypatch, "2026-11-03", relance, "remind", "Lemoine")
    missed = server.received[-1].message
    assert missed["Subject"] == "Échéance impayée — 300,00 €"
    text = missed.get_content()
    assert "l'échéance du 2 novembre 2026 de votre plan de paiement" in text
    assert "mise en demeure" not in text.lower()
    assert len(server.received) == 3
