"""The command line grammar: commands, options, and one-line usage errors."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from relance import __version__, collector
from relance.cli.errors import UsageError
from relance.domain.jurisdictions import SERIES
from relance.domain.payment_terms import MAX_DELAY_DAYS, PAYMENT_METHODS
from relance.domain.plans import FREQUENCIES
from relance.domain.prevention import FLAGS as PREVENTION_FLAGS
from relance.services.calls import OUTCOMES
from relance.services.clients import KINDS, LANGUAGES
from relance.services.contact_marks import MARKS as CONTACT_MARKS
from relance.services.contacts import LOG_CHANNELS as CONTACT_CHANNELS
from relance.services.letter_kinds import KINDS as LETTER_KINDS
from relance.services.profile import CHOICES as PROFILE_CHOICES

if TYPE_CHECKING:
    from relance.cli.context import Context

EXPORT_FORMATS = ("csv", "json", "toml")
# `relance mediation VERB`: the verb typed, and the outcome it records.
MEDIATION_VERBS = {"propose": "proposed", "failed": "failed", "agreed": "agreed"}
PENALTY_HELP = (
    "Late interest and fixed compensation on one invoice, without touching the book. "
    "--paid is an amount already paid: received on --paid-on, or, without it, by the due "
    "date (it lowers the base from the start). --paid-on alone means paid in full that day. "
    "Without a payment the delay runs to --as-of (default: today). "
    "total = interest + fixed compensation (the unpaid amount itself is not included)."
)


def _handler(module: str, name: str, *, opens_app: bool = False) -> Callable[[Context], int]:
    """A command's handler, imported only when that command runs, so start-up stays quick.

    A command ends start-up as it begins; the app ends it once its first screen is painted.
    """

    def run(context: Context) -> int:
        if not opens_app:
            collector.release()
        command: Callable[[Context], int] = getattr(
            importlib.import_module(f"relance.cli.{module}"), name
        )
        return command(context)

    run.__qualname__ = f"{module}.{name}"
    return run


class _GivenDate(argparse.Action):
    """A date option: leaving it out means its default, but writing it empty is refused."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        """Store the date as typed, or refuse an empty one with the option named."""
        if not isinstance(values, str) or not values.strip():
            parser.error(f"argument {option_string}: no date given (write it as YYYY-MM-DD)")
        setattr(namespace, self.dest, values)


class CommandLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, raised rather than printed with usage."""

    def error(self, message: str) -> NoReturn:
        """Refuse the command line with one line that points at the help."""
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def parse_command_line(argv: Sequence[str]) -> argparse.Namespace:
    """Parse a command line; one that only opens the app skips building every command."""
    parser = build_parser() if _names_more_than_a_book(argv) else _app_parser()
    return parser.parse_args(argv)


def _names_more_than_a_book(argv: Sequence[str]) -> bool:
    """True unless the arguments are at most ``--db PATH``: a command, an option, help."""
    rest = list(argv)
    while rest:
        argument = rest.pop(0)
        if argument == "--db" and rest and not rest[0].startswith("-"):
            rest.pop(0)
        elif not argument.startswith("--db="):
            return True
    return False


