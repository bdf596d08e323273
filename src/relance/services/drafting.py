"""Drafting the messages a client gets: reminders, plan letters, call scripts and SMS texts.

Drafting writes nothing: it gathers the facts from the book, picks a template and renders it.
Which template a reminder uses is decided in ``template_for`` alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from relance.config import Config
from relance.domain.creditor_reference import client_reference, grouped
from relance.domain.ladder import Channel, Ladder, Step
from relance.domain.policy import NextAction, next_action
from relance.domain.written_dates import long_date
from relance.messages.facts import (
    ClaimFacts,
    ClientFacts,
    ContactFacts,
    CreditorFacts,
    InstalmentFacts,
    InvoiceFacts,
    MessageFacts,
    PaymentFacts,
    PlanFacts,
    PromiseFacts,
    StepFacts,
    clean,
)
from relance.messages.rendering import RenderedMessage, TemplateError, render_template
from relance.messages.wording import (
    DAYS_SUFFIX,
    FIRST_AMOUNT_COLUMN,
    TABLE_HEADERS,
    bare_amount,
    channel_word,
    currency_mark,
    deadline_days,
    language_of,
    legal_basis,
    money,
    route_words,
    short_date,
    table_date,
    text_table,
    totals,
)
from relance.policy_config import policy_from_config
from relance.services.claims import ClientClaim, claim_for_client
from relance.services.validation import InvalidInput
from relance.store.contacts import phone_numbers, postal_contacts
from relance.store.disputes import invoice_dispute_marks, open_dispute_note
from relance.store.invoices import DueInvoice, overdue_invoices
from relance.store.ledger import latest_payment
from relance.store.lookup import get_client
from relance.store.plans import (
    InstalmentLine,
    instalment_template,
    next_unpaid_instalment,
    plan_schedule,
)
from relance.store.promises import BrokenPromise, broken_promise
from relance.store.steps import contacts_to_cite
from relance.store.stored_dates import stored_day
from relance.store.triage_index import client_standing, open_position

SMS_MAX_CHARS = 320
# The history kinds that count as an earlier reminder in a message.
REMINDER_KINDS = ("email", "letter", "sms", "call")
# The kinds whose step writes to the client: an e-mail can stand in for them.
WRITTEN_CHANNELS = (Channel.EMAIL, Channel.LETTER, Channel.LEGAL)
DRAFT_CHANNELS = {
    Channel.EMAIL: "email",
    Channel.PHONE: "phone",
    Channel.SMS: "sms",
    Channel.LETTER: "letter",
    Channel.LEGAL: "letter",
    Channel.VISIT: "phone",
}
PLAN_TEMPLATES = ("plan-proposal", "instalment-due", "instalment-missed")
OPEN_PLAN_STATUSES = ("proposed", "accepted", "active")
PROPOSED_PLAN = "proposed"
# The next action while a promise to pay runs: the ladder waits for its day.
CHECK_PROMISE = "check promise"
FREQUENCY_WORDS = {
    "fr": {"week": "chaque semaine", "2weeks": "toutes les deux semaines", "month": "chaque mois"},
    "en": {"week": "every week", "2weeks": "every two weeks", "month": "every month"},
}


@dataclass(frozen=True)
class Draft:
    """A rendered message, ready to be shown, edited and sent."""

    subject: str
    body: str
    template: str  # the template used, e.g. "firm"
    language: str  # "fr" | "en"
    channel: str  # "email" | "phone" | "sms" | "letter": the channel of the step drafted
    step_label: str  # e.g. "firm email"; "" when not a ladder step


@dataclass(frozen=True)
class _Gathered:
    """The facts of a message, and what the choice of template looks at."""

    facts: MessageFacts
    name: str
    ladder: Ladder
    step_number: int
    promise_unanswered: bool
    whole_debt_disputed: bool
    action: NextAction


def draft_reminder(
    client_id: int, today: date, config: Config, *, template: str | None = None
) -> Draft:
    """Render the reminder a client would get today (or with ``template``), writing nothing."""
    gathered = _gather(client_id, today, config)
    _require_overdue(gathered)
    step = gathered.ladder.steps[gathered.step_number - 1]
    name = template or _template_of_action(gathered, client_id, today)
    _require_facts(name, gathered)
    rendered = _render_email(name, gathered.facts, config)
    return Draft(
        rendered.subject,
        rendered.body,
        name,
        gathered.facts.language,
        DRAFT_CHANNELS[step.channels[-1]],
        step.label,
    )


def _template_of_action(gathered: _Gathered, client_id: int, today: date) -> str:
    """The template the next action calls for; a promise still running calls for none.

    A plan proposed and not yet answered calls for its proposal again, a running plan for its
    instalment notices: never the ladder's reminder, which would contradict them.
    """
    plan = gathered.facts.plan
    if plan is not None and plan.status == PROPOSED_PLAN:
        return "plan-proposal"
    if gathered.action.action == CHECK_PROMISE and not gathered.promise_unanswered:
        raise InvalidInput.one(
            "promise",
            f"{gathered.name} promised to pay; the ladder waits until "
            f"{gathered.action.on.isoformat() if gathered.action.on else 'the promised day'}: "
            "check the payment then",
        )
    return template_for(
        gathered.ladder,
        gathered.step_number,
        broken_promise=gathered.promise_unanswered,
        instalment=instalment_template(client_id, today),
    )


def draft_message(client_id: int, today: date, config: Config, template: str) -> Draft:
    """Render a message outside the ladder (plan proposal, thank-you…), writing nothing."""
    gathered = _gather(client_id, today, config)
    _require_facts(template, gathered)
    if template not in (*PLAN_TEMPLATES, "thank-you"):
        _require_overdue(gathered)
    rendered = _render_email(template, gathered.facts, config)
    return Draft(rendered.subject, rendered.body, template, gathered.facts.language, "email", "")


def _require_facts(template: str, gathered: _Gathered) -> None:
    """Refuse a shipped message whose subject (plan, payment, promise) the client lacks."""
    facts = gathered.facts
    if template in PLAN_TEMPLATES and facts.plan is None:
        raise InvalidInput.one("plan", f"{gathered.name} has no payment plan under way")
    if template == "instalment-missed" and facts.instalment is None:
        raise InvalidInput.one("plan", f"{gathered.name} has no instalment left to pay")
    if template == "thank-you" and facts.payment is None:
        raise InvalidInput.one("payment", f"no payment from {gathered.name} is recorded")
    if template == "broken-promise" and facts.promise is None:
        raise InvalidInput.one("promise", f"{gathered.name} has broken no promise to pay")


def call_script(client_id: int, today: date, config: Config) -> str:
    """A short script to read on the phone, in the client's language."""
    gathered = _gather(client_id, today, config)
    _require_overdue(gathered)
    return _render("call", gathered.facts, config).body


