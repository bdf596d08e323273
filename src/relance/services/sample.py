"""The sample book: ``sample_data/book.toml`` replayed through the real services, day by day."""

from __future__ import annotations

import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from relance.config import Config, Creditor, load_config
from relance.domain.email_address import is_email_address
from relance.domain.money import AmountError, parse_amount, parse_currency
from relance.services import calls, clients, invoices, payments, plans, reminders
from relance.services.validation import InvalidInput
from relance.store.clients import (
    OtherContact,
    book_has_clients,
    insert_other_contacts,
    set_billing_role,
    set_notes_and_terms,
)
from relance.store.database import transaction
from relance.store.errors import StoreError

BOOK_FILE = "book.toml"
CONFIG_FILE = "config.toml"
# The whole book is told between half past eight and seven in the evening.
FIRST_MINUTE = 8 * 60 + 30
LAST_MINUTE = 19 * 60
MINUTES_BETWEEN_ACTIONS = 11
LATEST_TIME = 23 * 60 + 59
MAX_TERMS_DAYS = 365

CLIENT_KEYS = {
    "name", "kind", "language", "currency", "since", "terms", "notes",
    "contacts", "invoices", "events",
}  # fmt: skip
CONTACT_KEYS = {"name", "role", "email", "phone", "address", "billing"}
INVOICE_KEYS = {"ref", "issued", "due", "amount"}

# Field kinds of an event: text, a one-line text, an amount, a day offset, a count, a flag.
TEXT, LINE, AMOUNT, DAY, COUNT, FLAG = "text", "line", "amount", "day", "count", "flag"
EVENT_FIELDS: dict[str, dict[str, str]] = {
    "payment": {"amount": AMOUNT, "invoice": LINE, "method": LINE, "reference": LINE},
    "call": {"outcome": LINE, "note": TEXT, "who": LINE, "amount": AMOUNT, "on": DAY},
    "reminder": {},
    "note": {"text": TEXT},
    "plan": {"instalments": COUNT, "every": LINE, "first": DAY, "deposit": LINE},
    "dispute": {"on": FLAG, "note": TEXT},
    "snooze": {"until": DAY},
}
REQUIRED_FIELDS = {
    "payment": {"amount"},
    "call": {"outcome"},
    "note": {"text"},
    "plan": {"instalments"},
    "dispute": {"on"},
    "snooze": {"until"},
}


class SampleDataError(ValueError):
    """The sample book cannot be loaded; the message names the client and the entry."""


class BookNotEmpty(StoreError):
    """The sample only goes into a book that has no client yet."""


@dataclass(frozen=True)
class SampleContact:
    """A person at a client."""

    name: str
    role: str
    email: str
    phone: str
    address: str
    billing: bool


@dataclass(frozen=True)
class SampleInvoice:
    """An invoice, with days relative to the loading day."""

    ref: str
    issued: int
    due: int
    amount: str


@dataclass(frozen=True)
class SampleEvent:
    """One history entry: its kind (``do``), its day and its checked fields."""

    position: int
    day: int
    do: str
    values: dict[str, Any]

    def text(self, name: str) -> str:
        """A text field, empty when absent."""
        return str(self.values.get(name, ""))

    def describe(self) -> str:
        """How an error message names this entry."""
        return f"event {self.position} ({self.do} on day {self.day})"


@dataclass(frozen=True)
class SampleClient:
    """A client of the sample book with everything that happens to it."""

    position: int
    name: str
    kind: str
    language: str
    currency: str
    since: int
    terms: int | None
    notes: str
    contacts: list[SampleContact] = field(default_factory=list)
    invoices: list[SampleInvoice] = field(default_factory=list)
    events: list[SampleEvent] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Reading the packaged files.
# ---------------------------------------------------------------------------------------------


@contextmanager
def sample_file(name: str) -> Iterator[Path]:
    """A real path to one of the packaged sample files, editable install or wheel alike."""
    resource = resources.files("relance") / "sample_data" / name
    with resources.as_file(resource) as path:
        yield path


def sample_book_text() -> str:
    """The text of the packaged ``book.toml``."""
    with sample_file(BOOK_FILE) as path:
        return path.read_text(encoding="utf-8")


def sample_creditor() -> Creditor:
    """The fictional freelancer of the sample, from the packaged example ``config.toml``."""
    return sample_config(Path(CONFIG_FILE)).creditor


def sample_config(path: Path) -> Config:
    """The packaged example ``config.toml`` as a config saved at ``path`` (never the package)."""
    with sample_file(CONFIG_FILE) as packaged:
        return replace(load_config(packaged), path=path)


