"""Write ``book.toml``: the sample book of a French freelance developer, seeded and repeatable.

Run ``python sample_data/generate.py`` (stdlib only). The clients, their work and the special
stories are written out below; ordinary payers' histories come from a day-by-day simulation of
how each kind of payer behaves and of the freelancer's routine (a reminder a week after the
due date, a second one, then a call). Every day is an offset from the day the book is loaded.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEED = "relance-sample-1"
OUTPUT = Path(__file__).with_name("book.toml")

# Month-end invoicing days: -8 is this month's batch, -38 last month's, … back 18 months.
MONTHS = 18


def month_end(months_ago: int) -> int:
    """The invoicing day of the batch sent ``months_ago`` months before this one."""
    return -8 - 30 * months_ago


# Invoices are written TTC: French VAT at 20 % on HT prices in whole euros.
VAT_RATE_PERCENT = 20
# The freelancer's routine: remind a week after the due date, then every twelve days or so.
FIRST_STEP_AFTER_DUE = 8
DAYS_BETWEEN_STEPS = 12


@dataclass
class Person:
    """A contact as written to the book."""

    name: str
    role: str
    email: str
    phone: str
    billing: bool = False
    address: str = ""


@dataclass
class Bill:
    """One invoice: a local ref, the day issued, HT price (or net price without VAT)."""

    ref: str
    issued: int
    price: int
    what: str
    terms: int | None = None


@dataclass
class Entry:
    """One history entry as written to the book (the ``do`` kind plus its fields)."""

    day: int
    do: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Spec:
    """A client: identity, contacts, work billed, payer behaviour and scripted story."""

    name: str
    kind: str
    language: str
    contacts: list[Person]
    bills: list[Bill]
    behaviour: str
    notes: str = ""
    currency: str = "EUR"
    vat: bool = True
    terms: int = 30
    since: int | None = None
    method: str = "transfer"
    # Invoices issued in [script_from, script_until) are only paid by the script, and the
    # freelancer's routine is off on those days: the story is told by ``script`` instead.
    script_from: int | None = None
    script_until: int = 0
    script: list[Entry] = field(default_factory=list)
    split_payments: bool = False
    # Story clients keep their days exactly; others bill a day or two either side of month end.
    exact_days: bool = False


def monthly(prefix: str, price: int, newest: int, oldest: int, what: str) -> list[Bill]:
    """A retainer billed at each month end from ``oldest`` to ``newest`` months ago."""
    return [
        Bill(f"{prefix}-{number:02d}", month_end(ago), price, what)
        for number, ago in enumerate(range(oldest, newest - 1, -1), start=1)
    ]


def every(prefix: str, price: int, first: int, step: int, what: str, last: int = -1) -> list[Bill]:
    """A fixed price billed every ``step`` days from ``first`` until ``last``."""
    return [
        Bill(f"{prefix}-{number:02d}", day, price, what)
        for number, day in enumerate(range(first, last + 1, step), start=1)
    ]


def once(ref: str, day: int, price: int, what: str, terms: int | None = None) -> Bill:
    """A single invoice."""
    return Bill(ref, day, price, what, terms)


def money(minor: int) -> str:
    """Minor units as the book's decimal string."""
    return f"{minor // 100}.{minor % 100:02d}"


# ---------------------------------------------------------------------------------------------
# The clients. Phones are in ranges kept for fiction (ARCEP 01 99 00, 06 39 98; Ofcom 01632
# 960, 07700 900; US 555-01xx); e-mails under example.fr / example.com / example.co.uk.
# ---------------------------------------------------------------------------------------------


