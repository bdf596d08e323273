"""Every file relance writes is 0600 in folders 0700, whatever the umask; secrets go nowhere."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_fixtures import Relance, Run
from relance.config import load_config, save_setting
from relance.store.database import close_database, open_database
from smtp_server import smtp_server

SECRET = "plAnted-s3cret-Xyzzy-42"


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that lets everyone read and write what is created: relance must not rely on it."""
    previous = os.umask(0o000)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    """The permission bits of a file or folder."""
    return stat.S_IMODE(path.stat().st_mode)


def assert_private_tree(root: Path, *, inside: Path) -> None:
    """``root`` (a file or folder) and its folders up to ``inside``: files 0600, folders 0700."""
    paths = [root, *root.rglob("*")] if root.is_dir() else [root]
    for path in paths:
        wanted = 0o700 if path.is_dir() else 0o600
        assert mode(path) == wanted, f"{path} is {oct(mode(path))}, not {oct(wanted)}"
    for folder in root.parents:
        if folder == inside:
            break
        assert mode(folder) == 0o700, f"{folder} is {oct(mode(folder))}"


def test_the_book_and_its_wal_files(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "deep" / "er" / "relance.db"
    open_database(path)
    try:
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        for file in (path, wal, shm):
            assert_private_tree(file, inside=tmp_path)
    finally:
        close_database()


def test_the_config_file(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "conf" / "relance" / "config.toml"
    config = load_config(path)
    save_setting(config, "theme", "relance-light")
    assert_private_tree(path, inside=tmp_path)


def test_every_file_the_commands_write(
    tmp_path: Path,
    open_umask: None,
    relance: Relance,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work = tmp_path / "work"
    db = work / "books" / "relance.db"
    monkeypatch.setenv("RELANCE_DB", str(db))
    config = Path(os.environ["RELANCE_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        '[creditor]\nname = "Claire Dev"\naddress = "1 rue de la Paix\\n75002 Paris"\n',
        encoding="utf-8",
    )
    assert relance("client", "add", "Durand SARL", "--email", "compta@durand.example").status == 0
    dates = ("--issued", "2026-09-01", "--due", "2026-10-01")
    assert relance("invoice", "add", "Durand SARL", "F-1", "900.00", *dates).status == 0
    made = {
        "backup": (("backup", "--out", str(work / "saves" / "b" / "copy.db")), "saves"),
        "export": (
            ("export", "--format", "json", "--out", str(work / "exports" / "e" / "book.json")),
            "exports",
        ),
        "csv": (("export", "--format", "csv", "--out", str(work / "csv" / "c")), "csv"),
        "dossier": (("dossier", "Durand SARL", "--out", str(work / "dossiers" / "d")), "dossiers"),
        "zip": (
            ("dossier", "Durand SARL", "--zip", "--out", str(work / "zips" / "z.zip")),
            "zips",
        ),
        "letter": (("letter", "Durand SARL"), "books"),
        "remind": (("remind", "Durand SARL"), "books"),
    }
    for what, (argv, folder) in made.items():
        run = relance(*argv)
        assert run.status == 0, (what, run)
        assert_private_tree(work / folder, inside=work)
    # The book's own folder holds the book, its outbox and its letters folder.
    names = {p.name for p in (work / "books").iterdir()}
    assert names >= {"relance.db", "relance-outbox", "relance-letters"}


def test_a_planted_smtp_password_appears_nowhere(
    tmp_path: Path,
    relance: Relance,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The password reaches the server, and no file, output, history or export of relance."""
    monkeypatch.setenv("RELANCE_TEST_PASSWORD", SECRET)
    config = Path(os.environ["RELANCE_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    work = tmp_path / "work"
    monkeypatch.setenv("RELANCE_DB", str(work / "relance.db"))
    runs: list[Run] = []
    with smtp_server(password="not-the-planted-one") as server:
        config.write_text(
            '[creditor]\nname = "Claire Dev"\nemail = "claire@example.fr"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n'
            'username = "claire"\npassword_env = "RELANCE_TEST_PASSWORD"\n',
            encoding="utf-8",
        )
        runs.append(relance("client", "add", "Durand SARL", "--email", "compta@durand.example"))
        dates = ("--issued", "2026-09-01", "--due", "2026-10-01")
        runs.append(relance("invoice", "add", "Durand SARL", "F-1", "900.00", *dates))
        # The server refuses the login: the send fails and says why, without the password.
        runs.append(relance("remind", "Durand SARL"))
        runs.append(relance("remind", "Durand SARL", "--json"))
        runs.append(relance("outbox", "retry"))
        runs.append(relance("outbox", "retry", "--json"))
        runs.append(relance("outbox", "list", "--json"))
        runs.append(relance("show", "Durand SARL", "--json"))
        runs.append(relance("export", "--format", "json", "--out", str(work / "export.json")))
        runs.append(relance("export", "--format", "toml", "--out", str(work / "export.toml")))
        runs.append(relance("backup", "--out", str(work / "backup.db")))
        runs.append(relance("dossier", "Durand SARL", "--zip", "--out", str(work / "d.zip")))
    assert server.collector.logins and all(given == SECRET for _, given in server.collector.logins)
    assert any("refused the login" in run.out + run.err for run in runs)
    for run in runs:
        assert SECRET not in run.out + run.err
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
