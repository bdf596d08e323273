"""The `[policy]` section of the config file: ladders, minimum gap, year-end weeks."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, TypeVar

from relance.config import Config, ConfigError
from relance.domain.ladder import DEFAULT_LADDERS, Anchor, Channel, Ladder, Step, Tone
from relance.domain.policy import DEFAULT_POLICY, MonthDay, Policy

Word = TypeVar("Word", Anchor, Channel, Tone)
STEP_KEYS = {"after", "from", "channel", "tone", "template", "label"}
# A template is looked up as a file under the templates folder: a plain name cannot leave it.
TEMPLATE_NAME = re.compile(r"[A-Za-z0-9_-]+")


def policy_from_config(config: Config) -> Policy:
    """The policy the config file sets, over the shipped defaults; refused with the key named."""
    section = config.raw.get("policy", {})
    where = f"config file {config.path}"
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [policy] must be a table")
    unknown = set(section) - {"ladders", "min_gap_days", "year_end_freeze"}
    if unknown:
        raise ConfigError(f"{where}: unknown setting policy.{sorted(unknown)[0]}")
    gap = section.get("min_gap_days", DEFAULT_POLICY.min_gap_days)
    if isinstance(gap, bool) or not isinstance(gap, int) or not 0 <= gap <= 365:
        raise ConfigError(f"{where}: policy.min_gap_days must be a whole number from 0 to 365")
    answer_days, notice_days, grace_days = _plan_days(config.raw.get("plans", {}), where)
    return Policy(
        ladders=_ladders(section.get("ladders", {}), where),
        min_gap_days=gap,
        year_end=_year_end(section.get("year_end_freeze", True), where),
        plan_answer_days=answer_days,
        plan_notice_days=notice_days,
        plan_grace_days=grace_days,
    )


PLAN_KEYS = ("answer_days", "notice_days", "grace_days")


def _plan_days(section: Any, where: str) -> tuple[int, int, int]:
    """``[plans]``: days to wait for an answer, to warn before an instalment, of grace after."""
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [plans] must be a table")
    unknown = set(section) - set(PLAN_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown setting plans.{sorted(unknown)[0]}")
    defaults = (
        DEFAULT_POLICY.plan_answer_days,
        DEFAULT_POLICY.plan_notice_days,
        DEFAULT_POLICY.plan_grace_days,
    )
    days: list[int] = []
    for key, default in zip(PLAN_KEYS, defaults, strict=True):
        value = section.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 365:
            raise ConfigError(f"{where}: plans.{key} must be a whole number from 0 to 365")
        days.append(value)
    return days[0], days[1], days[2]


def _ladders(section: Any, where: str) -> dict[str, Ladder]:
    """The shipped ladders, with those the config names replaced."""
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [policy.ladders] must be a table")
    ladders = dict(DEFAULT_LADDERS)
    for name, table in section.items():
        key = f"policy.ladders.{name}"
        if name not in DEFAULT_LADDERS:
            raise ConfigError(
                f"{where}: {key} is not a ladder; one of: {', '.join(DEFAULT_LADDERS)}"
            )
        steps = table.get("steps") if isinstance(table, dict) else None
        if not isinstance(steps, list) or not steps:
            raise ConfigError(f"{where}: {key}.steps must be a non-empty list of steps")
        ladders[name] = Ladder(
            name, tuple(_step(item, f"{key}.steps[{n}]", where) for n, item in enumerate(steps))
        )
    return ladders


def _step(item: Any, key: str, where: str) -> Step:
    """One step: ``{after = 7, from = "due", channel = "email", tone = "courteous", …}``."""
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: {key} must be a table")
    unknown = set(item) - STEP_KEYS
    if unknown:
        raise ConfigError(f"{where}: {key} has an unknown key {sorted(unknown)[0]!r}")
    after = item.get("after")
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= 3650:
        raise ConfigError(f"{where}: {key}.after must be a whole number of days from 0 to 3650")
    anchor = _word(item.get("from", "due"), Anchor, f"{key}.from", where)
    raw_channels = item.get("channel")
    names = raw_channels.split("+") if isinstance(raw_channels, str) else raw_channels
    if not isinstance(names, list) or not names:
        raise ConfigError(f'{where}: {key}.channel must be a channel such as "email" or a list')
    channels = tuple(_word(name, Channel, f"{key}.channel", where) for name in names)
    tone = _word(item.get("tone", "courteous"), Tone, f"{key}.tone", where)
    template = item.get("template", tone.value)
    label = item.get("label", f"{tone.value} {channels[-1].value}")
    for field, value in (("template", template), ("label", label)):
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: {key}.{field} must be a non-empty string")
    if not TEMPLATE_NAME.fullmatch(template.strip()):
        raise ConfigError(
            f"{where}: {key}.template must be a plain name (letters, digits, - and _), "
            f"not {template!r}"
        )
    return Step(label.strip(), after, anchor, channels, tone, template.strip())


def _word(value: Any, kind: type[Word], key: str, where: str) -> Word:
    """One of an enumeration's words."""
    try:
        return kind(value)
    except ValueError:
        words = ", ".join(member.value for member in kind)
        raise ConfigError(f"{where}: {key} must be one of: {words}") from None


def _year_end(value: Any, where: str) -> tuple[MonthDay, MonthDay] | None:
    """``["12-20", "01-05"]``, or ``false`` to send written steps through the closing weeks."""
    if value is True:
        return DEFAULT_POLICY.year_end
    if value is False or value == []:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise ConfigError(
            f'{where}: policy.year_end_freeze must be ["MM-DD", "MM-DD"] (first and last day) '
            "or false"
        )
    start, end = (_month_day(text, where) for text in value)
    return start, end


def _month_day(text: Any, where: str) -> MonthDay:
    """A "MM-DD" day of any year; 29 February is refused, as most years lack it."""
    try:
        month, day = (int(part) for part in str(text).split("-"))
        date(2027, month, day)
    except ValueError:
        raise ConfigError(
            f"{where}: policy.year_end_freeze: {text!r} is not a day written MM-DD"
        ) from None
    return month, day