def story_clients() -> list[Spec]:
    """The clients whose recent history is told event by event."""
    vasseur = Spec(
        name="Groupe Vasseur Immobilier SAS",
        kind="b2b",
        language="fr",
        since=-530,
        behaviour="slow",
        notes=(
            "Promoteur et gestion locative. Extranet copropriétaires + maintenance mensuelle. "
            "Paie toujours en retard ; M. Vasseur promet beaucoup et tient peu : tout confirmer "
            "par écrit."
        ),
        contacts=[
            Person(
                "Sandrine Olivier",
                "comptabilité fournisseurs",
                "compta@groupe-vasseur.example.fr",
                "+33 1 99 00 41 10",
                billing=True,
                address="42 cours Lafayette, 69003 Lyon",
            ),
            Person(
                "Marc Vasseur",
                "président",
                "m.vasseur@groupe-vasseur.example.fr",
                "+33 6 39 98 41 07",
            ),
        ],
        bills=[
            *monthly("tma", 800, 2, 17, "Maintenance et hébergement extranet (mensuel)"),
            once("ext-1", -330, 3600, "Extranet copropriétaires — acompte 30 %"),
            once("ext-2", -230, 4800, "Extranet copropriétaires — livraison recette 40 %"),
            once("ext-3", -148, 3600, "Extranet copropriétaires — solde 30 %"),
        ],
        script_from=-150,
        script=[
            Entry(-110, "reminder"),
            Entry(-96, "reminder"),
            Entry(-88, "call", {"outcome": "voicemail", "note": "Messagerie de Sandrine Olivier."}),
            Entry(
                -82,
                "call",
                {
                    "outcome": "promised",
                    "amount": "4320.00",
                    "on": -66,
                    "who": "Marc Vasseur",
                    "note": (
                        "M. Vasseur : « le virement part la semaine prochaine », trésorerie "
                        "tendue après un retard de chantier."
                    ),
                },
            ),
            Entry(-65, "note", {"text": "Rien reçu à la date promise par M. Vasseur."}),
            Entry(
                -60,
                "payment",
                {"amount": "1000.00", "method": "transfer", "reference": "VIR GROUPE VASSEUR"},
            ),
            Entry(
                -58,
                "note",
                {
                    "text": "Maintenance suspendue jusqu'à régularisation du compte "
                    "(prévenu M. Vasseur par e-mail)."
                },
            ),
            Entry(-52, "reminder"),
            Entry(-45, "call", {"outcome": "no-answer"}),
            Entry(
                -44,
                "call",
                {"outcome": "voicemail", "note": "Message laissé sur le portable de M. Vasseur."},
            ),
            Entry(-38, "reminder"),
            Entry(
                -30,
                "call",
                {
                    "outcome": "refused",
                    "who": "Marc Vasseur",
                    "note": (
                        "Refuse de payer « avant la clôture de l'exercice ». Aucune réclamation "
                        "écrite sur le travail livré."
                    ),
                },
            ),
            Entry(
                -29,
                "note",
                {
                    "text": "Préparer une mise en demeure en LRAR : principal, pénalités de "
                    "retard et indemnité forfaitaire de 40 € par facture (art. L441-10 C. com.)."
                },
            ),
            Entry(-15, "reminder"),
            Entry(-8, "call", {"outcome": "no-answer"}),
        ],
    )
    brightwell = Spec(
        name="Brightwell Digital Ltd",
        kind="b2b",
        language="en",
        currency="GBP",
        vat=False,
        since=-480,
        behaviour="steady",
        notes=(
            "London agency: React dashboards as a sub-contractor (services billed without "
            "French VAT). Slow and evasive since they lost their biggest account."
        ),
        contacts=[
            Person(
                "Oliver Grant",
                "finance manager",
                "accounts@brightwell-digital.example.co.uk",
                "+44 1632 960418",
                billing=True,
                address="Unit 4, 27 Tabernacle Street, London EC2A 4DD",
            ),
            Person(
                "Priya Shah",
                "head of product",
                "priya.shah@brightwell-digital.example.co.uk",
                "+44 7700 900419",
            ),
        ],
        bills=[
            once("bw-01", month_end(15), 2700, "Dashboard sprint — 6 days"),
            once("bw-02", month_end(13), 3150, "Dashboard sprint — 7 days"),
            once("bw-03", month_end(11), 2250, "Dashboard sprint — 5 days"),
            once("bw-04", month_end(9), 3600, "Dashboard sprint — 8 days"),
            once("bw-05", month_end(7), 2700, "Dashboard sprint — 6 days"),
            once("bw-06", month_end(5), 1800, "Dashboard fixes — 4 days"),
            once("bw-07", month_end(4), 3150, "Reporting module — 7 days"),
            once("bw-08", month_end(3), 2700, "Reporting module — 6 days"),
            once("bw-09", month_end(2), 1800, "Reporting module — 4 days"),
        ],
        script_from=-140,
        script=[
            Entry(-90, "reminder"),
            Entry(-83, "call", {"outcome": "voicemail", "note": "Voicemail for Oliver Grant."}),
            Entry(-76, "reminder"),
            Entry(
                -70,
                "call",
                {
                    "outcome": "says-paid",
                    "who": "Oliver Grant",
                    "note": "Says the oldest invoice was paid last week; asked for the "
                    "remittance advice.",
                },
            ),
            Entry(
                -64,
                "note",
                {"text": "Nothing on the bank statement, and no remittance advice received."},
            ),
            Entry(-61, "reminder"),
            Entry(-50, "call", {"outcome": "no-answer"}),
            Entry(-42, "reminder"),
            Entry(
                -35,
                "call",
                {
                    "outcome": "promised",
                    "amount": "3150.00",
                    "on": -21,
                    "who": "Oliver Grant",
                    "note": "Promised the oldest invoice in their next payment run.",
                },
            ),
            Entry(-20, "note", {"text": "Their payment run came and went: nothing received."}),
            Entry(-14, "reminder"),
            Entry(
                -7,
                "call",
                {"outcome": "voicemail", "note": "Left a message with Priya Shah's assistant."},
            ),
        ],
    )
    garnier = Spec(
        name="Transports Garnier SAS",
        kind="b2b",
        language="fr",
        since=-500,
        behaviour="slow",
        notes=(
            "Transporteur régional, application de suivi de flotte au forfait mensuel. "
            "Paie en fin de mois suivant, souvent après une relance."
        ),
        contacts=[
            Person(
                "Hélène Garnier",
                "directrice administrative et financière",
                "h.garnier@transports-garnier.example.fr",
                "+33 1 99 00 27 45",
                billing=True,
                address="12 allée des Transporteurs, ZI des Gaulnes, 69150 Décines-Charpieu",
            ),
            Person(
                "Kévin Lopez",
                "responsable d'exploitation",
                "k.lopez@transports-garnier.example.fr",
                "+33 6 39 98 27 46",
            ),
        ],
        bills=[
            once("flotte-0", -470, 6000, "Mise en place de l'application de suivi de flotte"),
            *monthly("flotte", 1500, 0, 15, "Suivi de flotte — forfait mensuel"),
        ],
        script_from=-75,
        script=[
            Entry(-30, "reminder"),
            Entry(-22, "reminder"),
            Entry(-16, "call", {"outcome": "voicemail", "note": "Messagerie de Mme Garnier."}),
            Entry(
                -6,
                "call",
                {
                    "outcome": "promised",
                    "amount": "3600.00",
                    "on": 5,
                    "who": "Hélène Garnier",
                    "note": "Les deux factures échues partiront avec le prochain virement "
                    "fournisseurs.",
                },
            ),
        ],
    )
    perrin = Spec(
        name="Studio Graphique Perrin EURL",
        kind="b2b",
        language="fr",
        since=-420,
        behaviour="steady",
        notes=(
            "Studio de design : intégration front-end en sous-traitance, puis leur e-boutique. "
            "Bonne relation jusqu'au désaccord sur la recette."
        ),
        contacts=[
            Person(
                "Léa Perrin",
                "gérante",
                "lea@studio-perrin.example.fr",
                "+33 1 99 00 35 18",
                billing=True,
                address="7 rue Mercière, 69002 Lyon",
            ),
            Person("Hugo Perrin", "associé", "hugo@studio-perrin.example.fr", "+33 6 39 98 35 19"),
        ],
        bills=[
            once("int-1", -400, 1500, "Intégration des maquettes catalogue"),
            once("int-2", -330, 1000, "Intégration pages éditoriales"),
            once("shop-1", -250, 2400, "E-boutique — acompte"),
            once("shop-2", -170, 3200, "E-boutique — développement"),
            once("shop-3", -95, 2400, "E-boutique — solde à la recette"),
        ],
        script_from=-100,
        script=[
            Entry(-57, "reminder"),
            Entry(
                -50,
                "call",
                {
                    "outcome": "dispute",
                    "who": "Léa Perrin",
                    "note": (
                        "Conteste la recette : le paiement en plusieurs fois « était prévu ». "
                        "Il ne figure pas au devis signé."
                    ),
                },
            ),
            Entry(
                -49,
                "note",
                {
                    "text": "Relu le devis signé : pas de paiement fractionné. Envoyé le devis "
                    "et le PV de recette par e-mail."
                },
            ),
            Entry(
                -35,
                "note",
                {"text": "Pas de réponse. Proposé un rendez-vous avec Hugo Perrin (associé)."},
            ),
            Entry(
                -21,
                "note",
                {
                    "text": "Proposé 10 % de remise sur le solde contre paiement sous quinze "
                    "jours — en attente de réponse."
                },
            ),
        ],
    )
    hotel = Spec(
        name="Hôtel du Parc SARL",
        kind="b2b",
        language="fr",
        since=-470,
        behaviour="steady",
        notes=(
            "Hôtel trois étoiles : site et moteur de réservation, maintenance mensuelle. "
            "Saisonnier, trésorerie faible en intersaison."
        ),
        contacts=[
            Person(
                "Service comptabilité",
                "comptabilité",
                "compta@hotel-du-parc.example.fr",
                "+33 1 99 00 52 60",
                billing=True,
                address="3 avenue du Lac, 74000 Annecy",
            ),
            Person(
                "Véronique Pelletier",
                "gérante",
                "v.pelletier@hotel-du-parc.example.fr",
                "+33 6 39 98 52 61",
            ),
        ],
        bills=[
            once("site", -450, 5000, "Site et moteur de réservation"),
            *monthly("maint", 450, 1, 14, "Maintenance et hébergement (mensuel)"),
            once("avis", -75, 3000, "Module avis clients et offres saisonnières"),
        ],
        script_from=-78,
        script=[
            Entry(-37, "reminder"),
            Entry(-28, "reminder"),
            Entry(-22, "call", {"outcome": "voicemail", "note": "Messagerie de Mme Pelletier."}),
            Entry(-15, "call", {"outcome": "no-answer"}),
            Entry(-10, "call", {"outcome": "voicemail", "note": "Message laissé à la réception."}),
            Entry(
                -4,
                "note",
                {
                    "text": "La réception rappelle : Mme Pelletier est hospitalisée, retour prévu "
                    "dans deux semaines. Personne d'autre ne signe les virements."
                },
            ),
            Entry(-4, "snooze", {"until": 17}),
        ],
    )
    roche = Spec(
        name="Julien Roche",
        kind="b2c",
        language="fr",
        since=-140,
        terms=15,
        behaviour="prompt",
        notes="Site et réservation en ligne pour son gîte. Sympathique, saison difficile.",
        contacts=[
            Person(
                "Julien Roche",
                "",
                "julien.roche@example.fr",
                "+33 6 39 98 63 14",
                billing=True,
                address="Le Clos des Chênes, 26110 Nyons",
            ),
        ],
        bills=[
            once("acompte", -135, 1500, "Site du gîte — acompte à la commande"),
            once("solde", -105, 3000, "Site du gîte et réservation en ligne — solde"),
            once("photos", -70, 400, "Photos et textes supplémentaires"),
        ],
        script_from=-110,
        script=[
            Entry(-82, "reminder"),
            Entry(-75, "reminder"),
            Entry(
                -63,
                "call",
                {
                    "outcome": "promised",
                    "amount": "600.00",
                    "on": -60,
                    "who": "Julien Roche",
                    "note": "Saison blanche : il verse 600 € tout de suite, le reste « dès que "
                    "possible ».",
                },
            ),
            Entry(
                -60,
                "payment",
                {"amount": "600.00", "method": "transfer", "reference": "VIR M JULIEN ROCHE"},
            ),
            Entry(-40, "reminder"),
            Entry(-31, "call", {"outcome": "voicemail"}),
            Entry(-18, "call", {"outcome": "no-answer"}),
            Entry(
                -9,
                "note",
                {
                    "text": "M. Roche rappelle : ne peut pas tout régler d'un coup, demande un "
                    "échéancier sur quatre mois."
                },
            ),
            Entry(-8, "plan", {"instalments": 4, "every": "month", "first": 12}),
        ],
    )
    bertrand = Spec(
        name="Menuiserie Bertrand EURL",
        kind="b2b",
        language="fr",
        since=-380,
        behaviour="prompt",
        notes="Menuiserie artisanale : site vitrine et devis en ligne. Payait bien jusqu'ici.",
        contacts=[
            Person(
                "Patrick Bertrand",
                "gérant",
                "contact@menuiserie-bertrand.example.fr",
                "+33 1 99 00 71 22",
                billing=True,
                address="4 rue des Artisans, ZA Les Platanes, 38300 Bourgoin-Jallieu",
            ),
        ],
        bills=[
            once("site", -360, 2200, "Site vitrine"),
            once("devis", -250, 500, "Formulaire de demande de devis"),
            once("config", -85, 1200, "Configurateur de fenêtres sur mesure"),
        ],
        script_from=-90,
        script=[
            Entry(-46, "reminder"),
            Entry(-39, "reminder"),
            Entry(
                -33,
                "call",
                {"outcome": "wrong-number", "note": "Le numéro fixe n'est plus attribué."},
            ),
            Entry(
                -32,
                "note",
                {
                    "text": "Nouveau portable trouvé sur la fiche de l'entreprise : "
                    "+33 6 39 98 71 23."
                },
            ),
            Entry(-26, "call", {"outcome": "voicemail", "note": "Messagerie du portable."}),
            Entry(-19, "reminder"),
            Entry(-12, "call", {"outcome": "no-answer"}),
        ],
    )
    kaliop = Spec(
        name="Kaliop Santé SAS",
        kind="b2b",
        language="fr",
        since=-230,
        behaviour="steady",
        notes=(
            "Start-up medtech (suivi de patients). Trésorerie tendue entre deux levées : "
            "paie par morceaux, mais paie."
        ),
        contacts=[
            Person(
                "Romain Chevallier",
                "responsable financier",
                "finance@kaliop-sante.example.fr",
                "+33 1 99 00 84 31",
                billing=True,
                address="Pépinière Santé, 60 avenue des Sciences, 69008 Lyon",
            ),
            Person("Inès Aubert", "CEO", "ines@kaliop-sante.example.fr", "+33 6 39 98 84 30"),
        ],
        bills=[
            once("lot-1", -205, 4500, "Lot 1 — maquettes et API"),
            once("lot-2", -125, 6000, "Lot 2 — application patient"),
            once("lot-3", -64, 4500, "Lot 3 — tableau de bord soignants"),
            once("support-1", month_end(0), 1500, "Support et hébergement (mensuel)"),
        ],
        script_from=-130,
        script=[
            Entry(-82, "reminder"),
            Entry(
                -78,
                "payment",
                {
                    "amount": "3600.00",
                    "invoice": "lot-2",
                    "method": "transfer",
                    "reference": "VIR KALIOP SANTE 1/2",
                },
            ),
            Entry(
                -71,
                "note",
                {"text": "Inès Aubert : levée de fonds décalée d'un mois, solde du lot 2 ensuite."},
            ),
            Entry(
                -60,
                "payment",
                {
                    "amount": "3600.00",
                    "invoice": "lot-2",
                    "method": "transfer",
                    "reference": "VIR KALIOP SANTE 2/2",
                },
            ),
            Entry(-26, "reminder"),
            Entry(
                -22,
                "call",
                {
                    "outcome": "promised",
                    "amount": "2000.00",
                    "on": -19,
                    "who": "Inès Aubert",
                    "note": "Verse 2 000 € cette semaine, le solde à réception de l'aide BPI.",
                },
            ),
            Entry(
                -19,
                "payment",
                {
                    "amount": "2000.00",
                    "invoice": "lot-3",
                    "method": "transfer",
                    "reference": "VIR KALIOP SANTE LOT 3",
                },
            ),
            Entry(
                -5,
                "note",
                {"text": "Aide BPI attendue sous trois semaines d'après Romain Chevallier."},
            ),
        ],
    )
    osullivan = Spec(
        name="O'Sullivan Ventures Ltd",
        kind="b2b",
        language="en",
        vat=False,
        since=-515,
        behaviour="careless",
        notes=(
            "Dublin start-up studio, billed in euros without French VAT (reverse charge). "
            "Pays once chased; disputed a sprint once, settled with timesheets."
        ),
        contacts=[
            Person(
                "Sean O'Sullivan",
                "managing director",
                "sean@osullivan-ventures.example.com",
                "",
                billing=True,
                address="Block B, 14 Grand Canal Quay, Dublin 2, Ireland",
            ),
        ],
        bills=[
            once("os-01", -500, 3000, "Checkout sprint — 5 days"),
            once("os-02", -440, 4800, "Checkout sprint — 8 days"),
            once("os-03", -380, 3600, "Mobile API — 6 days"),
            once("os-04", -320, 2400, "Mobile API — 4 days"),
            once("os-05", -235, 7200, "Checkout redesign — 12 days"),
            once("os-06", -150, 3000, "Performance audit — 5 days"),
            once("os-07", -90, 4200, "Search feature — 7 days"),
            once("os-08", -30, 2400, "Search tuning — 4 days"),
        ],
        script_from=-240,
        script_until=-185,
        script=[
            Entry(-198, "reminder"),
            Entry(
                -196,
                "dispute",
                {
                    "on": True,
                    "note": "Sean disputes 3 of the 12 days billed: says the staging deploy "
                    "slipped.",
                },
            ),
            Entry(
                -193, "note", {"text": "Sent the timesheets and the commit log for the 12 days."}
            ),
            Entry(
                -188,
                "dispute",
                {"on": False, "note": "Sean accepted the timesheets; paying in full."},
            ),
            Entry(
                -186,
                "payment",
                {
                    "amount": "7200.00",
                    "invoice": "os-05",
                    "method": "transfer",
                    "reference": "OSULLIVAN VENTURES",
                },
            ),
        ],
    )
    return [vasseur, brightwell, garnier, perrin, hotel, roche, bertrand, kaliop, osullivan]


