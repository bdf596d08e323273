"""The schema as numbered forward migrations; a new database runs them all from the first."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

# "RELA": marks a SQLite file as a relance book, so a stranger's database is never touched.
APPLICATION_ID = 0x52454C41

SCHEMA_V1 = """
CREATE TABLE client (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT 'b2b' CHECK (kind IN ('b2b', 'b2c')),
    language TEXT NOT NULL DEFAULT 'fr',
    jurisdiction TEXT NOT NULL DEFAULT 'fr-b2b',
    currency TEXT NOT NULL DEFAULT 'EUR',
    payment_terms_days INTEGER NOT NULL DEFAULT 30,
    payer_profile TEXT NOT NULL DEFAULT 'unknown',
    profile_override TEXT,
    snoozed_until DATE,
    disputed INTEGER NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE TABLE contact (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client (id),
    name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    is_billing INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contact_client_id ON contact (client_id);
CREATE TABLE invoice (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client (id),
    number TEXT NOT NULL UNIQUE,
    issued_on DATE NOT NULL,
    due_on DATE NOT NULL,
    amount INTEGER NOT NULL CHECK (amount > 0),
    amount_excl_tax INTEGER,
    currency TEXT NOT NULL DEFAULT 'EUR',
    paid INTEGER NOT NULL DEFAULT 0 CHECK (paid >= 0),
    source TEXT NOT NULL DEFAULT 'manual',
    created_at DATETIME NOT NULL,
    CHECK (due_on >= issued_on)
);
CREATE INDEX invoice_client_id ON invoice (client_id, due_on);
CREATE TABLE payment (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client (id),
    amount INTEGER NOT NULL CHECK (amount > 0),
    received_on DATE NOT NULL,
    method TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX payment_client_id ON payment (client_id);
CREATE TABLE payment_plan (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client (id),
    status TEXT NOT NULL DEFAULT 'proposed',
    total INTEGER NOT NULL CHECK (total > 0),
    frequency TEXT NOT NULL DEFAULT 'month',
    created_on DATE NOT NULL
);
CREATE INDEX payment_plan_client_id ON payment_plan (client_id);
CREATE TABLE instalment (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES payment_plan (id),
    seq INTEGER NOT NULL,
    due_on DATE NOT NULL,
    amount INTEGER NOT NULL CHECK (amount > 0),
    paid INTEGER NOT NULL DEFAULT 0,
    is_deposit INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX instalment_plan_id ON instalment (plan_id);
CREATE TABLE allocation (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL REFERENCES payment (id),
    invoice_id INTEGER REFERENCES invoice (id),
    instalment_id INTEGER REFERENCES instalment (id),
    amount INTEGER NOT NULL CHECK (amount > 0)
);
CREATE INDEX allocation_payment_id ON allocation (payment_id);
CREATE INDEX allocation_invoice_id ON allocation (invoice_id);
CREATE TABLE contact_event (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client (id),
    invoice_id INTEGER REFERENCES invoice (id),
    kind TEXT NOT NULL,
    direction TEXT NOT NULL DEFAULT 'out',
    channel TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    amount INTEGER,
    happened_at DATETIME NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    follow_up_action TEXT NOT NULL DEFAULT '',
    follow_up_on DATE
);
CREATE INDEX contact_event_client_id ON contact_event (client_id, happened_at);
CREATE TABLE promise (
    id INTEGER PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES client (id),
    event_id INTEGER NOT NULL REFERENCES contact_event (id),
    amount INTEGER NOT NULL CHECK (amount > 0),
    due_on DATE NOT NULL,
    made_on DATE NOT NULL,
    made_by TEXT NOT NULL DEFAULT '',
    words TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open'
);
CREATE INDEX promise_client_id ON promise (client_id);
-- The history is append-only: corrections are new events, never edits.
CREATE TRIGGER contact_event_no_update BEFORE UPDATE ON contact_event
BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
CREATE TRIGGER contact_event_no_delete BEFORE DELETE ON contact_event
BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
"""

# Version 2 adds the triage index: the list's sort keys, kept on the client row.
SCHEMA_V2 = """
ALTER TABLE client ADD COLUMN outstanding INTEGER NOT NULL DEFAULT 0;
ALTER TABLE client ADD COLUMN open_invoices INTEGER NOT NULL DEFAULT 0;
ALTER TABLE client ADD COLUMN oldest_due_on DATE;
ALTER TABLE client ADD COLUMN next_action TEXT NOT NULL DEFAULT '';
ALTER TABLE client ADD COLUMN next_action_on DATE;
CREATE INDEX client_by_overdue
    ON client (oldest_due_on IS NULL, oldest_due_on, outstanding DESC, id);
CREATE INDEX client_by_outstanding ON client (outstanding DESC, id);
CREATE INDEX client_by_name ON client (name COLLATE NOCASE, id);
CREATE INDEX client_by_next_action ON client (next_action_on IS NULL, next_action_on, id);
"""

# Version 3 makes room for the dunning policy and the late-payment law: where a client stands
# on its ladder and why, a contract rate, rates the user adds, and book-wide settings.
SCHEMA_V3 = """
ALTER TABLE client ADD COLUMN ladder_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE client ADD COLUMN next_action_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE client ADD COLUMN contract_rate TEXT;
CREATE TABLE rate (
    id INTEGER PRIMARY KEY,
    series TEXT NOT NULL,
    valid_from DATE NOT NULL,
    valid_to DATE NOT NULL,
    rate TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    CHECK (valid_to >= valid_from)
);
CREATE INDEX rate_series ON rate (series, valid_from);
CREATE TABLE book_setting (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    value TEXT NOT NULL
);
"""

# Version 4: the region within a jurisdiction (a US state), which decides the court route.
SCHEMA_V4 = """
ALTER TABLE client ADD COLUMN region TEXT NOT NULL DEFAULT '';
"""

# Version 5: a client's company number (SIREN, SIRET, VAT id…), how imported e-invoices match it.
SCHEMA_V5 = """
ALTER TABLE client ADD COLUMN company_id TEXT NOT NULL DEFAULT '';
CREATE INDEX client_company_id ON client (company_id) WHERE company_id != '';
"""

# Version 6: a payment can be reversed (a bounced transfer); the row stays, marked, for the record.
SCHEMA_V6 = """
ALTER TABLE payment ADD COLUMN reversed_at DATETIME;
ALTER TABLE payment ADD COLUMN reversal_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX promise_open_due ON promise (status, due_on);
CREATE INDEX instalment_unpaid_due ON instalment (plan_id, due_on) WHERE paid < amount;
"""

# Version 7: the client's name case-folded, which the list's filter searches natively instead
# of calling Python's casefold on every row (its index is what a count scans). The app fills it
# where it refreshes the triage columns (store/triage_index.py); NULL means "not folded yet" (a row
# another program wrote), and the filter then folds that row itself, so the column only speeds
# the filter up. No trigger folds, since only the app's connections know casefold and another
# program's writes must not fail; a rename by another program empties the fold instead.
SCHEMA_V7 = """
ALTER TABLE client ADD COLUMN folded_name TEXT;
CREATE INDEX client_folded_name ON client (folded_name);
CREATE TRIGGER client_name_unfold AFTER UPDATE OF name ON client
WHEN NEW.name IS NOT OLD.name AND NEW.folded_name IS OLD.folded_name
BEGIN UPDATE client SET folded_name = NULL WHERE id = NEW.id; END;
"""

# Version 8: the header's totals without reading every invoice and client. The open invoices'
# sums by due date come from a partial index of the open ones only, which covers the query.
# (The overdue clients are counted from client_by_overdue, with a query that names its first
# key.) The amount invoiced over the last 90 days, for the DSO, still reads the invoices: an
# index by issue date, or a table of sums kept by triggers, slowed a big import by a fifth or
# a third, and this read runs in the background after the list has painted.
SCHEMA_V8 = """
CREATE INDEX invoice_open ON invoice (currency, due_on, amount, paid) WHERE amount > paid;
"""

# Contacts' own language, and the marks "this number is wrong" and "this address bounced":
# NULL is unmarked; a mark holds its reason (the server's reply to a refused address, or what the
# user said), never empty.
SCHEMA_CONTACT_MARKS = """
ALTER TABLE contact ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE contact ADD COLUMN phone_wrong TEXT;
ALTER TABLE contact ADD COLUMN email_bounced TEXT;
"""

# A client's identity beyond its company number: its VAT id and its country (ISO 3166 alpha-2),
# so that imports match a client by number, then by name only within one country.
SCHEMA_CLIENT_IDENTITY = """
ALTER TABLE client ADD COLUMN vat_id TEXT NOT NULL DEFAULT '';
ALTER TABLE client ADD COLUMN country TEXT NOT NULL DEFAULT '';
CREATE INDEX client_vat_id ON client (vat_id) WHERE vat_id != '';
"""

# The bank lines imported from statements, each once (by fingerprint), with what became of it,
# the clients a line waiting for review could be from, and the debtor accounts remembered once
# a match was confirmed. Tables only: the clients' triage columns are unchanged.
SCHEMA_BANK_LINES = """
CREATE TABLE bank_line (
    id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL UNIQUE,
    statement TEXT NOT NULL DEFAULT '',
    file_format TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL DEFAULT '',
    account TEXT NOT NULL,
    booked_on DATE NOT NULL,
    value_on DATE,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    bank_reference TEXT NOT NULL DEFAULT '',
    end_to_end_id TEXT NOT NULL DEFAULT '',
    creditor_reference TEXT NOT NULL DEFAULT '',
    debtor_name TEXT NOT NULL DEFAULT '',
    debtor_iban TEXT NOT NULL DEFAULT '',
    remittance TEXT NOT NULL DEFAULT '',
    reversal INTEGER NOT NULL DEFAULT 0,
    repeat INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('imported', 'to_review', 'set_aside', 'debit')),
    client_id INTEGER REFERENCES client (id),
    payment_id INTEGER REFERENCES payment (id),
    returns_line_id INTEGER REFERENCES bank_line (id),
    proposals TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '',
    imported_at DATETIME NOT NULL
);
CREATE INDEX bank_line_status ON bank_line (status);
CREATE INDEX bank_line_payment ON bank_line (payment_id) WHERE payment_id IS NOT NULL;
CREATE TABLE bank_line_candidate (
    id INTEGER PRIMARY KEY,
    bank_line_id INTEGER NOT NULL REFERENCES bank_line (id),
    client_id INTEGER NOT NULL REFERENCES client (id),
    UNIQUE (bank_line_id, client_id)
);
CREATE INDEX bank_line_candidate_client ON bank_line_candidate (client_id);
CREATE TABLE debtor_account (
    id INTEGER PRIMARY KEY,
    iban TEXT NOT NULL UNIQUE,
    client_id INTEGER NOT NULL REFERENCES client (id),
    remembered_at DATETIME NOT NULL
);
"""

# The week ahead (store/agenda.py) reads the whole book by day: next actions, unpaid
# instalments, and the letters and mediation proposals whose reply deadline runs out.
SCHEMA_MEDIATION = """
CREATE INDEX client_next_action_day ON client (next_action_on) WHERE next_action_on IS NOT NULL;
CREATE INDEX instalment_unpaid_by_day ON instalment (due_on) WHERE paid < amount;
CREATE INDEX contact_event_by_kind ON contact_event (kind, happened_at);
"""

# A client's payment terms beside the delay (end of month, methods, the fixed fee agreed, a note),
# and invoices asked as a deposit; the prevention flags themselves are history events.
SCHEMA_CLIENT_TERMS = """
ALTER TABLE client ADD COLUMN terms_end_of_month INTEGER NOT NULL DEFAULT 0;
ALTER TABLE client ADD COLUMN payment_methods TEXT NOT NULL DEFAULT '';
ALTER TABLE client ADD COLUMN agreed_fixed_fee INTEGER CHECK (agreed_fixed_fee > 0);
ALTER TABLE client ADD COLUMN terms_note TEXT NOT NULL DEFAULT '';
ALTER TABLE invoice ADD COLUMN is_deposit INTEGER NOT NULL DEFAULT 0;
"""

Migration = Callable[[sqlite3.Connection], None]


def _script(sql: str) -> Migration:
    """A migration that runs a SQL script statement by statement, inside the caller's txn."""

    def run(connection: sqlite3.Connection) -> None:
        for statement in _statements(sql):
            connection.execute(statement)

    return run


def _statements(sql: str) -> list[str]:
    """Split a script on semicolons, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    return [s for s in statements if s]


_CONTACT_MARKS = _script(SCHEMA_CONTACT_MARKS)
_CLIENT_IDENTITY = _script(SCHEMA_CLIENT_IDENTITY)
_BANK_LINES = _script(SCHEMA_BANK_LINES)
_MEDIATION = _script(SCHEMA_MEDIATION)
_CLIENT_TERMS = _script(SCHEMA_CLIENT_TERMS)

# Index i holds the migration that brings the schema from version i to version i + 1.
MIGRATIONS: list[Migration] = [
    _script(SCHEMA_V1),
    _script(SCHEMA_V2),
    _script(SCHEMA_V3),
    _script(SCHEMA_V4),
    _script(SCHEMA_V5),
    _script(SCHEMA_V6),
    _script(SCHEMA_V7),
    _script(SCHEMA_V8),
    _CONTACT_MARKS,
    _CLIENT_IDENTITY,
    _BANK_LINES,
    _MEDIATION,
    _CLIENT_TERMS,
]
LATEST_VERSION = len(MIGRATIONS)
# Versions whose migration adds indexes only, unrelated tables (bank lines), or columns that start
# empty and that the triage columns do not read (contact marks, a client's VAT id and country,
# its payment terms):
# an upgrade through these alone leaves every client's triage columns as they were, and need not
# recompute them (minutes on a big book). The later ones are found by their place.
KEEPS_SUMMARIES = frozenset(
    {8}
    | {
        MIGRATIONS.index(step) + 1
        for step in (_CONTACT_MARKS, _CLIENT_IDENTITY, _BANK_LINES, _MEDIATION, _CLIENT_TERMS)
    }
)


def recomputes_summaries(from_version: int) -> bool:
    """True when upgrading from this version changes what the triage columns hold."""
    return any(step + 1 not in KEEPS_SUMMARIES for step in range(from_version, LATEST_VERSION))
