"""read_statement tells the format from the content: every real sample, whatever its name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from locations import SHARED_SAMPLES, TEST_DATA
from relance.importing.bank import StatementError, read_statement

BANK = SHARED_SAMPLES / "bank"
# Every statement among the shared samples: its format and how many lines it holds.
SAMPLES = {
    "camt/oca-camt053.xml": ("camt.053", 4),
    "camt/oca-camt054.xml": ("camt.054", 1),
    "mt940/mt940-betterplace-sepa_mt9401.sta": ("mt940", 97),
    "mt940/mt940-jejik-abnamro.sta": ("mt940", 10),
    "mt940/mt940-jejik-generic.sta": ("mt940", 2),
    "mt940/mt940-jejik-ing.sta": ("mt940", 7),
    "ofx/oca-ofx2.ofx": ("ofx2", 4),
    "ofx/ofxparse-bank_medium.ofx": ("ofx1", 3),
    "ofx/ofxparse-checking.ofx": ("ofx1", 3),
}


def test_the_table_names_every_shared_sample() -> None:
    found = {
        path.relative_to(BANK).as_posix()
        for path in BANK.rglob("*")
        if path.is_file() and path.parent.name != "licenses" and path.name != "SOURCES.md"
    }
    assert found == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_sample_is_read_under_a_misleading_name(tmp_path: Path, name: str) -> None:
    file_format, count = SAMPLES[name]
    disguised = tmp_path / "export.csv"
    shutil.copyfile(BANK / name, disguised)
    statement = read_statement(disguised)
    assert (statement.file_format, len(statement.lines)) == (file_format, count)
    assert statement.lines == read_statement(BANK / name).lines
    assert len({line.fingerprint() for line in statement.lines}) == count


def test_a_csv_named_like_xml_is_still_a_csv(tmp_path: Path) -> None:
    disguised = tmp_path / "statement.xml"
    shutil.copyfile(TEST_DATA / "bank" / "montant-utf8.csv", disguised)
    assert read_statement(disguised).file_format == "csv"


def test_a_missing_file_and_a_binary_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StatementError, match="cannot read"):
        read_statement(tmp_path / "absent.csv")
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x81\x8d\x8f\x90\x9d")
    with pytest.raises(StatementError, match="is not UTF-8, cp1252 or ISO-8859-1 text"):
        read_statement(binary)
