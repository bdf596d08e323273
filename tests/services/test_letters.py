"""PDF letters: the formal letter of each jurisdiction, the statement, the history and the proof."""

from __future__ import annotations

import hashlib
import io
import stat
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from letter_fixtures import CREDITOR, french_client, reach_letter_step
from relance.config import Config, ConfigError
from relance.delivery.letters import formal_notice as formal_notice_module
from relance.delivery.letters.fonts import FontError, LetterFont, clean_text, find_font
from relance.delivery.letters.wording import place_of
from relance.domain.money import format_money
from relance.domain.written_dates import long_date
from relance.services import letters
from relance.services.claims import claim_for_client
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.services.letters import (
    is_letter_step,
    plan_letter,
    record_posting,
    write_letter,
)
from relance.services.payments import record_payment
from relance.services.results import ActionResult
from relance.services.validation import InvalidInput
from relance.store.models import Client, ContactEvent

LEGAL_BASIS_FR = "fr-b2b : France, entre professionnels (article L441-10 du Code de commerce)"
LEGAL_BASIS_UK = "uk-b2b: UK, Late Payment of Commercial Debts (Interest) Act 1998"
HOSTILE_NAME = "Œuvres [bold]x[/] {{ 7*7 }} \x1b[31mrouge"


def config_for(tmp_path: Path, **letters_settings: object) -> Config:
    """A config with the creditor set and, maybe, a ``[letters]`` table."""
    raw = {"letters": dict(letters_settings)} if letters_settings else {}
    return Config(path=tmp_path / "config.toml", creditor=CREDITOR, raw=raw)


