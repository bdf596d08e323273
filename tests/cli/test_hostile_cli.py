"""Hostile text in every CLI argument: one line and exit 2 if refused, shown literally if kept."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_fixtures import Run
from hostile_text import SAMPLES, book_dump, hostile_settings, hostile_text
from relance.cli import main

CLIENT = "Durand SARL"
# Each example runs whole commands (config, open, catch-up): fewer of them than for services.
cli_settings = settings(hostile_settings, max_examples=50)
MARKUP_TAGS = ("[bold]", "[/]", "[link=https://evil.example]", "[red", "\\[bold]")


class Relance:
    """Runs `relance` in-process on the test's book and checks every run's output."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.path = Path(os.environ["RELANCE_DB"])

    def __call__(self, *argv: str) -> Run:
        """Run one command; its output must be safe to show whatever it did."""
        self.capsys.readouterr()
        status = main(list(argv))
        captured = self.capsys.readouterr()
        run = Run(status, captured.out, captured.err)
        assert status in (0, 2), run
        assert "unexpected error" not in run.err and "Traceback" not in run.err, run.err
        if "--json" not in argv:
            assert_shown_safely(run.out)
        assert_shown_safely(run.err)
        if status:
            assert run.err.startswith("relance: "), run.err
            # An import lists its refused rows under the first line; anything else says one.
            assert argv[0] == "import" or run.err.count("\n") == 1, run.err
        return run

    def refused_or_done(self, *argv: str) -> Run:
        """Run a command that acts: when refused, the book is exactly as it was."""
        before = book_dump(self.path)
        run = self(*argv)
        if run.status:
            assert book_dump(self.path) == before, f"refused but wrote: {argv!r}"
        return run


def assert_shown_safely(text: str) -> None:
    """No escape sequence, control or bidi character reaches the terminal as itself."""
    for char in text:
        if char in "\n":
            continue
        category = unicodedata.category(char)
        assert category not in {"Cc", "Cf", "Cs", "Co"}, f"raw {char!r} in output: {text[:300]!r}"


def assert_markup_literal(text: str, shown: str) -> None:
    """Markup in user text comes out as the same characters, never interpreted."""
    for tag in MARKUP_TAGS:
        if tag in text:
            assert tag in shown, f"{tag!r} was swallowed: {shown[:300]!r}"


@pytest.fixture
def relance(capsys: pytest.CaptureFixture[str]) -> Relance:
    """A book with one client owing one overdue invoice, and the runner."""
    runner = Relance(capsys)
    assert runner("client", "add", CLIENT, "--email", "compta@durand.example").status == 0
    dates = ("--issued", "2026-09-01", "--due", "2026-10-01")
    assert runner("invoice", "add", CLIENT, "F-1", "900.00", *dates).status == 0
    return runner


def shown_client(relance: Relance, ref: str) -> dict[str, Any]:
    """`relance show --json` for a client."""
    run = relance("show", "--json", ref)
    assert run.status == 0, run
    data: dict[str, Any] = run.json()
    return data


@cli_settings
@given(name=hostile_text, email=hostile_text, phone=hostile_text)
def test_client_add(relance: Relance, name: str, email: str, phone: str) -> None:
    run = relance.refused_or_done("client", "add", name, f"--email={email}", f"--phone={phone}")
    if run.status:
        run = relance.refused_or_done("client", "add", name)
    if run.status == 0:
        client_id = run.out.strip()
        assert shown_client(relance, client_id)["name"] == name.strip()
        shown = relance("show", client_id)
        assert_markup_literal(name.strip()[:60], shown.out)
        assert_markup_literal(name.strip()[:30], relance("today").out)


@cli_settings
@given(text=hostile_text)
def test_note(relance: Relance, text: str) -> None:
    run = relance.refused_or_done("note", CLIENT, text)
    if run.status == 0:
        history = shown_client(relance, CLIENT)["history"]
        assert history[0]["summary"] == text.strip()
        assert_markup_literal(text.strip()[:40], relance("show", CLIENT).out)


@cli_settings
@given(number=hostile_text, amount=hostile_text, day=hostile_text, currency=hostile_text)
def test_invoice_add(relance: Relance, number: str, amount: str, day: str, currency: str) -> None:
    run = relance.refused_or_done(
        "invoice", "add", CLIENT, number, "10.00", "--issued=2026-09-01", "--due=2026-10-01"
    )
    if run.status == 0:
        numbers = [inv["number"] for inv in shown_client(relance, CLIENT)["invoices"]]
        assert number.strip() in numbers
    relance.refused_or_done(
        "invoice", "add", CLIENT, "X-1", amount, f"--issued={day}", f"--due={day}",
        f"--currency={currency}",
    )  # fmt: skip


