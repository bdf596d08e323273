"""Odd input on the command line, in the config and in files: exit 2, one line, nothing written."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tomllib
import zlib
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import NameObject

from cli_fixtures import Relance, Run, ok
from hostile_text import book_dump
from relance.messages.rendering import shipped_names

CLIENT = "Durand SARL"
HUGE = "9" * 5000
DATES = ("--issued", "2026-09-01", "--due", "2026-10-01")


@pytest.fixture
def indebted(relance: Relance) -> Relance:
    """A book with one client owing one overdue invoice."""
    ok(relance("client", "add", CLIENT, "--email", "compta@durand.example"))
    ok(relance("invoice", "add", CLIENT, "F-1", "900.00", *DATES))
    return relance


def book_path() -> Path:
    """The test's book, as RELANCE_DB names it."""
    return Path(os.environ["RELANCE_DB"])


def write_config(text: str) -> Path:
    """Write the config file the test's environment points at."""
    path = Path(os.environ["RELANCE_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def refused(run: Run, *expected: str, status: int = 2) -> None:
    """One line on stderr naming what was wrong, and the given exit status."""
    assert run.status == status, run
    assert run.err.startswith("relance: ") and run.err.count("\n") == 1, run.err
    assert "unexpected error" not in run.err, run.err
    for text in expected:
        assert text in run.err, run.err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(
            ("invoice", "add", CLIENT, "F-2", HUGE, *DATES), "amount is too large", id="amount"
        ),
        pytest.param(
            ("payment", "add", CLIENT, "1.00", "--on", "+" + HUGE),
            "on: date out of range",
            id="offset",
        ),
        pytest.param(
            ("snooze", CLIENT, "--until", "-" + HUGE), "until: date out of range", id="back"
        ),
        pytest.param(
            ("snooze", CLIENT, "--until", "9999-12-31"), "until: date out of range", id="year-9999"
        ),
        pytest.param(
            ("plan", "propose", CLIENT, "--instalments", HUGE), "instalments must be", id="count"
        ),
        pytest.param(
            ("plan", "propose", CLIENT, "--instalments", "3", "--day", HUGE),
            "day must be",
            id="day",
        ),
        pytest.param(("payment", "reverse", CLIENT, HUGE), "not a payment number", id="payment-id"),
        pytest.param(("note", HUGE, "x"), "no client", id="client-id"),
        pytest.param(
            ("call", CLIENT, "--outcome", "promised", "--amount", "10", "--on", "20261130"),
            "on: not a date: '20261130'",
            id="compact-date",
        ),
        pytest.param(
            ("call", CLIENT, "--outcome", "promised", "--amount", "10", "--on", "2026-W48-1"),
            "on: not a date: '2026-W48-1'",
            id="week-date",
        ),
        pytest.param(
            ("payment", "add", CLIENT, "1.00", "--on", ""), "--on: no date given", id="empty-on"
        ),
        pytest.param(
            ("letter-posted", CLIENT, "--number", "1A", "--on", " "),
            "--on: no date given",
            id="empty-posted-on",
        ),
        pytest.param(
            ("client", "set", CLIENT, "--state", "ZZ"), "state must be a US state", id="state"
        ),
        pytest.param(
            ("client", "add", "Dupont", "--email", "a@b"), "not an e-mail address", id="email"
        ),
        pytest.param(
            ("client", "add", "Dupont", "--email", "a@b.fr, evil@attacker.example"),
            "not an e-mail address",
            id="two-emails",
        ),
    ],
)
def test_bad_input_exits_2_naming_the_field_and_writes_nothing(
    indebted: Relance, argv: tuple[str, ...], expected: str
) -> None:
    before = book_dump(book_path())
    refused(indebted(*argv), expected)
    assert book_dump(book_path()) == before


def test_a_known_state_and_a_dotted_address_are_still_taken(indebted: Relance) -> None:
    ok(indebted("client", "set", CLIENT, "--state", "ny"))
    ok(indebted("client", "add", "Dupont", "--email", "jean.dupont+relance@société.fr"))
    ok(indebted("payment", "add", CLIENT, "10.00", "--on", "2026-11-20"))
    assert indebted("show", CLIENT, "--json").json()["state"] == "NY"


def test_a_csv_with_a_huge_amount_reports_every_row(indebted: Relance, tmp_path: Path) -> None:
    source = tmp_path / "invoices.csv"
    source.write_text(
        "client,invoice,amount,issued,due\n"
        f"{CLIENT},F-9,{HUGE},2026-09-01,2026-10-01\n"
        f"{CLIENT},F-10,12.5.0,2026-09-01,2026-10-01\n",
        encoding="utf-8",
    )
    before = book_dump(book_path())
    run = indebted("import", str(source))
    assert run.status == 2, run
    assert "line 2, column amount: amount is too large" in run.err
    assert "line 3, column amount" in run.err
    assert book_dump(book_path()) == before


