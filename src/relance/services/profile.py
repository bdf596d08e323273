"""Overriding a client's payer profile by hand, or handing it back to the rules."""

from __future__ import annotations

from datetime import datetime

from relance.domain.profile import Profile
from relance.services.results import ActionResult
from relance.services.validation import Form, InvalidInput
from relance.store import client_flags
from relance.store.database import transaction
from relance.store.history import record_event
from relance.store.lookup import get_client
from relance.store.triage_index import refresh_client_summary

# What the user may pick: a profile, or "auto" to let the rules decide again.
AUTOMATIC = "auto"
CHOICES = (Profile.CARELESS.value, Profile.BAD_FAITH.value, AUTOMATIC)


def set_profile_override(client_id: int, profile: str, at: datetime) -> ActionResult:
    """Fix a client's payer profile (it picks the ladder), or return it to the rules."""
    form = Form()
    picked = form.choice("profile", profile, CHOICES)
    form.check()
    override = None if picked == AUTOMATIC else picked
    with transaction():
        client = get_client(client_id)
        if client.profile_override == override:
            state = f"set to {Profile(override).label}" if override else "automatic"
            raise InvalidInput.one("profile", f"the profile of {client.name} is already {state}")
        client_flags.set_profile_override(client_id, override)
        summary = (
            f"payer profile set by hand: {Profile(override).label}"
            if override
            else "payer profile back to automatic"
        )
        event_id = record_event(
            client_id,
            "note",
            summary,
            at,
            direction="internal",
            outcome="profile-override",
            body=override or AUTOMATIC,
        )
        refresh_client_summary(client_id)
    return ActionResult(
        client_id, f"{client.name}: {summary}", event_id, {"profile_override": override}
    )