def _app_parser() -> CommandLineParser:
    """The grammar of `relance [--db PATH]` alone: the app, without any command."""
    parser = CommandLineParser(
        prog="relance",
        description="Get paid: a keyboard-driven book of who owes you what. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"relance {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", default=None, help="the database file (default: $RELANCE_DB)"
    )
    parser.set_defaults(handler=_handler("launch", "tui", opens_app=True), json=False)
    return parser


def build_parser() -> CommandLineParser:
    """The whole grammar: `relance [--db PATH] [COMMAND ...]`."""
    parser = _app_parser()
    # Subcommands accept --db too; SUPPRESS keeps a value given before the subcommand.
    db_after = CommandLineParser(add_help=False)
    db_after.add_argument(
        "--db", metavar="PATH", default=argparse.SUPPRESS, help="the database file"
    )
    as_json = CommandLineParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print JSON for scripts")
    common = [db_after]
    scripted = [db_after, as_json]
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo", parents=common, help="open the app on a throwaway copy of the sample data"
    )
    demo.set_defaults(handler=_handler("launch", "demo"))

    init = commands.add_parser("init", parents=common, help="create the database")
    init.add_argument("--sample", action="store_true", help="fill it with the sample book")
    init.set_defaults(handler=_handler("views", "init"))

    today = commands.add_parser("today", parents=scripted, help="the triage list")
    today.set_defaults(handler=_handler("views", "today"))
    agenda = commands.add_parser(
        "agenda",
        parents=scripted,
        help="the week ahead: promises, instalments, calls, deadlines, next actions",
    )
    agenda.add_argument("--days", metavar="N", default="7", help="how many days (1 to 366)")
    agenda.set_defaults(handler=_handler("agenda", "agenda_command"))

    show = commands.add_parser("show", parents=scripted, help="one client in full")
    _client_argument(show)
    show.set_defaults(handler=_handler("views", "show"))

    client = commands.add_parser("client", parents=common, help="client commands")
    client_commands = client.add_subparsers(dest="client_command", metavar="ACTION", required=True)
    client_add = client_commands.add_parser("add", parents=scripted, help="add a client")
    client_add.add_argument("name", metavar="NAME")
    client_add.add_argument("--email", metavar="E", default="")
    client_add.add_argument("--phone", metavar="P", default="")
    client_add.add_argument("--kind", choices=KINDS, default="b2b")
    client_add.add_argument("--lang", choices=LANGUAGES, default="fr")
    client_add.add_argument(
        "--jurisdiction",
        metavar="J",
        default="",
        help="fr-b2b, fr-b2c, eu-b2b, uk-b2b or us (default: [law] in the config, else French)",
    )
    client_add.set_defaults(handler=_handler("actions", "client_add"))
    client_set = client_commands.add_parser(
        "set", parents=scripted, help="change a client's law and payment terms"
    )
    _client_argument(client_set)
    client_set.add_argument("--jurisdiction", metavar="J", default="", help="fr-b2b, fr-b2c, …")
    client_set.add_argument(
        "--contract-rate",
        "--penalty-rate",
        dest="contract_rate",
        metavar="PERCENT",
        default="",
        help="yearly late-payment rate agreed in the contract, like 12.5; `none` removes it",
    )
    client_set.add_argument(
        "--state", metavar="XX", default="", help="US state (CA, NY, TX…) for the court route"
    )
    _payment_terms_arguments(client_set)
    client_set.set_defaults(handler=_handler("actions", "client_set"))
    client_flag = client_commands.add_parser(
        "flag", parents=scripted, help="record a deposit asked, paid or refused, a contract…"
    )
    _client_argument(client_flag)
    client_flag.add_argument("flag", metavar="FLAG", help=", ".join(PREVENTION_FLAGS))
    client_flag.add_argument(
        "--invoice", metavar="N", default="", help="the invoice it is about (a deposit invoice)"
    )
    client_flag.add_argument("--note", metavar="T", default="")
    client_flag.set_defaults(handler=_handler("actions", "client_flag"))

    invoice = commands.add_parser("invoice", parents=common, help="invoice commands")
    invoice_commands = invoice.add_subparsers(
        dest="invoice_command", metavar="ACTION", required=True
    )
    invoice_add = invoice_commands.add_parser("add", parents=scripted, help="add an invoice")
    _client_argument(invoice_add)
    invoice_add.add_argument("number", metavar="NUMBER")
    invoice_add.add_argument("amount", metavar="AMOUNT", help="like 1234.56")
    invoice_add.add_argument("--issued", metavar="DATE", action=_GivenDate, required=True)
    invoice_add.add_argument(
        "--due",
        metavar="DATE",
        action=_GivenDate,
        default="",
        help="default: from the client's payment terms",
    )
    invoice_add.add_argument("--currency", metavar="CODE", default="", help="default: the client's")
    invoice_add.set_defaults(handler=_handler("actions", "invoice_add"))

    payment = commands.add_parser("payment", parents=common, help="payment commands")
    payment_commands = payment.add_subparsers(
        dest="payment_command", metavar="ACTION", required=True
    )
    payment_add = payment_commands.add_parser("add", parents=scripted, help="record a payment")
    _client_argument(payment_add)
    payment_add.add_argument("amount", metavar="AMOUNT", help="like 1234.56")
    payment_add.add_argument(
        "--on", metavar="DATE", action=_GivenDate, default="", help="received on (default: today)"
    )
    payment_add.add_argument(
        "--invoice",
        metavar="NUMBER",
        action="append",
        default=[],
        help="pay this one first (repeat to pick several, in order)",
    )
    payment_add.add_argument("--method", metavar="M", default="")
    payment_add.add_argument("--reference", metavar="R", default="")
    payment_add.add_argument(
        "--thank-you",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="send the thank-you message when it settles an invoice"
        " (default: [messages] thank_you)",
    )
    payment_add.set_defaults(handler=_handler("actions", "payment_add"))
    payment_reverse = payment_commands.add_parser(
        "reverse", parents=scripted, help="reverse a payment (a bounced transfer)"
    )
    _client_argument(payment_reverse)
    payment_reverse.add_argument("payment_id", metavar="PAYMENT_ID", help="as `show` lists it")
    payment_reverse.add_argument("--reason", metavar="T", default="")
    payment_reverse.set_defaults(handler=_handler("actions", "payment_reverse"))

    call = commands.add_parser("call", parents=scripted, help="log a phone call")
    _client_argument(call)
    call.add_argument("--outcome", choices=OUTCOMES, required=True)
    call.add_argument("--amount", metavar="A", default="", help="promised amount")
    call.add_argument("--on", metavar="DATE", action=_GivenDate, default="", help="promised date")
    call.add_argument("--note", metavar="T", default="")
    call.add_argument(
        "--contact",
        metavar="CONTACT",
        default="",
        help="who was called (default: the first number not marked wrong)",
    )
    call.set_defaults(handler=_handler("actions", "call"))

    remind = commands.add_parser(
        "remind", parents=scripted, help="send a reminder, or every one due today with --due"
    )
    remind.add_argument(
        "client", metavar="CLIENT", nargs="?", default=None, help="client id or exact name"
    )
    remind.add_argument(
        "--due", action="store_true", help="every e-mail reminder due today (for cron)"
    )
    remind.add_argument("--dry-run", action="store_true", help="show it, write nothing")
    remind.add_argument(
        "--sent",
        action="store_true",
        help="no [smtp]: you send it yourself now, so it counts at once",
    )
    remind.add_argument(
        "--anyway",
        action="store_true",
        help="send even while a bank line waiting for review could be the client's payment",
    )
    remind.set_defaults(handler=_handler("actions", "remind"))
    reminder = commands.add_parser("reminder", parents=common, help="reminders sent by hand")
    reminder_commands = reminder.add_subparsers(
        dest="reminder_command", metavar="ACTION", required=True
    )
    confirm = reminder_commands.add_parser(
        "confirm",
        parents=scripted,
        help="you sent the reminder written with no [smtp]: it counts from today",
    )
    _client_argument(confirm)
    confirm.set_defaults(handler=_handler("actions", "reminder_confirm"))

    plan = commands.add_parser("plan", parents=common, help="payment plan commands")
    plan_commands = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    propose = plan_commands.add_parser("propose", parents=scripted, help="propose a payment plan")
    _client_argument(propose)
    propose.add_argument("--instalments", metavar="N", required=True)
    propose.add_argument("--every", choices=FREQUENCIES, default="month")
    propose.add_argument(
        "--first", metavar="DATE", action=_GivenDate, default="", help="default: the next 20th"
    )
    propose.add_argument("--deposit", metavar="X", default="", help="an amount or a percentage")
    propose.add_argument(
        "--day", metavar="D", default="", help="day of month of monthly instalments after the first"
    )
    propose.add_argument(
        "--include-interest",
        action="store_true",
        help="add late interest and recovery fees to the total (default: waived)",
    )
    propose.add_argument(
        "--send",
        action="store_true",
        help="send the proposal (template plan-proposal) to the client's e-mail at once",
    )
    propose.set_defaults(handler=_handler("actions", "plan_propose"))
    for answer, words in (("accept", "the client accepts"), ("decline", "the client declines")):
        answering = plan_commands.add_parser(
            answer, parents=scripted, help=f"{words} the proposed plan"
        )
        _client_argument(answering)
        answering.add_argument("--note", metavar="T", default="")
        answering.set_defaults(handler=_handler("actions", "plan_answer"), answer=answer)

    note = commands.add_parser("note", parents=scripted, help="add a note to the history")
    _client_argument(note)
    note.add_argument("text", metavar="TEXT")
    note.set_defaults(handler=_handler("actions", "note"))

    snooze = commands.add_parser("snooze", parents=scripted, help="hold a client until a date")
    _client_argument(snooze)
    snooze.add_argument(
        "--until", metavar="DATE", action=_GivenDate, required=True, help="`today` lifts it"
    )
    snooze.set_defaults(handler=_handler("actions", "snooze"))

    dispute = commands.add_parser("dispute", parents=scripted, help="turn a dispute on or off")
    _client_argument(dispute)
    dispute.add_argument("state", choices=("on", "off"))
    dispute.add_argument("--note", metavar="T", default="")
    dispute.set_defaults(handler=_handler("actions", "dispute"))
    profile = commands.add_parser(
        "profile", parents=scripted, help="set the payer profile by hand, or back to auto"
    )
    _client_argument(profile)
    profile.add_argument("profile", choices=PROFILE_CHOICES)
    profile.set_defaults(handler=_handler("actions", "profile"))
    contact = commands.add_parser(
        "log",
        parents=scripted,
        help="log a letter, text, visit or legal step made by hand, or a promise by e-mail",
    )
    _client_argument(contact)
    contact.add_argument("channel", choices=CONTACT_CHANNELS)
    contact.add_argument("--note", metavar="T", default="")
    contact.add_argument("--amount", metavar="A", default="", help="promised amount")
    contact.add_argument(
        "--on", metavar="DATE", action=_GivenDate, default="", help="promised date"
    )
    contact.add_argument("--who", metavar="NAME", default="", help="who promised")
    contact.set_defaults(handler=_handler("actions", "log"))
    _mediation_command(commands, scripted)
    _contact_commands(commands, common, scripted)
    _law_commands(commands, common, scripted)
    _book_io_commands(commands, common, scripted)
    _import_command(commands, scripted)
    _bank_command(commands, common, scripted)
    _dossier_command(commands, common)
    _outbox_command(commands, common, scripted)
    _letter_command(commands, common, scripted)
    return parser