def ordinary_clients() -> list[Spec]:
    """Clients whose history comes from the simulation of their kind of payer."""
    fr, en = "fr", "en"
    return [
        Spec(
            "Atelier Moreau SARL",
            "b2b",
            fr,
            [
                Person(
                    "Claire Moreau",
                    "gérante",
                    "claire@atelier-moreau.example.fr",
                    "fixe",
                    True,
                    "18 rue des Charpentiers, 69100 Villeurbanne",
                )
            ],
            [
                once("site", -470, 2500, "Site vitrine et galerie de réalisations"),
                *every("maint", 375, -440, 90, "Maintenance trimestrielle"),
                once("galerie", -200, 750, "Ajout d'une galerie avant/après"),
            ],
            "prompt",
            notes="Ébénisterie d'art. Règle toujours dans les délais.",
        ),
        Spec(
            "Roussel & Associés SELARL",
            "b2b",
            fr,
            [
                Person(
                    "Maître Anne Roussel",
                    "associée",
                    "a.roussel@roussel-avocats.example.fr",
                    "fixe",
                ),
                Person(
                    "Corinne Blanchard",
                    "assistante de direction",
                    "secretariat@roussel-avocats.example.fr",
                    "fixe",
                    True,
                    "25 rue de la République, 69002 Lyon",
                ),
            ],
            [
                *monthly("tma", 900, 0, 17, "Espace client et maintenance (forfait mensuel)"),
                once("coffre", -300, 2500, "Coffre-fort documentaire pour les clients"),
            ],
            "prompt",
            notes="Cabinet d'avocats. Forfait mensuel, paiement par virement à 15 jours.",
        ),
        Spec(
            "Pharmacie Centrale Dubois SELARL",
            "b2b",
            fr,
            [
                Person(
                    "Jérôme Dubois",
                    "pharmacien titulaire",
                    "j.dubois@pharmacie-dubois.example.fr",
                    "fixe",
                    True,
                    "2 place de la Mairie, 71100 Chalon-sur-Saône",
                )
            ],
            [
                once("cc", -480, 3500, "Module click & collect"),
                once("stock", -300, 750, "Synchronisation des stocks"),
                once("rappels", -160, 1250, "Rappels de renouvellement par SMS"),
                once("horaires", -40, 625, "Pages gardes et horaires"),
            ],
            "steady",
        ),
        Spec(
            "Librairie Les Mots Passants SARL",
            "b2b",
            fr,
            [
                Person(
                    "Martine Fournier",
                    "gérante",
                    "librairie@motspassants.example.fr",
                    "fixe",
                    True,
                    "9 rue Saint-Jean, 69005 Lyon",
                )
            ],
            [
                once("boutique", -440, 1800, "Boutique en ligne et réservation de livres"),
                *every("maint", 375, -400, 90, "Maintenance trimestrielle"),
                once("agenda", -120, 500, "Agenda des rencontres d'auteurs"),
            ],
            "careless",
            method="cheque",
            notes="Petite librairie indépendante. Oublie les factures, paie par chèque après "
            "relance.",
        ),
        Spec(
            "Brasserie Le Comptoir Lyonnais SAS",
            "b2b",
            fr,
            [
                Person(
                    "Nicolas Chauvin",
                    "gérant",
                    "nicolas@comptoir-lyonnais.example.fr",
                    "mobile",
                    True,
                    "31 quai Saint-Antoine, 69002 Lyon",
                )
            ],
            [
                once("site", -390, 1500, "Site et carte en ligne"),
                *monthly("resa", 375, 0, 12, "Réservation en ligne — abonnement mensuel"),
            ],
            "careless",
            notes="Brasserie. Le gérant ne lit pas ses mails : appeler en fin de matinée.",
        ),
        Spec(
            "Éditions Lambert SA",
            "b2b",
            fr,
            [
                Person(
                    "Service fournisseurs",
                    "comptabilité",
                    "fournisseurs@editions-lambert.example.fr",
                    "fixe",
                    True,
                    "14 rue des Imprimeurs, 75006 Paris",
                ),
                Person(
                    "Bertrand Lambert",
                    "directeur éditorial",
                    "b.lambert@editions-lambert.example.fr",
                    "fixe",
                ),
            ],
            [
                once("cat-1", -460, 4000, "Catalogue en ligne — conception"),
                once("cat-2", -380, 6000, "Catalogue en ligne — développement"),
                once("cat-3", -300, 5000, "Catalogue en ligne — mise en production"),
                *every("maint", 900, -270, 90, "Maintenance trimestrielle"),
                once("epub", -30, 2500, "Export EPUB automatisé"),
            ],
            "slow",
            terms=45,
            notes="Éditeur. Circuit de validation des factures lent (bon de commande obligatoire).",
        ),
        Spec(
            "Agence Pixel & Pavé SARL",
            "b2b",
            fr,
            [
                Person(
                    "Julie Renard",
                    "directrice de production",
                    "julie@pixel-pave.example.fr",
                    "mobile",
                ),
                Person(
                    "Compta Pixel & Pavé",
                    "comptabilité",
                    "compta@pixel-pave.example.fr",
                    "fixe",
                    True,
                    "56 rue Paul Bert, 69003 Lyon",
                ),
            ],
            [],
            "steady",
            notes="Agence web : régie au TJM (550 € HT), relevé de jours en fin de mois.",
        ),
        Spec(
            "Clinique Vétérinaire des Alpes SELARL",
            "b2b",
            fr,
            [
                Person(
                    "Dr Mathieu Brun",
                    "vétérinaire associé",
                    "accueil@veto-alpes.example.fr",
                    "fixe",
                    True,
                    "140 avenue de Genève, 74000 Annecy",
                )
            ],
            [
                once("rdv", -420, 2800, "Prise de rendez-vous en ligne"),
                *every("maint", 450, -390, 90, "Maintenance trimestrielle"),
            ],
            "prompt",
        ),
        Spec(
            "Domaine Chevalier SCEA",
            "b2b",
            fr,
            [
                Person(
                    "Aurélie Chevalier",
                    "cogérante",
                    "domaine@chevalier-vins.example.fr",
                    "mobile",
                    True,
                    "Route des Crus, 71640 Mercurey",
                )
            ],
            [
                once("shop-1", -360, 2500, "E-boutique du domaine — acompte"),
                once("shop-2", -300, 3500, "E-boutique du domaine — livraison"),
                once("coffrets", -190, 600, "Module coffrets cadeaux"),
                once("club", -50, 900, "Abonnement club des vins"),
            ],
            "careless",
            notes="Viticulteurs, souvent dans les vignes : relancer par téléphone.",
        ),
        Spec(
            "Fromagerie Gauthier SARL",
            "b2b",
            fr,
            [
                Person(
                    "Pierre Gauthier",
                    "gérant",
                    "fromagerie.gauthier@example.fr",
                    "fixe",
                    True,
                    "5 place du Marché, 01000 Bourg-en-Bresse",
                )
            ],
            [
                once("site", -350, 750, "Site vitrine une page"),
                once("carte", -210, 400, "Mise à jour de la carte et des horaires"),
                once("plateaux", -60, 375, "Formulaire de commande de plateaux"),
            ],
            "prompt",
            method="cheque",
        ),
        Spec(
            "Coopérative Agricole du Val de Saône",
            "b2b",
            fr,
            [
                Person(
                    "Gérard Perret", "directeur", "direction@coop-valdesaone.example.fr", "fixe"
                ),
                Person(
                    "Service comptable",
                    "comptabilité",
                    "compta@coop-valdesaone.example.fr",
                    "fixe",
                    True,
                    "Route de Verdun, 71380 Saint-Marcel",
                ),
            ],
            [
                once("portail-1", -400, 6000, "Portail adhérents — phase 1"),
                once("portail-2", -280, 5000, "Portail adhérents — phase 2"),
                *every("support", 1000, -250, 90, "Support trimestriel"),
            ],
            "slow",
            terms=45,
            notes="Les factures passent en conseil d'administration : lent, sûr.",
        ),
        Spec(
            "Auto-École Mercier SARL",
            "b2b",
            fr,
            [
                Person(
                    "Sylvie Mercier",
                    "gérante",
                    "contact@autoecole-mercier.example.fr",
                    "mobile",
                    True,
                    "11 avenue Jean Jaurès, 38200 Vienne",
                )
            ],
            [
                once("planning", -330, 1200, "Planning des leçons en ligne"),
                *monthly("abo", 375, 0, 8, "Planning en ligne — abonnement mensuel"),
            ],
            "careless",
        ),
        Spec(
            "Association La Fabrique",
            "b2b",
            fr,
            [
                Person(
                    "Camille Dupont",
                    "trésorière",
                    "tresorerie@lafabrique-asso.example.fr",
                    "mobile",
                    True,
                    "3 rue des Tanneurs, 69007 Lyon",
                )
            ],
            [
                once("billetterie", -300, 2000, "Site et billetterie"),
                once("adhesions", -150, 600, "Adhésions en ligne"),
                once("festival", -20, 375, "Pages du festival"),
            ],
            "slow",
            notes="Association loi 1901 ; la trésorière est bénévole.",
        ),
        Spec(
            "Faure & Girard Expertise Comptable SAS",
            "b2b",
            fr,
            [
                Person(
                    "Olivier Faure",
                    "expert-comptable",
                    "o.faure@faure-girard.example.fr",
                    "fixe",
                    True,
                    "8 boulevard des Belges, 69006 Lyon",
                )
            ],
            monthly("tma", 500, 0, 17, "Portail documents clients (forfait mensuel)"),
            "prompt",
        ),
        Spec(
            "Imprimerie Rivière SARL",
            "b2b",
            fr,
            [
                Person(
                    "Laurent Rivière",
                    "gérant",
                    "l.riviere@imprimerie-riviere.example.fr",
                    "fixe",
                    True,
                    "22 rue de l'Industrie, 42000 Saint-Étienne",
                )
            ],
            [
                once("devis", -500, 4000, "Devis en ligne et commande de tirages"),
                once("paiement", -350, 1500, "Paiement en ligne"),
                once("suivi", -220, 900, "Suivi de commande"),
                once("grand-format", -100, 2000, "Configurateur grand format"),
                once("correctifs", -25, 600, "Correctifs et mises à jour"),
            ],
            "steady",
        ),
        Spec(
            "Laboratoire Bioméca SAS",
            "b2b",
            fr,
            [
                Person("Dr Élodie Masson", "directrice R&D", "e.masson@biomeca.example.fr", "fixe"),
                Person(
                    "Comptabilité Bioméca",
                    "comptabilité fournisseurs",
                    "factures@biomeca.example.fr",
                    "fixe",
                    True,
                    "Parc technologique, 9 rue Jacquard, 69100 Villeurbanne",
                ),
            ],
            [
                once("plat-1", -300, 5000, "Plateforme d'analyse — conception"),
                once("plat-2", -200, 15000, "Plateforme d'analyse — développement"),
                once("plat-3", -110, 4000, "Plateforme d'analyse — recette"),
                *monthly("support", 1200, 0, 2, "Support de la plateforme (mensuel)"),
            ],
            "slow",
            terms=45,
            notes="Grand compte : bon de commande par lot, paiement à 45 jours « en théorie ».",
        ),
        Spec(
            "Garage Fontaine & Fils SARL",
            "b2b",
            fr,
            [
                Person(
                    "Éric Fontaine",
                    "gérant",
                    "garage.fontaine@example.fr",
                    "fixe",
                    True,
                    "87 route de Lyon, 38080 L'Isle-d'Abeau",
                )
            ],
            [
                once("rdv", -280, 1500, "Site et prise de rendez-vous atelier"),
                once("occasions", -140, 500, "Page véhicules d'occasion"),
                once("devis", -45, 750, "Devis carrosserie en ligne"),
            ],
            "careless",
        ),
        Spec(
            "Ferme Équestre du Bois Joli EARL",
            "b2b",
            fr,
            [
                Person(
                    "Manon Leroy",
                    "exploitante",
                    "contact@boisjoli-equitation.example.fr",
                    "mobile",
                    True,
                    "Lieu-dit le Bois Joli, 01480 Savigneux",
                )
            ],
            [
                once("site", -390, 1250, "Site et réservation des cours"),
                once("stages", -200, 375, "Inscriptions aux stages"),
                once("pension", -30, 400, "Page pensions et tarifs"),
            ],
            "steady",
        ),
        Spec(
            "Net'Pro Services SAS",
            "b2b",
            fr,
            [
                Person(
                    "Karim Belkacem",
                    "directeur",
                    "k.belkacem@netpro-services.example.fr",
                    "mobile",
                    True,
                    "15 rue Marcel Dassault, 69740 Genas",
                )
            ],
            monthly("abo", 600, 0, 10, "Application d'interventions — abonnement mensuel"),
            "careless",
            notes="Entreprise de nettoyage. Paie au deuxième rappel, jamais avant.",
        ),
        Spec(
            "Oxalis Conseil SAS",
            "b2b",
            fr,
            [
                Person(
                    "Delphine Morel",
                    "associée",
                    "d.morel@oxalis-conseil.example.fr",
                    "fixe",
                    True,
                    "40 rue Garibaldi, 69006 Lyon",
                )
            ],
            [
                once("proto", -320, 6000, "Cadrage et prototype de l'outil d'audit"),
                *monthly("dev", 1500, 0, 9, "Outil d'audit — développement (forfait mensuel)"),
            ],
            "prompt",
        ),
        Spec(
            "Boréal Énergies SAS",
            "b2b",
            fr,
            [
                Person(
                    "Frédéric Lemaire",
                    "directeur commercial",
                    "f.lemaire@boreal-energies.example.fr",
                    "mobile",
                ),
                Person(
                    "Comptabilité",
                    "comptabilité",
                    "compta@boreal-energies.example.fr",
                    "fixe",
                    True,
                    "27 rue des Énergies, 38000 Grenoble",
                ),
            ],
            [
                once("simu", -420, 9000, "Simulateur d'autoconsommation solaire"),
                *monthly("support", 400, 0, 12, "Support et évolutions (mensuel)"),
            ],
            "slow",
        ),
        Spec(
            "Cabinet Dentaire Fabre SCM",
            "b2b",
            fr,
            [
                Person(
                    "Dr Sophie Fabre",
                    "chirurgien-dentiste",
                    "cabinet@dentaire-fabre.example.fr",
                    "fixe",
                    True,
                    "6 rue Victor Hugo, 26000 Valence",
                )
            ],
            [
                once("site", -260, 1200, "Site et prise de rendez-vous"),
                once("equipe", -50, 750, "Refonte de la page équipe"),
            ],
            "careless",
        ),
        Spec(
            "Isabelle Caron",
            "b2c",
            fr,
            [
                Person(
                    "Isabelle Caron",
                    "",
                    "isabelle.caron@example.fr",
                    "mobile",
                    True,
                    "La Grange Haute, 07200 Vogüé",
                )
            ],
            [
                once("site", -310, 1000, "Site de la chambre d'hôtes"),
                once("tarifs", -90, 375, "Mise à jour des tarifs et des photos"),
            ],
            "prompt",
            terms=15,
        ),
        Spec(
            "Thomas Blanc",
            "b2c",
            fr,
            [
                Person(
                    "Thomas Blanc",
                    "",
                    "thomas.blanc@example.fr",
                    "mobile",
                    True,
                    "12 rue Pasteur, 69007 Lyon",
                )
            ],
            [once("portfolio", -240, 600, "Site portfolio")],
            "prompt",
            terms=15,
            method="card",
        ),
        Spec(
            "Nathalie Giraud",
            "b2c",
            fr,
            [
                Person(
                    "Nathalie Giraud",
                    "",
                    "nathalie.giraud@example.fr",
                    "mobile",
                    True,
                    "4 impasse des Lilas, 69290 Craponne",
                )
            ],
            [
                once("boutique", -330, 2000, "Site et boutique de créations"),
                once("paiement", -150, 500, "Paiement en ligne"),
                once("soldes", -15, 400, "Mise en avant des nouvelles collections"),
            ],
            "steady",
            terms=15,
            split_payments=True,
            notes="Créatrice de bijoux. Paie chaque facture en deux virements.",
        ),
        Spec(
            "Claire et Vincent Lemoine",
            "b2c",
            fr,
            [
                Person(
                    "Vincent Lemoine",
                    "",
                    "vincent.lemoine@example.fr",
                    "mobile",
                    True,
                    "21 chemin des Vignes, 69480 Anse",
                )
            ],
            [
                once("mariage", -200, 750, "Site de mariage et liste"),
                once("album", -28, 500, "Album photo en ligne"),
            ],
            "careless",
            terms=15,
        ),
        Spec(
            "Harcourt & Finch LLP",
            "b2b",
            en,
            [
                Person(
                    "Margaret Finch",
                    "practice manager",
                    "accounts@harcourt-finch.example.co.uk",
                    "uk",
                    True,
                    "3 Quay Street, Manchester M3 3HN",
                )
            ],
            [
                once("portal", -460, 4800, "Client portal — build"),
                *every("support", 900, -370, 90, "Quarterly support"),
                once("esign", -100, 1650, "E-signature integration"),
            ],
            "prompt",
            currency="GBP",
            vat=False,
            notes="Law firm in Manchester. Billed in pounds, no French VAT.",
        ),
        Spec(
            "Northpeak Analytics Inc.",
            "b2b",
            en,
            [
                Person("Rachel Kim", "VP engineering", "rachel.kim@northpeak.example.com", "us"),
                Person(
                    "Accounts Payable",
                    "accounts payable",
                    "ap@northpeak.example.com",
                    "us",
                    True,
                    "200 Summer Street, Suite 4, Boston, MA 02210, USA",
                ),
            ],
            [
                once("np-01", -420, 3500, "Data pipeline consulting — 5 days"),
                once("np-02", -360, 4900, "Data pipeline consulting — 7 days"),
                once("np-03", -300, 2800, "Dashboard API — 4 days"),
                once("np-04", -240, 5600, "Dashboard API — 8 days"),
                once("np-05", -180, 4200, "Ingestion service — 6 days"),
                once("np-06", -120, 3500, "Ingestion service — 5 days"),
                once("np-07", -60, 6300, "Alerting — 9 days"),
                once("np-08", -12, 2800, "Alerting follow-up — 4 days"),
            ],
            "slow",
            currency="USD",
            vat=False,
            notes="US client, net 30 in dollars; AP runs twice a month.",
        ),
        Spec(
            "Lindqvist Design AB",
            "b2b",
            en,
            [
                Person(
                    "Erik Lindqvist",
                    "founder",
                    "erik@lindqvist-design.example.com",
                    "",
                    True,
                    "Hornsgatan 64, 118 21 Stockholm, Sweden",
                )
            ],
            [
                once("ld-1", -380, 3600, "Design system in React — 6 days"),
                once("ld-2", -260, 2400, "Component library — 4 days"),
                once("ld-3", -130, 1800, "Accessibility fixes — 3 days"),
                once("ld-4", -20, 3000, "Storybook and docs — 5 days"),
            ],
            "prompt",
            vat=False,
            notes="Swedish studio, billed in euros (reverse charge).",
        ),
        Spec(
            "Daniel Whitmore",
            "b2c",
            en,
            [
                Person(
                    "Daniel Whitmore",
                    "",
                    "daniel.whitmore@example.com",
                    "mobile",
                    True,
                    "Le Moulin Bas, 24220 Saint-Cyprien",
                )
            ],
            [
                once("site", -290, 1500, "Guesthouse website"),
                once("sync", -160, 500, "Booking calendar sync"),
                once("updates", -60, 375, "Seasonal updates"),
            ],
            "careless",
            terms=15,
            notes="British, runs a guesthouse in the Dordogne. Pays, but only when reminded.",
        ),
        Spec(
            "Emily Carter",
            "b2c",
            en,
            [
                Person(
                    "Emily Carter",
                    "",
                    "emily.carter@example.com",
                    "mobile",
                    True,
                    "8 rue du Château, 84000 Avignon",
                )
            ],
            [once("portfolio", -12, 700, "Portfolio website")],
            "prompt",
            terms=15,
        ),
    ]


