"""The dbt project on Spark equals the DuckDB build of the same raw data, mart by mart.

Phase 1: the `small` emulator world is loaded into DuckDB and built there (`dbt build`,
unit tests aside); its raw and control schemas go to Spark as Parquet tables
(pytests/spark/lake.py), `dbt build --target spark` runs in .spark-venv with the same
as_of, and every mart (table or view) must hold the same rows on both
(pytests/spark/compare.py).

Phase 2, incremental == full refresh on Spark: the world moves a day (late closes, merges,
comments on old days; a new day; the oldest day leaves the 365-day window) and one
repository's retention shrinks to 30 days. Spark's `dbt run` is then incremental
(insert_overwrite of the touched partitions, the retention trim of daily_activity_metrics;
macros/incremental_materialization.sql) and every mart must equal a full-refresh build of
the same raw data. The reference is DuckDB's `--full-refresh`: phase 1 shows that Spark's
full builds equal DuckDB's, and a Spark full refresh would cost minutes more.

Runs under `make test-spark` (the last step of `make test`), which fails without
.spark-venv or a Java runtime; elsewhere it skips then.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from loaders.emulator.testing import run_emulator
from loaders.warehouse import WarehouseSettings, connect
from pytests.dbt import control_rows
from pytests.dbt.helpers import dbt, live_repository_names
from pytests.loaders.helpers import load_everything
from pytests.spark.compare import WALL_CLOCK_COLUMNS, table_diff
from pytests.spark.lake import (
    SPARK_DBT,
    export_marts,
    export_parquet,
    parquet_rows,
    register_tables,
    run_spark_dbt,
)

MISSING = (
    "no .spark-venv: run `make spark-venv`"
    if not SPARK_DBT.exists()
    else "no Java runtime for Spark (Debian: openjdk-17-jre-headless)"
    if shutil.which("java") is None
    else None
)
# `make test-spark` sets WAREHOUSE_REQUIRE_SPARK=1: there a missing piece fails, not skips.
REQUIRED = os.environ.get("WAREHOUSE_REQUIRE_SPARK") == "1"

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(MISSING is not None and not REQUIRED, reason=str(MISSING)),
]

# Unit tests are engine-independent SQL logic checked on DuckDB and PostgreSQL; dbt-spark
# cannot run their fixture CTEs (docs/spark.md).
BUILD = ("build", "--exclude", "test_type:unit")
# A run's watermark: an incremental run leaves it on the rows it did not recompute.
RUN_BOOKKEEPING = frozenset({"events_loaded_through"})
SHRUNK_RETENTION_DAYS = 30
INCREMENTAL_MODELS = (
    "int_activity_events",
    "int_repository_first_contributions",
    "daily_activity_metrics",
)


def _as_of(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))


def _load(settings: WarehouseSettings, gh, names: list[str]) -> str:
    """Sync every repository from the emulator into `settings`; the as_of for dbt."""
    with connect(settings) as warehouse:
        load_everything(warehouse, gh, names)
    return _as_of(gh.now)


def _marts(duckdb_path: Path) -> list[str]:
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        rows = con.execute(
            "select table_name from information_schema.tables"
            " where table_schema = 'analytics' order by 1"
        ).fetchall()
    return [name for (name,) in rows]


def _mart_differences(
    duckdb_path: Path | str, marts: list[str], spark_marts: Path, ignore: frozenset[str]
) -> dict[str, list[str]]:
    """Per mart, how Spark's exported rows differ from DuckDB's (empty: all equal)."""
    differences = {}
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        con.execute("set time zone 'UTC'")
        for mart in marts:
            cursor = con.execute(f"select * from analytics.{mart}")
            duck_columns = [d[0] for d in cursor.description]
            duck_rows = cursor.fetchall()
            spark_columns, spark_rows = parquet_rows(spark_marts / mart)
            diff = table_diff(duck_columns, duck_rows, spark_columns, spark_rows, ignore=ignore)
            if diff:
                differences[mart] = diff
    return differences


def _daily_rows_per_repository(duckdb_path: Path | str) -> dict[int, int]:
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        rows = con.execute(
            "select repository_id, count(*) from analytics.daily_activity_metrics group by 1"
        ).fetchall()
    return {int(repository): int(count) for repository, count in rows}


def test_spark_marts_equal_duckdb_small_world(tmp_path: Path) -> None:
    assert MISSING is None, f"WAREHOUSE_REQUIRE_SPARK=1 but {MISSING}"
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "warehouse.duckdb")
    spark_dir = tmp_path / "spark"
    lake = tmp_path / "lake"
    with run_emulator("small", seed=1) as gh:
        names = live_repository_names(gh)
        with connect(settings) as warehouse:
            control_rows.track(warehouse, control_rows.one_workspace("all", names))
        as_of = _load(settings, gh, names)
        dbt(settings, *BUILD, as_of=as_of)
        marts = _marts(settings.duckdb_path)
        assert len(marts) >= 20, marts

        # Phase 1: full builds at as_of.
        registered = register_tables(spark_dir, export_parquet(settings.duckdb_path, lake))
        assert registered.returncode == 0, registered.summary()
        built = run_spark_dbt(spark_dir, *BUILD, "--vars", json.dumps({"as_of": as_of}))
        assert built.returncode == 0, built.summary()
        exported = export_marts(spark_dir, marts, tmp_path / "spark_marts")
        assert exported.returncode == 0, exported.summary()
        differences = _mart_differences(
            settings.duckdb_path, marts, tmp_path / "spark_marts", WALL_CLOCK_COLUMNS
        )
        assert differences == {}, json.dumps(differences, indent=1, default=str)
        # Not vacuous: the world put rows into the busiest marts.
        first_days = _daily_rows_per_repository(settings.duckdb_path)
        assert sum(first_days.values()) > 0

        # Phase 2's raw data: a day later (late changes to old rows and days, a new day,
        # the oldest day out of the window), and one repository keeps only 30 days.
        gh.advance(24)
        later_as_of = _load(settings, gh, names)
    with connect(settings) as warehouse, warehouse.transaction():
        warehouse.execute(
            f"update {settings.control_schema}.workspace_repositories"
            f" set data_retention_days = {SHRUNK_RETENTION_DAYS} where full_name = %(name)s",
            {"name": names[0]},
        )
    # The same lake: the day's loads are appended beside the first ones (staging keeps each
    # row's latest version), the control tables replaced.
    later_lake = export_parquet(settings.duckdb_path, lake)

    # Phase 2: Spark incremental at later_as_of == DuckDB full refresh of the same data.
    dbt(settings, "run", "--full-refresh", as_of=later_as_of)
    later_days = _daily_rows_per_repository(settings.duckdb_path)
    # The change is real: one repository lost days to the trim, the others kept 365.
    assert later_days[min(later_days, key=later_days.get)] == SHRUNK_RETENTION_DAYS
    assert later_days != first_days
    reregistered = register_tables(spark_dir, later_lake)
    assert reregistered.returncode == 0, reregistered.summary()
    incremental = run_spark_dbt(spark_dir, "run", "--vars", json.dumps({"as_of": later_as_of}))
    assert incremental.returncode == 0, incremental.summary()
    # Each incremental model took the partition rewrite path, not a rebuild.
    for model in INCREMENTAL_MODELS:
        (compiled,) = (spark_dir / "target" / "compiled").rglob(f"{model}.sql")
        assert "rewrite_new_rows" in compiled.read_text(), model
    exported_later = export_marts(spark_dir, marts, tmp_path / "spark_marts_later")
    assert exported_later.returncode == 0, exported_later.summary()
    differences = _mart_differences(
        settings.duckdb_path, marts, tmp_path / "spark_marts_later",
        WALL_CLOCK_COLUMNS | RUN_BOOKKEEPING,
    )  # fmt: skip
    assert differences == {}, json.dumps(differences, indent=1, default=str)
    # Shown by `make test-spark` (-rP): where the test's minutes go.
    print(
        f"spark: register {registered.seconds:.0f} s, dbt build {built.seconds:.0f} s,"
        f" export {exported.seconds:.0f} s; incremental: register {reregistered.seconds:.0f} s,"
        f" dbt run {incremental.seconds:.0f} s, export {exported_later.seconds:.0f} s;"
        f" {len(marts)} marts compared twice"
    )