def _mediation_command(
    commands: argparse._SubParsersAction[CommandLineParser], scripted: list[CommandLineParser]
) -> None:
    """`relance mediation propose|failed|agreed CLIENT [--mediator NAME] [--note T] …`."""
    mediation = commands.add_parser(
        "mediation",
        parents=scripted,
        help="record a mediation before court: proposed, failed, or agreed (pay by a day)",
    )
    mediation.add_argument("verb", choices=tuple(MEDIATION_VERBS), metavar="propose|failed|agreed")
    _client_argument(mediation)
    mediation.add_argument("--mediator", metavar="NAME", default="", help="who mediates")
    mediation.add_argument("--note", metavar="T", default="")
    mediation.add_argument("--amount", metavar="A", default="", help="agreed: amount to pay")
    mediation.add_argument(
        "--on", metavar="DATE", action=_GivenDate, default="", help="agreed: day to pay by"
    )
    mediation.set_defaults(handler=_handler("actions", "mediation"))


def _contact_commands(
    commands: argparse._SubParsersAction[CommandLineParser],
    common: list[CommandLineParser],
    scripted: list[CommandLineParser],
) -> None:
    """`relance contact add|set|remove|list|mark|clear-mark CLIENT …`."""
    contact = commands.add_parser("contact", parents=common, help="a client's contacts")
    actions = contact.add_subparsers(dest="contact_command", metavar="ACTION", required=True)
    fields = CommandLineParser(add_help=False)
    fields.add_argument("--name", metavar="NAME", default=None)
    fields.add_argument("--role", metavar="ROLE", default=None)
    fields.add_argument("--email", metavar="E", default=None)
    fields.add_argument("--phone", metavar="P", default=None)
    fields.add_argument("--address", metavar="TEXT", default=None, help="postal address")
    fields.add_argument(
        "--lang", metavar="L", default=None, help="fr, en, or none (the client's language)"
    )
    fields.add_argument(
        "--billing",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the billing contact (reminders go to it first)",
    )
    add = actions.add_parser("add", parents=[*scripted, fields], help="add a contact")
    _client_argument(add)
    add.set_defaults(handler=_handler("contacts", "contact_add"))
    change = actions.add_parser("set", parents=[*scripted, fields], help="change a contact")
    _client_argument(change)
    _contact_argument(change)
    change.set_defaults(handler=_handler("contacts", "contact_set"))
    remove = actions.add_parser("remove", parents=scripted, help="remove a contact")
    _client_argument(remove)
    _contact_argument(remove)
    remove.set_defaults(handler=_handler("contacts", "contact_remove"))
    listing = actions.add_parser("list", parents=scripted, help="a client's contacts and marks")
    _client_argument(listing)
    listing.set_defaults(handler=_handler("contacts", "contact_list"))
    mark = actions.add_parser(
        "mark", parents=scripted, help="mark a number wrong or an address bounced"
    )
    _client_argument(mark)
    _contact_argument(mark)
    mark.add_argument("mark", choices=CONTACT_MARKS)
    mark.add_argument("--reason", metavar="T", default="")
    mark.set_defaults(handler=_handler("contacts", "contact_mark"))
    clear = actions.add_parser("clear-mark", parents=scripted, help="take a mark off a contact")
    _client_argument(clear)
    _contact_argument(clear)
    clear.add_argument("mark", choices=CONTACT_MARKS)
    clear.set_defaults(handler=_handler("contacts", "contact_clear_mark"))


