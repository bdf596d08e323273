"""The TOML config file: read once with tomllib, written back with tomli-w."""

from __future__ import annotations

import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from relance.binding_ids import BINDING_IDS
from relance.domain.email_address import is_email_address
from relance.domain.jurisdictions import JURISDICTIONS
from relance.domain.money import AmountError, parse_amount
from relance.paths import config_path, ensure_private_dir
from relance.private_files import write_private

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
    # Printed in groups of four; checked with schwifty when the config is read.
    iban: str = ""
    bic: str = ""


@dataclass(frozen=True)
class LawSettings:
    """``[law]``: the jurisdiction of new clients and the typical cost of each court route."""

    default_jurisdiction: str = ""
    court_costs: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class BankSettings:
    """``[bank]``: the shortfall (in minor units) a bank line may leave to be written off."""

    tolerance: int = 0


SMTP_SECURITY = ("none", "starttls", "ssl")
SMTP_DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


@dataclass(frozen=True)
class SmtpSettings:
    """``[smtp]``: the user's own mail server; the password is only read when a message goes."""

    host: str
    port: int
    security: str = "starttls"
    username: str = ""
    password_env: str = ""
    password_command: tuple[str, ...] = ()
    sender: str = ""


@dataclass(frozen=True)
class Config:
    """Everything the config file can set, with defaults for what it leaves out."""

    path: Path
    creditor: Creditor = field(default_factory=Creditor)
    theme: str = DEFAULT_THEME
    keys: dict[str, str] = field(default_factory=dict)
    law: LawSettings = field(default_factory=LawSettings)
    smtp: SmtpSettings | None = None
    bank: BankSettings = field(default_factory=BankSettings)
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
    except RecursionError:
        # tomllib recurses once per nested table or array: thousands of them exhaust the stack.
        raise ConfigError(f"config file {target} is nested too deeply to read") from None
    _refuse_unknown(raw, TOP_LEVEL_KEYS, "", target)
    return Config(
        path=target,
        creditor=_creditor(raw.get("creditor", {}), target),
        theme=_string(raw.get("theme", DEFAULT_THEME), "theme", target),
        keys=_keys(raw.get("keys", {}), target),
        law=_law(raw.get("law", {}), target),
        smtp=_smtp(raw.get("smtp"), target),
        bank=_bank(raw.get("bank", {}), target),
        raw=raw,
    )


# Every top-level key and section relance reads; anything else is a typo, refused.
TOP_LEVEL_KEYS = frozenset(
    {"theme", "creditor", "smtp", "letters", "keys", "law", "policy", "plans", "messages", "bank"}
)
CREDITOR_KEYS = frozenset(
    {"name", "address", "email", "phone", "company_number", "siret", "iban", "bic"}
)
LAW_KEYS = frozenset({"default_jurisdiction", "court_costs"})
BANK_KEYS = frozenset({"tolerance"})
LETTERS_KEYS = frozenset({"deadline_days", "font", "font_bold"})
# Hosts where a password sent without encryption never leaves the machine.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def _refuse_unknown(
    section: dict[str, Any], known: frozenset[str], prefix: str, path: Path
) -> None:
    """Refuse keys relance does not read, named in full, the same way for every section."""
    unknown = sorted(set(section) - known)
    if unknown:
        names = ", ".join(f"{prefix}{key}" for key in unknown)
        plural = "s" if len(unknown) > 1 else ""
        raise ConfigError(f"config file {path}: unknown setting{plural} {names}")


def refuse_unknown_letters_keys(section: dict[str, Any], path: Path) -> None:
    """Refuse a ``[letters]`` key relance does not read."""
    _refuse_unknown(section, LETTERS_KEYS, "letters.", path)


def _one_line(value: str, name: str, path: Path) -> str:
    """A setting printed in a mail header or a letter: no line breaks or control characters."""
    if any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in value):
        raise ConfigError(f"config file {path}: {name} must be one line without control characters")
    return value


def save_setting(config: Config, key: str, value: Any) -> Config:
    """Write one top-level setting back to the file, keeping every other setting."""
    raw = dict(config.raw)
    raw[key] = value
    ensure_private_dir(config.path.parent)
    write_private(config.path, tomli_w.dumps(raw).encode("utf-8"), overwrite=True)
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
    _refuse_unknown(section, CREDITOR_KEYS, "creditor.", path)
    names = {"name", "address", "email", "phone", "iban", "bic"}
    values = {k: _string(v, f"creditor.{k}", path) for k, v in section.items() if k in names}
    for key in ("name", "email", "phone", "iban", "bic"):
        if key in values:
            _one_line(values[key], f"creditor.{key}", path)
    email = values.get("email", "").strip()
    if email and not is_email_address(email):
        raise ConfigError(f"config file {path}: creditor.email is not an e-mail address")
    if values.get("iban", "").strip():
        values["iban"] = _iban(values["iban"], path)
    if values.get("bic", "").strip():
        values["bic"] = _bic(values["bic"], path)
    number = section.get("company_number", section.get("siret", ""))
    number_text = _one_line(_string(number, "creditor.siret", path), "creditor.siret", path)
    return Creditor(company_number=number_text, **values)


