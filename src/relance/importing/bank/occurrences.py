"""Telling apart identical movements of one file, which the bank may give no reference to."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable

from relance.domain.bank_lines import BankLine


def number_repeats(lines: Iterable[BankLine]) -> tuple[BankLine, ...]:
    """The lines, each repeat of an earlier line's fingerprint numbered so that its own differs.

    Two coffees of the same price on the same day are two movements; numbering them in file
    order keeps a re-import (or an overlapping statement) giving each the same fingerprint.
    """
    seen: Counter[str] = Counter()
    numbered: list[BankLine] = []
    for line in lines:
        key = line.fingerprint()
        repeat = seen[key]
        seen[key] += 1
        numbered.append(dataclasses.replace(line, repeat=repeat) if repeat else line)
    return tuple(numbered)
