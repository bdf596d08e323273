"""`relance contact add|set|remove|list|mark|clear-mark`: what each prints, and what it refuses."""

from __future__ import annotations

import pytest

from cli_fixtures import Relance, ok


@pytest.fixture
def client(relance: Relance) -> str:
    """A client whose billing contact has an e-mail address and a phone number."""
    ok(relance("client", "add", "Durand SARL", "--email", "compta@durand.fr", "--phone", "0123"))
    return "Durand SARL"


def listed(relance: Relance, client: str) -> list[dict[str, object]]:
    """`contact list --json`."""
    contacts: list[dict[str, object]] = ok(relance("contact", "list", client, "--json")).json()
    return contacts


def test_add_then_list_as_json(relance: Relance, client: str) -> None:
    added = ok(
        relance(
            "contact",
            "add",
            client,
            "--name",
            "Léa Petit",
            "--role",
            "DAF",
            "--email",
            "lea@durand.fr",
            "--phone",
            "+33 6 00 00 00 01",
            "--address",
            "1 quai Ouest, 69002 Lyon",
            "--lang",
            "en",
            "--json",
        )
    ).json()
    assert added["name"] == "Léa Petit" and added["client_id"] == 1 and added["event_id"]
    [billing, lea] = listed(relance, client)
    assert billing["is_billing"] is True and billing["email"] == "compta@durand.fr"
    assert lea == {
        "id": lea["id"],
        "name": "Léa Petit",
        "role": "DAF",
        "email": "lea@durand.fr",
        "phone": "+33 6 00 00 00 01",
        "address": "1 quai Ouest, 69002 Lyon",
        "is_billing": False,
        "language": "en",
        "phone_wrong": False,
        "phone_wrong_reason": None,
        "email_bounced": False,
        "email_bounced_reason": None,
    }
    shown = ok(relance("show", client, "--json")).json()
    assert [c["id"] for c in shown["contacts"]] == [billing["id"], lea["id"]]
    text = ok(relance("contact", "list", client)).out
    assert "Léa Petit" in text and "lea@durand.fr" in text and "billing" in text


def test_set_billing_moves_it_and_remove_says_so(relance: Relance, client: str) -> None:
    ok(relance("contact", "add", client, "--name", "Léa", "--email", "lea@durand.fr"))
    changed = ok(relance("contact", "set", client, "Léa", "--billing"))
    assert changed.out == "Durand SARL: contact Léa changed: now the billing contact\n"
    assert [c["name"] for c in listed(relance, client) if c["is_billing"]] == ["Léa"]
    removed = ok(relance("contact", "remove", client, "lea@durand.fr"))
    assert removed.out.startswith("Durand SARL: contact removed: Léa (lea@durand.fr, billing)")
    assert [c["email"] for c in listed(relance, client)] == ["compta@durand.fr"]


def test_mark_and_clear_a_wrong_number(relance: Relance, client: str) -> None:
    ok(relance("contact", "mark", client, "0123", "wrong-number", "--reason", "nobody there"))
    [contact] = listed(relance, client)
    assert (contact["phone_wrong"], contact["phone_wrong_reason"]) == (True, "nobody there")
    assert "[wrong: nobody there]" in ok(relance("contact", "list", client)).out
    ok(relance("contact", "clear-mark", client, "0123", "wrong-number"))
    [contact] = listed(relance, client)
    assert contact["phone_wrong"] is False
    history = ok(relance("show", client, "--json")).json()["history"]
    assert [h["summary"] for h in history if h["kind"] == "contact"] == [
        "compta@durand.fr's number 0123 no longer marked wrong",
        "compta@durand.fr's number 0123 marked wrong: nobody there",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("add", "Durand SARL", "--email", "x@y"), "email: not an e-mail address: 'x@y'"),
        (("add", "Durand SARL", "--phone", "twelve"), "phone: not a phone number: 'twelve'"),
        (("add", "Durand SARL", "--lang", "de"), "language must be one of"),
        (("add", "Durand SARL"), "a contact needs a name, an e-mail, a phone or a postal address"),
        (("set", "Durand SARL", "9", "--role", "x"), "no contact '9'"),
        (("set", "Durand SARL", "1"), "give at least one field to change"),
        (("remove", "Durand SARL", "nobody@durand.fr"), "no contact 'nobody@durand.fr'"),
        (("mark", "Durand SARL", "1", "bounced", "--reason", "a\x1bb"), "control characters"),
        (("clear-mark", "Durand SARL", "1", "bounced"), "is not marked bounced"),
        (("list", "Nobody SA"), "no client 'Nobody SA'"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    relance: Relance, client: str, argv: tuple[str, ...], message: str
) -> None:
    before = ok(relance("show", client, "--json")).json()
    run = relance("contact", *argv)
    assert run.status == 2
    assert run.err.count("\n") == 1 and message in run.err
    assert run.out == ""
    assert ok(relance("show", client, "--json")).json() == before
