"""Peewee models for the book; the schema itself is written by ``migrations``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

if TYPE_CHECKING:
    from peewee import ModelSelect

database = DatabaseProxy()


class BaseModel(Model):
    """Every table lives in the one database the proxy points at."""

    # Peewee adds this key itself; declaring it lets the type checker see ``.id``.
    id = AutoField()

    class Meta:
        database = database
        legacy_table_names = False


class Client(BaseModel):
    """Someone who owes, or may owe, the user money.

    The last five columns are the triage index: kept exact in the transaction of every
    change so that the list sorts and pages from an index instead of aggregating invoices.
    """

    name = CharField(unique=True)
    kind = CharField(default="b2b")
    language = CharField(default="fr")
    jurisdiction = CharField(default="fr-b2b")
    currency = CharField(default="EUR")
    payment_terms_days = IntegerField(default=30)
    payer_profile = CharField(default="unknown")
    profile_override = CharField(null=True)
    snoozed_until = DateField(null=True)
    disputed = BooleanField(default=False)
    notes = TextField(default="")
    created_at = DateTimeField()
    outstanding = IntegerField(default=0)
    open_invoices = IntegerField(default=0)
    oldest_due_on = DateField(null=True)
    next_action = CharField(default="")
    next_action_on = DateField(null=True)
    ladder_step = IntegerField(default=0)
    next_action_reason = TextField(default="")
    # A percentage as a decimal string ("12.5"): rates are exact, never floats.
    contract_rate = CharField(null=True)
    # A US state such as "CA": small-claims ceilings differ from one state to the next.
    region = CharField(default="")
    # A company number (SIREN, SIRET, VAT id…) that imported e-invoices match the client by.
    company_id = CharField(default="")
    # The VAT id as written without spaces ("NO987654321MVA"), a second number to match by.
    vat_id = CharField(default="")
    # The ISO country code of the client's address ("NO"), "" when unknown.
    country = CharField(default="")
    # The name case-folded, the filter's search key: filled with the triage columns, NULL until
    # then (a row another program wrote); not data, so never exported (store/export.py).
    folded_name = CharField(null=True)
    # Payment terms beside the delay: "end of month", the methods accepted ("transfer,card"),
    # the fixed recovery fee agreed in minor units (None: the law's), and a free note.
    terms_end_of_month = BooleanField(default=False)
    payment_methods = CharField(default="")
    agreed_fixed_fee = IntegerField(null=True)
    terms_note = TextField(default="")

    # Backrefs that Peewee adds at run time, declared for the type checker only.
    contacts: ModelSelect[Contact]
    invoices: ModelSelect[Invoice]
    payments: ModelSelect[Payment]
    plans: ModelSelect[PaymentPlan]
    events: ModelSelect[ContactEvent]
    promises: ModelSelect[Promise]


class Contact(BaseModel):
    """A person or address at a client: who to write to, who to call."""

    client = ForeignKeyField(Client, backref="contacts")
    client_id: int
    name = CharField(default="")
    role = CharField(default="")
    email = CharField(default="")
    phone = CharField(default="")
    address = TextField(default="")
    is_billing = BooleanField(default=False)
    # Empty: the client's language.
    language = CharField(default="")
    # NULL when unmarked; else why the number is wrong or the address bounced (may be empty).
    phone_wrong = TextField(null=True)
    email_bounced = TextField(null=True)


class Invoice(BaseModel):
    """An invoice issued to a client; ``paid`` is the sum of its allocations."""

    client = ForeignKeyField(Client, backref="invoices")
    # Peewee adds the raw key as ``client_id``; declared so the type checker knows it too.
    client_id: int
    number = CharField(unique=True)
    issued_on = DateField()
    due_on = DateField()
    amount = IntegerField()
    amount_excl_tax = IntegerField(null=True)
    currency = CharField(default="EUR")
    paid = IntegerField(default=0)
    source = CharField(default="manual")
    created_at = DateTimeField()
    # Issued for a deposit asked before the work: tracked and reminded like any other.
    is_deposit = BooleanField(default=False)


class Payment(BaseModel):
    """Money received from a client."""

    client = ForeignKeyField(Client, backref="payments")
    client_id: int
    amount = IntegerField()
    received_on = DateField()
    method = CharField(default="")
    reference = CharField(default="")
    created_at = DateTimeField()
    # Set when the payment is reversed (a bounced transfer): its allocations are then undone.
    reversed_at = DateTimeField(null=True)
    reversal_reason = TextField(default="")

    allocations: ModelSelect[Allocation]


class PaymentPlan(BaseModel):
    """A schedule of instalments offered to, or agreed with, a client."""

    client = ForeignKeyField(Client, backref="plans")
    client_id: int
    status = CharField(default="proposed")
    total = IntegerField()
    frequency = CharField(default="month")
    created_on = DateField()

    instalments: ModelSelect[Instalment]


class Instalment(BaseModel):
    """One dated share of a payment plan."""

    plan = ForeignKeyField(PaymentPlan, backref="instalments")
    plan_id: int
    seq = IntegerField()
    due_on = DateField()
    amount = IntegerField()
    paid = IntegerField(default=0)
    is_deposit = BooleanField(default=False)

    allocations: ModelSelect[Allocation]


class Allocation(BaseModel):
    """The share of a payment applied to an invoice (and, with a plan, to an instalment)."""

    payment = ForeignKeyField(Payment, backref="allocations")
    invoice = ForeignKeyField(Invoice, backref="allocations", null=True)
    invoice_id: int | None
    instalment = ForeignKeyField(Instalment, backref="allocations", null=True)
    instalment_id: int | None
    amount = IntegerField()


class ContactEvent(BaseModel):
    """One line of the append-only history: a call, a reminder, a payment, a note…"""

    client = ForeignKeyField(Client, backref="events")
    invoice = ForeignKeyField(Invoice, null=True)
    kind = CharField()
    direction = CharField(default="out")
    channel = CharField(default="")
    outcome = CharField(default="")
    summary = TextField()
    body = TextField(default="")
    amount = IntegerField(null=True)
    happened_at = DateTimeField()
    author = CharField(default="")
    follow_up_action = CharField(default="")
    follow_up_on = DateField(null=True)


class Promise(BaseModel):
    """A client's promise to pay an amount by a date."""

    client = ForeignKeyField(Client, backref="promises")
    client_id: int
    event = ForeignKeyField(ContactEvent)
    amount = IntegerField()
    due_on = DateField()
    made_on = DateField()
    made_by = CharField(default="")
    words = TextField(default="")
    status = CharField(default="open")


