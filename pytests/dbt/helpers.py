"""Running dbt from tests and reading marts back, on either engine."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

from loaders.dbt_runner import run_dbt
from loaders.emulator.world.catalog import DELETED
from loaders.warehouse import WarehouseSettings, connect


def dbt(
    settings: WarehouseSettings, *args: str, as_of: str | None = None,
    dbt_vars: dict[str, Any] | None = None,
) -> str:  # fmt: skip
    """Run dbt (DuckDB connections must be closed); fail the test with dbt's output tail."""
    command = list(args)
    all_vars = {**({"as_of": as_of} if as_of else {}), **(dbt_vars or {})}
    if all_vars:
        command += ["--vars", json.dumps(all_vars)]
    result = run_dbt(command, settings, capture=True)
    assert result.ok, f"dbt {' '.join(command)} failed:\n{result.output[-6000:]}"
    return result.output


def query(settings: WarehouseSettings, sql: str) -> list[dict[str, Any]]:
    with connect(settings) as warehouse:
        return warehouse.query(sql)


def daily_rows(settings: WarehouseSettings) -> dict[tuple[int, date], dict[str, Any]]:
    rows = query(settings, "select * from analytics.daily_activity_metrics")
    return {(int(r["repository_id"]), _as_date(r["activity_date"])): r for r in rows}


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def diff_metrics(
    got: dict[tuple[int, date], dict[str, Any]],
    want: dict[tuple[int, date], dict[str, Any]],
    columns: list[str],
) -> list[str]:
    """Readable differences (missing/extra keys, unequal values; floats to 1e-6)."""
    problems = [f"missing row {k}" for k in sorted(want.keys() - got.keys())]
    problems += [f"unexpected row {k}" for k in sorted(got.keys() - want.keys())]
    for key in sorted(want.keys() & got.keys()):
        for column in columns:
            a, b = got[key][column], want[key][column]
            if a is None or b is None:
                equal = a is None and b is None
            elif isinstance(a, float) or isinstance(b, float):
                equal = math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)
            else:
                equal = a == b
            if not equal:
                problems.append(f"{key} {column}: got {a!r}, want {b!r}")
    return problems


def live_repository_names(gh: Any) -> list[str]:
    """The emulated world's repositories, lower-case and sorted, without the deleted ones
    (GitHub answers 404 for those, so they are never loaded)."""
    return sorted(n for r in gh.world.repos if (n := r.full_name.lower()) not in DELETED)
