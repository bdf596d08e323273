"""`[bank] tolerance` in the config file: a decimal amount kept in minor units."""

from __future__ import annotations

from pathlib import Path

import pytest

from relance.config import ConfigError, load_config


def config_with(tmp_path: Path, text: str) -> Path:
    """A config file holding ``text``."""
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_tolerance_is_read_in_minor_units(tmp_path: Path) -> None:
    assert load_config(config_with(tmp_path, '[bank]\ntolerance = "2.50"\n')).bank.tolerance == 250


def test_without_bank_nothing_is_tolerated(tmp_path: Path) -> None:
    assert load_config(config_with(tmp_path, "")).bank.tolerance == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[bank]\ntolerance = 2\n", "bank.tolerance must be a string"),
        ('[bank]\ntolerance = "two"\n', "bank.tolerance"),
        ('[bank]\ntolerence = "2.00"\n', "unknown setting bank.tolerence"),
    ],
)
def test_a_bad_tolerance_is_refused_with_its_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(config_with(tmp_path, text))