class Rate(BaseModel):
    """A reference rate the user added for a period the shipped table lacks."""

    series = CharField()
    valid_from = DateField()
    valid_to = DateField()
    rate = CharField()
    note = TextField(default="")
    created_at = DateTimeField()


class BookSetting(BaseModel):
    """A book-wide setting, such as the fingerprint of the policy the index was built with."""

    key = CharField(unique=True)
    value = TextField()


class StatementLine(BaseModel):
    """One line of an imported bank statement and what became of it."""

    fingerprint = CharField(unique=True)
    statement = CharField(default="")
    file_format = CharField(default="")
    position = CharField(default="")
    account = CharField()
    booked_on = DateField()
    value_on = DateField(null=True)
    amount = IntegerField()
    currency = CharField()
    bank_reference = CharField(default="")
    end_to_end_id = CharField(default="")
    creditor_reference = CharField(default="")
    debtor_name = CharField(default="")
    debtor_iban = CharField(default="")
    remittance = TextField(default="")
    reversal = BooleanField(default=False)
    repeat = IntegerField(default=0)
    status = CharField()
    client = ForeignKeyField(Client, null=True)
    client_id: int | None
    payment = ForeignKeyField(Payment, null=True)
    payment_id: int | None
    returns_line = ForeignKeyField("self", null=True)
    returns_line_id: int | None
    # The ranked proposals as JSON: client, score, reasons, invoices, write-off.
    proposals = TextField(default="[]")
    notes = TextField(default="")
    imported_at = DateTimeField()

    class Meta:
        table_name = "bank_line"


class BankLineCandidate(BaseModel):
    """A client a bank line waiting for review could come from."""

    bank_line = ForeignKeyField(StatementLine)
    bank_line_id: int
    client = ForeignKeyField(Client)
    client_id: int


class DebtorAccount(BaseModel):
    """An account a client paid from, remembered once a match was confirmed."""

    iban = CharField(unique=True)
    client = ForeignKeyField(Client)
    client_id: int
    remembered_at = DateTimeField()


ALL_MODELS = (
    Client,
    Contact,
    Invoice,
    Payment,
    PaymentPlan,
    Instalment,
    Allocation,
    ContactEvent,
    Promise,
    Rate,
    BookSetting,
    StatementLine,
    BankLineCandidate,
    DebtorAccount,
)