def test_an_export_holding_year_9999_is_refused_by_column(
    indebted: Relance, tmp_path: Path
) -> None:
    ok(indebted("snooze", CLIENT, "--until", "2026-12-20"))
    export = tmp_path / "book.json"
    ok(indebted("export", "--format", "json", "--out", str(export)))
    export.write_text(export.read_text("utf-8").replace("2026-12-20", "9999-12-31"), "utf-8")
    run = indebted("--db", str(tmp_path / "other.db"), "import", str(export))
    assert run.status == 2, run
    assert "column snoozed_until: date out of range: '9999-12-31'" in run.err
    assert not (tmp_path / "other.db").exists() or book_dump(tmp_path / "other.db")["client"] == []


def test_the_toml_export_escapes_bidi_and_control_characters(
    indebted: Relance, tmp_path: Path
) -> None:
    text = "paid \u202egnihton\u202c, \x1b]0;pwned\x07 said"
    ok(indebted("note", CLIENT, text))
    out = tmp_path / "book.toml"
    ok(indebted("export", "--format", "toml", "--out", str(out)))
    written = out.read_text(encoding="utf-8")
    assert "\u202e" not in written and "\x1b" not in written and "\x07" not in written
    assert "\\u202e" in written and "\\u001b" in written
    notes = [
        event.get("body", "") + event["summary"] for event in tomllib.loads(written)["history"]
    ]
    assert any(text in note for note in notes), notes


CONFIG_REFUSALS = [
    pytest.param('[creditor]\nnmae = "x"\n', "unknown setting creditor.nmae", id="creditor-typo"),
    pytest.param('them = "relance-light"\n', "unknown setting them", id="top-level-typo"),
    pytest.param('[law]\ndefault = "fr-b2b"\n', "unknown setting law.default", id="law-typo"),
    pytest.param('[smtp]\nhost = "h"\nprot = 25\n', "unknown setting smtp.prot", id="smtp-typo"),
    pytest.param(
        '[creditor]\nname = "Me\\r\\nBcc: evil@attacker.example"\n',
        "creditor.name must be one line",
        id="creditor-crlf",
    ),
    pytest.param(
        '[creditor]\nemail = "me@example.fr\\nBcc: x@y.example"\n',
        "creditor.email must be one line",
        id="email-crlf",
    ),
    pytest.param(
        '[creditor]\nemail = "me@example"\n', "creditor.email is not an e-mail", id="email"
    ),
    pytest.param(
        '[smtp]\nhost = "h"\nfrom = "me@example.fr\\r\\nBcc: x@y.example"\n',
        "smtp.from must be one line",
        id="from-crlf",
    ),
    pytest.param(
        '[smtp]\nhost = "mail.example.fr"\nsecurity = "none"\nusername = "me"\n'
        'password_env = "P"\n',
        'smtp.security = "none" would send the password in clear',
        id="clear-password",
    ),
    pytest.param("a = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply", id="deep-nesting"),
    pytest.param(
        '[creditor]\niban = "FR76 3000 6000 0112 3456 7890 188"\n',
        "creditor.iban 'FR76 3000 6000 0112 3456 7890 188' is not a valid IBAN",
        id="iban-checksum",
    ),
    pytest.param(
        '[creditor]\nbic = "BNPAFRP"\n', "creditor.bic 'BNPAFRP' is not a valid BIC", id="bic"
    ),
]


@pytest.mark.parametrize(("config", "expected"), CONFIG_REFUSALS)
def test_config_mistakes_exit_2_naming_the_key(
    indebted: Relance, config: str, expected: str
) -> None:
    path = write_config(config)
    before = book_dump(book_path())
    refused(indebted("payment", "add", CLIENT, "1.00"), f"config file {path}", expected)
    assert book_dump(book_path()) == before


def test_a_clear_text_password_to_this_machine_is_allowed(indebted: Relance) -> None:
    write_config(
        '[smtp]\nhost = "127.0.0.1"\nsecurity = "none"\nusername = "me"\npassword_env = "P"\n'
    )
    ok(indebted("today"))


@pytest.mark.parametrize(
    ("letters", "expected"),
    [
        ('font = "/etc/passwd"', "letters.font: font file /etc/passwd is not a TrueType"),
        ('font = "/nowhere/Missing.ttf"', "font file /nowhere/Missing.ttf cannot be read"),
        ("deadline = 8", "unknown setting letters.deadline"),
    ],
)
def test_a_bad_letters_setting_is_named_and_no_letter_written(
    indebted: Relance, tmp_path: Path, letters: str, expected: str
) -> None:
    write_config(f"[letters]\n{letters}\n")
    before = book_dump(book_path())
    refused(indebted("letter", CLIENT, "--out", str(tmp_path / "letter.pdf")), expected)
    assert not (tmp_path / "letter.pdf").exists()
    assert book_dump(book_path()) == before


