"""A client's legal terms: the default jurisdiction, changing it, a contract rate, court costs."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from relance.cli import main
from relance.config import ConfigError, load_config
from relance.domain.jurisdictions import default_jurisdiction
from relance.services.clients import add_client, set_legal_terms
from relance.services.validation import InvalidInput
from relance.store.detail import client_detail
from relance.store.models import Client, ContactEvent

AT = datetime(2026, 11, 23, 10, 0)


@pytest.mark.parametrize(
    ("kind", "configured", "expected"),
    [
        ("b2b", "", "fr-b2b"),
        ("b2c", "", "fr-b2c"),
        ("b2b", "uk-b2b", "uk-b2b"),
        ("b2c", "uk-b2b", "uk-b2b"),
        ("b2c", "fr-b2b", "fr-b2c"),
        ("b2b", "fr-b2c", "fr-b2b"),
        ("b2b", "us", "us"),
    ],
)
def test_default_jurisdiction(kind: str, configured: str, expected: str) -> None:
    """French individuals fall under consumer law; otherwise the configured default holds."""
    assert default_jurisdiction(kind, configured) == expected


def test_law_section_of_the_config(tmp_path: Path) -> None:
    """[law] gives the default jurisdiction and court costs in minor units."""
    path = tmp_path / "config.toml"
    path.write_text(
        '[law]\ndefault_jurisdiction = "UK-B2B"\n'
        '[law.court_costs]\n"small claims" = "205.00"\n"injonction de payer" = "120"\n',
        encoding="utf-8",
    )
    law = load_config(path).law
    assert law.default_jurisdiction == "uk-b2b"
    assert law.court_costs == {"small claims": 20500, "injonction de payer": 12000}


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('[law]\ndefault_jurisdiction = "mars"\n', "law.default_jurisdiction"),
        ('[law.court_costs]\n"small claims" = "-3"\n', "law.court_costs.small claims"),
        ('[law.court_costs]\n"small claims" = 200\n', "law.court_costs.small claims"),
        ("law = 3\n", "[law]"),
    ],
)
def test_a_bad_law_section_is_named(tmp_path: Path, body: str, words: str) -> None:
    """A wrong value stops with a message naming the key."""
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=words.replace("[", r"\[").replace("]", r"\]")):
        load_config(path)


def test_terms_change_and_history(book: object) -> None:
    """Jurisdiction and rate change together; `none` removes the rate; each change is an event."""
    client_id = add_client("Atelier", AT).client_id
    set_legal_terms(client_id, AT, jurisdiction_code="uk-b2b", contract_rate="12.5%")
    client = Client.get_by_id(client_id)
    assert (client.jurisdiction, client.contract_rate) == ("uk-b2b", "12.5")
    set_legal_terms(client_id, AT, contract_rate="none")
    assert Client.get_by_id(client_id).contract_rate is None
    summaries = [e.summary for e in client_detail(client_id, AT.date()).history]
    assert summaries[:2] == [
        "legal terms changed: contract rate 12.5 % → none",
        "legal terms changed: jurisdiction fr-b2b → uk-b2b, contract rate none → 12.5 %",
    ]


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"jurisdiction_code": "mars"}, "jurisdiction"),
        ({"contract_rate": "abc"}, "contract_rate"),
        ({"contract_rate": "0"}, "contract_rate"),
        ({"contract_rate": "150"}, "contract_rate"),
        ({"contract_rate": "12.12345"}, "contract_rate"),
        ({}, "jurisdiction"),
        ({"jurisdiction_code": "fr-b2b"}, "jurisdiction"),
    ],
)
def test_refused_terms_write_nothing(book: object, given: dict[str, str], field: str) -> None:
    """Unknown codes, impossible rates, nothing to change: refused on the field, nothing written."""
    client_id = add_client("Atelier", AT).client_id
    events = ContactEvent.select().count()
    with pytest.raises(InvalidInput) as refusal:
        set_legal_terms(client_id, AT, **given)
    assert field in refusal.value.errors
    assert ContactEvent.select().count() == events
    assert Client.get_by_id(client_id).jurisdiction == "fr-b2b"


def _relance(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process."""
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cli_uses_the_configured_default_and_costs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`client add` takes [law]'s jurisdiction; `show --json` compares the claim with its cost."""
    config = Path(os.environ["RELANCE_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        '[law]\ndefault_jurisdiction = "uk-b2b"\n[law.court_costs]\n"small claims" = "100.00"\n',
        encoding="utf-8",
    )
    status, out, err = _relance(capsys, "client", "add", "Harcourt Ltd")
    assert (status, err) == (0, "")
    client_id = out.strip()
    assert (
        _relance(
            capsys,
            "invoice",
            "add",
            client_id,
            "F-1",
            "5000.00",
            "--issued",
            "2026-06-01",
            "--due",
            "2026-07-01",
            "--currency",
            "GBP",
        )[0]
        == 0
    )
    shown = json.loads(_relance(capsys, "show", client_id, "--json")[1])
    assert shown["jurisdiction"] == "uk-b2b"
    assert shown["claim"]["route"]["name"] == "small claims"
    assert shown["claim"]["verdict"].startswith("worth it")


def test_cli_client_set(capsys: pytest.CaptureFixture[str]) -> None:
    """`client set` changes the terms and prints what changed; a bad rate exits 2."""
    _relance(capsys, "client", "add", "Atelier")
    status, out, _ = _relance(capsys, "client", "set", "Atelier", "--contract-rate", "15")
    assert status == 0 and "contract rate none → 15 %" in out
    status, out, err = _relance(capsys, "client", "set", "Atelier", "--contract-rate", "-1")
    assert status == 2 and out == "" and err.count("\n") == 1 and "contract rate" in err


def test_a_us_client_gets_its_state_small_claims_route(capsys: pytest.CaptureFixture[str]) -> None:
    """With its state set, a US client's claim is checked against that state's ceiling."""
    _relance(capsys, "client", "add", "Northpeak Inc.", "--jurisdiction", "us")
    _relance(
        capsys,
        "invoice",
        "add",
        "Northpeak Inc.",
        "US-1",
        "8000.00",
        "--issued",
        "2026-06-01",
        "--due",
        "2026-07-01",
        "--currency",
        "USD",
    )
    unknown = json.loads(_relance(capsys, "show", "Northpeak Inc.", "--json")[1])["claim"]
    assert unknown["route"]["fits"] is False and "state unknown" in unknown["route"]["note"]
    status, out, _ = _relance(capsys, "client", "set", "Northpeak Inc.", "--state", "tx")
    assert status == 0 and "state none → TX" in out
    shown = json.loads(_relance(capsys, "show", "Northpeak Inc.", "--json")[1])
    assert shown["state"] == "TX"
    assert shown["claim"]["route"] == {
        "name": "small claims",
        "limit": "20000.00",
        "fits": True,
        "note": "Texas justice court",
    }
    _relance(capsys, "client", "set", "Northpeak Inc.", "--state", "CA")
    california = json.loads(_relance(capsys, "show", "Northpeak Inc.", "--json")[1])["claim"]
    assert california["route"]["limit"] == "6250.00" and california["route"]["fits"] is False


def test_a_state_must_be_two_letters(book: object) -> None:
    """A state code that is not two letters is refused and nothing is written."""
    client_id = add_client("Northpeak", AT, jurisdiction_code="us").client_id
    with pytest.raises(InvalidInput) as refusal:
        set_legal_terms(client_id, AT, region="Texas")
    assert "state" in refusal.value.errors
    assert Client.get_by_id(client_id).region == ""


def test_show_prints_the_payer_profile(capsys: pytest.CaptureFixture[str]) -> None:
    """The readable `show` names the profile and says when it was set by hand."""
    _relance(capsys, "client", "add", "Vasseur SAS")
    assert "payer: unknown" in _relance(capsys, "show", "Vasseur SAS")[1]
    assert _relance(capsys, "profile", "Vasseur SAS", "bad-faith")[0] == 0
    assert "payer: bad faith (set by hand)" in _relance(capsys, "show", "Vasseur SAS")[1]
