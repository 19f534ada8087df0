"""dbt build cost on >= 1,000,000 activity events: full vs incremental, and as history doubles.

    .venv/bin/python benchmarks/dbt_build.py --engine duckdb
    WAREHOUSE_PG_PORT=55432 .venv/bin/python benchmarks/dbt_build.py --engine postgres
    WAREHOUSE_PG_PORT=55432 .venv/bin/python benchmarks/dbt_build.py --engine postgres --lookup
    .venv/bin/python benchmarks/dbt_build.py --engine spark --repos 20 --days 90   # make spark-venv
    WAREHOUSE_PG_PORT=55432 .venv/bin/python benchmarks/dbt_build.py --engine duckdb,postgres,spark

Synthetic raw rows are generated in SQL (same statements on both engines) for `--repos`
repositories over `--days` days and built with `--full-refresh`; 1% new data is then added
in new dlt loads (today's activity, plus late closes of old issues that touch old days:
`--late-share`, 5% of the batch by default) and
`+daily_activity_metrics` is rebuilt incrementally. With twice the history, the same batch
as at 1x is built first (flat: its cost must not grow with history), then 1% of the
doubled history; a last run with no new data shows the fixed cost of an incremental run
(dbt's materialization; today's rows, which are always rebuilt). Raw tables get the
loader's indexes (loaders/sync/raw_indexes.py).
Timings are dbt's own per-node execution times (run_results.json), so dbt's start-up and
parsing are not charged to the models. `incremental_stack` sums the three models whose work
grows with data (int_activity_events, int_repository_first_contributions,
daily_activity_metrics); the staging views and the control models cost the same whatever
the history.
`--engine spark` generates the same rows in a DuckDB file, exports its raw and control schemas
to Parquet before every build (pytests/spark/lake.py) and builds on the `spark` target in
.spark-venv; there the incremental models are partitioned Parquet tables and an incremental
run rewrites only the partitions (days) its rows touch, with `insert_overwrite`
(docs/spark.md).
`--lookup` measures one workspace's `workspace_metrics_cache` rows on PostgreSQL with 1,000
workspaces (p50/p95 over 2,000 lookups through the index the model declares).
Several engines (`--engine duckdb,postgres,spark`) build the same generated rows one after
the other and end with a table of all their figures side by side.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import activity_rows
from benchmarks.activity_rows import AS_OF
from loaders.dbt_runner import run_dbt
from loaders.sync.raw_indexes import ensure_raw_indexes
from loaders.warehouse import WarehouseSettings, connect
from pytests.spark import lake

CREATED_DATABASES: list[str] = []  # PostgreSQL databases to drop when done


def _settings(engine: str, workdir: Path) -> WarehouseSettings:
    if engine in ("duckdb", "spark"):  # spark: the rows are generated in DuckDB, then exported
        return WarehouseSettings(target="duckdb", duckdb_path=workdir / "bench.duckdb")
    import psycopg2

    admin = WarehouseSettings.from_env("postgres")
    name = f"bench_{uuid.uuid4().hex[:8]}"
    conn = psycopg2.connect(
        host=admin.pg_host, port=admin.pg_port, user=admin.pg_user, dbname=admin.pg_database,
        password=admin.pg_password.get_secret_value() or None,
    )  # fmt: skip
    conn.autocommit = True
    conn.cursor().execute(f'create database "{name}"')
    conn.close()
    CREATED_DATABASES.append(name)
    return admin.model_copy(update={"pg_database": name})


def _drop_databases() -> None:
    if not CREATED_DATABASES:
        return
    import psycopg2

    admin = WarehouseSettings.from_env("postgres")
    conn = psycopg2.connect(
        host=admin.pg_host, port=admin.pg_port, user=admin.pg_user, dbname=admin.pg_database,
        password=admin.pg_password.get_secret_value() or None,
    )  # fmt: skip
    conn.autocommit = True
    for name in CREATED_DATABASES:
        conn.cursor().execute(f'drop database if exists "{name}" with (force)')
    conn.close()


def _spark_dir(settings: WarehouseSettings) -> Path:
    return settings.duckdb_path.parent / "spark"


def _spark_sync(settings: WarehouseSettings) -> None:
    """The DuckDB file's raw and control schemas onto Spark (not part of the timings)."""
    tables = lake.export_parquet(settings.duckdb_path, settings.duckdb_path.parent / "lake")
    registered = lake.register_tables(_spark_dir(settings), tables)
    if registered.returncode != 0:
        raise SystemExit(registered.summary())