def _contact_argument(parser: argparse.ArgumentParser) -> None:
    """The CONTACT positional: an id from `contact list`, or an exact name, e-mail or phone."""
    parser.add_argument(
        "contact", metavar="CONTACT", help="contact id (contact list), or exact name/e-mail/phone"
    )


def _law_commands(
    commands: argparse._SubParsersAction[CommandLineParser],
    common: list[CommandLineParser],
    scripted: list[CommandLineParser],
) -> None:
    """`relance calc penalty` and `relance rates list|add`: the late-payment law."""
    calc = commands.add_parser("calc", parents=common, help="late-payment calculators")
    calc_commands = calc.add_subparsers(dest="calc_command", metavar="ACTION", required=True)
    penalty = calc_commands.add_parser(
        "penalty",
        parents=scripted,
        help="late interest and fees on one invoice",
        description=PENALTY_HELP,
    )
    penalty.add_argument("--amount", metavar="A", required=True, help="incl. tax, like 1234.56")
    penalty.add_argument(
        "--due", metavar="DATE", action=_GivenDate, required=True, help="the due date"
    )
    penalty.add_argument(
        "--paid", metavar="P", default="", help="amount paid (on --paid-on, else by the due date)"
    )
    penalty.add_argument(
        "--paid-on",
        metavar="DATE",
        action=_GivenDate,
        default="",
        help="date of the payment (alone: paid in full)",
    )
    penalty.add_argument(
        "--jurisdiction", metavar="J", required=True, help="fr-b2b, fr-b2c, eu-b2b, uk-b2b or us"
    )
    penalty.add_argument("--rate", metavar="R", default="", help="contract rate, percent a year")
    penalty.add_argument("--currency", metavar="C", default="", help="default: the jurisdiction's")
    penalty.add_argument(
        "--as-of",
        metavar="DATE",
        action=_GivenDate,
        default="",
        help="count up to (default: today)",
    )
    penalty.add_argument(
        "--notice", metavar="DATE", default="", help="formal notice sent (fr-b2c interest from it)"
    )
    penalty.set_defaults(handler=_handler("law", "calc_penalty"))

    rates = commands.add_parser("rates", parents=common, help="reference rates for late interest")
    rates_commands = rates.add_subparsers(dest="rates_command", metavar="ACTION", required=True)
    rates_list = rates_commands.add_parser("list", parents=scripted, help="shipped and your rates")
    rates_list.add_argument("--series", metavar="S", default="", help="only this series")
    rates_list.set_defaults(handler=_handler("law", "rates_list"))
    rates_add = rates_commands.add_parser(
        "add", parents=common, help="add your rate for a period the table lacks"
    )
    rates_add.add_argument("series", metavar="SERIES", help=", ".join(SERIES))
    rates_add.add_argument(
        "--from", dest="valid_from", metavar="DATE", action=_GivenDate, required=True
    )
    rates_add.add_argument(
        "--to", dest="valid_to", metavar="DATE", action=_GivenDate, required=True
    )
    rates_add.add_argument("--rate", metavar="PERCENT", required=True, help="like 2.15")
    rates_add.add_argument("--note", metavar="T", default="", help="where the rate comes from")
    rates_add.set_defaults(handler=_handler("law", "rates_add"))