def sms_text(client_id: int, today: date, config: Config) -> str:
    """A text message of at most 320 characters, to copy into a phone."""
    gathered = _gather(client_id, today, config)
    _require_overdue(gathered)
    text = " ".join(_render("sms", gathered.facts, config).body.split())
    if len(text) <= SMS_MAX_CHARS:
        return text
    cut = text[: SMS_MAX_CHARS - 1].rsplit(" ", 1)[0]
    return cut + "…"


def template_for(
    ladder: Ladder, step_number: int, *, broken_promise: bool = False, instalment: str | None = None
) -> str:
    """The template of a reminder at this step of the ladder.

    A promise broken since the last reminder gets the broken-promise message; a running plan
    gets ``instalment`` (``instalment-due`` before its next instalment's date,
    ``instalment-missed`` after: see ``store.plans.instalment_template``). Otherwise the step's
    own template when the step writes (e-mail, letter, legal route); a call or SMS step has its
    e-mail written with the template of the nearest earlier step that writes, or the courteous
    one when none does.
    """
    if broken_promise:
        return "broken-promise"
    if instalment:
        return instalment
    return written_step(ladder, step_number).template


def written_step(ladder: Ladder, step_number: int) -> Step:
    """This step if it writes to the client, else the nearest earlier step that does."""
    for step in reversed(ladder.steps[:step_number]):
        if any(channel in WRITTEN_CHANNELS for channel in step.channels):
            return step
    return replace(ladder.steps[0], template="courteous")