def pixel_and_pave_bills(rng: random.Random) -> list[Bill]:
    """A month of days worked for the agency, billed at 550 € HT a day."""
    return [
        Bill(f"regie-{n:02d}", month_end(ago), 550 * rng.randint(3, 6), "Régie — relevé de jours")
        for n, ago in enumerate(range(11, -1, -1), start=1)
    ]


# ---------------------------------------------------------------------------------------------
# The simulation.
# ---------------------------------------------------------------------------------------------

NOTES = {
    "fr": {
        "voicemail": ["Messagerie, message laissé.", "Laissé un message à l'accueil."],
        "promised": [
            "Oubli reconnu, règlement au prochain virement.",
            "S'excuse : la facture était restée dans un tiroir.",
            "Règlement annoncé pour la fin de semaine.",
        ],
        "says-paid": ["Dit avoir payé la semaine dernière ; vérifier le relevé."],
    },
    "en": {
        "voicemail": ["Voicemail; asked for a call back.", "Left a message with reception."],
        "promised": [
            "Apologised; payment in the next run.",
            "Had missed the invoice; paying this week.",
        ],
        "says-paid": ["Says it was paid last week; check the statement."],
    },
}


@dataclass
class OpenBill:
    """An invoice during the simulation."""

    bill: Bill
    due: int
    amount: int
    left: int
    pay_on: int | None


