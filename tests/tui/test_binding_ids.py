"""`[keys]` in the config: the ids it may remap are the app's own binding ids, and no other."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest
from textual.binding import Binding

import relance.tui.app
import relance.tui.client_detail
import relance.tui.client_table
import relance.tui.help_screen
import relance.tui.import_screen
import relance.tui.main_screen
import relance.tui.modals.reminder
import relance.tui.outbox_screen
from cli_fixtures import Relance
from relance.binding_ids import BINDING_IDS
from relance.config import ConfigError, load_config
from relance.services.sample import sample_file

TUI_MODULES = [
    relance.tui.app,
    relance.tui.client_detail,
    relance.tui.client_table,
    relance.tui.help_screen,
    relance.tui.import_screen,
    relance.tui.main_screen,
    relance.tui.modals.reminder,
    relance.tui.outbox_screen,
]


def _app_binding_ids() -> set[str]:
    """Every binding id declared by a class of the app's modules (every tui module loaded)."""
    ids: set[str] = set()
    for name, module in list(sys.modules.items()):
        if not name.startswith("relance.tui"):
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            for binding in vars(cls).get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return ids


def test_the_list_of_ids_is_the_apps_own() -> None:
    assert TUI_MODULES  # imported above, so their classes are in sys.modules
    assert _app_binding_ids() == BINDING_IDS


def test_an_unknown_id_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\nlog_call = "c,g"\ncall = "l"\nnotes = "N"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert "[keys] names no binding 'call', 'notes'" in str(refused.value)
    assert str(path) in str(refused.value)


def test_the_cli_refuses_an_unknown_id_in_one_line(relance: Relance, tmp_path: Path) -> None:
    # The isolated environment points RELANCE_CONFIG here (tests/conftest.py).
    config = tmp_path / "env" / "config.toml"
    config.parent.mkdir(exist_ok=True)
    config.write_text('[keys]\ncall = "l"\n', encoding="utf-8")
    result = relance("today")
    assert result.status == 2
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert "[keys] names no binding 'call'" in result.err


def test_the_sample_config_uses_real_ids() -> None:
    with sample_file("config.toml") as path:
        text = path.read_text(encoding="utf-8")
        config = load_config(path)
    assert "[keys]" in text
    assert config.keys
    assert set(config.keys) <= BINDING_IDS
