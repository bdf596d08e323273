"""The relance Textual app: session state, themes, key remaps, and the main screen."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.screen import Screen

from relance.clock import now
from relance.config import DEFAULT_THEME, Config, ConfigError, save_setting
from relance.literal import one_line
from relance.policy_config import policy_from_config
from relance.store.triage_index import set_active_policy
from relance.tui.commands import ThemeCommands
from relance.tui.list_reads import FirstRead
from relance.tui.main_screen import MainScreen
from relance.tui.themes import APP_VARIABLES, BUNDLED_THEMES, FALLBACK_THEME, load_themes


def theme_folders(config: Config) -> list[Path]:
    """Where themes are read from: the bundled folder, then ``themes/`` beside the config file."""
    return [BUNDLED_THEMES, config.path.parent / "themes"]


# Set, the app writes every frame whole, as Textual does (to compare, or for a terminal that
# something else writes to behind the app's back).
FULL_FRAMES_VARIABLE = "RELANCE_FULL_FRAMES"


class RelanceApp(App[None]):
    """The morning triage app over one book (the database is opened by the caller)."""

    CSS_PATH = "relance.tcss"
    TITLE = "relance"
    COMMANDS: ClassVar = App.COMMANDS | {ThemeCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            show=False,
            priority=True,
            id="command_palette",
            tooltip="palette: go to a client, switch theme, import",
        ),
        Binding(
            "ctrl+l",
            "redraw",
            "Redraw",
            show=False,
            priority=True,
            id="redraw",
            tooltip="redraw the whole screen (after another program wrote over it)",
        ),
    ]

    def __init__(
        self,
        db_path: Path,
        config: Config,
        today: date,
        outbox: Path,
        *,
        theme_dirs: Sequence[Path] | None = None,
        notices: Sequence[str] = (),
        first_read: FirstRead | None = None,
    ) -> None:
        self.db_path = db_path
        self.first_read = first_read
        # What changed since the book was last opened (promises and plans broken), told at start.
        self.notices = tuple(notices)
        self.config = config
        set_active_policy(policy_from_config(config))
        self.today = today
        self.outbox = outbox
        self._remember_theme = False
        super().__init__()
        loaded = load_themes(theme_dirs if theme_dirs is not None else theme_folders(config))
        for theme in loaded.themes:
            self.register_theme(theme)
        self.theme_failures = loaded.failures
        # Chosen before the first mount: a theme set later makes Textual parse all the CSS again
        # before the list can paint.
        self._theme_missing = self.config.theme not in self.available_themes
        self.theme = self._starting_theme()

    def _starting_theme(self) -> str:
        """The saved theme if it exists, else relance's default, else Textual's fallback."""
        if not self._theme_missing:
            return self.config.theme
        return DEFAULT_THEME if DEFAULT_THEME in self.available_themes else FALLBACK_THEME

    def action_time(self) -> datetime:
        """The moment of an action: today's session date at the current time of day."""
        return datetime.combine(self.today, now().time())

    def get_default_screen(self) -> Screen[None]:
        """The main screen is the app's first and only base screen."""
        return MainScreen(self.first_read)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """relance's own colour variables, taken from the theme's colours when it sets none."""
        generated = self.current_theme.to_color_system().generate()
        return {name: generated[source] for name, source in APP_VARIABLES.items()}

    def get_driver_class(self) -> type[Driver]:
        """Textual's own driver, but on Linux one that sends only the cells that change."""
        driver = super().get_driver_class()
        if os.environ.get(FULL_FRAMES_VARIABLE):
            return driver
        from textual.drivers.linux_driver import LinuxDriver

        if driver is LinuxDriver:
            from relance.tui.light_driver import LightLinuxDriver

            return LightLinuxDriver
        return driver

    def action_redraw(self) -> None:
        """Send the whole screen again, whatever the terminal is believed to show."""
        forget = getattr(self._driver, "forget_screen", None)
        if forget is not None:
            forget()
        self.screen.refresh(layout=True, repaint=True)

    def on_mount(self) -> None:
        """Tell about a missing theme, and apply the key remaps from the config."""
        wanted = self.config.theme
        if self._theme_missing and wanted != DEFAULT_THEME:
            self.notify(
                f"theme {wanted!r} not found; using {self._starting_theme()}",
                severity="warning",
                markup=False,
            )
        self._remember_theme = True
        if self.theme_failures:
            self.notify(
                "\n".join(one_line(failure) for failure in self.theme_failures),
                title="Some theme files were skipped",
                severity="error",
                timeout=10,
                markup=False,
            )
        if self.config.keys:
            self.set_keymap(self.config.keys)
        if self.notices:
            self.notify("\n".join(self.notices), title="Since last time", timeout=15, markup=False)

    def switch_theme(self, name: str) -> None:
        """Apply a theme chosen in the palette; the watcher saves it."""
        if name in self.available_themes:
            self.theme = name

    def watch_theme(self, name: str) -> None:
        """Save a theme the user picked (not the one applied at start-up) to the config file."""
        if self._remember_theme and name != self.config.theme:
            self._save_theme(name)

    @work(thread=True, group="config", exit_on_error=False)
    def _save_theme(self, name: str) -> None:
        """Worker: write the theme to the config file."""
        try:
            saved = save_setting(self.config, "theme", name)
        except (OSError, ConfigError) as error:
            self.call_from_thread(
                self.notify, f"could not save the theme: {error}", severity="error", markup=False
            )
            return
        self.call_from_thread(self._saved, saved)

    def _saved(self, config: Config) -> None:
        """Keep the config as it now is on disk."""
        self.config = config
