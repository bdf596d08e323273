"""`relance letter` and `relance letter-posted`: exit codes, output, and the book after."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader
from pyzbar.pyzbar import ZBarSymbol, decode

from relance.cli import main
from relance.domain.creditor_reference import client_reference, grouped

CONFIG = """\
[creditor]
name = "Camille Martin"
address = "8 rue des Capucins, 69001 Lyon, France"

[letters]
deadline_days = 10
"""


@pytest.fixture
def client(capsys: pytest.CaptureFixture[str]) -> int:
    """A book with the config's creditor and one client owing one late invoice."""
    Path(os.environ["RELANCE_CONFIG"]).parent.mkdir(parents=True, exist_ok=True)
    Path(os.environ["RELANCE_CONFIG"]).write_text(CONFIG, encoding="utf-8")
    assert main(["client", "add", "Durand SARL"]) == 0
    client_id = int(capsys.readouterr().out)
    assert (
        main(
            [
                "invoice",
                "add",
                str(client_id),
                "F-100",
                "1500.00",
                "--issued",
                "2026-08-01",
                "--due",
                "2026-09-01",
            ]
        )
        == 0
    )
    capsys.readouterr()
    return client_id


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `relance ARGS…` in-process; its status, stdout and stderr."""
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def letters_folder() -> Path:
    """The letters folder beside the test book."""
    db = Path(os.environ["RELANCE_DB"])
    return db.parent / f"{db.stem}-letters"


def history_size(capsys: pytest.CaptureFixture[str], client_id: int) -> int:
    """How many events the client's history holds."""
    status, out, _ = run(capsys, "show", str(client_id), "--json")
    assert status == 0
    return len(json.loads(out)["history"])


def test_letter_prints_the_pdf_path(capsys: pytest.CaptureFixture[str], client: int) -> None:
    status, out, err = run(capsys, "letter", str(client))
    assert (status, err) == (0, "")
    path = Path(out.strip())
    assert path.parent == letters_folder().absolute()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages).replace("\u00a0", " ")
    assert "F-100" in text
    assert "3 décembre 2026" in text
    status, out, _ = run(capsys, "show", str(client), "--json")
    shown = json.loads(out)
    assert shown["next_action"] == "legal route"


def test_letter_json_and_statement_with_out(
    capsys: pytest.CaptureFixture[str], client: int, tmp_path: Path
) -> None:
    status, out, _ = run(capsys, "letter", str(client), "--json")
    assert status == 0
    record = json.loads(out)
    assert record["kind"] == "formal-notice"
    assert record["deadline"] == "2026-12-03"
    assert record["client_id"] == client
    assert isinstance(record["event_id"], int)
    assert len(record["sha256"]) == 64
    copy = tmp_path / "statement.pdf"
    status, out, _ = run(capsys, "letter", str(client), "--kind", "statement", "--out", str(copy))
    assert status == 0
    assert out.strip() == str(copy.absolute())
    assert copy.exists()
    assert "Relevé de compte" in PdfReader(copy).pages[0].extract_text()


@pytest.mark.parametrize(
    "argv",
    [
        ["letter", "{client}", "--kind", "poem"],
        ["letter", "nobody"],
        ["letter-posted", "{client}", "--number", ""],
        ["letter-posted", "{client}", "--number", "RR 1", "--on", "2026-11-30"],
        ["letter-posted", "{client}", "--number", "RR 1", "--on", "soon"],
        ["letter-posted", "{client}", "--number", "RR 1", "--letter", "x"],
        ["letter-posted", "{client}", "--number", "RR 1", "--letter", "9999"],
        ["letter-posted", "{client}"],
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], client: int, argv: list[str]
) -> None:
    assert run(capsys, "letter", str(client))[0] == 0
    before = history_size(capsys, client)
    files = sorted(letters_folder().iterdir())
    status, out, err = run(capsys, *[arg.format(client=client) for arg in argv])
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert history_size(capsys, client) == before
    assert sorted(letters_folder().iterdir()) == files


