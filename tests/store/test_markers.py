"""The triage markers: one definition for the app's list and the printed table."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from relance.markers import MARKERS, legend, markers_of
from relance.store.triage import TriageRow

TODAY = date(2026, 11, 23)
PLAIN = TriageRow(
    client_id=1,
    name="Atelier",
    kind="b2b",
    currency="EUR",
    outstanding=100,
    open_invoices=1,
    days_overdue=3,
    next_action="courteous email",
    next_action_on=TODAY,
    ladder_step=1,
    next_action_reason="courteous email — 7 days late, no reminder yet, step 1 of 6",
    payer_profile="unknown",
    disputed=False,
    snoozed_until=None,
    has_promise=False,
    has_plan=False,
)


def test_a_plain_row_has_no_marker() -> None:
    """Nothing special about a client: no letters."""
    assert markers_of(PLAIN, TODAY) == []


def test_every_marker_in_a_fixed_order() -> None:
    """All four states show in the order D, P, $, Z whatever the order they arose in."""
    row = replace(
        PLAIN, disputed=True, has_promise=True, has_plan=True, snoozed_until=date(2026, 12, 1)
    )
    assert [m.letter for m in markers_of(row, TODAY)] == ["D", "P", "$", "Z"]


def test_a_snooze_that_has_run_out_is_not_shown() -> None:
    """Snoozed until today means the snooze is over."""
    assert markers_of(replace(PLAIN, snoozed_until=TODAY), TODAY) == []


def test_the_legend_names_every_marker() -> None:
    """The printed legend explains each letter the table can show."""
    text = legend()
    for marker in MARKERS:
        assert f"{marker.letter} {marker.short}" in text