def plan_payment(behaviour: str, issued: int, due: int, rng: random.Random) -> int | None:
    """The day a payer of this kind settles an invoice, or None for "when chased"."""
    if behaviour == "prompt":
        return max(issued + 2, due - rng.randint(0, 14))
    if behaviour == "steady":
        return max(issued + 2, due + rng.randint(-6, 9))
    if behaviour == "slow":
        return due + rng.randint(5, 30)
    return None


def simulate(spec: Spec, rng: random.Random) -> tuple[list[dict[str, Any]], list[Entry]]:
    """Invoices and history of one client: behaviour, routine and script merged by day."""
    invoices: list[dict[str, Any]] = []
    bills = sorted(spec.bills, key=lambda b: b.issued)
    by_day: dict[int, list[Bill]] = {}
    for bill in bills:
        by_day.setdefault(bill.issued, []).append(bill)
    start = spec.since if spec.since is not None else bills[0].issued - rng.randint(3, 20)
    spec.since = start
    window_start = spec.script_from if spec.script_from is not None else 1
    open_bills: list[OpenBill] = []
    timeline: list[tuple[int, int, int, Entry]] = []
    steps = 0
    chased: OpenBill | None = None
    last_contact: int | None = None
    who = next(p.name for p in spec.contacts if p.billing)
    notes = NOTES[spec.language]

    def add(day: int, phase: int, entry: Entry) -> None:
        timeline.append((day, phase, len(timeline), entry))

    def pay(item: OpenBill, day: int) -> None:
        method = spec.method
        parts = [item.left]
        if spec.split_payments and item.left >= 20000 and day - 10 > item.bill.issued:
            first = item.left // 200 * 100
            parts = [first, item.left - first]
        for index, part in enumerate(parts):
            on = day - 10 if index == 0 and len(parts) == 2 else day
            fields: dict[str, Any] = {"amount": money(part), "invoice": item.bill.ref}
            fields |= {"method": method, "reference": reference(spec, method, rng)}
            add(on, 0, Entry(on, "payment", fields))
        item.left = 0

    for day in range(start, 0):
        in_window = window_start <= day < spec.script_until
        for bill in by_day.get(day, []):
            amount = bill.price * (100 + VAT_RATE_PERCENT) if spec.vat else bill.price * 100
            due = day + (bill.terms if bill.terms is not None else spec.terms)
            scripted = in_window
            planned = None if scripted else plan_payment(spec.behaviour, day, due, rng)
            invoices.append(
                {
                    "ref": bill.ref,
                    "issued": day,
                    "due": due,
                    "amount": money(amount),
                    "_what": bill.what,
                }
            )
            if not scripted:
                open_bills.append(OpenBill(bill, due, amount, amount, planned))
        for item in open_bills:
            if item.left and item.pay_on == day:
                pay(item, day)
        open_bills = [item for item in open_bills if item.left]
        overdue = [item for item in open_bills if item.due < day]
        if in_window or not overdue:
            continue
        oldest = min(overdue, key=lambda item: item.due)
        if day - oldest.due < FIRST_STEP_AFTER_DUE:
            continue
        if oldest is not chased:
            # A new invoice heads the late list: the sequence starts again for it.
            chased, steps = oldest, 0
        if last_contact is not None and day - last_contact < DAYS_BETWEEN_STEPS:
            continue
        last_contact = day
        if steps in (0, 1) or steps % 2 == 1:
            add(day, 2, Entry(day, "reminder"))
            for item in overdue:
                if item.pay_on is None and rng.random() < 0.7:
                    item.pay_on = day + rng.randint(2, 10)
        else:
            add(day, 2, call_entry(spec, day, overdue, who, notes, rng))
        steps += 1
    merged = sorted(timeline + script_timeline(spec), key=lambda t: (t[0], t[1], t[2]))
    return invoices, [entry for *_, entry in merged]


