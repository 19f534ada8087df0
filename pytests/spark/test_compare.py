"""The mart comparison of the Spark reconciliation test (pytests/spark/compare.py) finds real
differences and forgives only representation. Plain Python: runs in `make test`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from pytests.spark.compare import normalise, table_diff

COLUMNS = ["repository_id", "activity_date_hours", "labels"]


def test_equal_relations_in_another_row_and_column_order_match() -> None:
    rows = [(1, 2.5, "bug, docs"), (2, None, None)]
    swapped = [(None, None, 2), ("bug, docs", 2.5, 1)]
    assert table_diff(COLUMNS, rows, list(reversed(COLUMNS)), swapped) == []


def test_a_changed_value_a_missing_row_and_a_duplicate_are_differences() -> None:
    rows = [(1, 2.5, "bug, docs"), (2, None, None)]
    assert table_diff(COLUMNS, rows, COLUMNS, [(1, 2.5, "docs, bug"), (2, None, None)])
    assert table_diff(COLUMNS, rows, COLUMNS, rows[:1])
    assert table_diff(COLUMNS, rows, COLUMNS, [*rows, rows[0]])


def test_columns_must_match() -> None:
    diff = table_diff(["a", "b"], [(1, 2)], ["a", "c"], [(1, 2)])
    assert diff and "only in first ['b']" in diff[0]


def test_representation_is_forgiven_but_not_value() -> None:
    naive = datetime(2026, 12, 7, 3, 0)
    assert normalise(naive.replace(tzinfo=timezone.utc)) == naive
    assert normalise(datetime(2026, 12, 7, 4, 0, tzinfo=timezone(timedelta(hours=1)))) == naive
    assert normalise(Decimal("0.1")) == normalise(0.1) == normalise(0.1 + 1e-15)
    assert normalise(3) == normalise(3.0)
    assert normalise(0.1) != normalise(0.1001)
    assert normalise([1, Decimal("2")]) == (1.0, 2.0)


def test_the_build_wall_clock_is_ignored() -> None:
    columns = ["workspace_slug", "calculated_at"]
    first = [("all", datetime(2026, 12, 7, 3, 49))]
    second = [("all", datetime(2026, 12, 7, 3, 54))]
    assert table_diff(columns, first, columns, second) == []
    assert table_diff(columns, first, columns, second, ignore=frozenset()) != []
