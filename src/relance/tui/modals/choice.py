"""A compact pick-one field: every option visible, the arrow keys move the choice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

SELECTED_MARK = "●"
UNSELECTED_MARK = "○"
HORIZONTAL_GAP = "   "


class Choice(Widget, can_focus=True):
    """A set of options shown on one line (or one per line); arrows change the choice at once."""

    DEFAULT_CSS = """
    Choice {
        height: auto;
        width: 1fr;
        padding: 0 1;
        background: $panel;
    }
    Choice:focus {
        background-tint: $foreground 5%;
    }
    Choice > .choice--current {
        text-style: bold;
        color: $text-accent;
    }
    Choice:focus > .choice--current {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"choice--current"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,left", "move(-1)", "Previous option", show=False),
        Binding("down,right", "move(1)", "Next option", show=False),
        Binding("home", "jump(0)", "First option", show=False),
        Binding("end", "jump(-1)", "Last option", show=False),
    ]

    index: reactive[int] = reactive(0)

    class Changed(Message):
        """Posted when the chosen option changes."""

        def __init__(self, choice: Choice, value: str) -> None:
            """Carry the widget and its new value."""
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> Choice:
            """The Choice that changed, so ``@on(Choice.Changed, "#id")`` works."""
            return self.choice

    def __init__(
        self,
        options: Sequence[tuple[str, str]],
        value: str,
        *,
        vertical: bool = False,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Options are (value, label) pairs; ``value`` is the one chosen at first."""
        super().__init__(id=id, classes=classes, disabled=disabled)
        self.options = list(options)
        self.vertical = vertical
        self._spans: list[tuple[int, int]] = []
        self.set_reactive(Choice.index, self._index_of(value))

    @property
    def value(self) -> str:
        """The chosen option's value."""
        return self.options[self.index][0]

    @value.setter
    def value(self, new_value: str) -> None:
        """Choose the option with this value."""
        self.index = self._index_of(new_value)

    def _index_of(self, value: str) -> int:
        """The position of an option's value (the first option if unknown)."""
        values = [option_value for option_value, _ in self.options]
        return values.index(value) if value in values else 0

    def validate_index(self, index: int) -> int:
        """Keep the choice on an existing option."""
        return max(0, min(index, len(self.options) - 1))

    def watch_index(self, old: int, new: int) -> None:
        """Tell the form the choice moved."""
        if old != new:
            self.post_message(self.Changed(self, self.value))

    def action_move(self, step: int) -> None:
        """Move the choice one option back or forward."""
        self.index += step

    def action_jump(self, position: int) -> None:
        """Choose the first or the last option."""
        self.index = position if position >= 0 else len(self.options) + position

    def on_focus(self) -> None:
        """Redraw so the current option shows the cursor."""
        self.refresh()

    def on_blur(self) -> None:
        """Redraw without the cursor."""
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        """Choose the option under the mouse."""
        if self.vertical:
            self.index = event.y
            return
        for position, (start, end) in enumerate(self._spans):
            if start <= event.x - 1 < end:
                self.index = position

    def render(self) -> Text:
        """Every option with its mark, the current one styled."""
        current_style = self.get_component_rich_style("choice--current", partial=True)
        text = Text(no_wrap=not self.vertical, end="")
        self._spans = []
        for position, (_, label) in enumerate(self.options):
            chosen = position == self.index
            if position:
                text.append("\n" if self.vertical else HORIZONTAL_GAP)
            start = len(text)
            mark = SELECTED_MARK if chosen else UNSELECTED_MARK
            text.append(f"{mark} {label}", style=current_style if chosen else "")
            self._spans.append((start, len(text)))
        return text