def _require_overdue(gathered: _Gathered) -> None:
    """Refuse a reminder when nothing is left to ask for."""
    if gathered.facts.invoices:
        return
    if gathered.whole_debt_disputed:
        raise InvalidInput.one(
            "client", f"{gathered.name} disputes the debt; resolve the dispute before reminding"
        )
    raise InvalidInput.one("client", f"nothing is overdue for {gathered.name}")


def _render(name: str, facts: MessageFacts, config: Config) -> RenderedMessage:
    """Render one template in the message's language."""
    return render_template(name, facts.language, facts.variables(), config.path.parent)


def _render_email(name: str, facts: MessageFacts, config: Config) -> RenderedMessage:
    """Render an e-mail template, which must start with its subject line."""
    rendered = _render(name, facts, config)
    if not rendered.subject:
        raise TemplateError(
            f"template {name!r} ({facts.language}) must start with a line 'Subject: …'"
        )
    return rendered


def _gather(client_id: int, today: date, config: Config) -> _Gathered:
    """Read everything a message may say about one client (reads only)."""
    client = get_client(client_id)
    language = language_of(client.language)
    outstanding, _, episode_start = open_position(client_id)
    ladder, step_number, action = _position(client_id, outstanding, episode_start, config)
    overdue = overdue_invoices(client_id, today)
    disputed_ids, whole_debt = _disputed(client_id, bool(client.disputed), overdue)
    listed = [inv for inv in overdue if inv.invoice_id not in disputed_ids and not whole_debt]
    disputed = [inv for inv in overdue if inv.invoice_id in disputed_ids or whole_debt]
    listed_numbers = {inv.number for inv in listed}
    reminders = _earlier_reminders(client_id, episode_start, language)
    promise = broken_promise(client_id, today)
    unanswered = promise is not None and not promise.followed_up
    step = ladder.steps[step_number - 1]
    days = deadline_days(client.jurisdiction, client.kind)
    claim = claim_for_client(client.id, today, court_costs=config.law.court_costs or None)
    claim_facts = _claim_facts(claim, listed_numbers, language)
    owed: dict[str, int] = {}
    for inv in listed:
        owed[inv.currency] = owed.get(inv.currency, 0) + inv.amount - inv.paid
    facts = MessageFacts(
        language=language,
        today=long_date(today, language),
        client=_client_facts(client_id, client.name, client.kind, client.jurisdiction),
        creditor=_creditor_facts(config),
        invoices=tuple(_invoice_facts(inv, today, language) for inv in listed),
        invoice_table=_invoice_table(listed, today, language),
        invoice_count=len(listed),
        total=totals(owed, language) if listed else money(0, client.currency, language),
        disputed=tuple(_invoice_facts(inv, today, language) for inv in disputed),
        payment_reference=", ".join(clean(inv.number) for inv in listed),
        reminders=reminders,
        claim=claim_facts,
        route=route_words(claim.route.name, language) if claim.route else "",
        promise=_promise_facts(promise, client.currency, language, today) if promise else None,
        plan=_plan_facts(client_id, client.currency, language),
        instalment=_instalment_facts(client_id, client.currency, language),
        payment=_payment_facts(client_id, client.currency, language),
        balance=money(outstanding, client.currency, language),
        settled=outstanding <= 0,
        step=StepFacts(
            label=clean(step.label),
            number=step_number,
            of=len(ladder.steps),
            deadline=long_date(today + timedelta(days=days), language),
            deadline_days=days,
        ),
        creditor_reference=_reference(client_id, config),
    )
    return _Gathered(facts, client.name, ladder, step_number, unanswered, whole_debt, action)


