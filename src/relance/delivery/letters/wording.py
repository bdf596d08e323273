"""The words of the letters in French and English: dates, places and each paragraph."""

from __future__ import annotations

import re
from datetime import date

from relance.delivery.letters.content import FormalKind, FormalNoticeContent, StatementLine
from relance.domain.money import format_money
from relance.domain.written_dates import long_date

# Address parts that name a country, not a town: the place is the part before them.
COUNTRIES = frozenset(
    {
        "france",
        "belgique",
        "belgium",
        "suisse",
        "switzerland",
        "luxembourg",
        "uk",
        "united kingdom",
        "england",
        "scotland",
        "wales",
        "great britain",
        "usa",
        "us",
        "united states",
        "united states of america",
        "germany",
        "deutschland",
        "spain",
        "españa",
        "italy",
        "italia",
    }
)
_FRENCH_POSTCODE = re.compile(r"^(?:[A-Z]{1,2}-?)?\d{4,5}\s+(?P<town>.+)$")
_UK_POSTCODE = re.compile(r"^(?P<town>.+?)\s+[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$", re.IGNORECASE)
_US_STATE_ZIP = re.compile(r"^[A-Z]{2}\s+\d{5}(?:-\d{4})?$")
_TRAILING_CEDEX = re.compile(r"\s+cedex(?:\s+\d+)?$", re.IGNORECASE)
NO_BREAK_SPACE = "\u00a0"


def address_lines(address: str) -> list[str]:
    """An address as the lines of an envelope window: its own lines, else its comma parts."""
    lines = [line.strip() for line in address.splitlines() if line.strip()]
    if len(lines) == 1:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    return lines


def place_of(address: str) -> str:
    """The town of an address, best effort: its last part that is not a country, no postcode."""
    parts = [part.strip() for line in address.splitlines() for part in line.split(",")]
    parts = [part for part in parts if part and part.lower().rstrip(".") not in COUNTRIES]
    if not parts:
        return ""
    last = parts[-1]
    if _US_STATE_ZIP.match(last) and len(parts) > 1:
        return parts[-2]
    french = _FRENCH_POSTCODE.match(last)
    if french:
        return _TRAILING_CEDEX.sub("", french["town"]).strip()
    british = _UK_POSTCODE.match(last)
    if british:
        return british["town"].strip()
    # A street or a bare postcode is no town to date a letter from.
    return "" if any(char.isdigit() for char in last) else last


def place_and_date(place: str, day: date, language: str, *, american: bool = False) -> str:
    """``Lyon, le 23 novembre 2026`` or ``London, 23 November 2026``."""
    when = long_date(day, language, american=american)
    if language == "fr":
        return f"{place}, le {when}" if place else f"Le {when}"
    return f"{place}, {when}" if place else when


def money(minor: int, currency: str, language: str) -> str:
    """An amount as the letter prints it, its spaces unbreakable so it stays on one line."""
    return format_money(minor, currency, language).replace(" ", NO_BREAK_SPACE)


def formal_title(content: FormalNoticeContent) -> str:
    """The subject line."""
    french = content.language == "fr"
    if content.kind is FormalKind.LETTER_BEFORE_ACTION:
        return "Lettre avant action (letter before action)" if french else "Letter before action"
    if content.kind is FormalKind.FINAL_DEMAND:
        return "Dernière demande de paiement" if french else "Final demand for payment"
    return "Mise en demeure de payer" if french else "Formal notice to pay"


def sending_mode(content: FormalNoticeContent) -> str:
    """How the letter travels, printed above the subject."""
    french = content.language == "fr"
    if content.kind is FormalKind.LETTER_BEFORE_ACTION:
        return "Envoi en recommandé (recorded delivery)" if french else "By recorded delivery"
    if content.kind is FormalKind.FINAL_DEMAND:
        return "Envoi en recommandé (certified mail)" if french else "By certified mail"
    return (
        "Lettre recommandée avec accusé de réception"
        if french
        else "Registered letter with acknowledgement of receipt"
    )


def salutation(language: str) -> str:
    """How the letter opens."""
    return "Madame, Monsieur," if language == "fr" else "Dear Sir or Madam,"


def opening(content: FormalNoticeContent) -> str:
    """The paragraph before the invoice table."""
    if content.language == "fr":
        return (
            "Malgré nos précédentes relances, les factures suivantes restent impayées à ce jour, "
            "alors que leur date d'échéance est dépassée :"
        )
    return (
        "Despite our previous reminders, the following invoices remain unpaid although their "
        "due dates have passed:"
    )


def time_barred_paragraph(content: FormalNoticeContent) -> str:
    """The late invoices past their limitation date, named as not claimed ("" when none)."""
    if not content.time_barred:
        return ""
    language = content.language
    listed = ", ".join(
        f"{line.number} ({money(line.outstanding, line.currency, language)})"
        for line in content.time_barred
    )
    return _pick(
        language == "fr",
        f"Les factures suivantes, prescrites, ne sont pas réclamées par la présente : {listed}.",
        f"The following invoices are time-barred and are not claimed in this letter: {listed}.",
    )


