"""Every shared sample e-invoice (UBL, CII, Factur-X) imports with the fields its source lists."""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

from cli_fixtures import Run
from locations import SHARED_SAMPLES
from relance.importing.plan import PlannedInvoice
from relance.importing.reader import read_plan
from relance.services.clients import add_client
from relance.services.invoices import add_invoice
from relance.store.database import close_database, open_database
from relance.store.models import Client, ContactEvent, Invoice, Payment

# CI checks shared/ out beside the clone: <root>/../shared/samples/einvoices.
SAMPLES = SHARED_SAMPLES / "einvoices"


@dataclass(frozen=True)
class Expected:
    """What SOURCES.md says a sample holds (amounts in cents, total as a positive amount)."""

    seller: str
    buyer: str
    number: str
    issued: date
    due: date
    total: int
    paid: int
    currency: str
    credit_note: bool = False
    company_id: str = ""
    credits_invoice: str = ""


# Without a due date in the file: issue date + 30 days (credit notes: the issue date).
EXPECTED: dict[str, Expected] = {
    "ubl/ubl-tc434-example1.xml": Expected(
        "De Koksmaat",
        "ODIN 59",
        "12115118",
        date(2015, 1, 9),
        date(2015, 1, 9),
        25033,
        0,
        "EUR",
    ),
    "ubl/ubl-tc434-example2.xml": Expected(
        "Salescompany ltd.",
        "The Buyercompany",
        "TOSL108",
        date(2013, 6, 30),
        date(2013, 7, 20),
        180178,
        100000,
        "NOK",
        company_id="NO:987654321",
    ),
    "ubl/ubl-tc434-example7.xml": Expected(
        "The Sellercompany Incorporated",
        "THe Buyercompany",
        "INVOICE_test_7",
        date(2013, 3, 11),
        date(2013, 4, 10),
        320000,
        0,
        "SEK",
    ),
    "ubl/ubl-tc434-creditnote1.xml": Expected(
        "My Supplier Company",
        "My Customer Company",
        "018304 / 28865",
        date(2019, 9, 23),
        date(2019, 9, 23),
        10011,
        0,
        "EUR",
        credit_note=True,
        company_id="BE:0000000295",
    ),
    "ubl/ubl-21-en16931.xml": Expected(
        "Au bon moulin",
        "Ma jolie boutique SARL",
        "F124212",
        date(2026, 6, 17),
        date(2026, 7, 16),
        30803,
        10000,
        "EUR",
        company_id="FR:787878784",
        credits_invoice="F124211",
    ),
    "cii/factur-x-en16931.xml": Expected(
        "LE FOURNISSEUR",
        "LE CLIENT",
        "F20260023",
        date(2026, 1, 31),
        date(2026, 3, 2),
        10490,
        0,
        "EUR",
        company_id="FR:987654321",
        credits_invoice="F20260003",
    ),
    "cii/factur-x-basic.xml": Expected(
        "LE FOURNISSEUR",
        "LE CLIENT",
        "F20260023",
        date(2026, 1, 31),
        date(2026, 3, 2),
        10490,
        0,
        "EUR",
        company_id="FR:987654321",
        credits_invoice="F20260003",
    ),
    "cii/facturFrMinimum.xml": Expected(
        "Au bon moulin",
        "Ma jolie boutique",
        "FA-2017-0010",
        date(2017, 11, 13),
        date(2017, 12, 13),
        67115,
        20100,
        "EUR",
        company_id="FR:787878784",
    ),
    "cii/valid_Avoir_FR_type380_minimum_factur-x.xml": Expected(
        "Au bon moulin",
        "Ma jolie boutique",
        "AV-2017-0005",
        date(2017, 11, 16),
        date(2017, 11, 16),
        23347,
        0,
        "EUR",
        credit_note=True,
        company_id="FR:787878784",
        credits_invoice="FA-2017-0010",
    ),
    "cii/CII_example2.xml": Expected(
        "Salescompany ltd.",
        "The Buyercompany",
        "TOSL108",
        date(2013, 6, 30),
        date(2013, 7, 20),
        180178,
        100000,
        "NOK",
        company_id="NO:987654321",
    ),
    "facturx/Facture_FR_BASICWL.pdf": Expected(
        "Au bon moulin",
        "Ma jolie boutique",
        "FA-2017-0010",
        date(2017, 11, 13),
        date(2017, 12, 13),
        67115,
        20100,
        "EUR",
        company_id="FR:787878784",
    ),
    "facturx/Avoir_FR_type381_BASIC.pdf": Expected(
        "Au bon moulin",
        "Ma jolie boutique",
        "AV-2017-0005",
        date(2017, 11, 16),
        date(2017, 11, 16),
        23347,
        0,
        "EUR",
        credit_note=True,
        company_id="FR:787878784",
        credits_invoice="FA-2017-0010",
    ),
    "facturx/Facture_F20180027.pdf": Expected(
        "LE FOURNISSEUR",
        "LE CLIENT",
        "F20180027",
        date(2018, 12, 31),
        date(2019, 1, 30),
        11000,
        1000,
        "EUR",
        # A SIRET on a German address: the French VAT id FR05987654321 says whose it is.
        company_id="FR:987654321",
        credits_invoice="F20180003",
    ),
}


