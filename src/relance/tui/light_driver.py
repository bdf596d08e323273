"""Textual's Linux driver, sending the terminal only the cells that change."""

from __future__ import annotations

import threading
from typing import Any

from textual.drivers.linux_driver import LinuxDriver

from relance.tui.terminal_output import ScreenWriter


class LightLinuxDriver(LinuxDriver):
    """The Linux driver with a screen model between the app's frames and the terminal."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Start as Textual's driver does, with a model that knows nothing of the screen yet."""
        super().__init__(*args, **kwargs)
        self._screen_writer = ScreenWriter(*self._get_terminal_size())
        # Frames come from the app's loop, but mode switches may come from Textual's threads.
        self._writer_lock = threading.Lock()

    def write(self, data: str) -> None:
        """Write what ``data`` changes on the terminal, nothing it already shows."""
        with self._writer_lock:
            width, height = self._get_terminal_size()
            writer = self._screen_writer
            if (width, height) != (writer.width, writer.height):
                # A resized terminal may have cleared or reflowed its cells.
                writer.forget(width, height)
            data = writer.render(data)
        if data:
            super().write(data)

    def forget_screen(self) -> None:
        """Hold nothing of the screen, so that the next frame is sent whole (a redraw)."""
        with self._writer_lock:
            self._screen_writer.forget()
