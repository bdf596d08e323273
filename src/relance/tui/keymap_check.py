"""``[keys]`` remaps checked against the keys they land on: one key, one action per screen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from textual.binding import Binding, BindingType

from relance.config import ConfigError


def refuse_key_clashes(
    keymap: Mapping[str, str], bindings: Iterable[BindingType], config_path: Path
) -> None:
    """Refuse a remap that gives a key another action of the same screen still uses."""
    owners: dict[str, list[str]] = {}
    for binding in bindings:
        if not isinstance(binding, Binding) or binding.id is None:
            continue
        keys = keymap.get(binding.id, binding.key)
        for key in {part.strip() for part in keys.split(",") if part.strip()}:
            owners.setdefault(key, []).append(binding.id)
    for key, ids in owners.items():
        remapped = [binding_id for binding_id in ids if binding_id in keymap]
        if len(ids) > 1 and remapped:
            others = ", ".join(binding_id for binding_id in ids if binding_id != remapped[0])
            raise ConfigError(
                f"config file {config_path}: keys.{remapped[0]} = {keymap[remapped[0]]!r}"
                f" takes {key!r} from {others}; pick another key or remap {others} too"
            )


def refuse_main_screen_clashes(keymap: Mapping[str, str], config_path: Path) -> None:
    """Check the remaps against every key the main screen, its list and the app answer."""
    from relance.tui.app import RelanceApp
    from relance.tui.client_table import ClientTable
    from relance.tui.main_screen import MainScreen

    bindings = [*RelanceApp.BINDINGS, *MainScreen.BINDINGS, *ClientTable.BINDINGS]
    refuse_key_clashes(keymap, bindings, config_path)
