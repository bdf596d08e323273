"""A Jinja sandbox whose rendering stays small: capped output, ranges, repeats and powers.

A user's template is trusted with the client's data but not with the machine: ``'x' * 10**10``
or ``range(10**9)`` must end with a clear error, not fill the memory or never finish.
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Iterator
from typing import Any

from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

# A reminder is a page or two; a hundred times that is a runaway template.
MAX_OUTPUT_CHARS = 200_000
# Loop steps over every range() of one rendering together.
MAX_RANGE_STEPS = 10_000
MAX_EXPONENT = 64


class TemplateTooBig(RuntimeError):
    """A template asked for more output, loop steps or arithmetic than a message needs."""


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with ``*`` and ``**`` checked and a counted ``range``."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = self._range
        # The environment is cached and shared: each thread's rendering counts its own steps.
        self._count = threading.local()

    def call_binop(self, context: Context, operator_name: str, left: Any, right: Any) -> Any:
        """Refuse a repeat or a power whose result would be far larger than any message."""
        if operator_name == "**":
            if isinstance(right, int) and abs(right) > MAX_EXPONENT:
                raise TemplateTooBig(f"power too large: ** {right} (at most {MAX_EXPONENT})")
            return operator.pow(left, right)
        for sized, count in ((left, right), (right, left)):
            repeatable = isinstance(sized, (str, list, tuple)) and isinstance(count, int)
            if repeatable and len(sized) * count > MAX_OUTPUT_CHARS:
                raise TemplateTooBig(
                    f"repeat too large: {count} times (at most {MAX_OUTPUT_CHARS} characters)"
                )
        return operator.mul(left, right)

    def start_rendering(self) -> None:
        """Reset the loop-step count for one rendering."""
        self._count.steps = 0

    def _range(self, *bounds: int) -> Iterator[int]:
        """``range`` whose steps, over one rendering, stop at MAX_RANGE_STEPS."""
        for value in range(*bounds):
            self._count.steps = getattr(self._count, "steps", 0) + 1
            if self._count.steps > MAX_RANGE_STEPS:
                raise TemplateTooBig(f"loops too long: more than {MAX_RANGE_STEPS} steps")
            yield value


def render_bounded(template: Any, environment: BoundedSandbox, variables: dict[str, Any]) -> str:
    """Render a template piece by piece, stopping once the text passes MAX_OUTPUT_CHARS."""
    environment.start_rendering()
    pieces: list[str] = []
    size = 0
    for piece in template.generate(variables):
        size += len(piece)
        if size > MAX_OUTPUT_CHARS:
            raise TemplateTooBig(f"output too long: more than {MAX_OUTPUT_CHARS} characters")
        pieces.append(piece)
    return "".join(pieces)