def test_the_shared_samples_are_there_and_all_listed() -> None:
    assert SAMPLES.is_dir(), f"the shared e-invoice samples are missing: {SAMPLES}"
    found = {
        str(path.relative_to(SAMPLES))
        for folder in ("ubl", "cii", "facturx")
        for path in (SAMPLES / folder).iterdir()
    }
    assert found == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_sample_reads_with_its_documented_fields(name: str) -> None:
    assert SAMPLES.is_dir(), f"the shared e-invoice samples are missing: {SAMPLES}"
    plan = read_plan(SAMPLES / name)
    assert plan.errors == []
    expected = EXPECTED[name]
    assert len(plan.rows) == 1
    row: PlannedInvoice = plan.rows[0]
    assert (
        row.seller,
        row.client_name,
        row.number,
        row.issued,
        row.due,
        row.total,
        row.paid,
        row.currency,
        row.credit_note,
        row.company_id,
        row.credits_invoice,
    ) == (
        expected.seller,
        expected.buyer,
        expected.number,
        expected.issued,
        expected.due,
        expected.total,
        expected.paid,
        expected.currency,
        expected.credit_note,
        expected.company_id,
        expected.credits_invoice,
    )


@pytest.fixture
def book() -> Iterator[Callable[[], None]]:
    """Open the CLI's book for reading its rows (closed after the test)."""
    yield lambda: open_database(Path(os.environ["RELANCE_DB"])) and None
    close_database()


def import_sample(relance: Callable[..., Run], name: str) -> Run:
    """Import one sample through the command line and insist it worked."""
    run = relance("import", str(SAMPLES / name))
    assert run.status == 0, run.err
    return run


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_sample_imports_into_the_book(
    relance: Callable[..., Run], book: Callable[[], None], name: str
) -> None:
    expected = EXPECTED[name]
    import_sample(relance, name)
    book()
    client = Client.get(Client.name == expected.buyer)
    assert (client.currency, client.company_id) == (expected.currency, expected.company_id)
    if expected.credit_note:
        # No invoice to credit in an empty book: the whole note is a credit for the client.
        assert not Invoice.select().exists()
        credit = Payment.get()
        assert (credit.amount, credit.method, credit.reference) == (
            expected.total,
            "credit note",
            expected.number,
        )
    else:
        invoice = Invoice.get(Invoice.number == expected.number)
        assert (invoice.issued_on, invoice.due_on, invoice.amount, invoice.paid) == (
            expected.issued,
            expected.due,
            expected.total,
            expected.paid,
        )
        assert (invoice.currency, invoice.source) == (expected.currency, "import")
        assert client.outstanding == expected.total - expected.paid
    event = ContactEvent.get(ContactEvent.outcome == "import")
    assert Path(name).name in event.summary


def test_invoice_then_credit_note_leaves_what_sources_say(
    relance: Callable[..., Run], book: Callable[[], None]
) -> None:
    for name in (
        "facturx/Facture_FR_BASICWL.pdf",
        "facturx/Avoir_FR_type381_BASIC.pdf",
        # The same documents in their MINIMUM XML forms change nothing more.
        "cii/facturFrMinimum.xml",
        "cii/valid_Avoir_FR_type380_minimum_factur-x.xml",
    ):
        import_sample(relance, name)
    book()
    client = Client.get(Client.name == "Ma jolie boutique")
    invoice = Invoice.get(Invoice.number == "FA-2017-0010")
    # 671.15 − 201.00 prepaid − 233.47 credited = 236.68, as SOURCES.md works it out.
    assert (invoice.amount, invoice.paid) == (67115, 43447)
    assert client.outstanding == 23668
    assert Payment.select().count() == 2
    assert ContactEvent.select().where(ContactEvent.outcome == "import").count() == 2