@cli_settings
@given(amount=hostile_text, day=hostile_text, method=hostile_text, reference=hostile_text)
def test_payment_add(relance: Relance, amount: str, day: str, method: str, reference: str) -> None:
    relance.refused_or_done("payment", "add", CLIENT, amount, f"--on={day}")
    run = relance.refused_or_done(
        "payment", "add", CLIENT, "1.00", f"--method={method}", f"--reference={reference}",
        "--json",
    )  # fmt: skip
    if run.status == 0:
        assert run.json()["reference"] == reference.strip()
    relance.refused_or_done("payment", "reverse", CLIENT, reference, f"--reason={method}")


@cli_settings
@given(
    outcome=st.one_of(st.sampled_from(["voicemail", "promised", "refused"]), hostile_text),
    note=hostile_text,
    amount=hostile_text,
    day=hostile_text,
)
def test_call_and_log(relance: Relance, outcome: str, note: str, amount: str, day: str) -> None:
    relance.refused_or_done(
        "call", CLIENT, f"--outcome={outcome}", f"--note={note}", f"--amount={amount}",
        f"--on={day}",
    )  # fmt: skip
    relance.refused_or_done("log", CLIENT, "letter", f"--note={note}", f"--who={note}")
    relance.refused_or_done("log", CLIENT, outcome, f"--note={note}")


@cli_settings
@given(text=hostile_text, switch=st.sampled_from(["on", "off"]))
def test_dispute_snooze_profile_terms(relance: Relance, text: str, switch: str) -> None:
    relance.refused_or_done("dispute", CLIENT, switch, f"--note={text}")
    relance.refused_or_done("snooze", CLIENT, f"--until={text}")
    relance.refused_or_done("profile", CLIENT, text)
    relance.refused_or_done("client", "set", CLIENT, f"--jurisdiction={text}")
    relance.refused_or_done("client", "set", CLIENT, f"--contract-rate={text}", f"--state={text}")
    relance.refused_or_done(
        "plan", "propose", CLIENT, f"--instalments={text}", f"--first={text}", f"--deposit={text}"
    )


@cli_settings
@given(ref=hostile_text)
def test_a_hostile_client_reference_is_refused_in_one_line(relance: Relance, ref: str) -> None:
    for argv in (("show", ref), ("note", ref, "hello"), ("report", "aging", f"--as-of={ref}")):
        relance.refused_or_done(*argv)


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_sample_round_trips_through_show_json(relance: Relance, sample: str) -> None:
    """Each hostile sample is refused or kept exactly, as the name of a client and as a note."""
    name = f"Client {sample}"
    run = relance.refused_or_done("client", "add", name)
    if run.status == 0:
        assert shown_client(relance, run.out.strip())["name"] == name.strip()
        assert_markup_literal(name, relance("show", run.out.strip()).out)
    note = relance.refused_or_done("note", CLIENT, f"note {sample}")
    if note.status == 0:
        assert shown_client(relance, CLIENT)["history"][0]["summary"] == f"note {sample}".strip()
    if sample.startswith("[") and "\x00" not in sample:
        assert run.status == 0 and note.status == 0, "markup is text like any other"


def csv_cell(value: str) -> str:
    """A CSV field quoted the way spreadsheets do it."""
    return '"' + value.replace('"', '""') + '"'


@cli_settings
@given(customer=hostile_text, number=hostile_text, amount=hostile_text, email=hostile_text)
def test_csv_import(
    relance: Relance, tmp_path: Path, customer: str, number: str, amount: str, email: str
) -> None:
    source = tmp_path / "hostile.csv"
    rows = [
        "Invoice,Customer,Issued,Due date,Amount,Balance,Email",
        ",".join(
            csv_cell(v)
            for v in (number, customer, "2026-09-01", "2026-10-01", "10.00", "10.00", "")
        ),
        ",".join(
            csv_cell(v)
            for v in ("H-2", customer, "2026-09-01", "2026-10-01", amount, amount, email)
        ),
    ]
    source.write_bytes("\n".join(rows).encode("utf-8", "surrogatepass") + b"\n")
    run = relance.refused_or_done("import", str(source), "--json")
    if run.status == 0:
        shown = shown_client(relance, customer.strip())
        assert shown["name"] == customer.strip()


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02\xff\xfe binary",
        b"Invoice,Customer,Amount\n\xff\xfe\xfd,\xc3\x28,1.00\n",
        b"Invoice,Customer,Issued,Amount\nA-1,\x1b]0;pwned\x07,2026-09-01,1.00\n",
        b"Invoice,Customer,Issued,Amount\n" + b"A-1," + b"N" * 100_000 + b",2026-09-01,1.00\n",
        b'Invoice,Customer,Issued,Amount\n"A-1,"unterminated,2026-09-01,1.00\n',
    ],
)
def test_a_broken_file_is_refused_in_one_line(
    relance: Relance, tmp_path: Path, content: bytes
) -> None:
    source = tmp_path / "broken.csv"
    source.write_bytes(content)
    relance.refused_or_done("import", str(source))
