"""The sample book: realistic, complete, relative to the loading day, and replayed faithfully.

Run by hand (``.venv/bin/python tests/test_sample.py [YYYY-MM-DD]``) to print the realism
summary: the triage list and the book totals as the demo shows them.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import date, time
from itertools import pairwise
from pathlib import Path

import pytest

from locations import REPO
from relance.config import load_config
from relance.domain.money import format_money, format_totals
from relance.domain.policy import next_action
from relance.services.sample import (
    BookNotEmpty,
    SampleDataError,
    load_sample,
    parse_book,
    sample_book_text,
    sample_creditor,
    sample_file,
)
from relance.store.database import close_database, open_database
from relance.store.models import (
    Client,
    Contact,
    ContactEvent,
    Instalment,
    Invoice,
    Payment,
    PaymentPlan,
    Promise,
)
from relance.store.triage import TriageRow, book_totals, triage_window
from relance.store.triage_index import active_policy, client_standing, open_position

TODAY = date(2026, 11, 23)
# A different weekday, another month length, and across a new year from TODAY.
OTHER_DAY = date(2027, 3, 2)
REPO_SAMPLE = REPO / "sample_data"
MAIN_CURRENCY = "EUR"


def _load_into(path: Path, today: date) -> int:
    """Create a book at ``path`` and load the sample into it as of ``today``."""
    open_database(path)
    try:
        return load_sample(today)
    finally:
        close_database()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The sample loaded once for the module as of TODAY (tests only read it)."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    return path, _load_into(path, TODAY)


@pytest.fixture
def sample_book(loaded: tuple[Path, int]) -> Iterator[int]:
    """Open the loaded sample for one test; yields the client count load_sample returned."""
    path, count = loaded
    open_database(path)
    try:
        yield count
    finally:
        close_database()


def _rows(today: date) -> list[TriageRow]:
    """The whole triage list, most days overdue first."""
    return triage_window(today, limit=1000)


def _uncovered(promise: Promise) -> bool:
    """True if the payments received since the promise do not reach its amount."""
    received = sum(
        payment.amount
        for payment in Payment.select().where(
            (Payment.client == promise.client) & (Payment.received_on >= promise.made_on)
        )
    )
    return received < promise.amount


def _broken_promises(today: date) -> list[Promise]:
    """Promises whose day has passed without the money: marked broken, or still open."""
    return [
        promise
        for promise in Promise.select().where(
            Promise.status.in_(("open", "broken")) & (Promise.due_on < today)
        )
        if _uncovered(promise)
    ]


# ---------------------------------------------------------------------------------------------
# What the book holds.
# ---------------------------------------------------------------------------------------------


def test_the_book_has_30_to_50_varied_clients(sample_book: int) -> None:
    """Companies and individuals, French and English speaking, mostly in euros."""
    assert 30 <= sample_book <= 50
    assert Client.select().count() == sample_book
    assert {c.kind for c in Client.select()} == {"b2b", "b2c"}
    assert {c.language for c in Client.select()} == {"fr", "en"}
    currencies = Counter(c.currency for c in Client.select())
    assert currencies.most_common(1)[0][0] == MAIN_CURRENCY
    assert {"GBP", "USD"} <= set(currencies)
    assert Contact.select().count() > sample_book, "some clients have several contacts"


def test_every_client_can_be_reminded(sample_book: int) -> None:
    """Each client has exactly one billing contact with an e-mail address at an example domain."""
    for client in Client.select():
        billing = [c for c in client.contacts if c.is_billing]
        assert len(billing) == 1, client.name
        assert re.search(r"@([\w-]+\.)*example\.(fr|com|co\.uk)$", billing[0].email), client.name


def test_eighteen_months_of_realistic_invoices(sample_book: int) -> None:
    """Invoices span about 18 months, 450 to 18 000 euros, numbered in order of issue."""
    invoices = list(Invoice.select().order_by(Invoice.issued_on, Invoice.id))
    first, last = invoices[0].issued_on, invoices[-1].issued_on
    assert 500 <= (TODAY - first).days <= 560
    assert (TODAY - last).days < 15
    euro = [inv.amount for inv in invoices if inv.currency == MAIN_CURRENCY]
    assert min(euro) >= 450_00 and max(euro) <= 18_000_00
    assert all(inv.source == "sample" for inv in invoices)
    per_year: dict[str, list[int]] = {}
    for inv in invoices:
        match = re.fullmatch(r"F(\d{4})-(\d{3})", inv.number)
        assert match, inv.number
        assert int(match[1]) == inv.issued_on.year
        per_year.setdefault(match[1], []).append(int(match[2]))
    for year, sequence in per_year.items():
        assert sequence == list(range(sequence[0], sequence[0] + len(sequence))), year
    assert per_year[str(TODAY.year)][0] == 1, "the current year's sequence starts at 001"


def test_every_kind_of_event_is_in_the_history(sample_book: int) -> None:
    """Payments, calls with every outcome, reminders, notes, a plan, disputes, a snooze."""
    kinds = {kind for (kind,) in ContactEvent.select(ContactEvent.kind).tuples()}
    assert {"payment", "call", "email", "note", "plan", "dispute", "snooze"} <= kinds
    outcomes = {
        outcome
        for (outcome,) in ContactEvent.select(ContactEvent.outcome)
        .where(ContactEvent.kind == "call")
        .tuples()
    }
    assert outcomes == {
        "no-answer",
        "voicemail",
        "promised",
        "dispute",
        "wrong-number",
        "says-paid",
        "refused",
    }
    reminders = ContactEvent.select().where(ContactEvent.kind == "email")
    assert reminders.count() >= 20
    assert all(event.body.startswith("Subject: ") for event in reminders)
    notes = ContactEvent.select().where(
        (ContactEvent.kind == "note") & (ContactEvent.outcome == "")
    )
    assert notes.count() >= 10, "free notes, not only the automatic ones"


def test_the_demo_situations_are_all_there(sample_book: int) -> None:
    """An open promise, a proposed plan, a dispute, a snooze and partial payments."""
    assert Promise.select().where((Promise.status == "open") & (Promise.due_on >= TODAY)).exists()
    assert Promise.select().where(Promise.status == "kept").exists()
    plan = PaymentPlan.get(PaymentPlan.status == "proposed")
    assert sum(i.amount for i in plan.instalments) == plan.total
    assert plan.total == Client.get_by_id(plan.client_id).outstanding
    assert Instalment.select().where(Instalment.plan == plan).count() >= 2
    assert Client.select().where(Client.disputed == True).count() == 1  # noqa: E712
    dispute_offs = ContactEvent.select().where(
        (ContactEvent.kind == "dispute") & (ContactEvent.outcome == "off")
    )
    assert dispute_offs.exists(), "a dispute that was settled earlier"
    snoozed = Client.select().where(Client.snoozed_until > TODAY)
    assert snoozed.count() == 1
    assert snoozed.get().outstanding > 0
    assert Invoice.select().where((Invoice.paid > 0) & (Invoice.paid < Invoice.amount)).exists()


def test_a_bad_faith_payer_breaks_a_promise_and_ignores_reminders(sample_book: int) -> None:
    """A promise whose day has passed uncovered, several reminders, still chased after it."""
    broken = _broken_promises(TODAY)
    assert broken
    for promise in broken:
        reminders = ContactEvent.select().where(
            (ContactEvent.client == promise.client) & (ContactEvent.kind == "email")
        )
        assert reminders.count() >= 3
        assert reminders.where(ContactEvent.happened_at > promise.due_on).exists()
        assert Client.get_by_id(promise.client_id).outstanding > 0


def test_careless_payers_pay_after_a_reminder(sample_book: int) -> None:
    """Most clients pay; many of them only after being reminded."""
    paid_after_reminder = set()
    for client in Client.select():
        events = list(client.events.order_by(ContactEvent.happened_at, ContactEvent.id))
        for earlier, later in pairwise(events):
            if earlier.kind == "email" and later.kind == "payment":
                paid_after_reminder.add(client.id)
    assert len(paid_after_reminder) >= 10
    paid_clients = Payment.select(Payment.client).distinct().count()
    assert paid_clients >= 0.8 * sample_book


def test_the_top_of_the_triage_list_is_worth_a_demo(sample_book: int) -> None:
    """A handful of clients 30 to 120 days late, a broken promise first, 40 to 90 k€ owed."""
    rows = _rows(TODAY)
    assert rows[0].client_id in {p.client_id for p in _broken_promises(TODAY)}
    assert rows[0].days_overdue <= 120
    assert 5 <= sum(30 <= row.days_overdue <= 120 for row in rows) <= 10
    assert sum(1 <= row.days_overdue < 30 for row in rows) >= 5
    totals = book_totals(TODAY)
    assert 40_000_00 <= totals.outstanding[MAIN_CURRENCY] <= 90_000_00
    assert totals.main_currency == MAIN_CURRENCY
    assert totals.clients_overdue < totals.clients_total / 2, "most clients pay fine"


def test_the_history_reads_in_the_order_it_was_written(sample_book: int) -> None:
    """Replay times increase with the replay, within working hours, never after today."""
    for client in Client.select():
        events = list(client.events.order_by(ContactEvent.id))
        stamps = [event.happened_at for event in events]
        assert stamps == sorted(stamps), client.name
        assert all(time(8, 30) <= stamp.time() <= time(19, 0) for stamp in stamps)
        assert all(stamp.date() <= TODAY for stamp in stamps)


def test_the_triage_index_equals_a_full_recomputation(sample_book: int) -> None:
    """The columns kept up to date by each replayed action match a recomputation from scratch."""
    for client in Client.select():
        outstanding, count, oldest = open_position(client.id)
        state, classification = client_standing(client.id, outstanding, oldest)
        action = next_action(state, active_policy())
        assert (
            client.outstanding,
            client.open_invoices,
            client.oldest_due_on,
            client.next_action,
            client.next_action_on,
            client.ladder_step,
            client.next_action_reason,
            client.payer_profile,
        ) == (
            outstanding,
            count,
            oldest,
            action.action,
            action.on,
            action.step,
            action.reason,
            classification.profile.value,
        ), client.name
        assert outstanding == sum(
            inv.amount - inv.paid for inv in client.invoices if inv.amount > inv.paid
        )


def test_loading_twice_into_the_same_book_is_refused(sample_book: int) -> None:
    """A second load is refused with a clear message and changes nothing."""
    before = (Client.select().count(), ContactEvent.select().count(), Invoice.select().count())
    with pytest.raises(BookNotEmpty, match="already has clients"):
        load_sample(TODAY)
    after = (Client.select().count(), ContactEvent.select().count(), Invoice.select().count())
    assert after == before


def test_the_picture_is_the_same_on_any_day(loaded: tuple[Path, int], tmp_path: Path) -> None:
    """Loaded on another day, every client is exactly as late, owes the same, is as due.

    The next action's date itself moves with weekends, holidays and the year-end closing,
    which fall differently around another day: only whether it is due now must match.
    """

    def picture(today: date) -> dict[str, tuple[object, ...]]:
        return {
            row.name: (
                row.days_overdue,
                row.outstanding,
                row.open_invoices,
                row.next_action,
                row.next_action_on <= today if row.next_action_on else None,
                row.disputed,
                row.is_snoozed(today),
                row.has_promise,
                row.has_plan,
            )
            for row in _rows(today)
        }

    path, _count = loaded
    open_database(path)
    try:
        expected = picture(TODAY)
        expected_kinds = Counter(k for (k,) in ContactEvent.select(ContactEvent.kind).tuples())
    finally:
        close_database()
    _load_into(tmp_path / "other.db", OTHER_DAY)
    open_database(tmp_path / "other.db")
    try:
        assert picture(OTHER_DAY) == expected
        assert Counter(k for (k,) in ContactEvent.select(ContactEvent.kind).tuples()) == (
            expected_kinds
        )
        latest = Invoice.select().order_by(Invoice.issued_on.desc()).first()
        assert latest.number.startswith(f"F{latest.issued_on.year}-")
    finally:
        close_database()


# ---------------------------------------------------------------------------------------------
# The files and the loader's checks.
# ---------------------------------------------------------------------------------------------


def test_the_packaged_files_are_the_ones_in_sample_data() -> None:
    """The package reaches sample_data/ (symlinks in the source tree, copies in a wheel)."""
    for name in ("book.toml", "config.toml"):
        with sample_file(name) as path:
            assert path.read_bytes() == (REPO_SAMPLE / name).read_bytes()
    assert sample_book_text() == (REPO_SAMPLE / "book.toml").read_text(encoding="utf-8")


def test_the_example_config_names_the_sample_freelancer() -> None:
    """sample_data/config.toml is a valid config: creditor, siret, test IBAN, theme."""
    config = load_config(REPO_SAMPLE / "config.toml")
    assert config.theme == "relance-dark"
    creditor = sample_creditor()
    assert creditor == config.creditor
    assert creditor.name.startswith("Camille Martin")
    assert creditor.company_number and creditor.email.endswith("@example.fr")
    assert creditor.iban.replace(" ", "").startswith("FR76")


def _book(events: str, invoices: str = "") -> str:
    """A one-client book with the given invoices and events."""
    return f"""
