"""The garbage collector held while start-up builds its long-lived objects, then let go.

Loading Python, Textual and relance creates a few hundred thousand objects that live as long
as the process. Collecting while they are being created only walks them again and again (about
45 ms of a 0.4 s start, one pass alone over 20 ms), so the collector waits until start-up is
over and then leaves those objects out of every later pass.
"""

from __future__ import annotations

import gc


def hold() -> None:
    """Start-up begins: no collection until `release` is called."""
    gc.disable()


def release() -> None:
    """Start-up is done: set aside what it built, and let the collector run again."""
    if gc.isenabled():
        return
    # Frozen objects are never examined again; whatever start-up built stays for good anyway.
    gc.freeze()
    gc.enable()
