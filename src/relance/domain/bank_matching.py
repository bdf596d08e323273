"""Who a bank credit comes from and what it pays: ranked proposals with reasons, never a guess.

A line is *certain* only when one client is named by something that identifies it and nothing
points at anyone else (see ``_certainty``); every other credit waits for review with its
proposals ranked; debits and reversals are not payments.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from relance.domain.bank_lines import BankLine
from relance.domain.money import format_money
from relance.domain.party_names import name_key

# How far from a promised or instalment date a payment still counts as "on that date".
NEAR_DAYS = 7
# Invoice numbers shorter than this (once reduced) are too likely to be any figure in a text.
SHORTEST_NUMBER = 3
MOST_PROPOSALS = 5
# The most words of a label tried as one name.
LONGEST_NAME = 6

SCORE_REFERENCE = 100
SCORE_INVOICE = 90
SCORE_IBAN = 80
SCORE_NAME = 60
SCORE_EXACT = 40
SCORE_SEVERAL = 35
SCORE_NEAR_DATE = 10
SCORE_PARTIAL = 5

_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-/._]*")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_RF_TOKEN = re.compile(r"\bRF\d{2}[0-9A-Z]{1,21}\b", re.IGNORECASE)


class Outcome(StrEnum):
    """What the import does with a line."""

    CERTAIN = "certain"
    TO_REVIEW = "to_review"
    DEBIT = "debit"


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice with money still owed on it."""

    invoice_id: int
    number: str
    due_on: date
    outstanding: int


@dataclass(frozen=True)
class DueInstalment:
    """The first unpaid instalment of a client's running plan."""

    seq: int
    due_on: date
    outstanding: int


@dataclass(frozen=True)
class OpenPromise:
    """A promise to pay that is still running."""

    amount: int
    due_on: date


@dataclass(frozen=True)
class Payer:
    """A client as the matcher sees it: names, currency, and what it owes."""

    client_id: int
    name: str
    currency: str
    contact_names: tuple[str, ...] = ()
    # Oldest due first, as a payment settles them.
    invoices: tuple[OpenInvoice, ...] = ()
    instalment: DueInstalment | None = None
    promise: OpenPromise | None = None

    @property
    def owed(self) -> int:
        """Everything the client still owes on its invoices."""
        return sum(inv.outstanding for inv in self.invoices)


def invoice_key(number: str) -> str:
    """An invoice number without case or separators: banks drop or change the dashes."""
    return _NOT_ALNUM.sub("", number.upper())


def iban_key(iban: str) -> str:
    """An IBAN without spaces or case."""
    return "".join(iban.split()).upper()


class MatchBook:
    """The clients a statement is matched against, indexed by every clue a line can carry."""

    def __init__(self, payers: Iterable[Payer], known_ibans: Mapping[str, int]) -> None:
        """Index the payers by id, name, invoice number and amount owed."""
        self.payers: dict[int, Payer] = {}
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.by_invoice: dict[str, tuple[int, OpenInvoice]] = {}
        # Keyed by (currency, amount): 900.00 EUR is no match for 900.00 GBP.
        self.by_amount: dict[tuple[str, int], set[int]] = defaultdict(set)
        self.known_ibans = {iban_key(iban): client for iban, client in known_ibans.items()}
        for payer in payers:
            self._index(payer, add=True)

    def replace(self, payer: Payer) -> None:
        """Index a client anew once a payment changed what it owes."""
        old = self.payers.get(payer.client_id)
        if old is not None:
            self._index(old, add=False)
        self._index(payer, add=True)

    def remember_iban(self, iban: str, client_id: int) -> None:
        """Know this account as the client's for the lines that follow."""
        if iban_key(iban):
            self.known_ibans[iban_key(iban)] = client_id

    def _index(self, payer: Payer, *, add: bool) -> None:
        """Add a payer to every index, or take it out of them."""
        client_id = payer.client_id

        def put(index: dict[Any, set[int]], key: Any) -> None:
            if add:
                index[key].add(client_id)
            elif key in index:
                index[key].discard(client_id)
                if not index[key]:
                    del index[key]

        if add:
            self.payers[client_id] = payer
        else:
            self.payers.pop(client_id, None)
        for name in (payer.name, *payer.contact_names):
            key = name_key(name)
            if key:
                put(self.by_name, key)
        running = 0
        for inv in payer.invoices:
            key = invoice_key(inv.number)
            if len(key) >= SHORTEST_NUMBER:
                if add:
                    self.by_invoice[key] = (client_id, inv)
                else:
                    self.by_invoice.pop(key, None)
            put(self.by_amount, (payer.currency, inv.outstanding))
            running += inv.outstanding
            put(self.by_amount, (payer.currency, running))
        if payer.instalment is not None:
            put(self.by_amount, (payer.currency, payer.instalment.outstanding))
        if payer.promise is not None:
            put(self.by_amount, (payer.currency, payer.promise.amount))


