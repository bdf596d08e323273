"""Refusals raised by the command line itself, each carrying its exit status."""

from __future__ import annotations

# Exit statuses of the outside contract: bad input, any other failure, interrupted by ctrl+c.
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
EXIT_PAYMENT_IN_REVIEW = 3
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """A refusal with a message for the user and the exit status it ends with."""

    exit_status = EXIT_FAILURE


class UsageError(CommandError):
    """The command line itself is wrong: unknown command, missing or malformed option."""

    exit_status = EXIT_BAD_INPUT


class BadInput(CommandError):
    """Options that parse but make no sense together, or a target that must not exist."""

    exit_status = EXIT_BAD_INPUT


class MissingBook(CommandError):
    """A command that reads or changes a book was pointed at a file that does not exist."""

    exit_status = EXIT_FAILURE


class NoTerminal(CommandError):
    """The app was asked for where there is no terminal to draw it in."""

    exit_status = EXIT_FAILURE


class PaymentInReview(CommandError):
    """A reminder held back: a bank line waiting for review could be the client's payment."""

    exit_status = EXIT_PAYMENT_IN_REVIEW
