"""Theme files: every ``themes/*.toml`` checked and turned into a Textual ``Theme``."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.css.errors import StylesheetError
from textual.css.stylesheet import Stylesheet
from textual.css.tokenizer import TokenError
from textual.theme import Theme

# The theme files shipped in the package: ``relance/themes`` links to the repository's
# ``themes/`` folder, and a wheel carries copies of its files.
BUNDLED_THEMES = Path(__file__).resolve().parents[1] / "themes"
# What the app falls back to when the chosen theme did not load: always built into Textual.
FALLBACK_THEME = "textual-dark"

COLOR_KEYS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
TOP_LEVEL_KEYS = {"name", "dark", "ansi", "luminosity_spread", "text_alpha", "colors", "variables"}

# App-specific colour variables the code reads; theme files may set them under [variables].
APP_VARIABLES = {
    "relance-late": "error",
    "relance-due": "warning",
    "relance-money": "success",
    "relance-flag": "accent",
    "relance-contact": "primary",
}


class ThemeFileError(ValueError):
    """A theme file that cannot become a theme; the message names the file and the fault."""


@dataclass
class LoadedThemes:
    """The themes read from the theme folders and the files that were refused."""

    themes: list[Theme] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def load_themes(folders: Iterable[Path]) -> LoadedThemes:
    """Read every ``*.toml`` in the folders, in name order; later folders override earlier ones."""
    loaded = LoadedThemes()
    by_name: dict[str, Theme] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = theme_from_file(path)
            except ThemeFileError as error:
                loaded.failures.append(str(error))
                continue
            by_name[theme.name] = theme
    loaded.themes = list(by_name.values())
    return loaded


def theme_from_file(path: Path) -> Theme:
    """Read one theme file, refusing anything Textual could not use."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ThemeFileError(f"{path.name}: cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ThemeFileError(f"{path.name}: not valid TOML ({error})") from None
    return theme_from_table(raw, path.name)


def theme_from_table(raw: dict[str, Any], source: str) -> Theme:
    """Turn the parsed TOML of a theme into a ``Theme``."""
    unknown = sorted(set(raw) - TOP_LEVEL_KEYS)
    if unknown:
        raise ThemeFileError(f"{source}: unknown setting {unknown[0]!r}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ThemeFileError(f"{source}: 'name' must be a non-empty string")
    colors = _table(raw.get("colors", {}), "colors", source)
    bad_keys = sorted(set(colors) - set(COLOR_KEYS))
    if bad_keys:
        raise ThemeFileError(f"{source}: unknown colour {bad_keys[0]!r}")
    if "primary" not in colors:
        raise ThemeFileError(f"{source}: [colors] needs at least 'primary'")
    for key, value in colors.items():
        _check_color(value, f"colors.{key}", source)
    variables = _table(raw.get("variables", {}), "variables", source)
    _check_variables(variables, source)
    dark = raw.get("dark", True)
    ansi = raw.get("ansi", False)
    if not isinstance(dark, bool) or not isinstance(ansi, bool):
        raise ThemeFileError(f"{source}: 'dark' and 'ansi' must be true or false")
    spread = _fraction(raw.get("luminosity_spread", 0.15), "luminosity_spread", source)
    alpha = _fraction(raw.get("text_alpha", 0.95), "text_alpha", source)
    return Theme(
        name=name.strip(),
        dark=dark,
        ansi=ansi,
        luminosity_spread=spread,
        text_alpha=alpha,
        variables=dict(variables),
        **colors,
    )


def _table(value: Any, name: str, source: str) -> dict[str, Any]:
    """A TOML sub-table, or a refusal naming it."""
    if not isinstance(value, dict):
        raise ThemeFileError(f"{source}: [{name}] must be a table")
    return value


def _check_color(value: Any, name: str, source: str) -> None:
    """Refuse a colour Textual cannot parse, so a typo never breaks start-up."""
    if not isinstance(value, str):
        raise ThemeFileError(f"{source}: {name} must be a string")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeFileError(f"{source}: {name} is not a colour: {value!r}") from None


def _check_variables(variables: dict[str, Any], source: str) -> None:
    """Refuse a variable value the app's stylesheet could not parse (it would stop start-up)."""
    declarations: list[tuple[str, str, str]] = []
    for key, value in variables.items():
        name = f"variables.{key}"
        if not isinstance(value, str):
            raise ThemeFileError(f"{source}: {name} must be a string")
        if key in APP_VARIABLES:
            _check_color(value, name, source)
            continue
        # Textual's variables are colours (possibly with an alpha, "red 50%") or text styles.
        css_property = "text-style" if "style" in key else "color"
        if any(char in value for char in ";{}\n"):
            raise ThemeFileError(f"{source}: {name} is not a valid {css_property}: {value!r}")
        declarations.append((name, css_property, value))
    # All at once first (every start reads the theme files); one by one only to name a fault.
    if _parses(declarations):
        return
    for name, css_property, value in declarations:
        if not _parses([(name, css_property, value)]):
            raise ThemeFileError(f"{source}: {name} is not a valid {css_property}: {value!r}")


def _parses(declarations: list[tuple[str, str, str]]) -> bool:
    """True if Textual's CSS parser accepts every value for its property."""
    sheet = Stylesheet()
    for _, css_property, value in declarations:
        sheet.add_source(f"Widget {{ {css_property}: {value}; }}")
    try:
        sheet.parse()
    except (StylesheetError, TokenError):
        return False
    return True


def _fraction(value: Any, name: str, source: str) -> float:
    """A number between 0 and 1 (Textual's theme tuning knobs)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ThemeFileError(f"{source}: {name} must be a number from 0 to 1")
    return float(value)
