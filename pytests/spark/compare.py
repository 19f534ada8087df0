"""Row-for-row comparison of one relation built by two engines (docs/spark.md).

Values are normalised only where the engines legitimately differ in representation:
  - numbers (int, float, Decimal) compare as floats to 9 significant digits: Spark and
    DuckDB may sum doubles in another order, or type an average as decimal;
  - timestamps compare as naive UTC: Spark writes its (instant) timestamps to Parquet as
    UTC-adjusted, DuckDB's marts hold naive UTC ones;
  - arrays compare element by element, normalised the same way.
Rows compare as multisets (order is not part of a table), columns by lower-cased name.
Columns in `ignore` are left out: `calculated_at` is the build's wall clock by design (the
two builds run minutes apart), not a function of the data or of as_of.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

SIGNIFICANT_DIGITS = 9
WALL_CLOCK_COLUMNS = frozenset({"calculated_at"})


def normalise(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        return float(f"{float(value):.{SIGNIFICANT_DIGITS}g}")
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, list | tuple):
        return tuple(normalise(item) for item in value)
    return value


def table_diff(
    columns_a: list[str], rows_a: list[tuple[Any, ...]],
    columns_b: list[str], rows_b: list[tuple[Any, ...]],
    limit: int = 5, ignore: frozenset[str] = WALL_CLOCK_COLUMNS,
) -> list[str]:  # fmt: skip
    """What differs between two relations, as readable lines; empty when they are equal."""
    names_a = [c.lower() for c in columns_a]
    names_b = [c.lower() for c in columns_b]
    if sorted(names_a) != sorted(names_b):
        return [
            f"columns differ: only in first {sorted(set(names_a) - set(names_b))},"
            f" only in second {sorted(set(names_b) - set(names_a))}"
        ]
    kept = [i for i, name in enumerate(names_a) if name not in ignore]
    order = [names_b.index(names_a[i]) for i in kept]
    first = Counter(tuple(normalise(row[i]) for i in kept) for row in rows_a)
    second = Counter(tuple(normalise(row[i]) for i in order) for row in rows_b)
    if first == second:
        return []
    compared = [names_a[i] for i in kept]
    lines = [f"{sum(first.values())} rows vs {sum(second.values())} rows; columns {compared}"]
    lines += [f"  only in first: {row}" for row in list((first - second).elements())[:limit]]
    lines += [f"  only in second: {row}" for row in list((second - first).elements())[:limit]]
    return lines
