"""Aging buckets at every boundary, and days sales outstanding."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from relance.domain.aging import Bucket, OpenAmount, aging, bucket_for, dso


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-10, Bucket.CURRENT),
        (0, Bucket.CURRENT),
        (1, Bucket.D1_30),
        (30, Bucket.D1_30),
        (31, Bucket.D31_60),
        (60, Bucket.D31_60),
        (61, Bucket.D61_90),
        (90, Bucket.D61_90),
        (91, Bucket.D90_PLUS),
        (1000, Bucket.D90_PLUS),
    ],
)
def test_bucket_boundaries(days: int, bucket: Bucket) -> None:
    assert bucket_for(days) is bucket


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (0, Bucket.CURRENT),
        (1, Bucket.D1_30),
        (30, Bucket.D1_30),
        (31, Bucket.D31_60),
        (60, Bucket.D31_60),
        (61, Bucket.D61_90),
        (90, Bucket.D61_90),
        (91, Bucket.D90_PLUS),
    ],
)
def test_aging_puts_an_amount_due_n_days_ago_in_its_bucket(
    days: int, bucket: Bucket, today: date
) -> None:
    totals = aging([OpenAmount(today - timedelta(days=days), 1234)], today)
    assert totals[bucket] == 1234
    assert sum(totals.values()) == 1234


def test_aging_sums_and_lists_every_bucket(today: date) -> None:
    amounts = [
        OpenAmount(today + timedelta(days=10), 100),
        OpenAmount(today, 200),
        OpenAmount(today - timedelta(days=5), 300),
        OpenAmount(today - timedelta(days=25), 400),
        OpenAmount(today - timedelta(days=45), 500),
        OpenAmount(today - timedelta(days=75), 600),
        OpenAmount(today - timedelta(days=400), 700),
        OpenAmount(today - timedelta(days=400), 0),
    ]
    assert aging(amounts, today) == {
        Bucket.CURRENT: 300,
        Bucket.D1_30: 700,
        Bucket.D31_60: 500,
        Bucket.D61_90: 600,
        Bucket.D90_PLUS: 700,
    }
    assert aging([], today) == dict.fromkeys(Bucket, 0)


def test_bucket_values_are_the_labels() -> None:
    assert [b.value for b in Bucket] == ["current", "1-30", "31-60", "61-90", "90+"]


def test_dso() -> None:
    assert dso(50000, 150000) == Decimal(30)
    assert dso(150000, 150000) == Decimal(90)
    assert dso(100, 300, period_days=30) == Decimal(10)
    # Rounded half up to whole days.
    assert dso(1, 180) == Decimal(1)
    assert dso(1, 181) == Decimal(0)
    assert dso(0, 1000) == Decimal(0)


def test_dso_without_sales_is_unknown() -> None:
    assert dso(50000, 0) is None
    assert dso(0, 0) is None
