"""Mediation before court: how a proposal of a mediator went, as the history records it."""

from __future__ import annotations

from enum import StrEnum


class MediationOutcome(StrEnum):
    """Where a mediation stands: proposed to the client, agreed on a settlement, or failed."""

    PROPOSED = "proposed"
    AGREED = "agreed"
    FAILED = "failed"