[[client]]
name = "Atelier Test SARL"
kind = "b2b"
language = "fr"
since = -100
contacts = [{{ name = "Alice", email = "alice@atelier-test.example.fr", billing = true }}]
invoices = [
  {{ ref = "a", issued = -90, due = -60, amount = "1200.00" }},
  {invoices}
]
events = [
  {events}
]
"""


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ('{ day = -50, do = "reminder", tone = "firm" }', r"event 1 \(reminder on day -50\).*tone"),
        (
            '{ day = -50, do = "call", outcome = "promised", amount = "10.00" }',
            "needs amount and on",
        ),
        ('{ day = -50, do = "call", outcome = "maybe" }', "outcome must be one of"),
        ('{ day = -50, do = "payment", amount = "10.00", invoice = "zz" }', "no invoice with ref"),
        ('{ day = -50, do = "payment", amount = 10.0 }', "decimal string"),
        ('{ day = -50, do = "payment", amount = "10.001" }', "more than two decimals"),
        ('{ day = 3, do = "note", text = "later" }', "must not be in the future"),
        ('{ day = -150, do = "note", text = "early" }', "before the client was added"),
        ('{ day = -50, do = "snooze", until = -60 }', "until is before the snooze"),
        ('{ day = -50, do = "teleport" }', "do must be one of"),
        ('{ day = "-50", do = "note", text = "x" }', "day must be a day offset"),
        ('{ day = -50, do = "dispute", note = "x" }', "on must be true or false"),
    ],
)
def test_a_wrong_entry_is_named_in_the_error(events: str, message: str) -> None:
    """Each mistake is refused with the client's name and the entry."""
    with pytest.raises(SampleDataError, match=message) as caught:
        parse_book(_book(events))
    assert "'Atelier Test SARL'" in str(caught.value)