def _dbt(settings: WarehouseSettings, *args: str, spark: bool = False) -> dict[str, float]:
    # `build` without tests: seeds (tier rules) and models, as a scheduled run does. A target
    # path of its own: concurrent dbt runs in the project must not overwrite run_results.
    # One dbt thread: with two, a node's time included the node running beside it on this
    # two-core machine (each engine parallelises a query by itself); the wall time is the
    # same either way (measured: 4.1 s for both on 2 M events).
    target_path = Path(tempfile.gettempdir()) / "dbt_build_benchmark_target"
    if spark:
        _spark_sync(settings)
        target_path = _spark_dir(settings) / "target"
    command = [
        "build",
        "--threads",
        "1",
        "--target-path",
        str(target_path),
        *args,
        "--exclude",
        "test_type:data",
        "test_type:unit",
        "--vars",
        json.dumps({"as_of": f"{AS_OF.isoformat()} 20:00:00"}),
    ]
    started = time.perf_counter()
    if spark:
        result = lake.run_spark_dbt(_spark_dir(settings), *command)
        if result.returncode != 0:
            raise SystemExit(result.summary())
    else:
        result = run_dbt(command, settings, capture=True)
        if not result.ok:
            raise SystemExit(f"dbt {' '.join(command)} failed:\n{result.output[-4000:]}")
    wall = time.perf_counter() - started
    results = json.loads((target_path / "run_results.json").read_text())
    timings = {
        r["unique_id"].split(".")[-1]: float(r["execution_time"]) for r in results["results"]
    }
    timings["_wall"] = wall
    timings["_nodes_total"] = sum(v for k, v in timings.items() if not k.startswith("_"))
    return timings


def _settle(settings: WarehouseSettings) -> None:
    """The state an hourly run finds: PostgreSQL's autovacuum has long processed the full
    build (vacuumed and analyzed it), DuckDB has checkpointed it. Measured right after the
    full build instead, the first incremental run competed with autovacuum for the CPU."""
    with connect(settings) as wh:
        if settings.target == "postgres":
            wh.raw_connection.autocommit = True
            wh.execute("vacuum analyze")
        else:
            wh.execute("checkpoint")


STACK = ("int_activity_events", "int_repository_first_contributions", "daily_activity_metrics")


def _node_figures(timings: dict[str, float]) -> dict[str, float]:
    figures = {f"{name}_s": round(timings[name], 3) for name in STACK}
    figures["incremental_stack_s"] = round(sum(timings[name] for name in STACK), 3)
    figures["all_nodes_s"] = round(timings["_nodes_total"], 2)
    figures["wall_s"] = round(timings["_wall"], 1)
    return figures


def _measure(
    settings: WarehouseSettings, repos: int, days: int, batches: dict[str, int | float],
    spark: bool = False, late_share: float = activity_rows.LATE_SHARE,
) -> dict:  # fmt: skip
    """Full build, then one incremental build per entry of `batches`: label -> new events
    (an int) or a fraction of this history's events (a float)."""
    first_day = AS_OF - timedelta(days=days - 1)
    with connect(settings) as wh:
        activity_rows.create_raw(wh)
        activity_rows.track(wh, repos)
        base = activity_rows.generate(wh, repos, days, first_day, "1782000000.0", 0)
        ensure_raw_indexes(wh)  # as the loader does after every load (PostgreSQL)
    full = _dbt(settings, "--select", "+daily_activity_metrics", "--full-refresh", spark=spark)
    _settle(settings)
    report: dict = {"events_base": base, "full": _node_figures(full)}
    for number, (label, size) in enumerate(batches.items(), start=1):
        events = int(size * base) if isinstance(size, float) else size
        with connect(settings) as wh:
            new = activity_rows.add_new_data(wh, repos, events, number, late_share) if events else 0
        incremental = _node_figures(
            _dbt(settings, "--select", "+daily_activity_metrics", spark=spark)
        )
        incremental["events_new"] = new
        incremental["ratio_daily_activity_metrics"] = round(
            incremental["daily_activity_metrics_s"] / report["full"]["daily_activity_metrics_s"], 3
        )
        incremental["ratio_incremental_stack"] = round(
            incremental["incremental_stack_s"] / report["full"]["incremental_stack_s"], 3
        )
        report[f"incremental_{label}"] = incremental
    if spark:  # a partitioned table: one directory per activity_date
        table_dir = _spark_dir(settings) / "warehouse" / "analytics.db" / "daily_activity_metrics"
        with duckdb.connect() as con:
            (rows,) = con.execute(
                f"select count(*) from read_parquet('{table_dir}/**/*.parquet')"
            ).fetchone()
    else:
        with connect(settings) as wh:
            rows = wh.scalar("select count(*) from analytics.daily_activity_metrics")
    report["daily_rows"] = int(rows)
    return report