def _position(
    client_id: int, outstanding: int, episode_start: date | None, config: Config
) -> tuple[Ladder, int, NextAction]:
    """The client's ladder, the number of the step proposed now (1 when nothing is owed), and
    the next action itself."""
    policy = policy_from_config(config)
    state, _ = client_standing(client_id, outstanding, episode_start)
    ladder = policy.ladder_for(state.jurisdiction, state.kind, state.profile)
    action = next_action(state, policy)
    return ladder, min(max(action.step, 1), len(ladder.steps)), action


def _disputed(client_id: int, in_dispute: bool, overdue: list[DueInvoice]) -> tuple[set[int], bool]:
    """The overdue invoices under discussion, and whether the whole debt is.

    An invoice is under discussion when the latest dispute event naming it (by its link, or
    by its number in the note of the dispute the client has open) opened a dispute. A client
    in dispute whose note names no invoice disputes the whole debt.
    """
    # The latest event naming an invoice says whether it is under discussion.
    by_invoice = dict(invoice_dispute_marks(client_id))
    disputed = {invoice_id for invoice_id, on in by_invoice.items() if on}
    if not in_dispute:
        return disputed, False
    note = open_dispute_note(client_id)
    named = {inv.invoice_id for inv in overdue if _names(note, inv.number)}
    if not named and not disputed:
        return set(), True
    return disputed | named, False


def _names(text: str, number: str) -> bool:
    """Whether a note names this invoice number as a whole word."""
    pattern = r"(?<![\w-])" + re.escape(number) + r"(?![\w-])"
    return re.search(pattern, text, flags=re.IGNORECASE) is not None


def _earlier_reminders(
    client_id: int, episode_start: date | None, language: str
) -> tuple[ContactFacts, ...]:
    """The reminders of the current episode, oldest first."""
    if episode_start is None:
        return ()
    return tuple(
        ContactFacts(
            on=long_date(stored_day(at), language),
            kind=kind,
            channel=channel_word(kind, language),
        )
        for at, kind in contacts_to_cite(client_id, episode_start, REMINDER_KINDS)
    )


def _client_facts(client_id: int, name: str, kind: str, jurisdiction: str) -> ClientFacts:
    """The client's name, the billing contact's name and the postal address."""
    contacts = postal_contacts(client_id)
    billing = [c for c in contacts if c.is_billing] or contacts
    contact_name = next((c.name for c in billing if c.name.strip()), "")
    address = next((c.address for c in billing + contacts if c.address.strip()), "")
    phones = tuple(clean(number) for number in phone_numbers(client_id))
    return ClientFacts(
        name=clean(name),
        contact_name=clean(contact_name),
        kind=kind,
        jurisdiction=jurisdiction,
        address=clean(address, multiline=True),
        phones=phones,
    )


def _creditor_facts(config: Config) -> CreditorFacts:
    """The user's identity from ``[creditor]``."""
    creditor = config.creditor
    return CreditorFacts(
        name=clean(creditor.name),
        address=clean(creditor.address, multiline=True),
        email=clean(creditor.email),
        phone=clean(creditor.phone),
        company_number=clean(creditor.company_number),
        iban=clean(creditor.iban),
        bic=clean(creditor.bic),
    )


def _reference(client_id: int, config: Config) -> str:
    """The client's creditor reference, printed only beside an IBAN to pay to."""
    return grouped(client_reference(client_id)) if config.creditor.iban else ""


def _invoice_facts(invoice: DueInvoice, today: date, language: str) -> InvoiceFacts:
    """One invoice written out."""
    return InvoiceFacts(
        number=clean(invoice.number),
        issued=long_date(invoice.issued_on, language),
        due=long_date(invoice.due_on, language),
        amount=money(invoice.amount, invoice.currency, language),
        paid=money(invoice.paid, invoice.currency, language),
        outstanding=money(invoice.amount - invoice.paid, invoice.currency, language),
        days_late=max(0, (today - invoice.due_on).days),
    )


