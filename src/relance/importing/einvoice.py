"""Reading UBL 2.1 and UN/CEFACT CII e-invoices (and credit notes) into an import plan."""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from relance.domain.money import AmountError, parse_currency
from relance.importing.dates import ImportDateError, parse_compact_date, parse_import_date
from relance.importing.numbers import ImportAmountError, parse_xml_amount
from relance.importing.plan import (
    ImportPlan,
    PlannedInvoice,
    company_key,
    country_code,
    default_due,
    vat_country,
    vat_key,
)

UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NAMESPACES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "rsm": CII,
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
# UNTDID 1001 document types that credit the buyer rather than bill it.
CREDIT_NOTE_TYPES = {"381", "261", "262", "296", "308", "396", "420", "458", "532"}
# A document type declaration is how entity expansion attacks start; e-invoices never need one.
_FORBIDDEN = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class Party:
    """A seller or buyer as the document names it: its name and what identifies it."""

    name: str
    company_id: str
    vat_id: str
    country: str

    @classmethod
    def of(cls, name: str, company: str, vat: str, country: str) -> Party:
        """The party with its numbers made comparable (see ``company_key`` and ``vat_key``).

        A VAT id names the country the company is registered in, which may not be that of
        the address on this document: that country keys its company number and is its own.
        """
        vat_id = vat_key(vat)
        registered = vat_country(vat_id) or country_code(country)
        return cls(name, company_key(company, registered), vat_id, registered)


class _Reader:
    """Finds values in one parsed document and records each missing or wrong one."""

    def __init__(self, root: ET.Element, plan: ImportPlan) -> None:
        self.root = root
        self.plan = plan
        self.failed = False

    def text(self, path: str, *, where: ET.Element | None = None) -> str:
        """The trimmed text at a path, "" when absent."""
        found = (self.root if where is None else where).find(path, NAMESPACES)
        return (found.text or "").strip() if found is not None else ""

    def fail(self, element: str, reason: str) -> None:
        """Record an error about one element of the document."""
        self.failed = True
        self.plan.fail(0, element, reason)

    def required(self, path: str) -> str:
        """The text at a path; an error when it is missing."""
        value = self.text(path)
        if not value:
            self.fail(_short(path), "missing")
        return value

    def amount(self, path: str) -> int | None:
        """An amount at a path in minor units, None when absent (or refused)."""
        value = self.text(path)
        if not value:
            return None
        try:
            return parse_xml_amount(value)
        except ImportAmountError as error:
            self.fail(_short(path), str(error))
            return None

    def day(self, path: str, parse: Callable[[str], date], *, required: bool) -> date | None:
        """A date at a path, None when absent (an error if required) or refused."""
        value = self.text(path)
        if not value:
            if required:
                self.fail(_short(path), "missing")
            return None
        try:
            return parse(value)
        except ImportDateError as error:
            self.fail(_short(path), str(error))
            return None


def read_xml_file(path: Path) -> ImportPlan:
    """Read a UBL or CII XML file into a plan."""
    plan = ImportPlan(source=path, kind="xml")
    read_xml_bytes(path.read_bytes(), plan)
    return plan


def read_xml_bytes(raw: bytes, plan: ImportPlan) -> None:
    """Parse one e-invoice document and add its invoice (or credit note) to the plan."""
    root = _parse(raw, plan)
    if root is None:
        return
    plan.lines_read = 1
    if root.tag in (f"{{{UBL_INVOICE}}}Invoice", f"{{{UBL_CREDIT_NOTE}}}CreditNote"):
        _read_ubl(_Reader(root, plan), credit=root.tag.endswith("CreditNote"))
    elif root.tag == f"{{{CII}}}CrossIndustryInvoice":
        _read_cii(_Reader(root, plan))
    else:
        plan.fail(0, _local(root.tag), "not a UBL Invoice, UBL CreditNote or CII invoice")


def _parse(raw: bytes, plan: ImportPlan) -> ET.Element | None:
    """The document's root, refusing anything that is not plain UTF-8 XML without a DTD."""
    body = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        plan.fail(0, "-", "an e-invoice must be UTF-8 XML")
        return None
    if b"\x00" in body or _FORBIDDEN.search(body):
        plan.fail(0, "-", "refused: the XML declares a DTD or entities")
        return None
    try:
        return ET.fromstring(body)
    except ET.ParseError as error:
        line, column = error.position
        plan.fail(line, str(column), f"not well-formed XML: {error}")
        return None


