"""The dunning policy from the outside: `today`/`show` fields, `profile`, and `[policy]`."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from relance.cli import main
from relance.config import ConfigError, load_config
from relance.domain.ladder import Anchor, Channel, Tone
from relance.domain.policy import DEFAULT_POLICY, policy_fingerprint
from relance.policy_config import policy_from_config


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`relance ARGS…` in-process: status, stdout, stderr."""
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def ok_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    """A successful run's JSON output."""
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    return json.loads(out)


def write_config(text: str) -> None:
    """Write the config file the entry points read."""
    path = Path(os.environ["RELANCE_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def durand(capsys: pytest.CaptureFixture[str]) -> None:
    """A client with one invoice due on Thursday 1 October 2026 (today is 23 November)."""
    for argv in (
        ("client", "add", "Durand SARL", "--email", "compta@durand.fr"),
        (
            "invoice",
            "add",
            "Durand SARL",
            "F-1",
            "1200",
            "--issued",
            "2026-09-01",
            "--due",
            "2026-10-01",
        ),
    ):
        status, _, err = run(capsys, *argv)
        assert status == 0, err


def test_today_json_gives_the_step_the_reason_and_the_profile(
    durand: None, capsys: pytest.CaptureFixture[str]
) -> None:
    (row,) = ok_json(capsys, "today", "--json")
    assert {k: row[k] for k in ("next_action", "next_action_on", "step", "reason", "profile")} == {
        "next_action": "courteous email",
        "next_action_on": "2026-10-08",
        "step": 1,
        # Told as of today (23 November), not as of the step's date.
        "reason": "courteous email — 53 days late, no reminder yet, step 1 of 7; due since 8 Oct",
        "profile": "unknown",
    }


def test_show_json_gives_the_profile_with_its_reasons(
    durand: None, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = ok_json(capsys, "show", "Durand SARL", "--json")
    assert shown["profile"] == "unknown"
    assert shown["profile_reasons"] == ["too little history: 0 paid invoices"]
    assert shown["profile_set_by_hand"] is False
    assert (shown["step"], shown["reason"]) == (
        1,
        "courteous email — 53 days late, no reminder yet, step 1 of 7; due since 8 Oct",
    )
    status, out, _ = run(capsys, "show", "Durand SARL")
    assert status == 0
    assert "no reminder yet, step 1 of 7" in out


def test_profile_command_sets_and_lifts_the_override(
    durand: None, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ok_json(capsys, "profile", "Durand SARL", "bad-faith", "--json")
    assert result["profile_override"] == "bad-faith"
    (row,) = ok_json(capsys, "today", "--json")
    assert (row["next_action"], row["profile"], row["step"]) == (
        "call and firm email",
        "bad-faith",
        1,
    )
    shown = ok_json(capsys, "show", "Durand SARL", "--json")
    assert shown["profile_set_by_hand"] is True
    assert shown["profile_reasons"][0] == "set by hand; the rules say unknown"
    history = [e for e in shown["history"] if e.get("outcome") == "profile-override"]
    assert len(history) == 1
    status, _, err = run(capsys, "profile", "Durand SARL", "angry")
    assert status == 2 and "invalid choice" in err
    ok_json(capsys, "profile", "Durand SARL", "auto", "--json")
    (row,) = ok_json(capsys, "today", "--json")
    assert (row["next_action"], row["profile"]) == ("courteous email", "unknown")


def test_config_ladder_replaces_the_shipped_one_and_the_index_follows(
    durand: None, capsys: pytest.CaptureFixture[str]
) -> None:
    db = os.environ["RELANCE_DB"]
    before = sqlite3.connect(db).execute("SELECT value FROM book_setting").fetchall()
    assert before == [(policy_fingerprint(DEFAULT_POLICY),)]
    write_config(
        "[policy]\nmin_gap_days = 3\nyear_end_freeze = false\n"
        "[policy.ladders.fr-careless]\nsteps = [\n"
        '  {after = 3, channel = "sms", tone = "courteous", template = "sms", label = "text"},\n'
        '  {after = 10, from = "previous", channel = "phone+letter", tone = "formal"},\n'
        "]\n"
    )
    # A read-only command: the index was rebuilt at open because the policy changed.
    (row,) = ok_json(capsys, "today", "--json")
    # +3 is Sunday 4 October: Monday.
    assert (row["next_action"], row["next_action_on"], row["step"]) == ("text", "2026-10-05", 1)
    assert row["reason"] == "text — 53 days late, no reminder yet, step 1 of 2; due since 5 Oct"
    after = sqlite3.connect(db).execute("SELECT value FROM book_setting").fetchall()
    assert after != before
    os.remove(os.environ["RELANCE_CONFIG"])
    (row,) = ok_json(capsys, "today", "--json")
    assert row["next_action"] == "courteous email"


def test_policy_from_config_reads_every_setting(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[policy]\nmin_gap_days = 2\nyear_end_freeze = ["12-22", "01-02"]\n'
        "[policy.ladders.us]\n"
        'steps = [{after = 5, channel = ["phone", "email"], tone = "firm", template = "t"}]\n',
        encoding="utf-8",
    )
    policy = policy_from_config(load_config(path))
    assert policy.min_gap_days == 2
    assert policy.year_end == ((12, 22), (1, 2))
    (step,) = policy.ladders["us"].steps
    assert (step.label, step.after, step.anchor, step.channels, step.tone, step.template) == (
        "firm email",
        5,
        Anchor.DUE,
        (Channel.PHONE, Channel.EMAIL),
        Tone.FIRM,
        "t",
    )
    assert policy.ladders["fr-careless"] == DEFAULT_POLICY.ladders["fr-careless"]
    assert policy_fingerprint(policy) != policy_fingerprint(DEFAULT_POLICY)
    path.write_text("", encoding="utf-8")
    assert policy_from_config(load_config(path)) == DEFAULT_POLICY


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("policy = 3", r"\[policy\] must be a table"),
        ("[policy]\nspeed = 1", "unknown setting policy.speed"),
        ("[policy]\nmin_gap_days = -1", "policy.min_gap_days must be"),
        ("[policy]\nyear_end_freeze = ['12-20']", "policy.year_end_freeze must be"),
        ("[policy]\nyear_end_freeze = ['02-29', '03-01']", "'02-29' is not a day"),
        (
            "[policy.ladders.fr-lazy]\nsteps = [{after = 1, channel = 'email'}]",
            "policy.ladders.fr-lazy is not a ladder",
        ),
        ("[policy.ladders.us]\nsteps = []", "policy.ladders.us.steps must be a non-empty list"),
        (
            "[policy.ladders.us]\nsteps = [{after = 'x', channel = 'email'}]",
            r"policy.ladders.us.steps\[0\].after",
        ),
        (
            "[policy.ladders.us]\nsteps = [{after = 1, channel = 'fax'}]",
            r"steps\[0\].channel must be one of: email",
        ),
        (
            "[policy.ladders.us]\nsteps = [{after = 1, channel = 'email', tone = 'rude'}]",
            r"steps\[0\].tone",
        ),
        (
            "[policy.ladders.us]\nsteps = [{after = 1, channel = 'email', from = 'x'}]",
            r"steps\[0\].from",
        ),
        (
            "[policy.ladders.us]\nsteps = [{after = 1, channel = 'email', when = 1}]",
            "unknown key 'when'",
        ),
        (
            "[policy.ladders.us]\nsteps = [{after = 1, channel = 'email', label = ''}]",
            r"steps\[0\].label",
        ),
    ],
)
def test_bad_policy_is_refused_naming_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        policy_from_config(load_config(path))


def test_a_bad_policy_stops_the_command_with_one_line(
    durand: None, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config("[policy]\nmin_gap_days = 'soon'\n")
    status, out, err = run(capsys, "today")
    assert (status, out) == (2, "")
    assert "policy.min_gap_days must be a whole number" in err


def test_log_records_a_letter_as_the_formal_notice(
    durand: None, capsys: pytest.CaptureFixture[str]
) -> None:
    result = ok_json(capsys, "log", "Durand SARL", "letter", "--note", "registered", "--json")
    assert result["channel"] == "letter"
    (row,) = ok_json(capsys, "today", "--json")
    # Sent today, Monday 23 November: a mediator is proposed once its 15 days have passed.
    assert (row["next_action"], row["next_action_on"], row["step"]) == (
        "mediation",
        "2026-12-08",
        6,
    )
    status, _, err = run(capsys, "log", "Durand SARL", "pigeon")
    assert status == 2 and "invalid choice" in err
