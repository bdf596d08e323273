"""Message templates: every template in both languages, the user's overrides, broken templates."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from relance.config import Config, Creditor
from relance.domain.creditor_reference import client_id_from_reference, client_reference, grouped
from relance.domain.written_dates import long_date
from relance.messages.facts import clean
from relance.messages.rendering import TemplateError, shipped_names
from relance.messages.wording import short_date
from relance.services import calls, clients, invoices, payments, plans
from relance.services.drafting import call_script, draft_message, draft_reminder, sms_text
from relance.store.models import Client, Contact, ContactEvent, Invoice

CREDITOR = Creditor(
    name="Atelier Camille Martin",
    address="12 rue des Lilas\n69003 Lyon",
    email="camille@martin.example",
    phone="+33 6 12 34 56 78",
    company_number="812 345 678 00021",
    iban="FR76 3000 6000 0112 3456 7890 189",
)
LADDER_TEMPLATES = (
    "courteous",
    "second",
    "call",
    "firm",
    "last-reminder",
    "formal-notice",
    "letter-before-action",
    "final-demand",
    "legal",
    "county-court",
    "small-claims",
)
OTHER_TEMPLATES = (
    "plan-proposal",
    "broken-promise",
    "instalment-due",
    "instalment-missed",
    "thank-you",
    "sms",
)
PLAN_TEMPLATES = ("plan-proposal", "instalment-due", "instalment-missed")
# The templates that tell the client how to pay, so print the reference to quote.
PAYING_TEMPLATES = tuple(
    name for name in LADDER_TEMPLATES + OTHER_TEMPLATES if name not in ("call", "thank-you", "sms")
)
REFERENCE_LABELS = {"fr": "Référence à indiquer : ", "en": "Reference to quote: "}


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """The user's config, with a full creditor identity, in a folder of its own."""
    folder = tmp_path / "config"
    folder.mkdir()
    return Config(path=folder / "config.toml", creditor=CREDITOR)


def owing_client(
    at: datetime, language: str, *, name: str = "Brasserie du Port", prefix: str = "F"
) -> int:
    """Two overdue invoices (one partly paid), one not yet due, and a contact with an address."""
    client_id = clients.add_client(
        name,
        at,
        email="compta@brasserie.example",
        contact_name="Mme Lefèvre",
        address="4 quai Rambaud\n69002 Lyon",
        language=language,
    ).client_id
    invoices.add_invoice(client_id, f"{prefix}-2026-014", "1440.00", "2026-08-03", "2026-09-02", at)
    invoices.add_invoice(client_id, f"{prefix}-2026-027", "612.30", "2026-09-14", "2026-10-14", at)
    invoices.add_invoice(client_id, f"{prefix}-2026-041", "95.00", "2026-11-10", "2026-12-10", at)
    payments.record_payment(client_id, "240.00", datetime(2026, 10, 5, 11), reference="VIR 88")
    return client_id


def render_any(name: str, client_id: int, today: date, config: Config) -> str:
    """Render a template by name as the app would: subject and body as one text."""
    if name == "call":
        return call_script(client_id, today, config)
    if name == "sms":
        return sms_text(client_id, today, config)
    if name in LADDER_TEMPLATES:
        draft = draft_reminder(client_id, today, config, template=name)
    else:
        draft = draft_message(client_id, today, config, name)
    assert draft.template == name
    assert draft.subject and "\n" not in draft.subject
    return f"{draft.subject}\n{draft.body}"


def user_template(config: Config, language: str, name: str, source: str) -> Path:
    """Write the user's own template beside the config, where it replaces a shipped one."""
    folder = config.path.parent / "templates" / language
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(source, encoding="utf-8")
    return path


def test_every_shipped_template_exists_in_both_languages() -> None:
    """The ladders' templates and the other messages, in French and English, and no more."""
    for language in ("fr", "en"):
        assert set(shipped_names(language)) == set(LADDER_TEMPLATES + OTHER_TEMPLATES)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", [*LADDER_TEMPLATES, "broken-promise", "sms"])