def _lookup(settings: WarehouseSettings, workspaces: int = 1000, lookups: int = 2000) -> dict:
    with connect(settings) as wh:
        activity_rows.create_raw(wh)
        activity_rows.track(wh, workspaces, workspaces)
        activity_rows.generate(wh, workspaces, 30, AS_OF - timedelta(days=29), "1782000000.0", 0)
    _dbt(settings, "--select", "+workspace_metrics_cache")
    import psycopg2

    conn = psycopg2.connect(
        host=settings.pg_host, port=settings.pg_port, user=settings.pg_user,
        dbname=settings.pg_database, password=settings.pg_password.get_secret_value() or None,
    )  # fmt: skip
    cursor = conn.cursor()
    cursor.execute("analyze analytics.workspace_metrics_cache")
    cursor.execute("select count(*) from analytics.workspace_metrics_cache")
    total_rows = cursor.fetchone()[0]
    samples = []
    for k in range(lookups):
        slug = f"ws{(k * 7919) % workspaces}"
        started = time.perf_counter()
        cursor.execute(
            "select * from analytics.workspace_metrics_cache where workspace_slug = %s", (slug,)
        )
        assert len(cursor.fetchall()) == 4
        samples.append((time.perf_counter() - started) * 1000)
    cursor.execute(
        "explain select * from analytics.workspace_metrics_cache where workspace_slug = 'ws1'"
    )
    plan = " ".join(r[0] for r in cursor.fetchall())
    conn.close()
    samples.sort()
    return {
        "workspaces": workspaces,
        "cache_rows": total_rows,
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(0.95 * len(samples)) - 1], 3),
        "uses_index": "Index" in plan,
    }


def _engine_report(
    engine: str, repos: int, days: int, workdir: Path, late_share: float = activity_rows.LATE_SHARE
) -> dict:
    """1% new data; at 2x history first the same batch as at 1x (its cost must not grow with
    history), then 1% of the doubled history."""
    spark = engine == "spark"
    report: dict = {"engine": engine, "repos": repos}
    report["history_1x"] = _measure(
        _settings(engine, workdir / "a"),
        repos,
        days,
        {"1pct": 0.01},
        spark=spark,
        late_share=late_share,
    )
    same_batch = report["history_1x"]["events_base"] // 100
    report["history_2x"] = _measure(
        _settings(engine, workdir / "b"), repos, 2 * days,
        {"same_batch_as_1x": same_batch, "1pct": 0.01, "no_new_data": 0}, spark=spark,
        late_share=late_share,
    )  # fmt: skip
    return report


def _summary(reports: list[dict]) -> str:
    """One line per engine and build: the incremental stack and all nodes, in seconds."""
    lines = [f"{'engine':<9}{'history':<9}{'build':<24}{'events':>11}{'stack s':>10}"
             f"{'nodes s':>10}{'wall s':>9}"]  # fmt: skip
    for report in reports:
        for history in ("history_1x", "history_2x"):
            h = report[history]
            for build, figures in h.items():
                if not isinstance(figures, dict):
                    continue
                events = h["events_base"] if build == "full" else figures["events_new"]
                lines.append(
                    f"{report['engine']:<9}{history[8:]:<9}{build:<24}{events:>11,}"
                    f"{figures['incremental_stack_s']:>10.2f}{figures['all_nodes_s']:>10.2f}"
                    f"{figures['wall_s']:>9.1f}"
                )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--engine",
        default="duckdb",
        help="duckdb, postgres, spark, or several comma-separated (same data, one run)",
    )
    parser.add_argument("--repos", type=int, default=180)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument(
        "--late-share",
        type=float,
        default=activity_rows.LATE_SHARE,
        help="share of each new batch that closes old issues (touching old days); 0: none",
    )
    parser.add_argument("--lookup", action="store_true", help="PostgreSQL lookup p95 only")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engine.split(",") if e.strip()]
    unknown = sorted(set(engines) - {"duckdb", "postgres", "spark"})
    if unknown or not engines:
        parser.error(f"--engine: unknown {unknown or 'empty'}; use duckdb, postgres, spark")
    with tempfile.TemporaryDirectory() as tmp:
        if args.lookup:
            print(json.dumps(_lookup(_settings("postgres", Path(tmp))), indent=2))
            return
        reports = [
            _engine_report(engine, args.repos, args.days, Path(tmp) / engine, args.late_share)
            for engine in engines
        ]
        print(json.dumps(reports[0] if len(reports) == 1 else reports, indent=2))
        print(_summary(reports))


if __name__ == "__main__":
    try:
        main()
    finally:
        _drop_databases()