def call_entry(
    spec: Spec,
    day: int,
    overdue: list[OpenBill],
    who: str,
    notes: dict[str, list[str]],
    rng: random.Random,
) -> Entry:
    """The routine call to a late payer, and how the payer's plans change because of it."""
    owed = sum(item.left for item in overdue)
    latest_plan = max((item.pay_on for item in overdue if item.pay_on is not None), default=None)
    if spec.behaviour == "careless" and rng.random() < 0.55:
        on = day + rng.randint(3, 8)
        for item in overdue:
            if item.pay_on is None or item.pay_on > on:
                item.pay_on = on - rng.randint(0, 2) if on - 2 > day else on
        return Entry(
            day,
            "call",
            {
                "outcome": "promised",
                "amount": money(owed),
                "on": on,
                "who": who,
                "note": rng.choice(notes["promised"]),
            },
        )
    if spec.behaviour == "slow" and latest_plan is not None and latest_plan > day:
        if latest_plan - day <= 4 and rng.random() < 0.5:
            return Entry(day, "call", {"outcome": "says-paid", "note": notes["says-paid"][0]})
        return Entry(
            day,
            "call",
            {
                "outcome": "promised",
                "amount": money(owed),
                "on": latest_plan,
                "who": who,
                "note": rng.choice(notes["promised"]),
            },
        )
    for item in overdue:
        if item.pay_on is None:
            item.pay_on = day + rng.randint(2, 9)
    outcome = rng.choice(["voicemail", "voicemail", "no-answer"])
    fields: dict[str, Any] = {"outcome": outcome}
    if outcome == "voicemail":
        fields["note"] = rng.choice(notes["voicemail"])
    return Entry(day, "call", fields)