def test_ladder_templates_list_invoices_total_iban_and_creditor(
    book: SqliteDatabase, at: datetime, today: date, config: Config, name: str, language: str
) -> None:
    """Each reminder names the overdue invoices, the total, how to pay and who writes."""
    client_id = owing_client(at, language)
    calls.log_call(
        client_id,
        "promised",
        datetime(2026, 11, 12, 10),
        promised_amount="800.00",
        promised_on="2026-11-20",
    )
    text = render_any(name, client_id, today, config)
    total = "1 812,30 €" if language == "fr" else "€1,812.30"
    assert total in text
    assert "F-2026-014" in text
    assert "F-2026-041" not in text  # not due yet
    if name != "call":
        assert "FR76 3000 6000 0112 3456 7890 189" in text
    if name not in ("sms",):
        assert "F-2026-027" in text
    assert "Atelier Camille Martin" in text
    if name not in ("call", "sms"):
        # The partly paid invoice: amount, what was paid, what is left.
        paid = ("1 440,00", "240,00", "1 200,00") if language == "fr" else ("1,440.00", "240.00")
        assert all(amount in text for amount in paid)
        assert "812 345 678 00021" in text
        assert "camille@martin.example" in text


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", [*PLAN_TEMPLATES, "thank-you"])
def test_plan_and_thank_you_templates(
    book: SqliteDatabase, at: datetime, today: date, config: Config, name: str, language: str
) -> None:
    """Plan messages list the instalments; the thank-you names the payment and the balance."""
    client_id = owing_client(at, language)
    if name in PLAN_TEMPLATES:
        proposed = datetime(2026, 10, 20, 9)
        plans.propose_plan(client_id, "3", proposed, every="month", first="2026-10-30")
        if name != "plan-proposal":
            plans.answer_plan(client_id, "accept", datetime(2026, 10, 22, 9))
    text = render_any(name, client_id, today, config)
    assert "Atelier Camille Martin" in text
    if name == "thank-you":
        assert ("240,00 €" if language == "fr" else "€240.00") in text
        assert ("1 907,30 €" if language == "fr" else "€1,907.30") in text
        return
    assert "FR76 3000 6000 0112 3456 7890 189" in text
    if name == "plan-proposal":
        assert ("1 907,30 €" if language == "fr" else "€1,907.30") in text
        assert ("30 octobre 2026" if language == "fr" else "30 October 2026") in text
    if name == "instalment-missed":
        assert ("30 octobre 2026" if language == "fr" else "30 October 2026") in text


