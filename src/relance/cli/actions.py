"""The scriptable twins of the TUI's actions: each calls one service and prints what it did."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Any

from relance.cli.context import Context
from relance.cli.errors import BadInput, PaymentInReview
from relance.cli.remind_due import remind_due_command
from relance.domain.jurisdictions import default_jurisdiction
from relance.literal import one_line
from relance.paths import outbox_path
from relance.services.bank import waiting_lines_warning
from relance.services.calls import log_call
from relance.services.chosen_message import (
    THANK_YOU,
    send_chosen_message,
    should_ask_thank_you,
    thank_you_wanted,
)
from relance.services.clients import (
    add_client,
    add_note,
    set_dispute,
    set_legal_terms,
    snooze_client,
)
from relance.services.contacts import log_contact
from relance.services.drafting import draft_reminder
from relance.services.invoices import add_invoice
from relance.services.mediation import record_mediation
from relance.services.payment_terms import TermsInput
from relance.services.payments import record_payment, reverse_payment
from relance.services.plans import INCLUDED, WAIVED, answer_plan, propose_plan
from relance.services.prevention import flag_client
from relance.services.profile import set_profile_override
from relance.services.reminders import confirm_sent, reminder_recipients, send_reminder
from relance.services.results import ActionResult


def report(ctx: Context, result: ActionResult) -> int:
    """Print an action's summary, or with ``--json`` its record, client and event ids."""
    if ctx.args.json:
        ctx.out.json(action_record(result))
    else:
        ctx.out.line(result.summary)
    return 0


def action_record(result: ActionResult) -> dict[str, Any]:
    """What `--json` prints for an action."""
    return {**result.record, "client_id": result.client_id, "event_id": result.event_id}


def client_add(ctx: Context) -> int:
    """`relance client add`: prints the new id alone, so `id=$(relance client add X)` works."""
    args = ctx.args
    ctx.open_book(create=True)
    result = add_client(
        args.name,
        ctx.now(),
        email=args.email,
        phone=args.phone,
        kind=args.kind,
        language=args.lang,
        jurisdiction_code=args.jurisdiction
        or default_jurisdiction(args.kind, ctx.config.law.default_jurisdiction),
    )
    if args.json:
        ctx.out.json(action_record(result))
    else:
        ctx.out.line(str(result.client_id))
    return 0


def client_set(ctx: Context) -> int:
    """`relance client set`: the law a client's claims follow and its payment terms."""
    args = ctx.args
    ctx.open_book()
    result = set_legal_terms(
        ctx.client_id(),
        ctx.now(),
        jurisdiction_code=args.jurisdiction,
        contract_rate=args.contract_rate,
        region=args.state,
        terms=TermsInput(
            delay=args.delay,
            end_of_month=args.end_of_month,
            methods=args.methods,
            fixed_fee=args.fixed_fee,
            note=args.terms_note,
        ),
    )
    return report(ctx, result)


def client_flag(ctx: Context) -> int:
    """`relance client flag CLIENT deposit-asked|…|contract-refused [--invoice N]`."""
    args = ctx.args
    ctx.open_book()
    result = flag_client(
        ctx.client_id(), args.flag, ctx.now(), invoice=args.invoice, note=args.note
    )
    return report(ctx, result)


def invoice_add(ctx: Context) -> int:
    """`relance invoice add`."""
    args = ctx.args
    ctx.open_book()
    result = add_invoice(
        ctx.client_id(),
        args.number,
        args.amount,
        args.issued,
        args.due,
        ctx.now(),
        currency=args.currency,
    )
    return report(ctx, result)


