"""Theme files: the bundled ones load, broken ones are refused with a reason naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from relance.config import DEFAULT_THEME
from relance.tui.themes import (
    APP_VARIABLES,
    BUNDLED_THEMES,
    ThemeFileError,
    load_themes,
    theme_from_file,
)

REQUIRED = {DEFAULT_THEME, "relance-light", "relance-high-contrast", "relance-ansi"}


def test_bundled_themes_all_load() -> None:
    """Every file in themes/ becomes a theme, including the four the app promises."""
    loaded = load_themes([BUNDLED_THEMES])
    assert loaded.failures == []
    names = {theme.name for theme in loaded.themes}
    assert names >= REQUIRED
    assert len(names) == len(list(BUNDLED_THEMES.glob("*.toml")))


def test_bundled_themes_set_the_app_variables() -> None:
    """Each bundled theme chooses its own colours for relance's variables."""
    for theme in load_themes([BUNDLED_THEMES]).themes:
        assert set(APP_VARIABLES) <= set(theme.variables), theme.name


def test_light_and_ansi_themes_are_what_they_say() -> None:
    """The light theme is light; the ANSI one uses the terminal's own colours."""
    themes = {theme.name: theme for theme in load_themes([BUNDLED_THEMES]).themes}
    assert themes["relance-light"].dark is False
    assert themes[DEFAULT_THEME].dark is True
    ansi = themes["relance-ansi"]
    assert ansi.ansi is True
    assert ansi.primary.startswith("ansi_")
    assert ansi.background == "ansi_default"


def write(folder: Path, name: str, text: str) -> Path:
    """Write one theme file."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("name = = 1", "not valid TOML"),
        ('[colors]\nprimary = "#123456"\n', "'name'"),
        ('name = "x"\n', "needs at least 'primary'"),
        ('name = "x"\n[colors]\nprimary = "#12345z"\n', "colors.primary is not a colour"),
        ('name = "x"\n[colors]\nprimary = "#123456"\nshiny = "#ffffff"\n', "unknown colour"),
        ('name = "x"\nglow = 1\n[colors]\nprimary = "#123456"\n', "unknown setting 'glow'"),
        ('name = "x"\ndark = "yes"\n[colors]\nprimary = "#123456"\n', "'dark' and 'ansi'"),
        ('name = "x"\ntext_alpha = 3\n[colors]\nprimary = "#123456"\n', "text_alpha"),
        (
            'name = "x"\n[colors]\nprimary = "#123456"\n[variables]\nrelance-late = "nope"\n',
            "variables.relance-late is not a colour",
        ),
        ('name = "x"\ncolors = "red"\n', "[colors] must be a table"),
        (
            'name = "x"\n[colors]\nprimary = "#123456"\n[variables]\nborder = "banana"\n',
            "variables.border is not a valid color",
        ),
        (
            'name = "x"\n[colors]\nprimary = "#123456"\n[variables]\n'
            'border = "red; } Screen { color: blue"\n',
            "variables.border is not a valid color",
        ),
        (
            'name = "x"\n[colors]\nprimary = "#123456"\n[variables]\n'
            'block-cursor-text-style = "wobbly"\n',
            "not a valid text-style",
        ),
        (
            'name = "x"\n[colors]\nprimary = "#123456"\n[variables]\n'
            'border = "red"\nfooter-background = "banana"\nfooter-key-foreground = "blue"\n',
            "variables.footer-background is not a valid color",
        ),
    ],
)
def test_broken_theme_files_are_refused_with_a_reason(
    tmp_path: Path, text: str, reason: str
) -> None:
    """A file Textual could not use is refused, naming the file and the fault."""
    path = write(tmp_path, "broken.toml", text)
    with pytest.raises(ThemeFileError) as refused:
        theme_from_file(path)
    assert str(refused.value).startswith("broken.toml: ")
    assert reason in str(refused.value)


def test_one_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    """Loading goes on past a broken file and lists each failure once."""
    write(tmp_path, "a-good.toml", 'name = "good"\n[colors]\nprimary = "#336699"\n')
    write(tmp_path, "b-bad.toml", "name = ")
    write(tmp_path, "c-worse.toml", 'name = ""\n[colors]\nprimary = "#336699"\n')
    loaded = load_themes([tmp_path])
    assert [theme.name for theme in loaded.themes] == ["good"]
    assert len(loaded.failures) == 2
    assert loaded.failures[0].startswith("b-bad.toml")
    assert loaded.failures[1].startswith("c-worse.toml")


def test_a_later_folder_overrides_a_theme_of_the_same_name(tmp_path: Path) -> None:
    """A user's theme file replaces the bundled theme with the same name."""
    write(tmp_path, "mine.toml", f'name = "{DEFAULT_THEME}"\n[colors]\nprimary = "#ff00ff"\n')
    loaded = load_themes([BUNDLED_THEMES, tmp_path, tmp_path / "missing"])
    themes = {theme.name: theme for theme in loaded.themes}
    assert themes[DEFAULT_THEME].primary == "#ff00ff"
    assert set(themes) >= REQUIRED


def test_full_theme_keeps_every_setting(tmp_path: Path) -> None:
    """Every documented setting reaches the Textual theme."""
    path = write(
        tmp_path,
        "full.toml",
        'name = "full"\ndark = false\nansi = false\nluminosity_spread = 0.2\n'
        'text_alpha = 0.9\n[colors]\nprimary = "#112233"\nbackground = "#fafafa"\n'
        '[variables]\nrelance-late = "#aa0000"\nfooter-key-foreground = "#112233"\n'
        'border = "red 50%"\nblock-cursor-text-style = "bold reverse"\n',
    )
    theme = theme_from_file(path)
    assert theme.name == "full"
    assert theme.dark is False
    assert theme.luminosity_spread == pytest.approx(0.2)
    assert theme.background == "#fafafa"
    assert theme.variables == {
        "relance-late": "#aa0000",
        "footer-key-foreground": "#112233",
        "border": "red 50%",
        "block-cursor-text-style": "bold reverse",
    }