def script_timeline(spec: Spec) -> list[tuple[int, int, int, Entry]]:
    """The scripted entries, placed after the day's routine payments."""
    return [(entry.day, 1, index, entry) for index, entry in enumerate(spec.script)]


def reference(spec: Spec, method: str, rng: random.Random) -> str:
    """A bank-statement style reference for a payment."""
    if method == "cheque":
        return f"chèque n° {rng.randint(1000000, 9999999)}"
    if method == "card":
        return f"CB {rng.randint(100000, 999999)}"
    # Bank statements drop accents and punctuation.
    plain = unicodedata.normalize("NFKD", spec.name).encode("ascii", "ignore").decode()
    words = plain.upper().replace("'", " ").replace("&", "ET").split()
    return "VIR " + " ".join(words[:3])


# ---------------------------------------------------------------------------------------------
# Phones and TOML output.
# ---------------------------------------------------------------------------------------------


class PhoneBook:
    """Hands out distinct numbers from the ranges kept for fiction."""

    def __init__(self) -> None:
        self.count = 0

    def number(self, kind: str) -> str:
        """A fresh number of the given kind; explicit numbers pass through."""
        if kind not in {"fixe", "mobile", "uk", "us"}:
            return kind
        self.count += 1
        n = self.count
        if kind == "fixe":
            return f"+33 1 99 00 {10 + n:02d} {(n * 37) % 100:02d}"
        if kind == "mobile":
            return f"+33 6 39 98 {10 + n:02d} {(n * 53) % 100:02d}"
        if kind == "uk":
            return f"+44 1632 960{100 + n:03d}"
        return f"+1 617 555 01{n % 100:02d}"


