"""The flags a user sets on a client by hand: dispute, snooze and payer profile."""

from __future__ import annotations

from datetime import date

from relance.store.models import Client


def set_disputed(client_id: int, disputed: bool) -> None:
    """Mark the client's account as disputed, or no longer."""
    Client.update(disputed=disputed).where(Client.id == client_id).execute()


def set_snoozed_until(client_id: int, until: date | None) -> None:
    """Hold the client's follow-up until a day, or lift the hold with ``None``."""
    Client.update(snoozed_until=until).where(Client.id == client_id).execute()


def set_profile_override(client_id: int, profile: str | None) -> None:
    """Fix the client's payer profile by hand, or hand it back to the rules with ``None``."""
    Client.update(profile_override=profile).where(Client.id == client_id).execute()
