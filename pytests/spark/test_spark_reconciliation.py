"""The dbt project on Spark equals the DuckDB build of the same raw data, mart by mart.

The `small` emulator world is loaded into DuckDB and built there (`dbt build`, unit tests
aside); its raw and control schemas go to Spark as Parquet tables (pytests/spark/lake.py),
`dbt build --target spark` runs in .spark-venv with the same as_of, and every mart (table
or view) must hold the same rows on both (pytests/spark/compare.py). Runs under
`make test-spark` (the last step of `make test`), which fails without .spark-venv or a
Java runtime; elsewhere it skips then.
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
from loaders.sync import RepositoryTarget, load_repositories
from loaders.warehouse import WarehouseSettings, connect
from pytests.dbt import control_rows
from pytests.dbt.helpers import dbt, live_repository_names
from pytests.loaders.helpers import ALL, client_for
from pytests.spark.compare import table_diff
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


def _load_small_world(settings: WarehouseSettings) -> str:
    """Track and load the small world into `settings`; its as_of for dbt."""
    with run_emulator("small", seed=1) as gh:
        names = live_repository_names(gh)
        with connect(settings) as warehouse:
            control_rows.track(
                warehouse, [control_rows.Tracked("all", n, None, tier="enterprise") for n in names]
            )
            targets = [RepositoryTarget(n, ALL | {"repositories"}, 365, 24) for n in names]
            report = load_repositories(warehouse, targets, client=client_for(gh))
            assert not report.by_status("failed"), report
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(gh.now))


def _marts(duckdb_path: Path) -> list[str]:
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        rows = con.execute(
            "select table_name from information_schema.tables"
            " where table_schema = 'analytics' order by 1"
        ).fetchall()
    return [name for (name,) in rows]


def test_spark_marts_equal_duckdb_small_world(tmp_path: Path) -> None:
    assert MISSING is None, f"WAREHOUSE_REQUIRE_SPARK=1 but {MISSING}"
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "warehouse.duckdb")
    as_of = _load_small_world(settings)
    dbt(settings, *BUILD, as_of=as_of)
    marts = _marts(settings.duckdb_path)
    assert len(marts) >= 20, marts

    spark_dir = tmp_path / "spark"
    registered = register_tables(spark_dir, export_parquet(settings.duckdb_path, tmp_path / "lake"))
    assert registered.returncode == 0, registered.summary()
    built = run_spark_dbt(spark_dir, *BUILD, "--vars", json.dumps({"as_of": as_of}))
    assert built.returncode == 0, built.summary()
    exported = export_marts(spark_dir, marts, tmp_path / "spark_marts")
    assert exported.returncode == 0, exported.summary()

    differences = {}
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        con.execute("set time zone 'UTC'")
        for mart in marts:
            cursor = con.execute(f"select * from analytics.{mart}")
            duck_columns = [d[0] for d in cursor.description]
            duck_rows = cursor.fetchall()
            spark_columns, spark_rows = parquet_rows(tmp_path / "spark_marts" / mart)
            diff = table_diff(duck_columns, duck_rows, spark_columns, spark_rows)
            if diff:
                differences[mart] = diff
    assert differences == {}, json.dumps(differences, indent=1, default=str)
    # Shown by `make test-spark` (-rP): where the test's minutes go.
    print(
        f"spark: register {registered.seconds:.0f} s, dbt build {built.seconds:.0f} s,"
        f" export {exported.seconds:.0f} s; {len(marts)} marts compared"
    )
    # Not vacuous: the world put rows into the busiest marts.
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
        (rows,) = con.execute("select count(*) from analytics.daily_activity_metrics").fetchone()
    assert rows > 0