@dataclass(frozen=True)
class Proposal:
    """One client (and invoices) a credit may pay, with its score and the reasons for it."""

    client_id: int
    client: str
    score: int
    reasons: tuple[str, ...]
    # Invoices to pay first, by number; empty: the payment service's own order.
    invoice_numbers: tuple[str, ...] = ()
    # A shortfall within the tolerance, to write off if the user accepts.
    write_off: int = 0


@dataclass(frozen=True)
class LineMatch:
    """What to do with one line: its outcome, the proposals best first, and why."""

    outcome: Outcome
    proposals: tuple[Proposal, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def best(self) -> Proposal | None:
        """The first proposal, the one a certain line is recorded to."""
        return self.proposals[0] if self.proposals else None


@dataclass
class _Case:
    """What is known of one candidate client while a line is being weighed."""

    payer: Payer
    identity: list[str] = field(default_factory=list)
    strong: bool = False
    weak: bool = False
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    named: list[OpenInvoice] = field(default_factory=list)
    exact: bool = False
    picked: tuple[str, ...] = ()
    write_off: int = 0
    shortfall: bool = False

    def add(self, score: int, reason: str) -> None:
        """Count one clue."""
        self.score += score
        self.reasons.append(reason)


def match_line(
    line: BankLine,
    book: MatchBook,
    *,
    reference_client: Callable[[str], int | None],
    tolerance: int = 0,
) -> LineMatch:
    """Weigh a bank line against the book: certain, to review (with proposals), or a debit."""
    if line.reversal:
        return LineMatch(Outcome.DEBIT, notes=("the bank marks it as a reversal, not a payment",))
    if not line.is_credit:
        return LineMatch(Outcome.DEBIT, notes=("money out: not a client payment",))
    cases: dict[int, _Case] = {}
    notes: list[str] = []

    def case(client_id: int) -> _Case | None:
        payer = book.payers.get(client_id)
        if payer is None:
            return None
        return cases.setdefault(client_id, _Case(payer))

    reference = line.creditor_reference.strip()
    # Payers who type the RF reference by hand put it in the free text.
    typed = [token.upper() for token in _RF_TOKEN.findall(line.remittance)]
    for quoted in dict.fromkeys([reference, *typed] if reference else typed):
        client_id = reference_client(quoted)
        found = case(client_id) if client_id is not None else None
        if found is not None and not found.strong:
            found.strong = True
            owner = found.payer.name
            found.add(SCORE_REFERENCE, f"the creditor reference {quoted} is {owner}'s")
    for client_id, inv in _named_invoices(f"{reference} {line.remittance}", book):
        found = case(client_id)
        assert found is not None
        found.strong = True
        found.named.append(inv)
        found.add(SCORE_INVOICE, f"the payment names invoice {inv.number}")
    iban = iban_key(line.debtor_iban)
    if iban and iban in book.known_ibans:
        found = case(book.known_ibans[iban])
        if found is not None:
            found.weak = True
            found.add(SCORE_IBAN, f"the account {iban} paid {found.payer.name} before")
    name = name_key(line.debtor_name)
    named_clients = sorted(book.by_name.get(name, ())) if name else []
    for client_id in named_clients:
        found = case(client_id)
        assert found is not None
        found.weak = True
        found.add(SCORE_NAME, f"the payer's name {line.debtor_name!r} fits {found.payer.name}")
    if not line.debtor_name.strip():
        # Many CSV exports give the payer only inside the label: "VIR SEPA /DE DUPONT SARL".
        named_clients = sorted(_names_in_text(line.remittance, book))
        for client_id in named_clients:
            found = case(client_id)
            assert found is not None
            found.weak = True
            found.add(SCORE_NAME, f"the label names {found.payer.name}")
    if len(named_clients) > 1:
        notes.append(f"the payer's name fits {len(named_clients)} clients")
    owing_this = sorted(book.by_amount.get((line.currency, line.amount_minor), ()))
    if not cases:
        for client_id in owing_this:
            case(client_id)
        if cases:
            notes.append("nothing names the payer: only the amount fits")
        else:
            notes.append("nothing in the line fits a client")
    for found in cases.values():
        _weigh_amount(found, line, tolerance)
    ranked = sorted(
        cases.values(),
        key=lambda c: (-c.score, _distance(c.payer, line.booked_on), c.payer.client_id),
    )
    proposals = tuple(
        Proposal(
            c.payer.client_id,
            c.payer.name,
            c.score,
            tuple(c.reasons),
            c.picked,
            c.write_off,
        )
        for c in ranked[:MOST_PROPOSALS]
    )
    why_not = _certainty(ranked, line)
    if why_not is None:
        return LineMatch(Outcome.CERTAIN, proposals[:1], tuple(proposals[0].reasons))
    if len(owing_this) > 1 and not any(c.strong or c.weak for c in ranked):
        # Says the same as "N clients could have paid it", with the reason why.
        return LineMatch(
            Outcome.TO_REVIEW,
            proposals,
            tuple([*notes, f"{len(owing_this)} clients owe this amount"]),
        )
    return LineMatch(Outcome.TO_REVIEW, proposals, tuple(dict.fromkeys([*notes, why_not])))


def _named_invoices(text: str, book: MatchBook) -> list[tuple[int, OpenInvoice]]:
    """The open invoices whose number the text quotes, each once, in the text's order."""
    found: dict[int, tuple[int, OpenInvoice]] = {}
    for token in _TOKEN.findall(text):
        # "F-2026-001/F-2026-002" names two; try the whole token and each of its parts.
        for part in (token, *re.split(r"[/,;]", token)):
            hit = book.by_invoice.get(invoice_key(part))
            if hit is not None:
                found.setdefault(hit[1].invoice_id, hit)
    return list(found.values())


def _names_in_text(text: str, book: MatchBook) -> set[int]:
    """The clients whose whole name is a run of consecutive words of the text."""
    words = text.split()
    found: set[int] = set()
    for start in range(len(words)):
        for end in range(start + 1, min(start + LONGEST_NAME, len(words)) + 1):
            key = name_key(" ".join(words[start:end]))
            if key:
                found.update(book.by_name.get(key, ()))
    return found


def _weigh_amount(found: _Case, line: BankLine, tolerance: int) -> None:
    """Add what the amount (and the date) says of this client, and what it would pay."""
    payer = found.payer
    amount = line.amount_minor
    money = format_money(amount, line.currency)
    if payer.currency != line.currency:
        found.add(0, f"{payer.name} is billed in {payer.currency}, the line is in {line.currency}")
        return
    owed = payer.owed
    named_total = sum(inv.outstanding for inv in found.named)
    if found.named and named_total == amount:
        found.exact = True
        found.picked = tuple(inv.number for inv in found.named)
        found.add(SCORE_EXACT, f"{money} is what the invoices named still owe")
    single = next((inv for inv in payer.invoices if inv.outstanding == amount), None)
    if not found.exact and single is not None:
        found.exact = True
        oldest = payer.invoices[0]
        found.picked = () if single is oldest else (single.number,)
        found.add(SCORE_EXACT, f"{money} is what invoice {single.number} still owes")
    if not found.exact:
        running = 0
        for count, inv in enumerate(payer.invoices, start=1):
            running += inv.outstanding
            if running == amount and count > 1:
                found.exact = True
                numbers = ", ".join(i.number for i in payer.invoices[:count])
                found.add(SCORE_SEVERAL, f"{money} pays the {count} oldest invoices ({numbers})")
                break
    instalment = payer.instalment
    if instalment is not None and instalment.outstanding == amount:
        found.exact = True
        found.picked = ()
        found.add(
            SCORE_EXACT,
            f"{money} is instalment {instalment.seq} of the plan, due {instalment.due_on}",
        )
        if abs((line.booked_on - instalment.due_on).days) <= NEAR_DAYS:
            found.add(SCORE_NEAR_DATE, "paid within a week of the instalment's date")
    promise = payer.promise
    if promise is not None and promise.amount == amount:
        found.exact = True
        found.add(SCORE_SEVERAL, f"{money} is the amount promised by {promise.due_on}")
        if abs((line.booked_on - promise.due_on).days) <= NEAR_DAYS:
            found.add(SCORE_NEAR_DATE, "paid within a week of the promised date")
    if found.exact:
        return
    if owed == 0:
        found.add(0, f"{payer.name} owes nothing")
        return
    target = named_total if found.named else owed
    if amount > owed:
        credit = format_money(amount - owed, line.currency)
        found.add(SCORE_PARTIAL, f"{money} pays everything {payer.name} owes; {credit} is credit")
        return
    if amount > target and found.named:
        # More than the invoices named: the rest goes on to the oldest others.
        found.picked = tuple(inv.number for inv in found.named)
        found.add(SCORE_PARTIAL, f"{money} pays the invoices named and more")
        return
    gap = target - amount
    if 0 < gap <= tolerance:
        found.shortfall = True
        found.write_off = gap
        if found.named:
            found.picked = tuple(inv.number for inv in found.named)
        found.add(
            SCORE_PARTIAL,
            f"{money} is {format_money(gap, line.currency)} short of "
            f"{format_money(target, line.currency)}: settle with the difference written off",
        )
        return
    if found.named:
        found.picked = tuple(inv.number for inv in found.named)
    found.add(
        SCORE_PARTIAL,
        f"{money} pays part of the {format_money(target, line.currency)} owed",
    )


def _certainty(ranked: Sequence[_Case], line: BankLine) -> str | None:
    """None when the best case is certain; otherwise why the line waits for review.

    Certain means one candidate only, in the line's currency, owing something, and either
    named by the creditor reference or an invoice number (any amount but a shortfall within
    the tolerance), or known by its IBAN or name with an amount that fits exactly.
    """
    if not ranked:
        return "no client to propose"
    if len(ranked) > 1:
        return f"{len(ranked)} clients could have paid it"
    best = ranked[0]
    payer = best.payer
    if payer.currency != line.currency:
        return f"the line is in {line.currency}, {payer.name} is billed in {payer.currency}"
    if payer.owed == 0:
        return f"{payer.name} owes nothing"
    if best.shortfall:
        return "a small shortfall: accept to write the difference off, or pick otherwise"
    if best.strong:
        return None
    if best.weak and best.exact:
        return None
    if best.weak:
        return "a partial amount with no reference"
    return "only the amount fits"


def _distance(payer: Payer, booked_on: date) -> int:
    """Days between the payment and the client's oldest due date: nearer ranks first."""
    if not payer.invoices:
        return 1 << 30
    return abs((booked_on - payer.invoices[0].due_on).days)


def returns_credit(debit: BankLine, credit: BankLine) -> bool:
    """Whether a debit (or reversal) gives back this earlier credit: same money, same reference."""
    if -debit.amount_minor != credit.amount_minor and debit.amount_minor != credit.amount_minor:
        return False
    if debit.account != credit.account or debit.currency != credit.currency:
        return False
    if credit.booked_on > debit.booked_on:
        return False
    keys = [key for key in (credit.end_to_end_id, credit.bank_reference) if len(key) >= 4]
    if not keys:
        return False
    said = " ".join((debit.end_to_end_id, debit.bank_reference, debit.remittance))
    return any(key in said for key in keys)