def _read_ubl(reader: _Reader, *, credit: bool) -> None:
    """A UBL 2.1 Invoice or CreditNote."""
    type_code = reader.text("cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode")
    number = reader.required("cbc:ID")
    issued = reader.day("cbc:IssueDate", parse_import_date, required=True)
    due = reader.day("cbc:DueDate", parse_import_date, required=False) or reader.day(
        "cac:PaymentMeans/cbc:PaymentDueDate", parse_import_date, required=False
    )
    currency = reader.required("cbc:DocumentCurrencyCode")
    seller = _ubl_party(reader, "cac:AccountingSupplierParty/cac:Party")
    buyer = _ubl_party(reader, "cac:AccountingCustomerParty/cac:Party")
    if buyer is None:
        reader.fail("AccountingCustomerParty", "no buyer name")
    totals = "cac:LegalMonetaryTotal/cbc:"
    total = reader.amount(totals + "TaxInclusiveAmount")
    if total is None:
        reader.fail("TaxInclusiveAmount", "missing")
    _add(
        reader,
        number=number,
        type_code=type_code or ("381" if credit else "380"),
        issued=issued,
        due=due,
        currency=currency,
        seller=seller.name if seller else "",
        buyer=buyer,
        total=total,
        prepaid=reader.amount(totals + "PrepaidAmount"),
        payable=reader.amount(totals + "PayableAmount"),
        refers_to=reader.text("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
    )


def _ubl_party(reader: _Reader, path: str) -> Party | None:
    """A UBL party's name, company number (legal registration, else VAT id), VAT id, country."""
    party = reader.root.find(path, NAMESPACES)
    if party is None:
        return None
    name = reader.text("cac:PartyLegalEntity/cbc:RegistrationName", where=party) or reader.text(
        "cac:PartyName/cbc:Name", where=party
    )
    vat = reader.text("cac:PartyTaxScheme/cbc:CompanyID", where=party)
    company = reader.text("cac:PartyLegalEntity/cbc:CompanyID", where=party) or vat
    country = reader.text("cac:PostalAddress/cac:Country/cbc:IdentificationCode", where=party)
    return Party.of(name, company, vat, country) if name else None


def _read_cii(reader: _Reader) -> None:
    """A UN/CEFACT Cross Industry Invoice (Factur-X, ZUGFeRD 2, EN 16931)."""
    document = "rsm:ExchangedDocument/"
    trade = "rsm:SupplyChainTradeTransaction/"
    agreement = trade + "ram:ApplicableHeaderTradeAgreement/"
    settlement = trade + "ram:ApplicableHeaderTradeSettlement/"
    totals = settlement + "ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    number = reader.required(document + "ram:ID")
    type_code = reader.text(document + "ram:TypeCode") or "380"
    issued = reader.day(
        document + "ram:IssueDateTime/udt:DateTimeString", parse_compact_date, required=True
    )
    due = reader.day(
        settlement + "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString",
        parse_compact_date,
        required=False,
    )
    currency = reader.required(settlement + "ram:InvoiceCurrencyCode")
    seller = _cii_party(reader, agreement + "ram:SellerTradeParty")
    buyer = _cii_party(reader, agreement + "ram:BuyerTradeParty")
    if buyer is None:
        reader.fail("BuyerTradeParty", "no buyer name")
    total = reader.amount(totals + "ram:GrandTotalAmount")
    if total is None:
        reader.fail("GrandTotalAmount", "missing")
    _add(
        reader,
        number=number,
        type_code=type_code,
        issued=issued,
        due=due,
        currency=currency,
        seller=seller.name if seller else "",
        buyer=buyer,
        total=total,
        prepaid=reader.amount(totals + "ram:TotalPrepaidAmount"),
        payable=reader.amount(totals + "ram:DuePayableAmount"),
        refers_to=reader.text(settlement + "ram:InvoiceReferencedDocument/ram:IssuerAssignedID"),
    )


def _cii_party(reader: _Reader, path: str) -> Party | None:
    """A CII party's name, company number (legal organisation, else VAT id), VAT id, country."""
    party = reader.root.find(path, NAMESPACES)
    if party is None:
        return None
    name = reader.text("ram:Name", where=party)
    vat = ""
    for registration in party.findall("ram:SpecifiedTaxRegistration", NAMESPACES):
        found = registration.find("ram:ID", NAMESPACES)
        if found is not None and found.get("schemeID", "VA") == "VA":
            vat = (found.text or "").strip()
            break
    company = reader.text("ram:SpecifiedLegalOrganization/ram:ID", where=party) or reader.text(
        "ram:SpecifiedTaxRegistration/ram:ID", where=party
    )
    country = reader.text("ram:PostalTradeAddress/ram:CountryID", where=party)
    return Party.of(name, company, vat, country) if name else None


def _add(
    reader: _Reader,
    *,
    number: str,
    type_code: str,
    issued: date | None,
    due: date | None,
    currency: str,
    seller: str,
    buyer: Party | None,
    total: int | None,
    prepaid: int | None,
    payable: int | None,
    refers_to: str,
) -> None:
    """Check what was read and add the invoice or credit note to the plan."""
    code = ""
    if currency:
        try:
            code = parse_currency(currency)
        except AmountError as error:
            reader.fail("currency", str(error))
    buyer_name = buyer.name if buyer else ""
    for label, value, limit in (("number", number, 60), ("buyer", buyer_name, 200)):
        if any(unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"} for char in value):
            reader.fail(label, "contains control characters")
        elif len(value) > limit:
            reader.fail(label, f"longer than {limit} characters")
    if reader.failed or issued is None or total is None or buyer is None:
        return
    # A credit note is either typed as one, or an invoice with a negative total.
    credit = type_code in CREDIT_NOTE_TYPES or total < 0
    amount = abs(total)
    if amount == 0:
        reader.fail("total", "the total is zero")
        return
    paid = 0
    if not credit:
        # What is left to pay tells what was paid; the prepaid amount is the fallback.
        if payable is not None:
            paid = amount - payable
        elif prepaid is not None:
            paid = prepaid
        if not 0 <= paid <= amount:
            reader.fail("DuePayableAmount", "the amount due is not between zero and the total")
            return
    if due is not None and due < issued:
        due = issued
    reader.plan.rows.append(
        PlannedInvoice(
            line=0,
            client_name=buyer.name,
            number=number,
            issued=issued,
            due=due or (issued if credit else default_due(issued)),
            total=amount,
            paid=paid,
            currency=code,
            company_id=buyer.company_id,
            vat_id=buyer.vat_id,
            country=buyer.country,
            credit_note=credit,
            credits_invoice=refers_to,
            seller=seller,
        )
    )


def _short(path: str) -> str:
    """The last element of a path, without its prefix, to name it in an error."""
    return path.rsplit("/", 1)[-1].split(":", 1)[-1]


def _local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]