def test_siret_siren_and_vat_id_match_the_same_company(
    relance: Callable[..., Run], book: Callable[[], None]
) -> None:
    import_sample(relance, "cii/facturFrMinimum.xml")
    import_sample(relance, "ubl/ubl-21-en16931.xml")
    book()
    # "Ma jolie boutique SARL" (SIREN 787878784) is the company of SIRET 78787878400035.
    assert [c.name for c in Client.select()] == ["Ma jolie boutique"]
    assert Invoice.select().count() == 2


@pytest.mark.parametrize(
    "pair",
    [
        ("ubl/ubl-tc434-example2.xml", "cii/CII_example2.xml"),
        ("cii/factur-x-en16931.xml", "cii/factur-x-basic.xml"),
    ],
)
def test_the_same_invoice_in_two_syntaxes_is_one_invoice(
    relance: Callable[..., Run], book: Callable[[], None], pair: tuple[str, str]
) -> None:
    import_sample(relance, pair[0])
    second = import_sample(relance, pair[1])
    assert "unchanged invoices: 1" in second.out
    book()
    assert Invoice.select().count() == 1
    assert Payment.select().count() == (1 if "TOSL108" in str(Invoice.get().number) else 0)


def test_same_digits_in_two_countries_are_two_companies(
    relance: Callable[..., Run], book: Callable[[], None]
) -> None:
    # The Norwegian buyer's organisation number has the digits of LE CLIENT's SIREN.
    import_sample(relance, "ubl/ubl-tc434-example2.xml")
    import_sample(relance, "cii/factur-x-en16931.xml")
    book()
    assert sorted(c.name for c in Client.select()) == ["LE CLIENT", "The Buyercompany"]


def test_two_buyers_of_one_name_in_two_countries_are_two_clients(
    relance: Callable[..., Run], book: Callable[[], None]
) -> None:
    # "THe Buyercompany" (Sweden, SEK, no number) is not "The Buyercompany" (Norway, NOK).
    import_sample(relance, "ubl/ubl-tc434-example2.xml")
    run = import_sample(relance, "ubl/ubl-tc434-example7.xml")
    assert "new clients: 1 (THe Buyercompany (SE))" in run.out
    book()
    clients = {c.name: (c.country, c.currency, c.company_id, c.vat_id) for c in Client.select()}
    assert clients == {
        "The Buyercompany": ("NO", "NOK", "NO:987654321", "NO987654321MVA"),
        "THe Buyercompany (SE)": ("SE", "SEK", "", ""),
    }
    assert Invoice.get(Invoice.number == "INVOICE_test_7").client.name == "THe Buyercompany (SE)"


def test_a_client_billed_in_another_currency_is_refused_naming_both(
    relance: Callable[..., Run], book: Callable[[], None], at: datetime
) -> None:
    # A client typed by hand (no country, no number) matches the Norwegian buyer by name.
    book()
    client_id = add_client("The Buyercompany", at).client_id
    add_invoice(client_id, "F-1", "100.00", "2026-11-01", "2026-12-01", at)
    close_database()
    run = relance("import", str(SAMPLES / "ubl" / "ubl-tc434-example2.xml"))
    assert run.status == 2
    assert run.err.endswith("\n  element currency: The Buyercompany is billed in EUR, not NOK\n"), (
        run.err
    )
    book()
    assert not Invoice.select().where(Invoice.number == "TOSL108").exists()


# Every shared sample, whatever the order, makes this one book (SOURCES.md gives the figures):
# per client its country, currency, outstanding amount and invoices. A client is named after
# the first file that brings it ("Ma jolie boutique" or "… SARL"), the buyer of a name already
# taken in another country after its country ("THe Buyercompany (SE)").
ONE_BOOK = sorted(
    [
        ("BE", "EUR", 0, ()),  # the credit note alone: a credit waiting for an invoice
        ("FR", "EUR", 10490 + 10000, ("F20180027", "F20260023")),  # one VAT id, two addresses
        # FA-2017-0010: 671.15 − 201.00 prepaid − 233.47 credited; F124212: 308.03 − 100.00.
        ("FR", "EUR", 23668 + 20803, ("F124212", "FA-2017-0010")),
        ("NL", "EUR", 25033, ("12115118",)),
        ("NO", "NOK", 80178, ("TOSL108",)),  # in UBL and in CII: one invoice
        ("SE", "SEK", 320000, ("INVOICE_test_7",)),
    ]
)
SHUFFLE_SEEDS = (1, 2, 3, 5, 8, 13)