# ---------------------------------------------------------------------------------------------
# Checking the book.
# ---------------------------------------------------------------------------------------------


class _Where:
    """Builds error messages that say which client and which entry is wrong."""

    def __init__(self, client: str, entry: str = "") -> None:
        self.client = client
        self.entry = entry

    def at(self, entry: str) -> _Where:
        """The same client, a given entry."""
        return _Where(self.client, entry)

    def error(self, problem: str) -> SampleDataError:
        """The error to raise."""
        place = f"{BOOK_FILE}: {self.client}"
        if self.entry:
            place += f", {self.entry}"
        return SampleDataError(f"{place}: {problem}")


def parse_book(text: str) -> list[SampleClient]:
    """Read and check the whole sample book, raising ``SampleDataError`` at the first fault."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SampleDataError(f"{BOOK_FILE} is not valid TOML: {error}") from None
    extra = set(raw) - {"client"}
    if extra:
        raise SampleDataError(f"{BOOK_FILE}: unknown top-level keys: {', '.join(sorted(extra))}")
    tables = raw.get("client")
    if not isinstance(tables, list) or not tables:
        raise SampleDataError(f"{BOOK_FILE}: no [[client]] tables")
    parsed: list[SampleClient] = []
    seen: set[str] = set()
    for position, table in enumerate(tables, start=1):
        client = _client(position, table)
        if client.name.lower() in seen:
            raise _Where(f"client {client.name!r}").error("a client of that name comes earlier")
        seen.add(client.name.lower())
        parsed.append(client)
    return parsed


def _client(position: int, table: Any) -> SampleClient:
    """Check one ``[[client]]`` table."""
    where = _Where(f"client {position}")
    if not isinstance(table, dict):
        raise where.error("is not a table")
    name = table.get("name")
    if isinstance(name, str) and name.strip():
        where = _Where(f"client {name.strip()!r}")
    _known_keys(table, CLIENT_KEYS, where)
    clean_name = _string(table, "name", where, required=True, one_line=True)
    kind = _string(table, "kind", where, required=True)
    if kind not in clients.KINDS:
        raise where.error(f"kind must be one of {', '.join(clients.KINDS)}, not {kind!r}")
    language = _string(table, "language", where, required=True)
    if language not in clients.LANGUAGES:
        raise where.error(f"language must be one of {', '.join(clients.LANGUAGES)}")
    currency = _string(table, "currency", where) or "EUR"
    try:
        currency = parse_currency(currency)
    except AmountError as error:
        raise where.error(str(error)) from None
    since = _day(table, "since", where, required=True)
    assert since is not None
    if since > 0:
        raise where.error("since must not be in the future (a day offset <= 0)")
    terms = _integer(table, "terms", where)
    if terms is not None and not 0 <= terms <= MAX_TERMS_DAYS:
        raise where.error(f"terms must be 0 to {MAX_TERMS_DAYS} days")
    client = SampleClient(
        position=position,
        name=clean_name,
        kind=kind,
        language=language,
        currency=currency,
        since=since,
        terms=terms,
        notes=_string(table, "notes", where),
        contacts=_contacts(table.get("contacts", []), where),
    )
    client.invoices.extend(_invoices(table.get("invoices", []), since, where))
    client.events.extend(_events(table.get("events", []), since, client.invoices, where))
    return client


def _contacts(items: Any, where: _Where) -> list[SampleContact]:
    """Check the contacts of a client: at most one billing contact, e-mails that look right."""
    found: list[SampleContact] = []
    for index, item in enumerate(_tables(items, "contacts", where), start=1):
        here = where.at(f"contact {index}")
        _known_keys(item, CONTACT_KEYS, here)
        email = _string(item, "email", here, one_line=True)
        if email and not is_email_address(email):
            raise here.error(f"not an e-mail address: {email!r}")
        billing = item.get("billing", False)
        if not isinstance(billing, bool):
            raise here.error("billing must be true or false")
        found.append(
            SampleContact(
                name=_string(item, "name", here, required=True, one_line=True),
                role=_string(item, "role", here, one_line=True),
                email=email,
                phone=_string(item, "phone", here, one_line=True),
                address=_string(item, "address", here),
                billing=billing,
            )
        )
    if sum(contact.billing for contact in found) > 1:
        raise where.error("more than one billing contact")
    return found


def _invoices(items: Any, since: int, where: _Where) -> list[SampleInvoice]:
    """Check the invoices of a client: unique refs, sensible days, valid amounts."""
    found: list[SampleInvoice] = []
    refs: set[str] = set()
    for index, item in enumerate(_tables(items, "invoices", where), start=1):
        ref = item.get("ref")
        here = where.at(f"invoice {ref!r}" if isinstance(ref, str) else f"invoice {index}")
        _known_keys(item, INVOICE_KEYS, here)
        clean_ref = _string(item, "ref", here, required=True, one_line=True)
        if clean_ref in refs:
            raise here.error("an invoice with that ref comes earlier")
        refs.add(clean_ref)
        issued = _day(item, "issued", here, required=True)
        due = _day(item, "due", here, required=True)
        assert issued is not None and due is not None
        if issued > 0:
            raise here.error("issued must not be in the future (a day offset <= 0)")
        if issued < since:
            raise here.error(f"issued on day {issued}, before the client was added (day {since})")
        if due < issued:
            raise here.error("due before it was issued")
        found.append(SampleInvoice(clean_ref, issued, due, _amount(item, "amount", here)))
    return found


def _events(items: Any, since: int, known: list[SampleInvoice], where: _Where) -> list[SampleEvent]:
    """Check the events of a client, each against the fields its kind takes."""
    issued_on = {invoice.ref: invoice.issued for invoice in known}
    found: list[SampleEvent] = []
    for index, item in enumerate(_tables(items, "events", where), start=1):
        do = item.get("do")
        here = where.at(f"event {index}")
        if do not in EVENT_FIELDS:
            raise here.error(f"do must be one of {', '.join(EVENT_FIELDS)}, not {do!r}")
        day = _day(item, "day", here, required=True)
        assert day is not None
        here = where.at(f"event {index} ({do} on day {day})")
        schema = EVENT_FIELDS[do]
        _known_keys(item, {"day", "do", *schema}, here)
        values: dict[str, Any] = {}
        for name, kind in schema.items():
            required = name in REQUIRED_FIELDS.get(do, set())
            value = _field(item, name, kind, here, required)
            if value is not None and value != "":
                values[name] = value
        event = SampleEvent(index, day, do, values)
        _check_event(event, since, issued_on, here)
        found.append(event)
    return found


def _check_event(event: SampleEvent, since: int, issued_on: dict[str, int], here: _Where) -> None:
    """The rules an event's days and references must follow to replay cleanly."""
    if event.day > 0:
        raise here.error("day must not be in the future (a day offset <= 0)")
    if event.day < since:
        raise here.error(f"before the client was added (day {since})")
    values = event.values
    if event.do == "payment" and "invoice" in values:
        ref = values["invoice"]
        if ref not in issued_on:
            raise here.error(f"no invoice with ref {ref!r}")
        if issued_on[ref] > event.day:
            raise here.error(f"invoice {ref!r} is issued later, on day {issued_on[ref]}")
    if event.do == "call":
        if values["outcome"] not in calls.OUTCOMES:
            raise here.error(f"outcome must be one of {', '.join(calls.OUTCOMES)}")
        promised = values["outcome"] == "promised"
        has_terms = "amount" in values or "on" in values
        if promised and not ("amount" in values and "on" in values):
            raise here.error("a promise needs amount and on")
        if not promised and has_terms:
            raise here.error("amount and on only go with outcome = 'promised'")
        if promised and values["on"] < event.day:
            raise here.error("the promised day is before the call")
    if event.do == "plan":
        if values.get("every", "month") not in plans.FREQUENCIES:
            raise here.error(f"every must be one of {', '.join(plans.FREQUENCIES)}")
        if values.get("first", event.day) < event.day:
            raise here.error("the first instalment is before the plan")
    if event.do == "snooze" and values["until"] < event.day:
        raise here.error("until is before the snooze")


