"""A running payment plan: its unpaid instalments, and the one that comes next or was missed."""

from __future__ import annotations

from datetime import date

from peewee import ModelSelect

from relance.store.models import Instalment, PaymentPlan

# "accepted" is the word of older books; an accepted plan is an active one.
RUNNING_PLAN_STATUSES = ("accepted", "active")
INSTALMENT_DUE = "instalment-due"
INSTALMENT_MISSED = "instalment-missed"


def _unpaid_running_instalments(client_id: int) -> ModelSelect[Instalment]:
    """The instalments of the client's running plan not yet paid in full, in order."""
    return (
        Instalment.select()
        .join(PaymentPlan)
        .where(
            (PaymentPlan.client == client_id)
            & PaymentPlan.status.in_(RUNNING_PLAN_STATUSES)
            & (Instalment.paid < Instalment.amount)
        )
        .order_by(PaymentPlan.id, Instalment.seq)
    )


def running_instalments(client_id: int) -> list[Instalment]:
    """The unpaid instalments of the client's running plan, in order (none without a plan)."""
    return list(_unpaid_running_instalments(client_id))


def next_unpaid_instalment(client_id: int) -> Instalment | None:
    """The first instalment of the client's running plan not yet paid in full, if any."""
    return _unpaid_running_instalments(client_id).first()


def instalment_template(client_id: int, today: date) -> str | None:
    """``instalment-due`` before an instalment's date, ``instalment-missed`` after; None if no plan.

    Judged with ``today``, so a notice never goes out for an instalment already missed.
    """
    instalment = next_unpaid_instalment(client_id)
    if instalment is None:
        return None
    return INSTALMENT_MISSED if instalment.due_on < today else INSTALMENT_DUE