def _book_io_commands(
    commands: argparse._SubParsersAction[CommandLineParser],
    common: list[CommandLineParser],
    scripted: list[CommandLineParser],
) -> None:
    """`relance backup|restore|export` and `relance report aging`: the whole book in and out."""
    backup = commands.add_parser("backup", parents=common, help="copy the book, safely while open")
    backup.add_argument(
        "--out", metavar="PATH", default="", help="default: a dated file in backups/ beside it"
    )
    backup.set_defaults(handler=_handler("book_io", "backup"))
    restore = commands.add_parser(
        "restore", parents=common, help="replace the book with a backup, keeping the old one"
    )
    restore.add_argument("path", metavar="PATH", help="a file made by `relance backup`")
    restore.set_defaults(handler=_handler("book_io", "restore"))
    export = commands.add_parser("export", parents=common, help="everything in the book, as data")
    export.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    export.add_argument(
        "--out", metavar="PATH", default="", help="a file (default: standard output); csv: a folder"
    )
    export.set_defaults(handler=_handler("book_io", "export"))
    report = commands.add_parser("report", parents=common, help="reports on the book")
    report_commands = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    aging = report_commands.add_parser(
        "aging", parents=scripted, help="open amounts per client by days overdue"
    )
    aging.add_argument(
        "--as-of", metavar="DATE", action=_GivenDate, default="", help="default: today"
    )
    aging.set_defaults(handler=_handler("book_io", "report_aging"))


