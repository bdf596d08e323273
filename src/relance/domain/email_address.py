"""What counts as one e-mail address: a single mailbox at a domain with a dot, nothing more."""

from __future__ import annotations

import re

# A local part without spaces, commas, angle brackets or quotes: one recipient, never a list.
_LOCAL = re.compile(r"[^\s@,;:<>()\[\]\"\\]+")
# Labels of letters (any script), digits and inner hyphens.
_LABEL = re.compile(r"(?!-)[^\W_](?:[\w-]*[^\W_])?")


def is_email_address(text: str) -> bool:
    """True for ``name@example.com``; false for ``a@b``, two addresses, or spaces inside."""
    local, at, domain = text.rpartition("@")
    if not at or not _LOCAL.fullmatch(local) or len(text) > 254:
        return False
    labels = domain.split(".")
    return len(labels) >= 2 and all(_LABEL.fullmatch(label) for label in labels)
