"""What a service returns: one line for people, one record for scripts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ActionResult:
    """The outcome of one user action."""

    client_id: int
    summary: str
    event_id: int | None = None
    record: dict[str, Any] = field(default_factory=dict)
