"""Fixtures shared by the services tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting_fixtures import CREDITOR
from relance.config import Config


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """A config with a creditor and no template of the user's own."""
    return Config(path=tmp_path / "config" / "config.toml", creditor=CREDITOR)
