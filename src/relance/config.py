"""The TOML config file: read once with tomllib, written back with tomli-w."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from relance.domain.jurisdictions import JURISDICTIONS
from relance.domain.money import AmountError, parse_amount
from relance.paths import config_path, ensure_private_dir

DEFAULT_THEME = "relance-dark"


class ConfigError(ValueError):
    """The config file exists but cannot be used."""


@dataclass(frozen=True)
class Creditor:
    """Who is owed: the user's own identity, printed on reminders."""

    name: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    company_number: str = ""
    iban: str = ""


@dataclass(frozen=True)
class LawSettings:
    """``[law]``: the jurisdiction of new clients and the typical cost of each court route."""

    default_jurisdiction: str = ""
    court_costs: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """Everything the config file can set, with defaults for what it leaves out."""

    path: Path
    creditor: Creditor = field(default_factory=Creditor)
    theme: str = DEFAULT_THEME
    keys: dict[str, str] = field(default_factory=dict)
    law: LawSettings = field(default_factory=LawSettings)
    raw: dict[str, Any] = field(default_factory=dict)


def load_config(path: Path | None = None) -> Config:
    """Read the config file; a missing file gives the defaults."""
    target = path or config_path()
    try:
        raw = tomllib.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config(path=target)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read the config file {target}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {target} is not valid TOML: {error}") from None
    return Config(
        path=target,
        creditor=_creditor(raw.get("creditor", {}), target),
        theme=_string(raw.get("theme", DEFAULT_THEME), "theme", target),
        keys=_keys(raw.get("keys", {}), target),
        law=_law(raw.get("law", {}), target),
        raw=raw,
    )


def save_setting(config: Config, key: str, value: Any) -> Config:
    """Write one top-level setting back to the file, keeping every other setting."""
    raw = dict(config.raw)
    raw[key] = value
    ensure_private_dir(config.path.parent)
    temporary = config.path.with_name(config.path.name + ".tmp")
    fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    # The mode above only applies to a new file; a stale temporary keeps its own.
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as handle:
        tomli_w.dump(raw, handle)
    os.replace(temporary, config.path)
    return load_config(config.path)


def _string(value: Any, name: str, path: Path) -> str:
    """Check that a setting is a string."""
    if not isinstance(value, str):
        raise ConfigError(f"config file {path}: {name} must be a string")
    return value


def _creditor(section: Any, path: Path) -> Creditor:
    """Build the creditor identity from ``[creditor]``."""
    if not isinstance(section, dict):
        raise ConfigError(f"config file {path}: [creditor] must be a table")
    names = {"name", "address", "email", "phone", "iban"}
    values = {k: _string(v, f"creditor.{k}", path) for k, v in section.items() if k in names}
    number = section.get("company_number", section.get("siret", ""))
    return Creditor(company_number=_string(number, "creditor.siret", path), **values)


def _keys(section: Any, path: Path) -> dict[str, str]:
    """Read ``[keys]``: binding id → key list, as Textual's keymap takes it."""
    if not isinstance(section, dict):
        raise ConfigError(f"config file {path}: [keys] must be a table")
    return {str(k): _string(v, f"keys.{k}", path) for k, v in section.items()}


def _law(section: Any, path: Path) -> LawSettings:
    """Read ``[law]``: a known default jurisdiction and court costs as decimal strings."""
    if not isinstance(section, dict):
        raise ConfigError(f"config file {path}: [law] must be a table")
    default = _string(section.get("default_jurisdiction", ""), "law.default_jurisdiction", path)
    if default and default.strip().lower() not in JURISDICTIONS:
        known = ", ".join(JURISDICTIONS)
        raise ConfigError(
            f"config file {path}: law.default_jurisdiction {default!r} is unknown (known: {known})"
        )
    costs_section = section.get("court_costs", {})
    if not isinstance(costs_section, dict):
        raise ConfigError(f"config file {path}: [law.court_costs] must be a table")
    costs: dict[str, int] = {}
    for route, value in costs_section.items():
        try:
            costs[str(route)] = parse_amount(_string(value, f"law.court_costs.{route}", path))
        except AmountError as error:
            raise ConfigError(f"config file {path}: law.court_costs.{route}: {error}") from None
    return LawSettings(default.strip().lower(), costs)