def _tables(items: Any, name: str, where: _Where) -> list[dict[str, Any]]:
    """A list of tables, or a clear refusal."""
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise where.error(f"{name} must be a list of tables")
    return items


def _known_keys(table: dict[str, Any], allowed: set[str], where: _Where) -> None:
    """Refuse keys the loader would otherwise silently ignore (usually typos)."""
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise where.error(f"unknown keys: {', '.join(unknown)}")


def _field(item: dict[str, Any], name: str, kind: str, where: _Where, required: bool) -> Any:
    """One event field, checked according to its kind."""
    if kind == AMOUNT:
        return _amount(item, name, where) if required or name in item else None
    if kind == DAY:
        return _day(item, name, where, required=required)
    if kind == COUNT:
        return _integer(item, name, where, required=required)
    if kind == FLAG:
        if name not in item and not required:
            return None
        value = item.get(name)
        if not isinstance(value, bool):
            raise where.error(f"{name} must be true or false")
        return value
    return _string(item, name, where, required=required, one_line=kind == LINE)


def _string(
    table: dict[str, Any],
    name: str,
    where: _Where,
    *,
    required: bool = False,
    one_line: bool = False,
) -> str:
    """A string value: present if required, printable, one line if asked."""
    value = table.get(name, "")
    if not isinstance(value, str):
        raise where.error(f"{name} must be a string")
    value = value.strip()
    if required and not value:
        raise where.error(f"{name} is required")
    printable = value.replace("\n", "") if not one_line else value
    if not printable.isprintable():
        raise where.error(f"{name} contains control characters")
    return value