def _import_command(
    commands: argparse._SubParsersAction[CommandLineParser],
    scripted: list[CommandLineParser],
) -> None:
    """`relance import PATH`: a CSV file, a UBL or CII XML file, or a Factur-X PDF."""
    command = commands.add_parser(
        "import",
        parents=scripted,
        help="import invoices (CSV, e-invoice) or restore an export (all or nothing)",
    )
    command.add_argument(
        "path",
        metavar="PATH",
        help="a .csv, a UBL/CII .xml, a Factur-X .pdf, or a relance export (file or CSV folder)",
    )
    command.add_argument(
        "--dry-run", action="store_true", help="show what would change, write nothing"
    )
    command.add_argument(
        "--mapping", metavar="FILE", default="", help='TOML [columns] table: "Title" = field'
    )
    command.set_defaults(handler=_handler("importing", "import_file"))


def _bank_command(
    commands: argparse._SubParsersAction[CommandLineParser],
    common: list[CommandLineParser],
    scripted: list[CommandLineParser],
) -> None:
    """`relance bank import|review|accept|set-aside`: bank statements and their lines."""
    bank = commands.add_parser("bank", parents=common, help="bank statements: who paid")
    bank_commands = bank.add_subparsers(dest="bank_command", metavar="ACTION", required=True)
    imported = bank_commands.add_parser(
        "import", parents=scripted, help="import statements: record the certain payments"
    )
    imported.add_argument("files", nargs="+", metavar="FILE", help="camt, MT940, OFX or CSV")
    imported.add_argument("--dry-run", action="store_true", help="show what it would do")
    imported.add_argument(
        "--mapping", metavar="FILE", default="", help="TOML [columns] for an unknown CSV"
    )
    imported.set_defaults(handler=_handler("bank", "bank_import"))
    review = bank_commands.add_parser(
        "review", parents=scripted, help="the lines waiting for review, with proposals"
    )
    review.set_defaults(handler=_handler("bank", "bank_review"))
    accept = bank_commands.add_parser(
        "accept", parents=scripted, help="record a waiting line (its best proposal by default)"
    )
    accept.add_argument("line", metavar="LINE", help="as `bank review` numbers it")
    accept.add_argument("--client", metavar="C", default="", help="client id or exact name")
    accept.add_argument(
        "--invoice",
        metavar="NUMBER",
        action="append",
        default=[],
        help="pay this one first (repeat to pick several, in order)",
    )
    accept.set_defaults(handler=_handler("bank", "bank_accept"))
    aside = bank_commands.add_parser(
        "set-aside", parents=scripted, help="a waiting line that is no client payment"
    )
    aside.add_argument("line", metavar="LINE", help="as `bank review` numbers it")
    aside.set_defaults(handler=_handler("bank", "bank_set_aside"))


def _dossier_command(
    commands: argparse._SubParsersAction[CommandLineParser],
    common: list[CommandLineParser],
) -> None:
    """`relance dossier CLIENT`: statement, invoices, history and interest for a legal claim."""
    command = commands.add_parser(
        "dossier", parents=common, help="a folder or zip of everything a legal claim needs"
    )
    _client_argument(command)
    command.add_argument(
        "--out",
        metavar="PATH",
        default="",
        help="a new or empty folder, or a .zip (default: dossier-ID-DATE here)",
    )
    command.add_argument("--zip", action="store_true", help="write a zip instead of a folder")
    command.set_defaults(handler=_handler("dossier", "dossier"))