def payment_add(ctx: Context) -> int:
    """`relance payment add`: with ``--thank-you`` (or ``thank_you = "always"``) thanks too."""
    args = ctx.args
    path = ctx.open_book()
    client_id = ctx.client_id()
    # Checked first, so a payment whose thank-you cannot go is not recorded either.
    if args.thank_you and not reminder_recipients(client_id):
        raise BadInput("--thank-you: the client has no e-mail address; add one to a contact")
    result = record_payment(
        client_id,
        args.amount,
        ctx.now(),
        received_on=args.on,
        method=args.method,
        reference=args.reference,
        invoice_numbers=args.invoice,
    )
    thanks = None
    if thank_you_wanted(ctx.config, result, args.thank_you):
        thanks = send_chosen_message(client_id, THANK_YOU, ctx.now(), ctx.config, outbox_path(path))
    if args.json:
        record = {**result.record, "thank_you": action_record(thanks) if thanks else None}
        return report(ctx, replace(result, record=record))
    ctx.out.line(result.summary)
    if thanks is not None:
        ctx.out.line(thanks.summary)
    elif args.thank_you is None and should_ask_thank_you(ctx.config, result):
        settled = ", ".join(result.record["settled"])
        ctx.out.line(f"{settled} settled: --thank-you sends the thank-you message")
    # The thank-you was asked for and the server did not take it: scripts must notice.
    return NOT_SENT_STATUS if thanks and thanks.record.get("status") == "failed" else 0


def payment_reverse(ctx: Context) -> int:
    """`relance payment reverse CLIENT PAYMENT_ID [--reason T]`."""
    args = ctx.args
    ctx.open_book()
    result = reverse_payment(ctx.client_id(), args.payment_id, ctx.now(), reason=args.reason)
    return report(ctx, result)


def call(ctx: Context) -> int:
    """`relance call`: a promise needs its amount and date, other outcomes take neither."""
    args = ctx.args
    if args.outcome == "promised":
        missing = [
            name for name, value in (("--amount", args.amount), ("--on", args.on)) if not value
        ]
        if missing:
            raise BadInput(f"--outcome promised needs {' and '.join(missing)}")
    elif args.amount or args.on:
        raise BadInput("--amount and --on only go with --outcome promised")
    ctx.open_book()
    result = log_call(
        ctx.client_id(),
        args.outcome,
        ctx.now(),
        note=args.note,
        promised_amount=args.amount,
        promised_on=args.on,
        contact=args.contact,
    )
    return report(ctx, result)


# `relance remind CLIENT` whose message the server did not take (refused, or unreachable).
NOT_SENT_STATUS = 1


def remind(ctx: Context) -> int:
    """`relance remind`: sends the reminder, or with ``--dry-run`` only shows it."""
    if ctx.args.due:
        if ctx.args.client is not None:
            raise BadInput("give a CLIENT or --due, not both")
        return remind_due_command(ctx)
    if ctx.args.client is None:
        raise BadInput("remind needs a CLIENT (or --due for every reminder due today)")
    config = ctx.config
    path = ctx.open_book()
    client_id = ctx.client_id()
    if ctx.args.sent and config.smtp is not None:
        raise BadInput("--sent is for a reminder you send yourself; [smtp] is configured")
    if ctx.args.sent and ctx.args.dry_run:
        raise BadInput("give --sent or --dry-run, not both")
    waiting = waiting_lines_warning(client_id)
    if waiting and not ctx.args.dry_run and not ctx.args.anyway:
        raise PaymentInReview(
            f"{waiting}: nothing was sent; review them (relance bank review) or pass --anyway"
        )
    if waiting and ctx.args.dry_run:
        # The draft goes to stdout for scripts; the caution goes beside it.
        sys.stderr.write(one_line(f"relance: {waiting}") + "\n")
    if not ctx.args.dry_run:
        result = send_reminder(
            client_id, ctx.now(), config, outbox_path(path), sent_by_hand=ctx.args.sent
        )
        status = report(ctx, result)
        # The server refused it or could not be reached: cron and scripts must notice.
        return NOT_SENT_STATUS if result.record.get("status") == "failed" else status
    draft = draft_reminder(client_id, ctx.today, config)
    recipients = reminder_recipients(client_id)
    if ctx.args.json:
        ctx.out.json(
            {
                "client_id": client_id,
                "dry_run": True,
                "to": recipients,
                "subject": draft.subject,
                "body": draft.body,
                "template": draft.template,
                "language": draft.language,
                "step": draft.step_label,
                "channel": draft.channel,
            }
        )
        return 0
    ctx.out.line("To: " + (", ".join(recipients) or "(nobody: the client has no e-mail address)"))
    ctx.out.line("Subject: " + draft.subject)
    ctx.out.line("")
    ctx.out.block(draft.body)
    return 0