def test_a_remap_onto_another_actions_key_is_refused(relance: Relance) -> None:
    write_config('[keys]\nlog_call = "q"\n')
    refused(relance(), "keys.log_call = 'q' takes 'q' from quit")
    # Moving quit elsewhere too frees the key: the app then only lacks a terminal.
    write_config('[keys]\nlog_call = "q"\nquit = "ctrl+q"\n')
    run = relance()
    assert run.status == 1 and "needs a terminal" in run.err, run


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Subject: x\n\n{% for i in range(10**9) %}{% endfor %}\n", "loops too long"),
        ("Subject: x\n\n{% set n = 99999 %}{{ 7 ** n }}\n", "power too large"),
        ("Subject: x\n\n{% for i in range(10**5) %}{% endfor %}\n", "loops too long"),
        (
            "Subject: x\n\n{% for i in range(5000) %}{% for j in range(5000) %}"
            "{% endfor %}{% endfor %}\n",
            "loops too long",
        ),
        ("Subject: x\n\n{{ 'x' * 10**10 }}\n", "repeat too large"),
        ("Subject: x\n\n{{ 'x' * 100000000 }}\n", "repeat too large"),
        (
            "Subject: x\n\n{% for i in range(9000) %}{{ 'x' * 100 }}{% endfor %}\n",
            "output too long",
        ),
    ],
)
def test_a_runaway_template_stops_with_its_file_named(
    indebted: Relance, template: str, expected: str
) -> None:
    config = write_config("")
    folder = config.parent / "templates" / "fr"
    folder.mkdir(parents=True)
    for name in shipped_names("fr"):
        (folder / f"{name}.txt").write_text(template, encoding="utf-8")
    before = book_dump(book_path())
    refused(indebted("remind", CLIENT), str(folder), expected)
    assert book_dump(book_path()) == before


def deflated(writer: PdfWriter, name: str, data: bytes) -> None:
    """Attach ``data`` deflated, as a real PDF producer (or a bomb) stores it."""
    stream = writer.add_attachment(name, b"x")._embedded_file
    stream._data = zlib.compress(data, 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")


def run_import(path: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    """`relance import PATH` in its own process, with the most memory it used, in kB."""
    command = [sys.executable, "-m", "relance", "--db", str(tmp_path / "pdf.db"), "import"]
    child = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=120)
    return child, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def test_a_pdf_full_of_deflate_bombs_only_opens_its_invoice(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    for number in range(4):
        deflated(writer, f"bomb{number}.bin", bytes(64_000_000))
    deflated(writer, "factur-x.xml", b"<note><to>me</to></note>")
    bombs = tmp_path / "bombs.pdf"
    writer.write(bombs)
    child, most_kb = run_import(bombs, tmp_path)
    assert child.returncode == 2, child
    # The XML was read (and refused for what it is), the 256 MB of zeros never inflated.
    assert "element note: not a UBL Invoice, UBL CreditNote or CII invoice" in child.stderr
    assert most_kb < 200_000, most_kb


def test_an_invoice_xml_bomb_is_refused_at_its_cap(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    deflated(writer, "factur-x.xml", b"<a>" + b" " * 60_000_000 + b"</a>")
    bomb = tmp_path / "bomb.pdf"
    writer.write(bomb)
    child, _ = run_import(bomb, tmp_path)
    assert child.returncode == 2, child
    assert "the invoice XML is larger than 20 MB" in child.stderr


def test_a_damaged_book_says_so_in_a_sentence(indebted: Relance, tmp_path: Path) -> None:
    for number in range(40):
        ok(indebted("client", "add", f"Client {number:02} " + "x" * 150))
    path = book_path()
    ok(indebted("backup", "--out", str(tmp_path / "copy.db")))
    damaged = tmp_path / "copy.db"
    with damaged.open("r+b") as handle:
        # The table of clients spans the pages after the schema: break one of its leaves.
        handle.seek(4096 * 3 + 8)
        handle.write(b"\x00\xff" * 1000)
    runs = [indebted("--db", str(damaged), *argv) for argv in (("today",), ("show", "1"))]
    messages = [run.err for run in runs if run.status]
    assert messages, "the damage went unnoticed"
    for message in messages:
        assert "unexpected error" not in message and message.count("\n") == 1, message
        assert "damaged" in message or "not a relance database" in message, message
    assert path.exists()