def _invoice_table(invoices: list[DueInvoice], today: date, language: str) -> str:
    """The listed invoices as an aligned table, 72 columns wide with the usual numbers.

    With one currency the amounts go without symbol and the headers name it once.
    """
    if not invoices:
        return ""
    currencies = {inv.currency for inv in invoices}
    single = currencies.pop() if len(currencies) == 1 else ""

    def amount(minor: int, currency: str) -> str:
        return bare_amount(minor, language) if single else money(minor, currency, language)

    rows = [
        (
            clean(inv.number),
            table_date(inv.issued_on, language),
            table_date(inv.due_on, language),
            amount(inv.amount, inv.currency),
            amount(inv.paid, inv.currency),
            amount(inv.amount - inv.paid, inv.currency),
            f"{max(0, (today - inv.due_on).days)}{DAYS_SUFFIX[language]}",
        )
        for inv in invoices
    ]
    headers = list(TABLE_HEADERS[language])
    if single:
        headers[FIRST_AMOUNT_COLUMN] += f" ({currency_mark(single)})"
    return text_table(headers, rows, numeric={3, 4, 5, 6})


def _claim_facts(claim: ClientClaim, numbers: set[str], language: str) -> ClaimFacts | None:
    """Interest and fees the law allows on the listed invoices; None when it allows none."""
    claim = replace(claim, invoices=tuple(i for i in claim.invoices if i.number in numbers))
    if claim.interest <= 0 and claim.fixed_fees <= 0:
        return None
    currency = claim.currency
    rate = str(claim.contract_rate) if claim.contract_rate is not None else ""
    return ClaimFacts(
        interest=money(claim.interest, currency, language),
        fixed_fees=money(claim.fixed_fees, currency, language),
        principal=money(claim.outstanding, currency, language),
        total=money(claim.total, currency, language),
        has_interest=claim.interest > 0,
        has_fee=claim.fixed_fees > 0,
        legal_basis=legal_basis(claim.jurisdiction, language, rate),
    )


def _promise_facts(
    promise: BrokenPromise, currency: str, language: str, today: date
) -> PromiseFacts:
    """A broken promise written out as the message quotes it."""
    return PromiseFacts(
        made_on=short_date(promise.made_on, language, today),
        amount=money(promise.amount, currency, language),
        due_on=short_date(promise.due_on, language, today),
        made_by=clean(promise.made_by),
    )


def _plan_facts(client_id: int, currency: str, language: str) -> PlanFacts | None:
    """The current plan (the latest proposed or under way) and its schedule."""
    plan = plan_schedule(client_id, OPEN_PLAN_STATUSES)
    if plan is None:
        return None
    return PlanFacts(
        status=plan.status,
        total=money(plan.total, currency, language),
        frequency=FREQUENCY_WORDS[language].get(plan.frequency, plan.frequency),
        instalments=tuple(_one_instalment(i, currency, language) for i in plan.instalments),
    )


def _instalment_facts(client_id: int, currency: str, language: str) -> InstalmentFacts | None:
    """The running plan's first instalment not fully paid: the one due next, or missed."""
    unpaid = next_unpaid_instalment(client_id)
    return _one_instalment(unpaid, currency, language) if unpaid else None


def _one_instalment(instalment: InstalmentLine, currency: str, language: str) -> InstalmentFacts:
    """One instalment written out."""
    return InstalmentFacts(
        number=instalment.seq,
        due=long_date(instalment.due_on, language),
        amount=money(instalment.amount, currency, language),
        paid=money(instalment.paid, currency, language),
        outstanding=money(instalment.amount - instalment.paid, currency, language),
        is_deposit=instalment.is_deposit,
    )


def _payment_facts(client_id: int, currency: str, language: str) -> PaymentFacts | None:
    """The latest payment received (a reversed one, which bounced, is no payment)."""
    payment = latest_payment(client_id)
    if payment is None:
        return None
    return PaymentFacts(
        amount=money(payment.amount, currency, language),
        received_on=long_date(payment.received_on, language),
        reference=clean(payment.reference),
    )
