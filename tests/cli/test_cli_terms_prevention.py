"""`client set` payment terms, `client flag` prevention flags, and the due date the terms give."""

from __future__ import annotations

from cli_fixtures import Relance, ok


def test_client_set_records_the_payment_terms(relance: Relance) -> None:
    """Delay, end of month, methods, penalty rate, fixed fee and note land in show --json."""
    ok(relance("client", "add", "Atelier"))
    run = ok(
        relance(
            "client",
            "set",
            "Atelier",
            "--delay",
            "45",
            "--end-of-month",
            "--methods",
            "card,transfer",
            "--penalty-rate",
            "12.5",
            "--fixed-fee",
            "60",
            "--terms-note",
            "CGV art. 7 [b]x[/b]",
        )
    )
    assert "payment delay 30 days → 45 days end of month" in run.out
    terms = ok(relance("show", "Atelier", "--json")).json()["payment_terms"]
    assert terms == {
        "payment_terms_days": 45,
        "end_of_month": True,
        "payment_methods": ["transfer", "card"],
        "fixed_fee": "60.00",
        "terms_note": "CGV art. 7 [b]x[/b]",
        "contract_rate": "12.5",
    }
    history = ok(relance("show", "Atelier", "--json")).json()["history"]
    assert history[0]["summary"].startswith("legal terms changed: contract rate none → 12.5 %")


def test_an_invoice_without_due_date_follows_the_terms(relance: Relance) -> None:
    """45 days end of month from 10 October is 30 November; a plain 30 days is 9 November."""
    ok(relance("client", "add", "Atelier"))
    ok(relance("client", "add", "Bureau"))
    ok(relance("client", "set", "Atelier", "--delay", "45", "--end-of-month"))
    atelier = ok(
        relance("invoice", "add", "Atelier", "F1", "100", "--issued", "2026-10-10", "--json")
    ).json()
    bureau = ok(
        relance("invoice", "add", "Bureau", "F2", "100", "--issued", "2026-10-10", "--json")
    ).json()
    assert atelier["due_on"] == "2026-11-30"
    assert bureau["due_on"] == "2026-11-09"


def test_bad_terms_exit_2_and_write_nothing(relance: Relance) -> None:
    """An out-of-range delay or an unknown method: one line on stderr, exit 2, nothing stored."""
    ok(relance("client", "add", "Atelier"))
    before = ok(relance("show", "Atelier", "--json")).json()
    for argv in (("--delay", "400"), ("--delay", "-3"), ("--methods", "transfer,bitcoin")):
        run = relance("client", "set", "Atelier", *argv)
        assert run.status == 2 and run.out == "" and run.err.count("\n") == 1
    assert ok(relance("show", "Atelier", "--json")).json() == before


def test_client_flag_records_and_marks_the_deposit_invoice(relance: Relance) -> None:
    """A deposit flag on an invoice marks it a deposit invoice; each flag is a history line."""
    ok(relance("client", "add", "Atelier"))
    ok(relance("invoice", "add", "Atelier", "A-1", "300", "--issued", "2026-11-01"))
    ok(relance("client", "flag", "Atelier", "deposit-asked", "--invoice", "A-1", "--note", "30 %"))
    ok(relance("client", "flag", "Atelier", "contract-signed"))
    data = ok(relance("show", "Atelier", "--json")).json()
    assert data["invoices"][0]["is_deposit"] is True
    assert [(f["flag"], f["invoice"], f["author"]) for f in data["prevention"]] == [
        ("deposit-asked", "A-1", "user"),
        ("contract-signed", None, "user"),
    ]
    assert data["history"][1]["summary"] == "deposit asked for invoice A-1: 30 %"
    assert data["profile"] == "unknown"


def test_bad_flags_exit_2_and_write_nothing(relance: Relance) -> None:
    """An unknown flag or invoice: one line on stderr, exit 2, no history line."""
    ok(relance("client", "add", "Atelier"))
    before = ok(relance("show", "Atelier", "--json")).json()["history"]
    for argv in (("nope",), ("deposit-paid", "--invoice", "F-9")):
        run = relance("client", "flag", "Atelier", *argv)
        assert run.status == 2 and run.out == "" and run.err.count("\n") == 1
    assert ok(relance("show", "Atelier", "--json")).json()["history"] == before


def test_a_contract_refused_client_starts_on_the_firmer_ladder(relance: Relance) -> None:
    """Refused contract: bad faith with its reason, and the first step is a call and firm email."""
    for name in ("Atelier", "Bureau"):
        ok(relance("client", "add", name))
        ok(
            relance(
                "invoice",
                "add",
                name,
                f"{name}-1",
                "500",
                "--issued",
                "2026-10-01",
                "--due",
                "2026-11-01",
            )
        )
    ok(relance("client", "flag", "Atelier", "contract-refused"))
    atelier = ok(relance("show", "Atelier", "--json")).json()
    bureau = ok(relance("show", "Bureau", "--json")).json()
    assert atelier["profile"] == "bad-faith"
    assert "refused to sign a contract once" in atelier["profile_reasons"]
    assert atelier["next_action"] == "call and firm email"
    assert bureau["next_action"] == "courteous email"


def test_an_agreed_fixed_fee_above_the_law_is_claimed(relance: Relance) -> None:
    """60 EUR agreed replaces the 40 EUR of French law; 20 EUR agreed leaves the 40 EUR floor."""
    for name, fee in (("Atelier", "60"), ("Bureau", "20")):
        ok(relance("client", "add", name))
        ok(relance("client", "set", name, "--fixed-fee", fee))
        ok(
            relance(
                "invoice",
                "add",
                name,
                f"{name}-1",
                "500",
                "--issued",
                "2026-09-01",
                "--due",
                "2026-10-01",
            )
        )
    fees = {
        name: ok(relance("show", name, "--json")).json()["claim"]["invoices"][0][
            "fixed_compensation"
        ]
        for name in ("Atelier", "Bureau")
    }
    assert fees == {"Atelier": "60.00", "Bureau": "40.00"}