def _integer(
    table: dict[str, Any], name: str, where: _Where, *, required: bool = False
) -> int | None:
    """An integer value (TOML booleans are not numbers here)."""
    if name not in table:
        if required:
            raise where.error(f"{name} is required")
        return None
    value = table[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error(f"{name} must be a whole number")
    return value


def _day(table: dict[str, Any], name: str, where: _Where, *, required: bool = False) -> int | None:
    """A day offset from the loading day."""
    value = table.get(name)
    if name in table and (isinstance(value, bool) or not isinstance(value, int)):
        raise where.error(f"{name} must be a day offset (a whole number, e.g. -30)")
    return _integer(table, name, where, required=required)


def _amount(table: dict[str, Any], name: str, where: _Where) -> str:
    """An amount written as a decimal string such as ``"1234.50"``."""
    value = table.get(name)
    if not isinstance(value, str):
        raise where.error(f'{name} must be a decimal string such as "1234.50"')
    try:
        parse_amount(value)
    except AmountError as error:
        raise where.error(f"{name}: {error}") from None
    return value.strip()


# ---------------------------------------------------------------------------------------------
# Replaying the book.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    """One service call of the replay, in the order it must happen."""

    day: int
    phase: int
    client: int
    entry: int
    label: str
    run: Callable[[datetime], None]

    def order(self) -> tuple[int, int, int, int]:
        """Day first; within a day, clients before invoices before events, then book order."""
        return (self.day, self.phase, self.client, self.entry)


def number_invoices(book: list[SampleClient], today: date) -> dict[tuple[int, str], str]:
    """Invoice numbers as a freelancer keeps them: F<year>-<seq>, in order of issue."""
    ordered = sorted(
        (invoice.issued, client.position, index, invoice.ref)
        for client in book
        for index, invoice in enumerate(client.invoices)
    )
    numbers: dict[tuple[int, str], str] = {}
    if not ordered:
        return numbers
    # The book opens mid-year: carry on the year's sequence at the book's own invoicing pace.
    first = today + timedelta(days=ordered[0][0])
    span_days = max(1, ordered[-1][0] - ordered[0][0])
    already = (first.timetuple().tm_yday - 1) * len(ordered) // span_days
    per_year: dict[int, int] = {first.year: already}
    for issued, position, _index, ref in ordered:
        year = (today + timedelta(days=issued)).year
        per_year[year] = per_year.get(year, 0) + 1
        numbers[(position, ref)] = f"F{year}-{per_year[year]:03d}"
    return numbers


def action_times(steps: list[_Step]) -> list[time]:
    """Deterministic, increasing times for the ordered steps: 08:30-ish onwards, every 11 min."""
    per_day: dict[int, int] = {}
    for step in steps:
        per_day[step.day] = per_day.get(step.day, 0) + 1
    # Each day starts at its own minute so the history does not look stamped by a machine.
    seen: dict[int, int] = {}
    moments: list[time] = []
    for step in steps:
        start = FIRST_MINUTE + (abs(step.day) * 37) % 90
        gap = max(1, min(MINUTES_BETWEEN_ACTIONS, (LAST_MINUTE - start) // per_day[step.day]))
        index = seen.get(step.day, 0)
        seen[step.day] = index + 1
        minute = min(start + index * gap, LATEST_TIME)
        moments.append(time(minute // 60, minute % 60))
    return moments


def load_sample(today: date, *, book_text: str | None = None) -> int:
    """Fill the open, empty book with the sample as of ``today``; returns the number of clients.

    Everything happens in one transaction: a refused entry leaves the book as it was.
    """
    book = parse_book(sample_book_text() if book_text is None else book_text)
    creditor = sample_creditor()
    numbers = number_invoices(book, today)
    with tempfile.TemporaryDirectory(prefix="relance-sample-") as folder, transaction():
        if book_has_clients():
            raise BookNotEmpty(
                "the book already has clients; load the sample into a new, empty database"
            )
        replay = _Replay(today, Path(folder), creditor, numbers)
        steps = sorted((step for client in book for step in replay.steps(client)), key=_Step.order)
        for step, moment in zip(steps, action_times(steps), strict=True):
            at = datetime.combine(today + timedelta(days=step.day), moment)
            try:
                step.run(at)
            except InvalidInput as error:
                raise SampleDataError(f"{BOOK_FILE}: {step.label}: refused: {error}") from None
    return len(book)


class _Replay:
    """Turns the checked book into service calls, remembering the ids they create."""

    def __init__(
        self, today: date, outbox: Path, creditor: Creditor, numbers: dict[tuple[int, str], str]
    ) -> None:
        self.today = today
        self.outbox = outbox
        self.creditor = creditor
        # No [smtp]: the replayed reminders stay in the throwaway outbox, never near a server.
        self.config = Config(path=outbox / "config.toml", creditor=creditor)
        self.numbers = numbers
        self.client_ids: dict[int, int] = {}

    def iso(self, offset: int) -> str:
        """A day offset as the ISO date the services take."""
        return (self.today + timedelta(days=offset)).isoformat()

    def steps(self, client: SampleClient) -> Iterator[_Step]:
        """Every service call for one client: its creation, its invoices, its events."""
        label = f"client {client.name!r}"
        yield _Step(client.since, 0, client.position, 0, label, self._adder(client))
        for index, invoice in enumerate(client.invoices):
            yield _Step(
                invoice.issued,
                1,
                client.position,
                index,
                f"{label}, invoice {invoice.ref!r}",
                self._invoice(client, invoice),
            )
        for event in client.events:
            yield _Step(
                event.day,
                2,
                client.position,
                event.position,
                f"{label}, {event.describe()}",
                self._event(client, event),
            )

    def _adder(self, client: SampleClient) -> Callable[[datetime], None]:
        """Create the client, its billing contact, then the other contacts and its notes."""

        def run(at: datetime) -> None:
            billing = next((c for c in client.contacts if c.billing), None)
            result = clients.add_client(
                client.name,
                at,
                email=billing.email if billing else "",
                phone=billing.phone if billing else "",
                kind=client.kind,
                language=client.language,
                contact_name=billing.name if billing else "",
                address=billing.address if billing else "",
            )
            client_id = result.client_id
            self.client_ids[client.position] = client_id
            # No service edits contacts, notes or terms yet; a loader may write these rows.
            with transaction():
                if billing is not None and billing.role:
                    set_billing_role(client_id, billing.role)
                others = [
                    OtherContact(c.name, c.role, c.email, c.phone, c.address)
                    for c in client.contacts
                    if c is not billing
                ]
                insert_other_contacts(client_id, others)
                set_notes_and_terms(client_id, client.notes, client.terms)

        return run

    def _invoice(self, client: SampleClient, invoice: SampleInvoice) -> Callable[[datetime], None]:
        """Add one invoice under its computed number."""

        def run(at: datetime) -> None:
            invoices.add_invoice(
                self.client_ids[client.position],
                self.numbers[(client.position, invoice.ref)],
                invoice.amount,
                self.iso(invoice.issued),
                self.iso(invoice.due),
                at,
                currency=client.currency,
                source="sample",
            )

        return run

    def _event(self, client: SampleClient, event: SampleEvent) -> Callable[[datetime], None]:
        """The service call for one event."""

        def run(at: datetime) -> None:
            client_id = self.client_ids[client.position]
            values = event.values
            if event.do == "payment":
                ref = event.text("invoice")
                payments.record_payment(
                    client_id,
                    values["amount"],
                    at,
                    received_on=self.iso(event.day),
                    method=event.text("method"),
                    reference=event.text("reference"),
                    invoice_number=self.numbers[(client.position, ref)] if ref else "",
                )
            elif event.do == "call":
                calls.log_call(
                    client_id,
                    values["outcome"],
                    at,
                    note=event.text("note"),
                    promised_amount=event.text("amount"),
                    promised_on=self.iso(values["on"]) if "on" in values else "",
                    who=event.text("who"),
                )
            elif event.do == "reminder":
                reminders.send_reminder(client_id, at, self.config, self.outbox)
            elif event.do == "note":
                clients.add_note(client_id, values["text"], at)
            elif event.do == "plan":
                plans.propose_plan(
                    client_id,
                    str(values["instalments"]),
                    at,
                    every=event.text("every") or "month",
                    first=self.iso(values["first"]) if "first" in values else "",
                    deposit=event.text("deposit"),
                )
            elif event.do == "dispute":
                clients.set_dispute(client_id, values["on"], at, event.text("note"))
            elif event.do == "snooze":
                clients.snooze_client(client_id, self.iso(values["until"]), at)

        return run