def law_paragraph(content: FormalNoticeContent) -> str:
    """What the law adds to the debt and on which basis, in the client's language."""
    french = content.language == "fr"
    interest = _interest_sentence(content)
    fee = ""
    if content.fixed_fees:
        fees = money(content.fixed_fees, content.currency, content.language)
        if content.jurisdiction == "uk-b2b":
            fee = _pick(
                french,
                f"Une indemnité fixe de recouvrement ({fees} au total) est due au titre de la "
                "section 5A de la même loi.",
                f"Fixed compensation for the cost of recovery ({fees} in total) is due under "
                "section 5A of the same Act.",
            )
        else:
            basis = (
                _pick(
                    french,
                    "article 6 de la directive 2011/7/UE",
                    "article 6 of Directive 2011/7/EU",
                )
                if content.jurisdiction == "eu-b2b"
                else _pick(
                    french,
                    "article D441-5 du Code de commerce",
                    "article D441-5 of the French Commercial Code",
                )
            )
            fee = _pick(
                french,
                "Chaque facture payée en retard ouvre droit à une indemnité forfaitaire pour "
                f"frais de recouvrement ({basis}), soit {fees} au total.",
                "Each invoice paid late also carries a fixed compensation for recovery costs "
                f"({basis}), {fees} in total.",
            )
    return " ".join(part for part in (interest, fee) if part)


def _interest_sentence(content: FormalNoticeContent) -> str:
    """The interest the debt bears and the text that grants it."""
    french = content.language == "fr"
    code = content.jurisdiction
    margin = f"{content.margin.normalize():f}"
    if content.contract_rate is not None and code != "fr-b2c":
        rate = f"{content.contract_rate.normalize():f}"
        return _pick(
            french,
            "Ces sommes portent intérêts de retard au taux contractuel de "
            f"{rate.replace('.', ',')} % l'an.",
            f"These sums bear late-payment interest at the contractual rate of {rate}% a year.",
        )
    sentences = {
        "fr-b2b": (
            "En application de l'article L441-10 du Code de commerce, ces sommes portent de "
            "plein droit intérêts de retard au taux de refinancement de la Banque centrale "
            f"européenne majoré de {margin} points.",
            "Under article L441-10 of the French Commercial Code, these sums bear late-payment "
            f"interest at the European Central Bank refinancing rate plus {margin} points.",
        ),
        "eu-b2b": (
            "En application de la directive 2011/7/UE, ces sommes portent intérêts de retard au "
            f"taux de la Banque centrale européenne majoré de {margin} points.",
            "Under Directive 2011/7/EU, these sums bear late-payment interest at the European "
            f"Central Bank rate plus {margin} points.",
        ),
        "fr-b2c": (
            "Conformément à l'article 1344-1 du Code civil, la présente mise en demeure fait "
            "courir les intérêts au taux légal sur les sommes dues.",
            "Under article 1344-1 of the French Civil Code, this formal notice makes interest "
            "at the legal rate run on the sums due.",
        ),
        "uk-b2b": (
            "En application du Late Payment of Commercial Debts (Interest) Act 1998, ces sommes "
            "portent intérêts légaux au taux de base de la Banque d'Angleterre majoré de "
            f"{margin} points.",
            "Under the Late Payment of Commercial Debts (Interest) Act 1998, statutory interest "
            f"runs on these sums at {margin}% above the Bank of England base rate.",
        ),
    }
    if code not in sentences:
        return ""
    return _pick(french, *sentences[code])


def _pick(french: bool, in_french: str, in_english: str) -> str:
    """The sentence in the letter's language."""
    return in_french if french else in_english


def demand(content: FormalNoticeContent) -> str:
    """The demand itself: the total and the day it must be paid by."""
    total = money(content.total, content.currency, content.language)
    american = content.kind is FormalKind.FINAL_DEMAND
    deadline = long_date(content.deadline, content.language, american=american)
    if content.language == "fr":
        verb = (
            "Par la présente, nous vous mettons en demeure de nous régler"
            if content.kind is FormalKind.FORMAL_NOTICE
            else "Nous vous demandons de nous régler"
        )
        return (
            f"{verb} la somme de {total} au plus tard le {deadline}, "
            f"soit dans un délai de {content.deadline_days} jours."
        )
    return (
        f"We hereby demand payment of {total} no later than {deadline}, "
        f"that is within {content.deadline_days} days."
    )


