"""Setting a client's payer profile by hand, or giving it back to the rules."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from relance.domain.profile import Profile
from relance.literal import one_line
from relance.services.profile import AUTOMATIC, set_profile_override
from relance.tui.modals.base import ActionModal, SaveCall
from relance.tui.modals.choice import Choice

OPTIONS = [
    (Profile.CARELESS.value, "careless: the standard ladder"),
    (Profile.BAD_FAITH.value, "bad faith: calls and letters, formal notice early"),
    (AUTOMATIC, "automatic: the rules decide from the history"),
]

LABELS = {profile.value: profile.label for profile in Profile}


class ProfileModal(ActionModal):
    """The profile form: the arrows cycle careless, bad faith, automatic; ctrl+s sets it."""

    DEFAULT_CSS = """
    ProfileModal #profile-now {
        padding: 0 1;
        margin-bottom: 1;
    }
    """

    def __init__(self, client_id: int, client_name: str, profile: str) -> None:
        """Start on the option after the client's current profile, so b, ctrl+s cycles."""
        super().__init__(client_id, client_name)
        self.profile = profile
        values = [value for value, _ in OPTIONS]
        self.first = (
            values[(values.index(profile) + 1) % len(values)]
            if profile in values
            else (Profile.CARELESS.value)
        )

    def action_title(self) -> str:
        """What the form does."""
        return "Payer profile"

    def compose_fields(self) -> ComposeResult:
        """The current profile, then the choice."""
        now = Text.assemble(
            f"{one_line(self.client_name)} is now ",
            (LABELS.get(self.profile, one_line(self.profile)), "bold"),
            ". The profile picks the ladder; setting it is written in the history.",
        )
        yield Static(now, id="profile-now")
        yield from self.field(
            "profile", "Profile", Choice(OPTIONS, self.first, vertical=True, id="field-profile")
        )

    def hint_line(self) -> Text:
        """ctrl+s sets the profile."""
        return Text.assemble(("ctrl+s", "bold"), " set profile   ", ("esc", "bold"), " cancel")

    def prepare_save(self) -> SaveCall:
        """The chosen profile, or automatic."""
        return partial(
            set_profile_override, self.client, self.value_of("profile"), self.host.action_time()
        )