def book_identities() -> list[tuple[str, str, int, tuple[str, ...]]]:
    """Each client of the book as its country, currency, outstanding amount and invoices."""
    numbers: dict[int, list[str]] = {}
    for invoice in Invoice.select():
        numbers.setdefault(invoice.client_id, []).append(invoice.number)
    return sorted(
        (c.country, c.currency, c.outstanding, tuple(sorted(numbers.get(c.id, []))))
        for c in Client.select()
    )


@pytest.mark.parametrize("seed", SHUFFLE_SEEDS)
def test_every_sample_imports_into_one_book_in_any_order(
    relance: Callable[..., Run], book: Callable[[], None], seed: int
) -> None:
    names = sorted(EXPECTED)
    assert len(names) == 13
    random.Random(seed).shuffle(names)
    for name in names:
        import_sample(relance, name)
    book()
    assert book_identities() == ONE_BOOK, names
    buyers = {c.name for c in Client.select() if c.country == "SE" or c.currency == "NOK"}
    assert buyers in (
        {"The Buyercompany", "THe Buyercompany (SE)"},
        {"THe Buyercompany", "The Buyercompany (NO)"},
    )


def test_every_sample_reimported_changes_nothing(
    relance: Callable[..., Run], book: Callable[[], None]
) -> None:
    for name in sorted(EXPECTED):
        import_sample(relance, name)
    book()
    counts = (Client.select().count(), Invoice.select().count(), Payment.select().count())
    events = ContactEvent.select().count()
    close_database()
    for name in sorted(EXPECTED):
        run = import_sample(relance, name)
        assert "new invoices: 0" in run.out and "payments recorded: 0" in run.out
    book()
    assert (Client.select().count(), Invoice.select().count(), Payment.select().count()) == counts
    assert ContactEvent.select().count() == events


def test_a_dtd_is_refused(relance: Callable[..., Run], tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<Invoice>&lol;</Invoice>\n',
        encoding="utf-8",
    )
    run = relance("import", str(bomb))
    assert run.status == 2
    assert "refused: the XML declares a DTD or entities" in run.err


def test_other_xml_and_broken_files_are_refused(
    relance: Callable[..., Run], tmp_path: Path
) -> None:
    other = tmp_path / "other.xml"
    other.write_text("<note><to>me</to></note>", encoding="utf-8")
    run = relance("import", str(other))
    assert run.status == 2
    assert "element note: not a UBL Invoice, UBL CreditNote or CII invoice" in run.err
    broken = tmp_path / "broken.xml"
    broken.write_text("<Invoice>\n<a></b>", encoding="utf-8")
    run = relance("import", str(broken))
    assert run.status == 2
    assert "line 2, column" in run.err and "not well-formed XML" in run.err
    pdf = tmp_path / "plain.pdf"
    pdf.write_bytes(b"%PDF-1.4\nnot really a pdf")
    run = relance("import", str(pdf))
    assert run.status == 2
    assert "nothing imported" in run.err


def test_missing_fields_are_all_reported(relance: Callable[..., Run], tmp_path: Path) -> None:
    source = (SAMPLES / "ubl" / "ubl-tc434-example1.xml").read_text(encoding="utf-8")
    broken = source.replace(
        "<cbc:IssueDate>2015-01-09</cbc:IssueDate>", "<cbc:IssueDate>2015-02-30</cbc:IssueDate>"
    )
    broken = broken.replace("<cbc:DocumentCurrencyCode>EUR", "<cbc:DocumentCurrencyCode>XXX")
    path = tmp_path / "broken-ubl.xml"
    path.write_text(broken, encoding="utf-8")
    run = relance("import", str(path))
    assert run.status == 2
    assert "element IssueDate: impossible date: '2015-02-30'" in run.err
    assert "element currency: unknown currency 'XXX'" in run.err
