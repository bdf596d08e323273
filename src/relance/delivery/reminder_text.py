"""The plain-text reminder: one message per client listing every overdue invoice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from relance.domain.money import format_money


@dataclass(frozen=True)
class OverdueLine:
    """One overdue invoice as the reminder lists it."""

    number: str
    issued_on: date
    due_on: date
    amount: int
    paid: int
    days_late: int

    @property
    def outstanding(self) -> int:
        """What is still owed on it."""
        return self.amount - self.paid


@dataclass(frozen=True)
class ReminderContent:
    """Everything a reminder says, gathered before rendering."""

    client_name: str
    contact_name: str
    language: str
    currency: str
    today: date
    reminder_number: int
    lines: list[OverdueLine]
    creditor_name: str
    creditor_email: str
    creditor_phone: str
    creditor_iban: str

    @property
    def total(self) -> int:
        """The sum still owed on the listed invoices."""
        return sum(line.outstanding for line in self.lines)


@dataclass(frozen=True)
class RenderedReminder:
    """Subject and body, ready to be shown, edited and sent."""

    subject: str
    body: str


def render_reminder(content: ReminderContent) -> RenderedReminder:
    """Write the reminder in the client's language, firmer from the second one on."""
    if content.language == "fr":
        return _render_fr(content)
    return _render_en(content)


def _money(content: ReminderContent, minor: int) -> str:
    """An amount in the reminder's currency and language."""
    return format_money(minor, content.currency, content.language)


def _table(content: ReminderContent, headers: tuple[str, ...]) -> str:
    """The overdue invoices as an aligned plain-text table with a total line."""
    rows = [
        (
            line.number,
            line.issued_on.isoformat(),
            line.due_on.isoformat(),
            _money(content, line.amount),
            _money(content, line.paid),
            _money(content, line.outstanding),
            str(line.days_late),
        )
        for line in content.lines
    ]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    numeric = {3, 4, 5, 6}

    def fmt(cells: tuple[str, ...]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ).rstrip()

    rule = "-" * len(fmt(headers))
    return "\n".join([fmt(headers), rule, *(fmt(r) for r in rows), rule])


def _render_fr(c: ReminderContent) -> RenderedReminder:
    """French wording."""
    count = len(c.lines)
    plural = "s" if count > 1 else ""
    subject = (
        f"Relance : facture{plural} impayée{plural} ({count}) — {_money(c, c.total)}"
        if c.reminder_number == 1
        else f"Relance n°{c.reminder_number} : {_money(c, c.total)} restant dus"
    )
    greeting = f"Bonjour {c.contact_name}," if c.contact_name else "Bonjour,"
    if c.reminder_number == 1:
        opening = (
            "Sauf erreur de notre part, les factures ci-dessous restent impayées à ce jour. "
            "Il s'agit peut-être d'un simple oubli."
            if count > 1
            else "Sauf erreur de notre part, la facture ci-dessous reste impayée à ce jour. "
            "Il s'agit peut-être d'un simple oubli."
        )
    else:
        opening = (
            f"Malgré nos précédentes relances, {_money(c, c.total)} restent dus à ce jour. "
            "Nous vous demandons de régler cette somme sans délai."
        )
    table = _table(
        c, ("Facture", "Émise le", "Échéance", "Montant TTC", "Payé", "Reste dû", "Jours")
    )
    payment = f"Règlement par virement sur l'IBAN {c.creditor_iban}." if c.creditor_iban else ""
    closing = (
        "Si le règlement a été effectué entre-temps, merci de ne pas tenir compte de ce message."
    )
    signature = "\n".join(x for x in (c.creditor_name, c.creditor_email, c.creditor_phone) if x)
    body = "\n\n".join(
        part
        for part in (
            greeting,
            opening,
            table + f"\nTotal restant dû : {_money(c, c.total)}",
            payment,
            closing,
            "Cordialement,\n" + signature if signature else "Cordialement,",
        )
        if part
    )
    return RenderedReminder(subject, body + "\n")


def _render_en(c: ReminderContent) -> RenderedReminder:
    """English wording."""
    count = len(c.lines)
    plural = "s" if count > 1 else ""
    subject = (
        f"Reminder: {count} overdue invoice{plural} — {_money(c, c.total)}"
        if c.reminder_number == 1
        else f"Reminder no. {c.reminder_number}: {_money(c, c.total)} still due"
    )
    greeting = f"Dear {c.contact_name}," if c.contact_name else "Hello,"
    if c.reminder_number == 1:
        opening = (
            f"Our records show the invoice{plural} below still unpaid. "
            "It may simply have been overlooked."
        )
    else:
        opening = (
            f"Despite our previous reminders, {_money(c, c.total)} is still due. "
            "Please settle this amount without further delay."
        )
    table = _table(c, ("Invoice", "Issued", "Due", "Amount", "Paid", "Balance", "Days"))
    payment = f"Please pay by bank transfer to IBAN {c.creditor_iban}." if c.creditor_iban else ""
    closing = "If you have paid in the meantime, please disregard this message."
    signature = "\n".join(x for x in (c.creditor_name, c.creditor_email, c.creditor_phone) if x)
    body = "\n\n".join(
        part
        for part in (
            greeting,
            opening,
            table + f"\nTotal due: {_money(c, c.total)}",
            payment,
            closing,
            "Kind regards,\n" + signature if signature else "Kind regards,",
        )
        if part
    )
    return RenderedReminder(subject, body + "\n")