def _iban(text: str, path: Path) -> str:
    """A valid IBAN, in groups of four as letters print it."""
    # schwifty loads its bank registry on import: only a config with an IBAN pays for it.
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        return IBAN(text).formatted
    except SchwiftyException as error:
        raise ConfigError(
            f"config file {path}: creditor.iban {text.strip()!r} is not a valid IBAN ({error})"
        ) from None


def _bic(text: str, path: Path) -> str:
    """A valid BIC (SWIFT code) of 8 or 11 characters, in capitals."""
    from schwifty import BIC
    from schwifty.exceptions import SchwiftyException

    try:
        return str(BIC(text))
    except SchwiftyException as error:
        raise ConfigError(
            f"config file {path}: creditor.bic {text.strip()!r} is not a valid BIC ({error})"
        ) from None


def _keys(section: Any, path: Path) -> dict[str, str]:
    """Read ``[keys]``: binding id → key list, as Textual's keymap takes it."""
    if not isinstance(section, dict):
        raise ConfigError(f"config file {path}: [keys] must be a table")
    unknown = sorted(str(k) for k in section if k not in BINDING_IDS)
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        raise ConfigError(
            f"config file {path}: [keys] names no binding {names}"
            " (the binding ids are listed in the README's Config file section)"
        )
    return {str(k): _string(v, f"keys.{k}", path) for k, v in section.items()}


def _law(section: Any, path: Path) -> LawSettings:
    """Read ``[law]``: a known default jurisdiction and court costs as decimal strings."""
    if not isinstance(section, dict):
        raise ConfigError(f"config file {path}: [law] must be a table")
    _refuse_unknown(section, LAW_KEYS, "law.", path)
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


def _bank(section: Any, path: Path) -> BankSettings:
    """Read ``[bank]``: the tolerance as a decimal string ("2.00"), kept in minor units."""
    if not isinstance(section, dict):
        raise ConfigError(f"config file {path}: [bank] must be a table")
    _refuse_unknown(section, BANK_KEYS, "bank.", path)
    if "tolerance" not in section:
        return BankSettings()
    text = _string(section["tolerance"], "bank.tolerance", path)
    try:
        return BankSettings(tolerance=parse_amount(text, allow_zero=True))
    except AmountError as error:
        raise ConfigError(f"config file {path}: bank.tolerance: {error}") from None


def _smtp(section: Any, path: Path) -> SmtpSettings | None:
    """Read ``[smtp]``: none means messages wait in the outbox."""
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError(f"config file {path}: [smtp] must be a table")
    known = {"host", "port", "security", "username", "password_env", "password_command", "from"}
    if "password" in section:
        raise ConfigError(
            f"config file {path}: smtp.password is not read; name an environment variable"
            " (password_env) or a command that prints it (password_command)"
        )
    _refuse_unknown(section, frozenset(known), "smtp.", path)
    host = _string(section.get("host", ""), "smtp.host", path).strip()
    if not host:
        raise ConfigError(f"config file {path}: smtp.host is required")
    security = _string(section.get("security", "starttls"), "smtp.security", path).strip().lower()
    if security not in SMTP_SECURITY:
        raise ConfigError(
            f"config file {path}: smtp.security must be one of {', '.join(SMTP_SECURITY)}"
        )
    port = section.get("port", SMTP_DEFAULT_PORTS[security])
    # bool is an int in Python; `port = true` is a mistake, not port 1.
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ConfigError(f"config file {path}: smtp.port must be a whole number from 1 to 65535")
    username = _string(section.get("username", ""), "smtp.username", path).strip()
    password_env = _string(section.get("password_env", ""), "smtp.password_env", path).strip()
    command = _command(section.get("password_command", ""), path)
    if password_env and command:
        raise ConfigError(
            f"config file {path}: give smtp.password_env or smtp.password_command, not both"
        )
    if (password_env or command) and not username:
        raise ConfigError(f"config file {path}: smtp.username is required with a password")
    if username and not (password_env or command):
        raise ConfigError(
            f"config file {path}: smtp.username needs smtp.password_env or smtp.password_command"
            " (the password itself is never written in the config)"
        )
    if username and security == "none" and host.lower() not in LOOPBACK_HOSTS:
        raise ConfigError(
            f'config file {path}: smtp.security = "none" would send the password in clear to'
            f" {host}; use starttls or ssl (none is only for a server on this machine)"
        )
    sender = _one_line(_string(section.get("from", ""), "smtp.from", path), "smtp.from", path)
    sender = sender.strip()
    return SmtpSettings(host, port, security, username, password_env, command, sender)


def _command(value: Any, path: Path) -> tuple[str, ...]:
    """A command to run without a shell: a list of words, or one string split like a shell."""
    if isinstance(value, list) and all(isinstance(word, str) for word in value):
        return tuple(value)
    text = _string(value, "smtp.password_command", path)
    try:
        return tuple(shlex.split(text))
    except ValueError as error:
        raise ConfigError(f"config file {path}: smtp.password_command: {error}") from None