def test_existing_out_is_refused(
    capsys: pytest.CaptureFixture[str], client: int, tmp_path: Path
) -> None:
    taken = tmp_path / "taken.pdf"
    taken.write_bytes(b"mine")
    status, _, err = run(capsys, "letter", str(client), "--out", str(taken))
    assert status == 2
    assert "already exists" in err
    assert taken.read_bytes() == b"mine"
    assert not letters_folder().exists()


def test_nothing_overdue_exits_2(capsys: pytest.CaptureFixture[str], client: int) -> None:
    assert run(capsys, "client", "add", "Neuf")[0] == 0
    status, _, err = run(capsys, "letter", "Neuf")
    assert status == 2
    assert "nothing is overdue" in err


def test_letter_posted_records_the_proof(capsys: pytest.CaptureFixture[str], client: int) -> None:
    status, out, _ = run(capsys, "letter", str(client), "--json")
    letter_event = json.loads(out)["event_id"]
    status, out, err = run(
        capsys, "letter-posted", str(client), "--number", "1A 234", "--on", "2026-11-23"
    )
    assert (status, err) == (0, "")
    assert "number 1A 234, on 2026-11-23" in out
    status, out, _ = run(capsys, "letter-posted", str(client), "--number", "1A 235", "--json")
    assert status == 0
    assert json.loads(out) | {"event_id": 0} == {
        "tracking_number": "1A 235",
        "posted_on": "2026-11-23",
        "letter_event_id": letter_event,
        "client_id": client,
        "event_id": 0,
    }


def test_the_configured_iban_and_bic_reach_the_letter_and_its_qr_code(
    capsys: pytest.CaptureFixture[str], client: int
) -> None:
    """From the config file to the decoded EPC QR code, through `relance letter`."""
    config = Path(os.environ["RELANCE_CONFIG"])
    typed = CONFIG.replace(
        "[letters]", 'iban = "fr7630006000011234567890189"\nbic = "agrifrpp"\n\n[letters]'
    )
    config.write_text(typed, encoding="utf-8")
    status, out, err = run(capsys, "letter", str(client), "--json")
    assert (status, err) == (0, ""), err
    record = json.loads(out)
    path = Path(record["path"])
    pages = PdfReader(path).pages
    text = " ".join(" ".join(page.extract_text().replace("\u00a0", " ").split()) for page in pages)
    reference = client_reference(client)
    assert (
        "IBAN FR76 3000 6000 0112 3456 7890 189, BIC AGRIFRPP. "
        f"Référence à indiquer : {grouped(reference)}"
    ) in text
    decoded = [
        symbol.data.decode("utf-8")
        for page in pages
        for picture in page.images
        for symbol in decode(picture.image, symbols=[ZBarSymbol.QRCODE])
    ]
    total = record["total"]
    euros, _, cents = total.partition(".")
    assert decoded == [
        "\n".join(
            [
                "BCD",
                "002",
                "1",
                "SCT",
                "AGRIFRPP",
                "Camille Martin",
                "FR7630006000011234567890189",
                f"EUR{euros}.{cents.ljust(2, '0')}",
                "",
                reference,
            ]
        )
    ]


def test_a_wrong_iban_in_the_config_stops_the_letter_naming_the_key(
    capsys: pytest.CaptureFixture[str], client: int
) -> None:
    config = Path(os.environ["RELANCE_CONFIG"])
    config.write_text(
        CONFIG.replace("[letters]", 'iban = "FR76 3000 6000 0112 3456 7890 188"\n\n[letters]'),
        encoding="utf-8",
    )
    status, out, err = run(capsys, "letter", str(client))
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "creditor.iban 'FR76 3000 6000 0112 3456 7890 188' is not a valid IBAN" in err
    assert not letters_folder().exists() or not list(letters_folder().glob("*.pdf"))