def next_step(content: FormalNoticeContent) -> str:
    """What happens if the deadline passes, naming the court route."""
    french = content.language == "fr"
    if content.kind is FormalKind.LETTER_BEFORE_ACTION:
        track = content.route_note or "County Court"
        protocol = (
            "the Pre-Action Protocol for Debt Claims"
            if content.debtor_is_consumer
            else "the Practice Direction on Pre-Action Conduct"
        )
        if french:
            return (
                "À défaut de paiement dans ce délai, nous engagerons sans autre avis une action "
                f"devant la County Court ({track}), les frais de justice s'ajoutant à la dette. "
                f"Cette lettre est envoyée conformément à {protocol}."
            )
        return (
            "If payment is not received by then, we intend to issue a claim in the County Court "
            f"({track}) without further notice, which may add court fees and costs to the amount "
            f"you owe. This letter is sent in accordance with {protocol}."
        )
    if content.kind is FormalKind.FINAL_DEMAND:
        court = f"small claims court ({content.route_note})" if content.route_note else "court"
        if french:
            return (
                "À défaut de paiement dans ce délai, nous saisirons sans autre avis la juridiction "
                f"des petits litiges ({content.route_note or 'small claims'})."
            )
        return (
            f"If payment is not received by then, we will file a claim in {court} without "
            "further notice."
        )
    route = _french_route(content.route) if french else _english_route(content.route)
    if french:
        return (
            "À défaut de règlement dans ce délai, nous saisirons sans autre avis la juridiction "
            f"compétente {route}, les frais de procédure s'ajoutant à votre dette."
        )
    return (
        "If payment is not received by then, we will start legal proceedings without further "
        f"notice {route}, the costs of which will be added to your debt."
    )


def _french_route(route: str) -> str:
    """The French court route as a phrase of the next-step sentence."""
    if route == "injonction de payer":
        return "par voie d'injonction de payer"
    if route == "petites créances":
        return "par la procédure simplifiée de recouvrement des petites créances"
    return f"({route})" if route else ""


def _english_route(route: str) -> str:
    """The French court route named for an English reader."""
    if route == "injonction de payer":
        return "by way of an order for payment (injonction de payer)"
    if route == "petites créances":
        return "through the simplified small-claims procedure (petites créances)"
    return f"({route})" if route else ""


def payment_details(iban: str, language: str, *, bic: str = "", reference: str = "") -> str:
    """How to pay, when the creditor gave an IBAN: the account, and the reference to quote."""
    if not iban:
        return ""
    bank = f"IBAN {iban}, BIC {bic}" if bic else f"IBAN {iban}"
    if reference and language == "fr":
        return f"Règlement par virement sur le compte {bank}.\nRéférence à indiquer : {reference}"
    if reference:
        return f"Please pay by bank transfer to {bank}.\nReference to quote: {reference}"
    if language == "fr":
        return (
            f"Règlement par virement sur le compte IBAN {iban}, "
            "en rappelant les numéros de facture."
        )
    return f"Please pay by bank transfer to IBAN {iban}, quoting the invoice numbers."


def scan_to_pay(language: str) -> str:
    """The caption beside the EPC QR code."""
    return "Scanner pour payer" if language == "fr" else "Scan to pay"


def closing(language: str) -> str:
    """The formula before the signature."""
    if language == "fr":
        return "Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées."
    return "Yours faithfully,"


# Payment methods as people type them, in either language, and their words in each letter.
METHOD_WORDS = {
    "transfer": ("virement", "transfer"),
    "bank transfer": ("virement", "bank transfer"),
    "virement": ("virement", "transfer"),
    "cheque": ("chèque", "cheque"),
    "check": ("chèque", "cheque"),
    "chèque": ("chèque", "cheque"),
    "card": ("carte", "card"),
    "carte": ("carte", "card"),
    "cash": ("espèces", "cash"),
    "espèces": ("espèces", "cash"),
    "direct debit": ("prélèvement", "direct debit"),
    "prélèvement": ("prélèvement", "direct debit"),
    "import": ("importé", "imported"),
}


def method_words(method: str, language: str) -> str:
    """A payment method in the letter's language; one relance does not know stays as typed."""
    known = METHOD_WORDS.get(" ".join(method.lower().split()))
    if known is None:
        return method
    return known[0] if language == "fr" else known[1]


def statement_label(line: StatementLine, language: str) -> str:
    """What one statement line is: the invoice and its due date, or the payment or credit."""
    french = language == "fr"
    if line.is_invoice:
        due = (
            f", {'échéance' if french else 'due'} {line.due_on.isoformat()}" if line.due_on else ""
        )
        return f"{'Facture' if french else 'Invoice'} {line.invoice_number}{due}"
    credit_note = line.method.strip().lower() == "credit note"
    if credit_note:
        label = "Avoir" if french else "Credit note"
    else:
        label = "Règlement" if french else "Payment"
        if line.method:
            label += f" ({method_words(line.method, language)})"
    if line.reference:
        label += f" réf. {line.reference}" if french else f" ref. {line.reference}"
    return label
