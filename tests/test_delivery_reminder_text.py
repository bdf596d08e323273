"""The plain-text reminder in French and English."""

from __future__ import annotations

from datetime import date

from relance.delivery.reminder_text import OverdueLine, ReminderContent, render_reminder

TODAY = date(2026, 11, 23)
ONE = [OverdueLine("F-001", date(2026, 9, 1), date(2026, 10, 1), 123456, 23456, 53)]
TWO = [*ONE, OverdueLine("F-002", date(2026, 10, 1), date(2026, 10, 31), 5000, 0, 23)]


def content(
    language: str, lines: list[OverdueLine], number: int = 1, **extra: str
) -> ReminderContent:
    """A reminder's content with sensible defaults."""
    values = {
        "contact_name": "",
        "creditor_name": "",
        "creditor_email": "",
        "creditor_phone": "",
        "creditor_iban": "",
    } | extra
    return ReminderContent(
        client_name="ACME",
        language=language,
        currency="EUR",
        today=TODAY,
        reminder_number=number,
        lines=lines,
        **values,
    )


def test_french_single_invoice() -> None:
    rendered = render_reminder(content("fr", ONE))
    assert rendered.subject == "Relance : facture impayée (1) — 1 000,00 €"
    assert rendered.body.startswith("Bonjour,\n\nSauf erreur de notre part, la facture ci-dessous")
    assert "Total restant dû : 1 000,00 €" in rendered.body
    assert "F-001    2026-09-01  2026-10-01   1 234,56 €  234,56 €  1 000,00 €     53" in (
        rendered.body
    )
    assert rendered.body.endswith("Cordialement,\n")
    assert "IBAN" not in rendered.body


def test_french_several_invoices_with_the_creditor() -> None:
    rendered = render_reminder(
        content(
            "fr",
            TWO,
            contact_name="Mme Brun",
            creditor_name="Jeanne Martin",
            creditor_email="jeanne@example.fr",
            creditor_iban="FR76 1234",
        )
    )
    assert rendered.subject == "Relance : factures impayées (2) — 1 050,00 €"
    assert rendered.body.startswith("Bonjour Mme Brun,\n\nSauf erreur de notre part, les factures")
    assert "Total restant dû : 1 050,00 €" in rendered.body
    assert "Règlement par virement sur l'IBAN FR76 1234." in rendered.body
    assert rendered.body.endswith("Cordialement,\nJeanne Martin\njeanne@example.fr\n")


def test_french_second_reminder_is_firmer() -> None:
    rendered = render_reminder(content("fr", TWO, number=2))
    assert rendered.subject == "Relance n°2 : 1 050,00 € restant dus"
    assert "Malgré nos précédentes relances, 1 050,00 € restent dus" in rendered.body


def test_english() -> None:
    rendered = render_reminder(content("en", ONE, contact_name="Mr Smith", creditor_phone="+33 6"))
    assert rendered.subject == "Reminder: 1 overdue invoice — €1,000.00"
    assert rendered.body.startswith("Dear Mr Smith,\n\nOur records show the invoice below")
    assert "Total due: €1,000.00" in rendered.body
    assert rendered.body.endswith("Kind regards,\n+33 6\n")
    several = render_reminder(content("en", TWO, number=3))
    assert several.subject == "Reminder no. 3: €1,050.00 still due"
    assert several.body.startswith(
        "Hello,\n\nDespite our previous reminders, €1,050.00 is still due"
    )


def test_table_columns_line_up() -> None:
    body = render_reminder(content("en", TWO)).body
    table = [line for line in body.splitlines() if line.startswith(("Invoice", "F-0", "---"))]
    assert len(table) == 5
    assert len({len(line) for line in table}) == 1
    assert table[0].split() == ["Invoice", "Issued", "Due", "Amount", "Paid", "Balance", "Days"]
