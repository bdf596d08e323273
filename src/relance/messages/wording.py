"""Words that depend on the client's language: dates, channels, legal bases, the invoice table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from relance.domain.money import CURRENCY_SYMBOLS, format_money, to_decimal
from relance.domain.written_dates import day_and_month, long_date, numeric_date

LANGUAGES = ("fr", "en")

CHANNEL_WORDS = {
    "fr": {"email": "e-mail", "letter": "courrier", "sms": "SMS", "call": "appel"},
    "en": {"email": "e-mail", "letter": "letter", "sms": "text message", "call": "phone call"},
}

# Short headers keep the table within 72 columns; when every row is in one currency, the
# first amount header names it and the cells go without symbol.
TABLE_HEADERS = {
    "fr": ("Facture", "Émise le", "Échéance", "TTC", "Payé", "Reste dû", "Retard"),
    "en": ("Invoice", "Issued", "Due", "Amount", "Paid", "Balance", "Days"),
}
FIRST_AMOUNT_COLUMN = 3
DAYS_SUFFIX = {"fr": " j", "en": ""}

# Days the debtor gets to pay after a formal notice, by jurisdiction and kind of debtor: eight
# days in France; the Pre-Action Protocol gives a company 14 days and an individual 30.
DEADLINE_DAYS = {"fr-b2b": 8, "fr-b2c": 8, "eu-b2b": 8, "us": 14}
UK_DEADLINE_DAYS = {"b2b": 14, "b2c": 30}

# What the law says the late-payment interest and fixed fee rest on, for the client to read.
LEGAL_BASIS = {
    "fr-b2b": {
        "fr": "article L441-10 du Code de commerce (pénalités de retard au taux de la Banque "
        "centrale européenne majoré de 10 points) et article D441-5 du Code de commerce "
        "(indemnité forfaitaire pour frais de recouvrement de 40 € par facture)",
        "en": "Article L441-10 of the French Commercial Code (late-payment penalties at the "
        "European Central Bank rate plus 10 points) and Article D441-5 of the same Code "
        "(a fixed indemnity of €40 per invoice for recovery costs)",
    },
    "eu-b2b": {
        "fr": "directive 2011/7/UE concernant la lutte contre le retard de paiement dans les "
        "transactions commerciales (intérêts au taux de la Banque centrale européenne majoré "
        "de 8 points, indemnité forfaitaire de 40 € par facture)",
        "en": "Directive 2011/7/EU on combating late payment in commercial transactions "
        "(interest at the European Central Bank rate plus 8 points, fixed compensation of "
        "€40 per invoice)",
    },
    "fr-b2c": {
        "fr": "article 1231-6 du Code civil (intérêts au taux légal à compter de la mise en "
        "demeure)",
        "en": "Article 1231-6 of the French Civil Code (interest at the statutory rate from "
        "the formal notice)",
    },
    "uk-b2b": {
        "fr": "Late Payment of Commercial Debts (Interest) Act 1998 (Royaume-Uni) : intérêts "
        "légaux au taux de base de la Banque d'Angleterre majoré de 8 points, et somme "
        "forfaitaire de 40, 70 ou 100 £ par facture selon son montant",
        "en": "the Late Payment of Commercial Debts (Interest) Act 1998: statutory interest "
        "at 8% above the Bank of England base rate, and a fixed sum of £40, £70 or £100 per "
        "invoice depending on its amount",
    },
    "us": {
        "fr": "le taux d'intérêt de retard convenu dans notre contrat",
        "en": "the late-payment interest rate agreed in our contract",
    },
}

CONTRACT_RATE = {
    "fr": "taux convenu au contrat : {rate} % l'an",
    "en": "contract rate agreed: {rate}% a year",
}

ROUTE_NAMES = {
    "petites créances": {
        "fr": "la procédure simplifiée de recouvrement des petites créances (par un commissaire "
        "de justice)",
        "en": "the simplified small-claims recovery procedure (through a commissaire de justice)",
    },
    "injonction de payer": {
        "fr": "une procédure d'injonction de payer devant le tribunal compétent",
        "en": "an application to the competent court for an order for payment (injonction de "
        "payer)",
    },
    "small claims": {
        "fr": "une action devant la juridiction des petits litiges (small claims court)",
        "en": "a claim in the small claims court",
    },
}


def language_of(code: str) -> str:
    """The message language for a client's language code: French or, by default, English."""
    return "fr" if code.strip().lower().startswith("fr") else "en"


def table_date(day: date, language: str) -> str:
    """A compact date for the invoice table: ``01/08/2026`` in French, ISO in English.

    English readers split between day-first and month-first orders; ISO reads one way only.
    """
    return numeric_date(day) if language == "fr" else day.isoformat()


def short_date(day: date, language: str, today: date) -> str:
    """A date without its year when it is this year's: ``12 novembre``, ``12 November``."""
    if day.year != today.year:
        return long_date(day, language)
    return day_and_month(day, language)


def channel_word(kind: str, language: str) -> str:
    """What a history kind (email, letter, sms, call) is called in the message."""
    return CHANNEL_WORDS[language].get(kind, kind)


def legal_basis(jurisdiction: str, language: str, contract_rate: str = "") -> str:
    """The legal basis of interest and fees, in the client's language ("" when unknown)."""
    basis = LEGAL_BASIS.get(jurisdiction, {}).get(language, "")
    if basis and contract_rate:
        basis += "; " + CONTRACT_RATE[language].format(rate=contract_rate)
    return basis


def route_words(route: str, language: str) -> str:
    """The court route named in a sentence, in the client's language."""
    return ROUTE_NAMES.get(route, {}).get(language, route)


def deadline_days(jurisdiction: str, kind: str) -> int:
    """How many days a formal notice gives the debtor to pay."""
    if jurisdiction == "uk-b2b":
        return UK_DEADLINE_DAYS.get(kind, 14)
    return DEADLINE_DAYS.get(jurisdiction, 8)


def money(minor: int, currency: str, language: str) -> str:
    """An amount as the client reads it."""
    return format_money(minor, currency, language)


def bare_amount(minor: int, language: str) -> str:
    """An amount without its currency, grouped as the language writes it: ``1 234,56``."""
    digits = f"{to_decimal(abs(minor)):,.2f}"
    if language == "fr":
        digits = digits.replace(",", "\u202f").replace(".", ",").replace("\u202f", " ")
    return ("-" if minor < 0 else "") + digits


def currency_mark(currency: str) -> str:
    """How a column header names a currency: its symbol, or its code."""
    return CURRENCY_SYMBOLS.get(currency, currency).strip()


def totals(amounts: dict[str, int], language: str) -> str:
    """Sums in several currencies joined with "+"; the client's usual case is one currency."""
    parts = [money(amount, currency, language) for currency, amount in amounts.items()]
    return " + ".join(parts) if parts else money(0, "EUR", language)


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    """An aligned plain-text table with rules above and below the rows."""
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ).rstrip()

    rule = "-" * len(line(headers))
    return "\n".join([line(headers), rule, *(line(row) for row in rows), rule])