def test_wrong_invoices_and_clients_are_refused() -> None:
    """Duplicate refs, due before issue, unknown keys, bad TOML."""
    duplicate = '{ ref = "a", issued = -80, due = -50, amount = "10.00" },'
    with pytest.raises(SampleDataError, match=r"invoice 'a'.*comes earlier"):
        parse_book(_book("", duplicate))
    backwards = '{ ref = "b", issued = -80, due = -81, amount = "10.00" },'
    with pytest.raises(SampleDataError, match="due before it was issued"):
        parse_book(_book("", backwards))
    with pytest.raises(SampleDataError, match="unknown keys: colour"):
        parse_book(_book("").replace('kind = "b2b"', 'kind = "b2b"\ncolour = "red"'))
    with pytest.raises(SampleDataError, match="not valid TOML"):
        parse_book("[[client]\nname = ")
    with pytest.raises(SampleDataError, match="no \\[\\[client\\]\\] tables"):
        parse_book("")


def test_an_entry_the_services_refuse_leaves_the_book_empty(tmp_path: Path) -> None:
    """A reminder with nothing overdue is refused by the service; the whole load rolls back."""
    text = _book('{ day = -70, do = "note", text = "ok" },\n{ day = -65, do = "reminder" },')
    open_database(tmp_path / "bad.db")
    try:
        with pytest.raises(SampleDataError, match=r"event 2 \(reminder on day -65\).*overdue"):
            load_sample(TODAY, book_text=text)
        assert Client.select().count() == 0
        assert ContactEvent.select().count() == 0
        assert load_sample(TODAY, book_text=_book('{ day = -50, do = "reminder" },')) == 1
        assert ContactEvent.select().where(ContactEvent.kind == "email").count() == 1
    finally:
        close_database()