def _outbox_command(
    commands: argparse._SubParsersAction[CommandLineParser],
    common: list[CommandLineParser],
    scripted: list[CommandLineParser],
) -> None:
    """`relance outbox retry|list|discard|redirect`: the reminders waiting, and sent ones."""
    outbox = commands.add_parser("outbox", parents=common, help="reminders queued and sent")
    outbox_commands = outbox.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    retry = outbox_commands.add_parser(
        "retry", parents=scripted, help="send every queued reminder through [smtp]"
    )
    retry.add_argument(
        "names", nargs="*", metavar="NAME", help="only these messages (refused ones included)"
    )
    retry.set_defaults(handler=_handler("outbox", "retry"))
    discard = outbox_commands.add_parser(
        "discard", parents=scripted, help="take a waiting message out of the outbox for good"
    )
    discard.add_argument("name", metavar="NAME", help="the message's name (outbox list)")
    discard.set_defaults(handler=_handler("outbox", "discard"))
    redirect = outbox_commands.add_parser(
        "redirect", parents=scripted, help="send a waiting message to another address"
    )
    redirect.add_argument("name", metavar="NAME", help="the message's name (outbox list)")
    redirect.add_argument("address", metavar="ADDRESS", help="the e-mail address to send it to")
    redirect.set_defaults(handler=_handler("outbox", "redirect"))
    listing = outbox_commands.add_parser(
        "list", parents=scripted, help="every message: queued, failed (with why) or sent"
    )
    listing.set_defaults(handler=_handler("outbox", "listing"))


def _letter_command(
    commands: argparse._SubParsersAction[CommandLineParser],
    common: list[CommandLineParser],
    scripted: list[CommandLineParser],
) -> None:
    """`relance letter CLIENT` writes a PDF letter; `relance letter-posted CLIENT` its proof."""
    letter = commands.add_parser(
        "letter", parents=scripted, help="write the formal letter or a statement as a PDF"
    )
    _client_argument(letter)
    letter.add_argument(
        "--kind",
        choices=LETTER_KINDS,
        default=LETTER_KINDS[0],
        help="formal-notice: the formal letter of the client's jurisdiction (default); "
        "statement: every invoice and payment with a running balance",
    )
    letter.add_argument(
        "--out", metavar="PATH", default="", help="also copy the PDF to this new file or folder"
    )
    letter.set_defaults(handler=_handler("letters", "letter"))
    posted = commands.add_parser(
        "letter-posted", parents=scripted, help="record the registered-mail number of a letter"
    )
    _client_argument(posted)
    posted.add_argument("--number", metavar="N", required=True, help="the registered-mail number")
    posted.add_argument(
        "--on", metavar="DATE", action=_GivenDate, default="", help="posted on (default: today)"
    )
    posted.add_argument(
        "--letter", metavar="EVENT", type=int, default=None, help="default: the latest letter"
    )
    posted.set_defaults(handler=_handler("letters", "letter_posted"))


def _payment_terms_arguments(parser: argparse.ArgumentParser) -> None:
    """The payment terms `client set` changes; each one left out stays as it is."""
    parser.add_argument(
        "--delay", metavar="DAYS", default="", help=f"payment delay, 0 to {MAX_DELAY_DAYS} days"
    )
    parser.add_argument(
        "--end-of-month",
        dest="end_of_month",
        action="store_true",
        default=None,
        help="the delay runs to the end of the month it ends in",
    )
    parser.add_argument(
        "--no-end-of-month", dest="end_of_month", action="store_false", help="a plain delay"
    )
    parser.add_argument(
        "--methods",
        metavar="LIST",
        default="",
        help=f"accepted methods, comma-separated: {','.join(PAYMENT_METHODS)}; `none`",
    )
    parser.add_argument(
        "--fixed-fee",
        metavar="AMOUNT",
        default="",
        help="recovery fee agreed per late invoice, like 40; `none`: the law's",
    )
    parser.add_argument(
        "--terms-note", metavar="T", default="", help="the terms in your words; `none` clears it"
    )


def _client_argument(parser: argparse.ArgumentParser) -> None:
    """The CLIENT positional: an id or an exact name."""
    parser.add_argument("client", metavar="CLIENT", help="client id or exact name")
