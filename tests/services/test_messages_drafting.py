"""Drafting: which template a client gets, and the facts its message states."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from peewee import SqliteDatabase

from drafting_fixtures import client_with_invoices, contact
from relance.config import Config
from relance.domain.ladder import FR_BAD_FAITH, FR_CARELESS, UK_COMPANY
from relance.services import calls, clients, invoices
from relance.services.drafting import (
    call_script,
    draft_message,
    draft_reminder,
    sms_text,
    template_for,
)
from relance.services.validation import InvalidInput

# Which template.


def test_template_follows_the_ladder_step() -> None:
    """Written steps use their own template; a call step the nearest earlier written one."""
    assert [template_for(FR_CARELESS, n) for n in range(1, 7)] == [
        "courteous",
        "second",
        "second",
        "firm",
        "formal-notice",
        "legal",
    ]
    assert [template_for(UK_COMPANY, n) for n in range(1, 6)] == [
        "courteous",
        "firm",
        "firm",
        "letter-before-action",
        "county-court",
    ]
    # Phone and e-mail together: the e-mail's template.
    assert template_for(FR_BAD_FAITH, 1) == "firm"
    assert template_for(FR_CARELESS, 4, broken_promise=True) == "broken-promise"


def test_draft_follows_the_reminders_already_sent(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """First the courteous e-mail; after two e-mails the call step, its script shown aside."""
    client_id = client_with_invoices(at)
    first = draft_reminder(client_id, today, config)
    assert (first.template, first.channel, first.step_label) == (
        "courteous",
        "email",
        "courteous email",
    )
    contact(client_id, "email", datetime(2026, 9, 10, 9))
    contact(client_id, "email", datetime(2026, 9, 24, 9))
    third = draft_reminder(client_id, today, config)
    assert (third.template, third.channel, third.step_label) == ("second", "phone", "phone call")
    assert "le 10 septembre 2026 (e-mail) et le 24 septembre 2026 (e-mail)" in third.body
    script = call_script(client_id, today, config)
    assert "M. Petit" in script and "G-101, G-102" in script and "1 500,00 €" in script


def test_nothing_overdue_is_refused(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """No overdue invoice: nothing to remind of, as before."""
    client_id = clients.add_client("Quiet Ltd", at, email="q@example.com").client_id
    invoices.add_invoice(client_id, "Q-1", "90.00", "2026-11-01", "2026-12-01", at)
    with pytest.raises(InvalidInput) as refused:
        draft_reminder(client_id, today, config)
    assert refused.value.errors == {"client": "nothing is overdue for Quiet Ltd"}
    with pytest.raises(InvalidInput):
        sms_text(client_id, today, config)


def test_plan_message_without_a_plan_is_refused(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """A plan proposal needs a plan."""
    client_id = client_with_invoices(at)
    with pytest.raises(InvalidInput) as refused:
        draft_message(client_id, today, config, "plan-proposal")
    assert "plan" in refused.value.errors


# Disputes.


def test_disputed_invoice_is_left_out_and_named(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """A dispute recorded on one invoice: the others are reminded, that one named apart."""
    client_id = client_with_invoices(at)
    contact(client_id, "dispute", datetime(2026, 10, 20, 9), invoice="G-102", outcome="on")
    draft = draft_reminder(client_id, today, config, template="firm")
    assert "Total restant dû : 1 000,00 €" in draft.body
    assert "La facture G-102, dont nous discutons actuellement avec vous" in draft.body
    assert "G-101, dont" not in draft.body
    assert "Référence à indiquer : RF" in draft.body
    assert "(factures G-101)." in draft.body
    # Resolved: it is back in the list.
    contact(client_id, "dispute", datetime(2026, 11, 2, 9), invoice="G-102", outcome="off")
    assert "Total restant dû : 1 500,00 €" in draft_reminder(client_id, today, config).body


def test_client_dispute_naming_an_invoice_leaves_the_others_to_remind(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """``relance dispute CLIENT on --note "G-101 …"``: that invoice is under discussion."""
    client_id = client_with_invoices(at, language="en")
    clients.set_dispute(client_id, True, at, note="G-101: wrong quantity delivered")
    draft = draft_reminder(client_id, today, config)
    assert "Total due: €500.00" in draft.body
    assert "Invoice G-101, which we are currently discussing with you" in draft.body


def test_client_dispute_over_the_whole_debt_sends_nothing(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """A dispute that names no invoice covers everything: no reminder."""
    client_id = client_with_invoices(at)
    clients.set_dispute(client_id, True, at, note="conteste la prestation")
    with pytest.raises(InvalidInput) as refused:
        draft_reminder(client_id, today, config)
    assert "disputes the debt" in refused.value.errors["client"]


# Broken promises.


@pytest.mark.parametrize(
    ("language", "quote"),
    [
        ("fr", "le 12 novembre, vous vous étiez engagé à régler 800,00 € avant le 20 novembre"),
        ("en", "on 12 November you promised to pay €800.00 by 20 November"),
    ],
)
def test_broken_promise_is_quoted(
    book: SqliteDatabase, at: datetime, today: date, config: Config, language: str, quote: str
) -> None:
    """A promise whose date passed unpaid: the broken-promise message quotes it."""
    client_id = client_with_invoices(at, language=language)
    calls.log_call(
        client_id,
        "promised",
        datetime(2026, 11, 12, 10),
        promised_amount="800.00",
        promised_on="2026-11-20",
    )
    draft = draft_reminder(client_id, today, config)
    assert draft.template == "broken-promise"
    assert quote in draft.body
    # Before its date the promise runs: no reminder at all, let alone one quoting it.
    with pytest.raises(InvalidInput, match="promised to pay; the ladder waits"):
        draft_reminder(client_id, date(2026, 11, 18), config)


def test_kept_promise_is_not_quoted(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """Paid since it was made: the promise was kept."""
    from relance.services.payments import record_payment

    client_id = client_with_invoices(at)
    calls.log_call(
        client_id,
        "promised",
        datetime(2026, 11, 12, 10),
        promised_amount="800.00",
        promised_on="2026-11-20",
    )
    record_payment(client_id, "800.00", datetime(2026, 11, 19, 10))
    draft = draft_reminder(client_id, today, config)
    assert draft.template != "broken-promise"
    assert "engagé" not in draft.body


# Interest and fees where the law allows them.


def test_french_b2b_claims_interest_and_the_40_euro_fee(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """L441-10 penalties and the D441-5 fee of 40 € per late invoice."""
    client_id = client_with_invoices(at)
    body = draft_reminder(client_id, today, config, template="firm").body
    assert "l'indemnité forfaitaire pour frais de recouvrement, soit 80,00 €" in body
    assert "les intérêts de retard, soit " in body
    assert "article L441-10 du Code de commerce" in body and "article D441-5" in body


def test_uk_b2b_claims_statutory_interest_and_fixed_sums(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """The Late Payment Act: interest and £70 on an invoice of £1 000 or more, £40 under."""
    client_id = clients.add_client("Harbour Ltd", at, email="ap@harbour.co.uk", language="en")
    cid = client_id.client_id
    clients.set_legal_terms(cid, at, jurisdiction_code="uk-b2b")
    invoices.add_invoice(cid, "H-1", "1200.00", "2026-08-01", "2026-09-01", at, currency="GBP")
    invoices.add_invoice(cid, "H-2", "300.00", "2026-09-01", "2026-10-01", at, currency="GBP")
    body = draft_reminder(cid, today, config, template="firm").body
    assert "a fixed sum of £110.00 is due for recovery costs" in body
    assert "interest of £" in body
    assert "Late Payment of Commercial Debts (Interest) Act 1998" in body


def test_french_consumer_gets_no_interest_before_the_formal_notice(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """fr-b2c: no fee ever, and interest only from the formal notice."""
    client_id = client_with_invoices(at, kind="b2c", name="Julie Moreau")
    body = draft_reminder(client_id, today, config, template="firm").body
    assert "Base légale" not in body
    assert "intérêts" not in body and "indemnité" not in body
    contact(client_id, "letter", datetime(2026, 10, 15, 9))
    after = draft_reminder(client_id, today, config, template="firm").body
    assert "article 1231-6 du Code civil" in after
    assert "indemnité" not in after


def test_us_client_gets_no_statutory_interest(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """United States: only a contract rate could give interest; none is set."""
    cid = clients.add_client("Acme Inc", at, email="ap@acme.us", language="en").client_id
    clients.set_legal_terms(cid, at, jurisdiction_code="us")
    invoices.add_invoice(cid, "U-1", "900.00", "2026-08-01", "2026-09-01", at, currency="USD")
    body = draft_reminder(cid, today, config, template="final-demand").body
    assert "Legal basis" not in body
    assert "$900.00" in body


# SMS.


def test_sms_stays_within_320_characters(
    book: SqliteDatabase, at: datetime, today: date, config: Config
) -> None:
    """A long name and many invoices are cut at a word, with an ellipsis."""
    client_id = client_with_invoices(at, name="Société " + "très " * 30 + "longue")
    for n in range(20):
        invoices.add_invoice(client_id, f"LONG-{n:03d}", "10.00", "2026-08-01", "2026-09-01", at)
    text = sms_text(client_id, today, config)
    assert len(text) <= 320
    assert text.endswith("…")
    short = sms_text(client_with_invoices(at, name="Bar"), today, config)
    assert short.startswith(
        "Studio Nord : sauf erreur, 1 500,00 € restent dus (fact. B-101, B-102)"
    )
    assert "FR76 1111 2222 3333" in short