# ---------------------------------------------------------------------------------------------
# By hand: the realism summary.
# ---------------------------------------------------------------------------------------------


def print_summary(today: date) -> None:
    """Load the sample into a throwaway book and print the triage list and the totals."""
    with tempfile.TemporaryDirectory() as folder:
        count = _load_into(Path(folder) / "sample.db", today)
        open_database(Path(folder) / "sample.db")
        try:
            print(f"{count} clients, as of {today}")
            for row in _rows(today):
                marks = "".join(
                    mark if on else "·"
                    for mark, on in (
                        ("D", row.disputed),
                        ("P", row.has_promise),
                        ("L", row.has_plan),
                        ("Z", row.is_snoozed(today)),
                    )
                )
                owed = format_money(row.outstanding, row.currency)
                when = row.next_action_on.isoformat() if row.next_action_on else ""
                print(f"{row.days_overdue:4d} {marks} {row.name[:36]:36} {owed:>12} {when:10} "
                      f"{row.next_action}")  # fmt: skip
            totals = book_totals(today)
            print(f"outstanding {format_totals(totals.outstanding)}")
            print(f"overdue     {format_totals(totals.overdue)}")
            print(f"clients overdue {totals.clients_overdue}/{totals.clients_total}, DSO "
                  f"{totals.dso_days} days")  # fmt: skip
            for bucket, amounts in totals.aging.items():
                print(f"  {bucket.name:10} {format_totals(amounts)}")
            broken = _broken_promises(today)
            print(
                f"broken promises: {', '.join(Client.get_by_id(p.client_id).name for p in broken)}"
            )
        finally:
            close_database()


if __name__ == "__main__":
    from relance.clock import today

    print_summary(date.fromisoformat(sys.argv[1]) if len(sys.argv) > 1 else today())
