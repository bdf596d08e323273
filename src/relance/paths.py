"""Where relance keeps its files: the database, the outbox and the config file."""

from __future__ import annotations

import os
import re
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "relance"
DB_FILENAME = "relance.db"
CONFIG_FILENAME = "config.toml"
# `scheme://…`, or SQLite's own `file:` and `sqlite:` forms: an address, not a file name.
DATABASE_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://|(?i:file|sqlite):")


class DatabaseAddressError(ValueError):
    """A database given as a URL: only a file path names a book."""


def database_path(cli_value: str | None = None) -> Path:
    """The database file: ``--db``, then ``RELANCE_DB``, then the platform data directory."""
    chosen = cli_value or os.environ.get("RELANCE_DB")
    if chosen:
        return book_file(chosen, "--db" if cli_value else "RELANCE_DB")
    return user_data_path(APP_NAME) / DB_FILENAME


def book_file(text: str, source: str) -> Path:
    """The path of a book typed by the user; a URL is refused rather than made a folder."""
    if DATABASE_URL.match(text):
        raise DatabaseAddressError(
            f"{source}: {text!r} is a URL; relance keeps its book in a SQLite file, give its path"
        )
    return Path(text).expanduser()


def config_path() -> Path:
    """The config file: ``RELANCE_CONFIG``, then the platform config directory."""
    chosen = os.environ.get("RELANCE_CONFIG")
    if chosen:
        return Path(chosen).expanduser()
    return user_config_path(APP_NAME) / CONFIG_FILENAME


def outbox_path(db_path: Path) -> Path:
    """The outbox of a book: a folder beside its database file."""
    return db_path.parent / f"{db_path.stem}-outbox"


def letters_path(db_path: Path) -> Path:
    """Where a book keeps the PDF letters it wrote: a folder beside its database file."""
    return db_path.parent / f"{db_path.stem}-letters"


def ensure_private_dir(folder: Path) -> Path:
    """Create a folder (and missing parents) readable by its owner only."""
    # mkdir(parents=True) gives the parents the default mode; create each one private instead.
    missing = [folder, *folder.parents]
    for parent in reversed(missing):
        if not parent.exists():
            parent.mkdir(mode=0o700, exist_ok=True)
            os.chmod(parent, 0o700)
    return folder


def create_private_file(path: Path) -> None:
    """Create an empty file with mode 0600 if it does not exist, whatever the umask."""
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