def pdf_text(path: Path | bytes) -> str:
    """Every page's text, with unbreakable spaces and runs of spaces made single spaces."""
    source = io.BytesIO(path) if isinstance(path, bytes) else path
    text = "\n".join(page.extract_text() for page in PdfReader(source).pages)
    text = text.replace("\u00a0", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def flat(text: str) -> str:
    """The text on one line, so phrases wrapped across lines still match."""
    return text.replace("\n", " ")


def write_in_tmp(
    client_id: int,
    at: datetime,
    tmp_path: Path,
    kind: str = "formal-notice",
    out: Path | None = None,
) -> ActionResult:
    """Write a letter for the test creditor into ``tmp_path/letters``."""
    return write_letter(
        client_id, at, config_for(tmp_path), tmp_path / "letters", kind=kind, out=out
    )


def letter_text(result: ActionResult) -> str:
    """The text of the letter a result points at, on one line."""
    return flat(pdf_text(Path(result.record["path"])))


def spaced(text: str) -> str:
    """Amounts as the normalised extraction shows them."""
    return text.replace("\u00a0", " ")


def hostile_client() -> int:
    """A client whose name holds markup, a template and an escape sequence (as an import may)."""
    client_id = french_client()
    # The form refuses control characters in names; older books and imports may still hold them.
    Client.update(name=HOSTILE_NAME).where(Client.id == client_id).execute()
    return client_id


def uk_client() -> int:
    """A UK company owing one invoice in pounds."""
    client_id = add_client(
        "Brightwell Digital Ltd",
        datetime(2026, 1, 5, 9, 0),
        language="en",
        contact_name="Oliver Grant",
        address="Unit 4, 27 Tabernacle Street, London EC2A 4DD",
        jurisdiction_code="uk-b2b",
    ).client_id
    add_invoice(
        client_id,
        "INV-77",
        "2500.00",
        "2026-07-01",
        "2026-08-01",
        datetime(2026, 7, 1, 9),
        currency="GBP",
    )
    return client_id


def events_of(client_id: int) -> list[ContactEvent]:
    """The client's history, oldest first."""
    return list(
        ContactEvent.select().where(ContactEvent.client == client_id).order_by(ContactEvent.id)
    )


# ---- the French formal notice ---------------------------------------------------------------


def test_french_formal_notice_prints_the_claim(
    book: object, tmp_path: Path, at: datetime, today: date
) -> None:
    client_id = french_client()
    claim = claim_for_client(client_id, today)
    result = write_in_tmp(client_id, at, tmp_path)
    text = letter_text(result)
    for expected in (
        "Camille Martin — développeuse",
        "Atelier Dupont SARL",
        "À l'attention de Jeanne Dupont",
        "3 quai Saint-Vincent",
        "Lyon, le 23 novembre 2026",
        "Lettre recommandée avec accusé de réception",
        "Objet : Mise en demeure de payer",
        "F-2026-031",
        "F-2026-032",
        "4 800,00 €",
        "3 800,00 €",
        "Total réclamé",
        spaced(format_money(claim.total, "EUR", "fr")),
        spaced(format_money(claim.interest, "EUR", "fr")),
        "80,00 €",
        "1er décembre 2026",
        "dans un délai de 8 jours",
        "article L441-10 du Code de commerce",
        "article D441-5",
        "injonction de payer",
        LEGAL_BASIS_FR,
        "Veuillez agréer",
        "IBAN FR76 3000 6000 0112 3456 7890 189",
    ):
        assert expected in text, expected
    assert result.record["total"] == str(Decimal(claim.total) / 100)
    assert result.record["deadline"] == "2026-12-01"
    assert result.record["letter"] == "formal-notice"


def test_the_letter_is_logged_with_its_hash_and_kept_private(
    book: object, tmp_path: Path, at: datetime, today: date
) -> None:
    client_id = french_client()
    before = len(events_of(client_id))
    folder = tmp_path / "letters"
    result = write_letter(client_id, at, config_for(tmp_path), folder, kind="formal-notice")
    path = Path(result.record["path"])
    assert path.parent == folder
    assert path.name == "2026-11-23-client-1-formal-notice.pdf"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.record["sha256"] == digest
    history = events_of(client_id)
    assert len(history) == before + 1
    event = history[-1]
    assert event.id == result.event_id
    assert (event.kind, event.channel, event.direction) == ("letter", "letter", "out")
    assert event.amount == claim_for_client(client_id, today).total
    assert f"sha256: {digest}" in event.body
    assert f"file: {path}" in event.body
    assert "deadline: 2026-12-01 (8 days)" in event.body
    assert "total claimed: " in event.body


def test_a_letter_completes_the_letter_step(book: object, tmp_path: Path, at: datetime) -> None:
    client_id = french_client()
    reach_letter_step(client_id)
    client = Client.get_by_id(client_id)
    assert (client.next_action, client.ladder_step) == ("formal notice", 5)
    assert is_letter_step(client.next_action, client.ladder_step)
    write_in_tmp(client_id, at, tmp_path)
    client = Client.get_by_id(client_id)
    assert client.next_action == "legal route"
    assert client.ladder_step == 6
    assert not is_letter_step(client.next_action, client.ladder_step)


def test_a_statement_is_a_note_and_moves_nothing(
    book: object, tmp_path: Path, at: datetime
) -> None:
    client_id = french_client()
    reach_letter_step(client_id)
    result = write_in_tmp(client_id, at, tmp_path, kind="statement")
    client = Client.get_by_id(client_id)
    assert client.next_action == "formal notice"
    event = events_of(client_id)[-1]
    assert (event.kind, event.outcome, event.direction) == ("note", "statement", "internal")
    assert f"sha256: {result.record['sha256']}" in event.body
    assert Path(result.record["path"]).name == "2026-11-23-client-1-statement.pdf"


def test_statement_shows_the_running_balance(book: object, tmp_path: Path, at: datetime) -> None:
    client_id = french_client()
    record_payment(
        client_id, "200.00", datetime(2026, 10, 2, 9), method="credit note", reference="AV-1"
    )
    result = write_in_tmp(client_id, at, tmp_path, kind="statement")
    text = pdf_text(Path(result.record["path"]))
    assert "Relevé de compte" in text
    lines = text.splitlines()
    first = next(line for line in lines if "Facture F-2026-031" in line)
    second = next(line for line in lines if "Facture F-2026-032" in line)
    payment = next(line for line in lines if "Règlement (virement) réf. VIR 1" in line)
    credit = next(line for line in lines if "Avoir réf. AV-1" in line)
    assert first.endswith("4 800,00 € 4 800,00 €")
    assert second.endswith("1 200,00 € 6 000,00 €")
    assert payment.endswith("1 000,00 € 5 000,00 €")
    assert credit.endswith("200,00 € 4 800,00 €")
    assert lines.index(first) < lines.index(second) < lines.index(payment) < lines.index(credit)
    assert "Solde 4 800,00 €" in text
    assert result.record["total"] == "4800.00"


# ---- the UK and US letters ------------------------------------------------------------------


def test_uk_letter_before_action_in_english(
    book: object, tmp_path: Path, at: datetime, today: date
) -> None:
    client_id = uk_client()
    claim = claim_for_client(client_id, today)
    result = write_in_tmp(client_id, at, tmp_path)
    text = letter_text(result)
    for expected in (
        "Subject: Letter before action",
        "By recorded delivery",
        "Dear Sir or Madam,",
        "Brightwell Digital Ltd",
        "For the attention of Oliver Grant",
        "Camille Martin — développeuse",
        "Lyon, 23 November 2026",
        "INV-77",
        "£2,500.00",
        format_money(claim.total, "GBP", "en"),
        "Total claimed",
        "Late Payment of Commercial Debts (Interest) Act 1998",
        "section 5A",
        # A company gets 14 days under the pre-action rules, more than the 8 by default.
        "no later than 7 December 2026",
        "within 14 days",
        "County Court",
        "Practice Direction on Pre-Action Conduct",
        LEGAL_BASIS_UK,
        "Yours faithfully,",
    ):
        assert expected in text, expected
    assert "Mise en demeure" not in text
    assert result.record["letter"] == "letter-before-action"
    assert Path(result.record["path"]).name.endswith("-letter-before-action.pdf")


def test_us_final_demand_names_small_claims(book: object, tmp_path: Path, at: datetime) -> None:
    client_id = add_client(
        "Sunset Labs Inc",
        datetime(2026, 1, 5, 9),
        language="en",
        address="500 Main Street, Austin, TX 78701",
        jurisdiction_code="us",
    ).client_id
    add_invoice(
        client_id,
        "US-1",
        "900.00",
        "2026-08-01",
        "2026-09-01",
        datetime(2026, 8, 1),
        currency="USD",
    )
    Client.update(region="TX").where(Client.id == client_id).execute()
    result = write_in_tmp(client_id, at, tmp_path)
    text = letter_text(result)
    assert "Subject: Final demand for payment" in text
    assert "December 1, 2026" in text
    assert "small claims court (Texas justice court)" in text
    assert "$900.00" in text
    assert result.record["letter"] == "final-demand"


# ---- what the user typed prints harmlessly ---------------------------------------------------


def test_markup_templates_and_escapes_print_literally(
    book: object, tmp_path: Path, at: datetime
) -> None:
    client_id = hostile_client()
    for kind in ("formal-notice", "statement"):
        result = write_in_tmp(client_id, at, tmp_path, kind=kind)
        data = Path(result.record["path"]).read_bytes()
        text = pdf_text(data)
        assert "Œuvres [bold]x[/] {{ 7*7 }} [31mrouge" in text
        assert "\x1b" not in text


def test_core_font_fallback_prints_latin1(book: object, tmp_path: Path, at: datetime) -> None:
    client_id = hostile_client()
    plan = plan_letter(client_id, at.date(), config_for(tmp_path), tmp_path, kind="formal-notice")
    assert plan.title == "Mise en demeure de payer"
    captured: list[bytes] = []
    original = formal_notice_module.render_formal_notice

    def latin1_only(content: object, font: LetterFont) -> bytes:
        data = original(content, LetterFont())  # type: ignore[arg-type]
        captured.append(data)
        return data

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(formal_notice_module, "render_formal_notice", latin1_only)
        write_in_tmp(client_id, at, tmp_path)
    text = flat(pdf_text(captured[0]))
    assert "OEuvres [bold]x[/] {{ 7*7 }} [31mrouge" in text
    assert "Mise en demeure de payer" in text
    assert "4 800,00 EUR" in text
    assert "€" not in text


def test_clean_text_and_font_lookup(tmp_path: Path) -> None:
    core = LetterFont()
    assert clean_text("a\x1b[31mb\u202ec\td", core) == "a[31mbc d"
    assert clean_text("œ 12 €", core) == "oe 12 EUR"
    assert clean_text("ligne\nsuivante", core, keep_newlines=True) == "ligne\nsuivante"
    unicode_font = LetterFont(Path("x.ttf"), Path("x.ttf"))
    assert clean_text("œ 12 €\x07", unicode_font) == "œ 12 €"
    # A configured font that does not exist, or is no font, is refused with its file named.
    with pytest.raises(FontError, match=r"missing\.ttf"):
        find_font(str(tmp_path / "missing.ttf"))
    (tmp_path / "notes.ttf").write_text("root:x:0:0\n", encoding="utf-8")
    with pytest.raises(FontError, match=r"notes\.ttf is not a TrueType"):
        find_font(str(tmp_path / "notes.ttf"))


# ---- refusals: nothing written --------------------------------------------------------------


def test_nothing_overdue_writes_nothing(book: object, tmp_path: Path, at: datetime) -> None:
    client_id = add_client("Nouveau", datetime(2026, 11, 1)).client_id
    add_invoice(client_id, "F-9", "100.00", "2026-11-20", "2026-12-20", datetime(2026, 11, 20))
    before = len(events_of(client_id))
    with pytest.raises(InvalidInput) as refused:
        write_in_tmp(client_id, at, tmp_path)
    assert "nothing is overdue" in refused.value.errors["client"]
    assert len(events_of(client_id)) == before
    assert not (tmp_path / "letters").exists() or not any((tmp_path / "letters").iterdir())


def test_missing_creditor_and_bad_kind_are_refused(
    book: object, tmp_path: Path, at: datetime
) -> None:
    client_id = french_client()
    empty = Config(path=tmp_path / "config.toml")
    with pytest.raises(InvalidInput) as refused:
        write_letter(client_id, at, empty, tmp_path / "letters", kind="formal-notice")
    assert "[creditor]" in refused.value.errors["creditor"]
    with pytest.raises(InvalidInput) as refused:
        write_in_tmp(client_id, at, tmp_path, kind="poem")
    assert "kind" in refused.value.errors
    assert not (tmp_path / "letters").exists()


def test_a_failed_render_leaves_no_file_and_no_event(
    book: object, tmp_path: Path, at: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    client_id = french_client()
    before = len(events_of(client_id))

    def broken(*_: object) -> bytes:
        raise RuntimeError("font exploded")

    monkeypatch.setattr(formal_notice_module, "render_formal_notice", broken)
    with pytest.raises(RuntimeError):
        write_in_tmp(client_id, at, tmp_path)
    assert len(events_of(client_id)) == before
    assert not (tmp_path / "letters").exists() or not any((tmp_path / "letters").iterdir())


def test_a_failed_log_removes_the_files(
    book: object, tmp_path: Path, at: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    client_id = french_client()
    before = len(events_of(client_id))

    def broken(*_: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(letters, "_record", broken)
    copy = tmp_path / "copy.pdf"
    with pytest.raises(RuntimeError):
        write_letter(
            client_id,
            at,
            config_for(tmp_path),
            tmp_path / "letters",
            kind="formal-notice",
            out=copy,
        )
    assert len(events_of(client_id)) == before
    assert not any((tmp_path / "letters").iterdir())
    assert not copy.exists()


def test_out_copies_and_refuses_an_existing_file(
    book: object, tmp_path: Path, at: datetime
) -> None:
    client_id = french_client()
    copy = tmp_path / "sent" / "notice.pdf"
    copy.parent.mkdir()
    result = write_in_tmp(client_id, at, tmp_path, out=copy)
    assert result.record["copy"] == str(copy)
    assert copy.read_bytes() == Path(result.record["path"]).read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    before = len(events_of(client_id))
    with pytest.raises(InvalidInput) as refused:
        write_in_tmp(client_id, at, tmp_path, kind="statement", out=copy)
    assert "already exists" in refused.value.errors["out"]
    assert len(events_of(client_id)) == before
    # A folder takes the copy under the default name.
    result = write_in_tmp(client_id, at, tmp_path, kind="statement", out=copy.parent)
    assert result.record["copy"] == str(copy.parent / "2026-11-23-client-1-statement.pdf")


def test_deadline_days_from_the_config(book: object, tmp_path: Path, at: datetime) -> None:
    client_id = french_client()
    config = config_for(tmp_path, deadline_days=15)
    plan = plan_letter(client_id, at.date(), config, tmp_path, kind="formal-notice")
    assert (plan.deadline, plan.deadline_days) == (date(2026, 12, 8), 15)
    result = write_letter(client_id, at, config, tmp_path / "letters", kind="formal-notice")
    assert "le 8 décembre 2026" in letter_text(result)
    for bad in (0, "8", True, 400):
        with pytest.raises(ConfigError, match="deadline_days"):
            plan_letter(
                client_id,
                at.date(),
                config_for(tmp_path, deadline_days=bad),
                tmp_path,
                kind="formal-notice",
            )


# ---- proof of posting ------------------------------------------------------------------------


def test_posting_proof_is_recorded(book: object, tmp_path: Path, at: datetime) -> None:
    client_id = french_client()
    letter = write_in_tmp(client_id, at, tmp_path)
    result = record_posting(
        client_id, at, tracking_number=" 1A 234 567 8901 2 ", posted_on="2026-11-23"
    )
    assert result.record == {
        "tracking_number": "1A 234 567 8901 2",
        "posted_on": "2026-11-23",
        "letter_event_id": letter.event_id,
    }
    event = events_of(client_id)[-1]
    assert (event.kind, event.outcome, event.direction) == ("note", "letter-posted", "internal")
    assert "registered mail number: 1A 234 567 8901 2" in event.body
    assert f"letter: event {letter.event_id}" in event.body
    # Empty date: today.
    assert record_posting(client_id, at, tracking_number="X1").record["posted_on"] == "2026-11-23"


@pytest.mark.parametrize(
    ("number", "on", "fields"),
    [
        ("", "2026-11-23", {"number"}),
        ("RR 1\nRR 2", "2026-11-23", {"number"}),
        ("RR 1", "2026-11-24", {"on"}),
        ("RR 1", "23/11/2026", {"on"}),
        ("  ", "tomorrow", {"number", "on"}),
        ("RR 1", "2026-11-01", {"on"}),
    ],
)
def test_bad_posting_input_is_refused(
    book: object, tmp_path: Path, at: datetime, number: str, on: str, fields: set[str]
) -> None:
    client_id = french_client()
    write_in_tmp(client_id, at, tmp_path)
    before = len(events_of(client_id))
    with pytest.raises(InvalidInput) as refused:
        record_posting(client_id, at, tracking_number=number, posted_on=on)
    assert set(refused.value.errors) == fields
    assert len(events_of(client_id)) == before


def test_posting_needs_a_letter_of_this_client(book: object, tmp_path: Path, at: datetime) -> None:
    client_id = french_client()
    with pytest.raises(InvalidInput) as refused:
        record_posting(client_id, at, tracking_number="RR 1")
    assert "no letter" in refused.value.errors["letter"]
    other = uk_client()
    letter = write_in_tmp(other, at, tmp_path)
    with pytest.raises(InvalidInput) as refused:
        record_posting(client_id, at, tracking_number="RR 1", letter_event_id=letter.event_id)
    assert "not a letter" in refused.value.errors["letter"]


# ---- words -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "place"),
    [
        ("8 rue des Capucins, 69001 Lyon, France", "Lyon"),
        ("12 allée des Transporteurs\nZI des Gaulnes\n69150 Décines-Charpieu", "Décines-Charpieu"),
        ("1 place X, 75008 Paris Cedex 08", "Paris"),
        ("Unit 4, 27 Tabernacle Street, London EC2A 4DD", "London"),
        ("500 Main Street, Austin, TX 78701, USA", "Austin"),
        ("8 rue des Capucins", ""),
        ("", ""),
    ],
)
def test_place_is_the_creditor_town(address: str, place: str) -> None:
    assert place_of(address) == place


def test_long_dates() -> None:
    assert long_date(date(2026, 12, 1), "fr") == "1er décembre 2026"
    assert long_date(date(2026, 8, 23), "fr") == "23 août 2026"
    assert long_date(date(2026, 12, 1), "en") == "1 December 2026"
    assert long_date(date(2026, 12, 1), "en", american=True) == "December 1, 2026"


def test_letter_steps_of_the_shipped_ladders() -> None:
    assert is_letter_step("formal notice", 5)
    assert is_letter_step("formal notice", 3)
    assert is_letter_step("letter before action", 4)
    assert is_letter_step("final demand", 4)
    assert not is_letter_step("firm email", 4)
    assert not is_letter_step("formal notice", 4)
    assert not is_letter_step("legal route", 6)


def test_consumer_and_eu_letters_cite_their_law(book: object, tmp_path: Path, at: datetime) -> None:
    consumer = add_client("Claire Moreau", datetime(2026, 1, 5, 9), kind="b2c").client_id
    add_invoice(consumer, "P-1", "600.00", "2026-08-01", "2026-09-01", datetime(2026, 8, 1))
    result = write_in_tmp(consumer, at, tmp_path)
    text = letter_text(result)
    assert "article 1344-1 du Code civil" in text
    assert "petites créances" in text
    assert "indemnité forfaitaire" not in text
    assert "fr-b2c : France, somme due par un consommateur" in text
    european = add_client(
        "Nordwind GmbH", datetime(2026, 1, 5, 9), language="en", jurisdiction_code="eu-b2b"
    ).client_id
    add_invoice(european, "E-1", "600.00", "2026-08-01", "2026-09-01", datetime(2026, 8, 1))
    result = write_in_tmp(european, at, tmp_path)
    text = letter_text(result)
    assert "Subject: Formal notice to pay" in text
    assert "Under Directive 2011/7/EU" in text
    assert "(article 6 of Directive 2011/7/EU), €40.00 in total" in text
