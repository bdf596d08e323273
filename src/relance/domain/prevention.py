"""What the user did to be paid before the work starts: a deposit asked, a contract signed."""

from __future__ import annotations

# The history kind of a prevention flag; its outcome is the flag itself.
PREVENTION_KIND = "prevention"

DEPOSIT_ASKED = "deposit-asked"
DEPOSIT_PAID = "deposit-paid"
DEPOSIT_REFUSED = "deposit-refused"
CONTRACT_SIGNED = "contract-signed"
CONTRACT_REFUSED = "contract-refused"

FLAGS = (DEPOSIT_ASKED, DEPOSIT_PAID, DEPOSIT_REFUSED, CONTRACT_SIGNED, CONTRACT_REFUSED)
# A refusal is a warning: it counts as a sign of bad faith in the payer profile.
REFUSALS = (DEPOSIT_REFUSED, CONTRACT_REFUSED)

FLAG_WORDS = {
    DEPOSIT_ASKED: "deposit asked",
    DEPOSIT_PAID: "deposit paid",
    DEPOSIT_REFUSED: "deposit refused",
    CONTRACT_SIGNED: "contract signed",
    CONTRACT_REFUSED: "contract refused",
}


def subject_of(flag: str) -> str:
    """What a flag is about, "deposit" or "contract": a later flag replaces an earlier one."""
    return flag.split("-", 1)[0]
