"""The config file: defaults, the creditor identity, saving one setting, broken files."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from relance.config import DEFAULT_THEME, Config, ConfigError, Creditor, load_config, save_setting


def test_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "config.toml"
    config = load_config(path)
    assert config == Config(path=path)
    assert config.theme == DEFAULT_THEME
    assert config.creditor == Creditor()
    assert config.keys == {}
    assert not path.exists()


def test_default_path_comes_from_the_environment(tmp_path: Path) -> None:
    assert load_config().path == Path(os.environ["RELANCE_CONFIG"])
    assert load_config().path.is_relative_to(tmp_path)


def test_creditor_values(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'theme = "relance-light"\n'
        "[creditor]\n"
        'name = "Jeanne Martin"\n'
        'address = "1 rue des Lilas\\n75011 Paris"\n'
        'email = "jeanne@example.fr"\n'
        'phone = "06 12 34 56 78"\n'
        'siret = "123 456 789 00012"\n'
        'iban = "FR76 3000 6000 0112 3456 7890 189"\n'
        "[keys]\n"
        'log_call = "c,C"\n'
        "[smtp]\n"
        'host = "smtp.example.fr"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.creditor == Creditor(
        name="Jeanne Martin",
        address="1 rue des Lilas\n75011 Paris",
        email="jeanne@example.fr",
        phone="06 12 34 56 78",
        company_number="123 456 789 00012",
        iban="FR76 3000 6000 0112 3456 7890 189",
    )
    assert config.theme == "relance-light"
    assert config.keys == {"log_call": "c,C"}
    assert config.raw["smtp"] == {"host": "smtp.example.fr"}


def test_company_number_wins_over_siret(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[creditor]\ncompany_number = "GB123"\nsiret = "FR999"\n', encoding="utf-8")
    assert load_config(path).creditor.company_number == "GB123"


def test_save_setting_keeps_the_other_keys_and_writes_0600(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir()
    path.write_text(
        'theme = "old"\n[creditor]\nname = "Jeanne"\n[keys]\nadd_note = "N"\n', encoding="utf-8"
    )
    path.chmod(0o644)
    saved = save_setting(load_config(path), "theme", "relance-high-contrast")
    assert saved.theme == "relance-high-contrast"
    assert saved.creditor.name == "Jeanne"
    assert saved.keys == {"add_note": "N"}
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "theme": "relance-high-contrast",
        "creditor": {"name": "Jeanne"},
        "keys": {"add_note": "N"},
    }
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]


def test_save_setting_creates_the_file_and_folders(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "config.toml"
    saved = save_setting(load_config(path), "theme", "relance-ansi")
    assert saved.theme == "relance-ansi"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_save_setting_over_a_stale_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    stale = tmp_path / "config.toml.tmp"
    stale.write_text("garbage that is much longer than the new content " * 10)
    stale.chmod(0o666)
    save_setting(load_config(path), "theme", "x")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"theme": "x"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("theme = \n", "not valid TOML"),
        ("[creditor\nname='x'", "not valid TOML"),
        ("theme = 3\n", "theme must be a string"),
        ("creditor = 'Jeanne'\n", r"\[creditor\] must be a table"),
        ("[creditor]\nname = 1\n", "creditor.name must be a string"),
        ("[creditor]\nsiret = 123\n", "creditor.siret must be a string"),
        ("keys = 'x'\n", r"\[keys\] must be a table"),
        ("[keys]\nlog_call = 1\n", "keys.log_call must be a string"),
        ("[keys]\ncall = 'l'\n", r"\[keys\] names no binding 'call'"),
    ],
)
def test_broken_config_raises_config_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_unreadable_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"theme = '\xff\xfe'\n")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(path)
    with pytest.raises(ConfigError):
        load_config(tmp_path)


def test_config_error_is_a_value_error() -> None:
    assert issubclass(ConfigError, ValueError)


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("FR7630006000011234567890189", "FR76 3000 6000 0112 3456 7890 189"),
        ("fr76 3000 6000 0112 3456 7890 189", "FR76 3000 6000 0112 3456 7890 189"),
        ("  DE89370400440532013000 ", "DE89 3704 0044 0532 0130 00"),
    ],
)
def test_the_iban_is_kept_in_groups_of_four(tmp_path: Path, typed: str, printed: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[creditor]\niban = "{typed}"\nbic = "agrifrpp xxx"\n', encoding="utf-8")
    creditor = load_config(path).creditor
    assert creditor.iban == printed
    assert creditor.bic == "AGRIFRPPXXX"


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ('iban = "FR76 3000 6000 0112 3456 7890 188"', r"creditor.iban .* \(Invalid checksum"),
        ('iban = "FR76 3000 6000 0112"', r"creditor.iban 'FR76 3000 6000 0112' is not a valid"),
        ('iban = "XX00 1234"', "creditor.iban 'XX00 1234' is not a valid IBAN"),
        ('iban = "FR76-3000-6000-0112-3456-7890-189"', "creditor.iban .* is not a valid IBAN"),
        ("iban = 76", "creditor.iban must be a string"),
        ('bic = "BNPAFRP"', "creditor.bic 'BNPAFRP' is not a valid BIC"),
        ('bic = "BNPAXXPP"', "creditor.bic 'BNPAXXPP' is not a valid BIC"),
        ('bic = "BNPA\\nFRPP"', "creditor.bic must be one line"),
    ],
)
def test_a_wrong_iban_or_bic_is_refused_naming_the_key(
    tmp_path: Path, section: str, message: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[creditor]\n{section}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"config file .*: {message}"):
        load_config(path)


def test_no_iban_and_no_bic_stay_empty(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[creditor]\nname = "Jeanne"\niban = ""\n', encoding="utf-8")
    creditor = load_config(path).creditor
    assert (creditor.iban, creditor.bic) == ("", "")
