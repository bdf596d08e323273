"""A half-year the rate table lacks is flagged in reminders, formal letters and the dossier."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from peewee import SqliteDatabase
from pypdf import PdfReader

from drafting_fixtures import client_with_invoices
from letter_fixtures import CREDITOR, french_client
from relance.config import Config
from relance.domain.rates import RateOrigin, RatePeriod
from relance.services import clients, invoices
from relance.services.dossier import dossier_files, read_dossier
from relance.services.drafting import draft_reminder
from relance.services.letters import write_letter
from relance.store.rates import add_user_rate

# The shipped table stops on 2026-06-30; the fixed day 2026-11-23 lies in the missing 2026 H2.
H2_2026 = (date(2026, 7, 1), date(2026, 12, 31))


def fill_2026_h2(series: str, at: datetime) -> None:
    """The user enters the missing half-year, as `relance rates add` does."""
    add_user_rate(RatePeriod(series, *H2_2026, Decimal("2.15"), RateOrigin.USER, "test"), at)


def letter_text(client_id: int, at: datetime, tmp_path: Path) -> str:
    """The formal letter's text on one line, spaces made plain."""
    config = Config(path=tmp_path / "config.toml", creditor=CREDITOR)
    result = write_letter(client_id, at, config, tmp_path / "letters", kind="formal-notice")
    pages = [page.extract_text() for page in PdfReader(result.record["path"]).pages]
    return " ".join(" ".join(pages).split()).replace("\u00a0", " ")


def test_a_french_reminder_says_which_interest_is_provisional(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    client_id = client_with_invoices(at)
    body = draft_reminder(client_id, today, config, template="firm").body
    # Both invoices fell due in 2026 H2: interest from the day after the first due date.
    assert (
        "Les intérêts du 2 septembre 2026 au 23 novembre 2026 sont provisoires : le taux de "
        "référence de cette période n'étant pas encore disponible" in body
    )
    fill_2026_h2("ecb-mro", at)
    filled = draft_reminder(client_id, today, config, template="firm").body
    assert "provisoires" not in filled
    assert "les intérêts de retard, soit " in filled


def test_an_english_reminder_says_which_interest_is_provisional(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    cid = clients.add_client("Harbour Ltd", at, email="ap@harbour.co.uk", language="en").client_id
    clients.set_legal_terms(cid, at, jurisdiction_code="uk-b2b")
    invoices.add_invoice(cid, "H-1", "1200.00", "2026-08-01", "2026-09-01", at, currency="GBP")
    body = draft_reminder(cid, today, config, template="courteous").body
    assert (
        "The interest from 2 September 2026 to 23 November 2026 is provisional: the reference "
        "rate for that period is not yet available" in body
    )
    fill_2026_h2("boe-bank-rate", at)
    assert "provisional" not in draft_reminder(cid, today, config, template="courteous").body


def test_a_derived_rate_alone_is_not_called_provisional(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    # Paid before 2026 H2: the delay lies in 2026 H1, whose derived ECB rate is in the table.
    cid = client_with_invoices(at)
    invoices.add_invoice(cid, "G-100", "800.00", "2026-01-01", "2026-02-01", at)
    fill_2026_h2("ecb-mro", at)
    body = draft_reminder(cid, today, config, template="firm").body
    assert "les intérêts de retard, soit " in body
    assert "provisoires" not in body


def test_a_french_letter_flags_the_missing_half_year_in_french(
    book: SqliteDatabase, tmp_path: Path
) -> None:
    at = datetime(2026, 11, 23, 9, 30)
    client_id = french_client()
    text = letter_text(client_id, at, tmp_path)
    # F-2026-031 fell due on 1 July 2026: its interest runs from 2 July, all in 2026 H2.
    assert (
        "Les intérêts du 2 juillet 2026 au 23 novembre 2026 sont calculés à titre provisoire "
        "au taux de référence connu le plus proche" in text
    )
    fill_2026_h2("ecb-mro", at)
    assert "provisoire" not in letter_text(client_id, at, tmp_path)


def test_an_english_letter_flags_the_missing_half_year_in_english(
    book: SqliteDatabase, tmp_path: Path
) -> None:
    at = datetime(2026, 11, 23, 9, 30)
    cid = clients.add_client(
        "Brightwell Digital Ltd", at, language="en", address="27 Tabernacle Street, London"
    ).client_id
    clients.set_legal_terms(cid, at, jurisdiction_code="uk-b2b")
    invoices.add_invoice(cid, "INV-77", "2500.00", "2026-07-01", "2026-08-01", at, currency="GBP")
    text = letter_text(cid, at, tmp_path)
    assert (
        "Interest from 2 August 2026 to 23 November 2026 is provisional: it is computed at the "
        "nearest known reference rate" in text
    )


def test_the_dossier_names_the_provisional_interest(
    book: SqliteDatabase, at: datetime, today: date
) -> None:
    client_id = client_with_invoices(at)
    readme = dossier_files(read_dossier(client_id, today, CREDITOR), {})["README.txt"]
    assert (
        "  provisional: the interest from 2026-09-02 to 2026-11-23 uses the nearest known "
        "rate, the table having none for those days" in readme
    )
    assert "  flagged rate: no ecb-mro rate after 2026-06-30" in readme
    fill_2026_h2("ecb-mro", at)
    filled = dossier_files(read_dossier(client_id, today, CREDITOR), {})["README.txt"]
    assert "provisional" not in filled