def reminder_confirm(ctx: Context) -> int:
    """`relance reminder confirm CLIENT`: the reminder written with no [smtp] went."""
    path = ctx.open_book()
    return report(ctx, confirm_sent(ctx.client_id(), ctx.now(), outbox_path(path)))


def plan_propose(ctx: Context) -> int:
    """`relance plan propose`: prints the summary and the schedule."""
    args = ctx.args
    path = ctx.open_book()
    client_id = ctx.client_id()
    # Checked first, so a proposal that cannot be sent is not recorded either.
    if args.send and not reminder_recipients(client_id):
        raise BadInput("--send: the client has no e-mail address; add one to a contact")
    result = propose_plan(
        client_id,
        args.instalments,
        ctx.now(),
        every=args.every,
        first=args.first,
        deposit=args.deposit,
        day=args.day,
        extras=INCLUDED if args.include_interest else WAIVED,
    )
    # The next action of a proposed plan is its proposal: the reminder drafted is that letter.
    sent = send_reminder(client_id, ctx.now(), ctx.config, outbox_path(path)) if args.send else None
    if not args.json:
        ctx.out.line(result.summary)
        for seq, item in enumerate(result.record.get("instalments", []), start=1):
            ctx.out.line(f"  {seq}. {item['due_on']}  {item['amount']}")
        if sent is not None:
            ctx.out.line(sent.summary)
        return 0
    if sent is not None:
        result = replace(result, record={**result.record, "sent": action_record(sent)})
    return report(ctx, result)


def plan_answer(ctx: Context) -> int:
    """`relance plan accept|decline CLIENT [--note T]`."""
    ctx.open_book()
    result = answer_plan(ctx.client_id(), ctx.args.answer, ctx.now(), note=ctx.args.note)
    return report(ctx, result)


def note(ctx: Context) -> int:
    """`relance note`."""
    ctx.open_book()
    return report(ctx, add_note(ctx.client_id(), ctx.args.text, ctx.now()))


def snooze(ctx: Context) -> int:
    """`relance snooze`."""
    ctx.open_book()
    return report(ctx, snooze_client(ctx.client_id(), ctx.args.until, ctx.now()))


def dispute(ctx: Context) -> int:
    """`relance dispute CLIENT on|off`."""
    ctx.open_book()
    result = set_dispute(ctx.client_id(), ctx.args.state == "on", ctx.now(), note=ctx.args.note)
    return report(ctx, result)


def profile(ctx: Context) -> int:
    """`relance profile CLIENT careless|bad-faith|auto`."""
    ctx.open_book()
    return report(ctx, set_profile_override(ctx.client_id(), ctx.args.profile, ctx.now()))


def log(ctx: Context) -> int:
    """`relance log CLIENT letter|sms|visit|legal|email [--amount A --on DATE]`."""
    args = ctx.args
    ctx.open_book()
    result = log_contact(
        ctx.client_id(),
        args.channel,
        ctx.now(),
        args.note,
        promised_amount=args.amount,
        promised_on=args.on,
        who=args.who,
    )
    return report(ctx, result)


def mediation(ctx: Context) -> int:
    """`relance mediation propose|failed|agreed CLIENT`: a proposal prints its letter too."""
    from relance.cli.parser import MEDIATION_VERBS

    args = ctx.args
    ctx.open_book()
    result = record_mediation(
        ctx.client_id(),
        MEDIATION_VERBS[args.verb],
        ctx.now(),
        ctx.config,
        mediator=args.mediator,
        note=args.note,
        amount=args.amount,
        pay_by=args.on,
    )
    if not args.json and "letter" in result.record:
        ctx.out.line(result.summary)
        ctx.out.line("")
        ctx.out.block(str(result.record["letter"]))
        return 0
    return report(ctx, result)
