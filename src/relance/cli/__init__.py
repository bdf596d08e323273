"""The `relance` command: parse, run one command, and turn every failure into one line."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from relance import clock
from relance.cli.context import AppOpener, Context
from relance.cli.errors import (
    EXIT_BAD_INPUT,
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    CommandError,
)
from relance.cli.output import Output
from relance.cli.parser import parse_command_line
from relance.config import ConfigError, load_config
from relance.literal import one_line
from relance.paths import DatabaseAddressError
from relance.policy_config import policy_from_config
from relance.services.validation import InvalidInput
from relance.store.database import as_store_error, close_database
from relance.store.errors import StoreError
from relance.store.lookup import ClientNotFound
from relance.store.triage_index import set_active_policy


def main(argv: Sequence[str] | None = None, *, app_opener: AppOpener | None = None) -> int:
    """Run the command line and return its exit status; never shows a traceback."""
    try:
        return _run(list(sys.argv[1:] if argv is None else argv), app_opener)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`relance today | head`); silence the final flush too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILURE
    except SystemExit as done:
        # --help and --version end through argparse's own exit.
        return done.code if isinstance(done.code, int) else EXIT_FAILURE
    except CommandError as error:
        return _refuse(str(error), error.exit_status)
    except InvalidInput as error:
        return _refuse(invalid_input_message(error), EXIT_BAD_INPUT)
    except (ClientNotFound, clock.ClockError, ConfigError, DatabaseAddressError) as error:
        return _refuse(str(error), EXIT_BAD_INPUT)
    except StoreError as error:
        return _refuse(str(error), EXIT_FAILURE)
    except OSError as error:
        target = f" {error.filename}" if error.filename else ""
        return _refuse(f"cannot use{target}: {error.strerror or error}", EXIT_FAILURE)
    except Exception as error:
        translated = as_store_error(error)
        if translated is not None:
            return _refuse(str(translated), EXIT_FAILURE)
        return _refuse(f"unexpected error: {type(error).__name__}: {error}", EXIT_FAILURE)
    finally:
        close_database()


def _run(argv: list[str], app_opener: AppOpener | None) -> int:
    """Parse the arguments and run the chosen command."""
    args = parse_command_line(argv)
    # The triage index is built with the user's dunning policy: set it before any book opens.
    config = load_config()
    set_active_policy(policy_from_config(config))
    context = Context(
        args=args,
        today=clock.today(),
        out=Output(sys.stdout),
        config=config,
        app_opener=app_opener,
    )
    status: int = args.handler(context)
    return status


def invalid_input_message(error: InvalidInput) -> str:
    """Every refused field on one line, each message naming its field."""
    parts = []
    for field, message in error.errors.items():
        parts.append(message if message.startswith(field) else f"{field}: {message}")
    return "; ".join(parts)


def _refuse(message: str, status: int) -> int:
    """Print one line on stderr and return the exit status."""
    print(f"relance: {one_line(message)}", file=sys.stderr)
    return status