def toml_string(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def toml_value(value: Any) -> str:
    """A TOML scalar."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return toml_string(str(value))


def inline(fields: dict[str, Any]) -> str:
    """A one-line inline table."""
    return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in fields.items()) + " }"


HEADER = """\
# relance sample book: the receivables of Camille Martin, a freelance developer in Lyon.
#
# Written by generate.py (seeded, repeatable); edit that script and run it again, or edit
# this file by hand: `relance init --sample` and `relance demo` read it as it is.
#
# Every day is an offset from the day the sample is loaded (negative = in the past), so the
# book looks current on any date. The loader replays the entries in day order through the same
# services the app uses, which number the invoices F<year>-<seq> in order of issue.
#
# client:   name, kind (b2b|b2c), language (fr|en), currency (default EUR), since (day added),
#           terms (payment terms in days, informative), notes
# contacts: name, role, email, phone, address, billing (at most one billing contact)
# invoices: ref (unique within the client), issued, due, amount (TTC, decimal string)
# events:   day, do = one of
#   payment   amount, invoice (ref it pays first; else oldest first), method, reference
#   call      outcome (no-answer|voicemail|promised|dispute|wrong-number|says-paid|refused),
#             note, who; with "promised": amount and on (the promised day)
#   reminder  (the reminder e-mail as the app writes it)
#   note      text
#   plan      instalments, every (week|2weeks|month), first (day), deposit
#   dispute   on (true|false), note
#   snooze    until (day)
"""


def render(specs: Iterable[Spec]) -> str:
    """The whole book as TOML."""
    phones = PhoneBook()
    out = [HEADER]
    for spec in specs:
        rng = random.Random(f"{SEED}:{spec.name}")
        if not spec.bills:
            spec.bills = pixel_and_pave_bills(rng)
        if not spec.exact_days:
            for bill in spec.bills:
                bill.issued = min(-1, bill.issued + rng.randint(-2, 2))
        invoices, events = simulate(spec, rng)
        out.append("[[client]]")
        out.append(f"name = {toml_string(spec.name)}")
        out.append(f"kind = {toml_string(spec.kind)}")
        out.append(f"language = {toml_string(spec.language)}")
        if spec.currency != "EUR":
            out.append(f"currency = {toml_string(spec.currency)}")
        out.append(f"since = {spec.since}")
        out.append(f"terms = {spec.terms}")
        if spec.notes:
            out.append(f"notes = {toml_string(spec.notes)}")
        out.append("contacts = [")
        for person in spec.contacts:
            fields: dict[str, Any] = {"name": person.name}
            if person.role:
                fields["role"] = person.role
            fields["email"] = person.email
            phone = phones.number(person.phone) if person.phone else ""
            if phone:
                fields["phone"] = phone
            if person.address:
                fields["address"] = person.address
            if person.billing:
                fields["billing"] = True
            out.append(f"  {inline(fields)},")
        out.append("]")
        out.append("invoices = [")
        for invoice in invoices:
            what = invoice.pop("_what")
            out.append(f"  {inline(invoice)},  # {what}")
        out.append("]")
        out.append("events = [")
        for entry in events:
            out.append(f"  {inline({'day': entry.day, 'do': entry.do, **entry.fields})},")
        out.append("]")
        out.append("")
    return "\n".join(out)


def all_clients() -> list[Spec]:
    """Every client, the stories first, then the others, in a stable order."""
    stories = story_clients()
    for spec in stories:
        spec.exact_days = True
    return [*stories, *ordinary_clients()]


def main() -> None:
    """Write book.toml next to this script."""
    OUTPUT.write_text(render(all_clients()), encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