def test_french_courteous_reads_as_a_french_reminder(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """Greeting, table with French headers and amounts, total, payment line, signature."""
    client_id = owing_client(at, "fr")
    draft = draft_reminder(client_id, today, config, template="courteous")
    assert draft.subject == "Factures impayées (2) — 1 812,30 €"
    assert draft.body.startswith("Bonjour Mme Lefèvre,\n\nSauf erreur de notre part")
    assert "Facture     Émise le    Échéance     TTC (€)    Payé  Reste dû  Retard" in draft.body
    assert "F-2026-014  03/08/2026  02/09/2026  1 440,00  240,00  1 200,00    82 j" in draft.body
    assert "Total restant dû : 1 812,30 €" in draft.body
    assert (
        "Règlement par virement sur le compte IBAN FR76 3000 6000 0112 3456 7890 189"
        " (Atelier Camille Martin).\n"
        f"Référence à indiquer : {grouped(client_reference(client_id))}"
        " (factures F-2026-014, F-2026-027)."
    ) in draft.body
    assert draft.body.rstrip().endswith(
        "Cordialement,\n\nAtelier Camille Martin\n12 rue des Lilas\n69003 Lyon\n"
        "camille@martin.example\n+33 6 12 34 56 78\nSIRET : 812 345 678 00021"
    )
    # Drafting writes nothing.
    assert ContactEvent.select().where(ContactEvent.kind == "email").count() == 0


def test_formal_notice_is_a_mise_en_demeure(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """The words, the total with interest and fee, the deadline and the legal basis."""
    client_id = owing_client(at, "fr")
    draft = draft_reminder(client_id, today, config, template="formal-notice")
    assert draft.subject.startswith("Mise en demeure de payer — ")
    body = draft.body
    assert "nous vous mettons en demeure" in body
    assert "dans un délai de 8 jours" in body
    assert "au plus tard le 1er décembre 2026" in body
    assert "article L441-10 du Code de commerce" in body
    assert "article D441-5" in body
    assert "l'indemnité forfaitaire pour frais de recouvrement, soit 80,00 €" in body
    assert "Veuillez agréer, Madame, Monsieur" in body


def test_letter_before_action_for_an_individual_follows_the_protocol(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """UK, an individual: 30 days, the Pre-Action Protocol, debt advice."""
    client_id = clients.add_client(
        "Tom Baker", at, email="tom@example.co.uk", kind="b2c", language="en"
    ).client_id
    clients.set_legal_terms(client_id, at, jurisdiction_code="uk-b2b")
    invoices.add_invoice(
        client_id, "INV-7", "450.00", "2026-08-01", "2026-09-01", at, currency="GBP"
    )
    draft = draft_reminder(client_id, today, config, template="letter-before-action")
    assert draft.subject.startswith("Letter before action — £")
    assert "Pre-Action Protocol for Debt Claims" in draft.body
    assert "30 days from the date of this letter" in draft.body
    assert "Dear Sir or Madam," in draft.body
    assert "Yours faithfully," in draft.body
    assert "Late Payment of Commercial Debts (Interest) Act 1998" in draft.body


def test_dates_are_written_in_the_language() -> None:
    """French month names by hand, 1er for the first; the year left out when it is this one."""
    assert long_date(date(2026, 12, 1), "fr") == "1er décembre 2026"
    assert long_date(date(2026, 8, 15), "fr") == "15 août 2026"
    assert long_date(date(2026, 12, 1), "en") == "1 December 2026"
    assert short_date(date(2026, 11, 12), "fr", date(2026, 11, 23)) == "12 novembre"
    assert short_date(date(2025, 11, 12), "en", date(2026, 11, 23)) == "12 November 2025"


# The user's own templates.


def test_user_override_is_picked_up(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """A file of the same name in <config dir>/templates/<lang>/ replaces the shipped one."""
    client_id = owing_client(at, "fr")
    user_template(
        config,
        "fr",
        "courteous.txt",
        "Subject: Petit rappel — {{ total }}\n\nBonjour,\n{% for i in invoices %}"
        "{{ i.number }} : {{ i.outstanding }}\n{% endfor %}{{ creditor.name }}\n",
    )
    draft = draft_reminder(client_id, today, config, template="courteous")
    assert draft.subject == "Petit rappel — 1 812,30 €"
    assert draft.body == (
        "Bonjour,\nF-2026-014 : 1 200,00 €\nF-2026-027 : 612,30 €\nAtelier Camille Martin\n"
    )
    # The English one is still the shipped one.
    english = owing_client(at, "en", name="Harbour Pub", prefix="H")
    assert draft_reminder(english, today, config, template="courteous").body.startswith("Dear")


def test_an_overridden_piece_is_used_by_every_template(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """The signature piece overridden once changes every message."""
    client_id = owing_client(at, "en")
    user_template(config, "en", "_signature.txt", "-- \nCamille, on behalf of the studio\n")
    for name in ("courteous", "firm", "formal-notice"):
        body = draft_reminder(client_id, today, config, template=name).body
        assert body.endswith("-- \nCamille, on behalf of the studio\n".replace(" \n", "\n"))


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("Subject: x\n\nBonjour,\n{{ total }\n", 4, "unexpected '}'"),
        ("Subject: x\n\n{{ total }}\n{{ unknown_thing }}\n", 4, "'unknown_thing' is undefined"),
        ("Subject: x\n\n{{ invoices.__class__.__mro__ }}\n", 3, "unsafe"),
        ("Subject: x\n\n{{ client.name.__init__.__globals__ }}\n", 3, "unsafe"),
        ("Subject: x\n{% for i in invoices %}\n{{ i.number }}\n", 3, "endfor"),
    ],
)
def test_broken_override_names_file_and_line_and_sends_nothing(
    book: SqliteDatabase,
    at: datetime,
    today: date,
    config: Config,
    tmp_path: Path,
    source: str,
    line: int,
    message: str,
) -> None:
    """Syntax error, unknown variable, sandbox violation: a TemplateError naming file and line."""
    from relance.services.reminders import send_reminder

    client_id = owing_client(at, "fr")
    path = user_template(config, "fr", "courteous.txt", source)
    before = ContactEvent.select().count()
    with pytest.raises(TemplateError) as raised:
        draft_reminder(client_id, today, config, template="courteous")
    text = str(raised.value)
    assert text.startswith(f"{path}, line {line}: ")
    assert message in text
    # The ladder's first step uses the courteous template: sending fails the same way.
    outbox = tmp_path / "outbox"
    with pytest.raises(TemplateError):
        send_reminder(client_id, at, config, outbox)
    assert ContactEvent.select().count() == before
    assert not any(p.is_file() for p in outbox.rglob("*")) if outbox.exists() else True


def test_a_policy_step_naming_a_missing_template_is_a_clear_error(
    book: SqliteDatabase, at: datetime, today: date, tmp_path: Path
) -> None:
    """A [policy] step may name its own template; without a file for it, the error says where."""
    folder = tmp_path / "config"
    folder.mkdir()
    raw = {
        "policy": {
            "ladders": {
                "fr-careless": {
                    "steps": [{"after": 7, "channel": "email", "template": "gentle-nudge"}]
                }
            }
        }
    }
    config = Config(path=folder / "config.toml", creditor=CREDITOR, raw=raw)
    client_id = owing_client(at, "fr")
    with pytest.raises(TemplateError) as raised:
        draft_reminder(client_id, today, config)
    expected = folder / "templates" / "fr" / "gentle-nudge.txt"
    assert str(raised.value) == f"no template 'gentle-nudge' in fr: write it as {expected}"
    user_template(
        config, "fr", "gentle-nudge.txt", "Subject: Un petit mot\n\n{{ invoice_table }}\n"
    )
    draft = draft_reminder(client_id, today, config)
    assert (draft.template, draft.subject) == ("gentle-nudge", "Un petit mot")
    assert "F-2026-027" in draft.body


def test_a_template_without_subject_line_is_refused_for_email(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """An e-mail needs its subject: the first line must be ``Subject: …``."""
    client_id = owing_client(at, "en")
    user_template(config, "en", "firm.txt", "Pay now.\n")
    with pytest.raises(TemplateError, match="must start with a line 'Subject: …'"):
        draft_reminder(client_id, today, config, template="firm")


# Client data is data, never template source, markup or terminal control.

HOSTILE = "{{ 7*7 }} [bold]x[/] \x1b[31mred\x00 {% raw %}"


def test_hostile_client_data_comes_out_literal_and_harmless(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """Jinja syntax and markup print as typed; escape sequences and NUL lose their bytes."""
    client_id = owing_client(at, "en")
    # Imports and old books can hold what the forms refuse: write it straight in.
    Client.update(name=HOSTILE).where(Client.id == client_id).execute()
    Contact.update(name=HOSTILE).where(Contact.client == client_id).execute()
    Invoice.update(number="F-{{ 7*7 }}-\x1b[2J[red]x[/]").where(
        Invoice.number == "F-2026-014"
    ).execute()
    texts = [
        render_any(name, client_id, today, config)
        for name in ("courteous", "formal-notice", "call", "sms")
    ]
    for text in texts:
        assert "49" not in text
        assert "\x1b" not in text and "\x00" not in text
        assert "F-{{ 7*7 }}-[2J[red]x[/]" in text
    assert "Dear {{ 7*7 }} [bold]x[/] [31mred {% raw %}," in texts[0]
    assert "{{ 7*7 }} [bold]x[/] [31mred {% raw %}" in texts[2]


def test_clean_strips_control_characters_but_keeps_text() -> None:
    """Controls and bidi overrides go; newlines only where the value may have several lines."""
    assert clean("a\x1b[1mb\tc\x00d\u202ee") == "a[1mb cde"
    assert clean("12 rue X\r\n75001 Paris", multiline=True) == "12 rue X\n75001 Paris"
    assert clean("12 rue X\n75001 Paris") == "12 rue X 75001 Paris"
    assert clean("Zoë 👩‍💻") == "Zoë 👩‍💻"


# The command line.


def test_cli_dry_run_names_the_template_and_a_broken_one_is_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`remind --dry-run --json` says which template; a broken one: exit 2, file and line."""
    import json
    import os

    from relance.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = main(list(argv))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    assert run("init")[0] == 0
    assert run("client", "add", "Durand SARL", "--email", "compta@durand.fr")[0] == 0
    invoice = ("F-1", "1200.00", "--issued", "2026-09-01", "--due", "2026-10-01")
    assert run("invoice", "add", "Durand SARL", *invoice)[0] == 0
    status, out, _ = run("remind", "Durand SARL", "--dry-run", "--json")
    assert status == 0
    record = json.loads(out)
    assert (record["template"], record["step"], record["channel"]) == (
        "courteous",
        "courteous email",
        "email",
    )
    folder = Path(os.environ["RELANCE_CONFIG"]).parent / "templates" / "fr"
    folder.mkdir(parents=True)
    (folder / "courteous.txt").write_text("Subject: x\n\n{{ total }\n", encoding="utf-8")
    for argv in (("--dry-run",), ()):
        status, out, err = run("remind", "Durand SARL", *argv)
        assert status == 2
        assert err.strip().endswith(f"{folder / 'courteous.txt'}, line 3: unexpected '}}'")
        assert len(err.strip().splitlines()) == 1
    status, out, _ = run("show", "Durand SARL", "--json")
    assert all(event["kind"] != "email" for event in json.loads(out)["history"])


def _drafted(name: str, client_id: int, at: datetime, today: date, config: Config) -> str:
    """A template rendered once the client is in the state it is written for."""
    if name == "broken-promise":
        calls.log_call(
            client_id,
            "promised",
            datetime(2026, 11, 12, 10),
            promised_amount="800.00",
            promised_on="2026-11-20",
        )
    if name in PLAN_TEMPLATES:
        plans.propose_plan(
            client_id, "3", datetime(2026, 10, 20, 9), every="month", first="2026-10-30"
        )
        if name != "plan-proposal":
            plans.answer_plan(client_id, "accept", datetime(2026, 10, 22, 9))
    return render_any(name, client_id, today, config)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", PAYING_TEMPLATES)
def test_every_paying_message_prints_the_clients_rf_reference_with_iban_and_bic(
    book: SqliteDatabase, at: datetime, today: date, tmp_path: Path, name: str, language: str
) -> None:
    """The reference to quote is the client's own RF, in groups of four, beside IBAN and BIC."""
    creditor = Creditor(name=CREDITOR.name, iban=CREDITOR.iban, bic="AGRIFRPPXXX")
    config = Config(path=tmp_path / "config.toml", creditor=creditor)
    clients.add_client("Autre client", at)  # so the reference is not the first id's by chance
    client_id = owing_client(at, language)
    text = _drafted(name, client_id, at, today, config)
    reference = grouped(client_reference(client_id))
    assert REFERENCE_LABELS[language] + reference in text
    assert "IBAN FR76 3000 6000 0112 3456 7890 189, BIC AGRIFRPPXXX" in text
    printed = re.search(REFERENCE_LABELS[language] + r"(RF[0-9]{2}(?: [0-9A-Z]{1,4})+)", text)
    assert printed is not None
    assert client_id_from_reference(printed.group(1)) == client_id


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", PAYING_TEMPLATES)
def test_without_an_iban_no_rf_reference_is_printed(
    book: SqliteDatabase, at: datetime, today: date, tmp_path: Path, name: str, language: str
) -> None:
    creditor = Creditor(name=CREDITOR.name, bic="AGRIFRPPXXX")
    config = Config(path=tmp_path / "config.toml", creditor=creditor)
    client_id = owing_client(at, language)
    text = _drafted(name, client_id, at, today, config)
    assert REFERENCE_LABELS[language] not in text
    assert client_reference(client_id) not in text.replace(" ", "")
    assert "BIC" not in text
