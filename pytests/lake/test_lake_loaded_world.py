"""The lake of a warehouse the real loaders filled: after each export, the rows the staging
models keep from the lake (per primary key, the version of the newest load) are exactly the
warehouse's rows, table by table, through a second load and a purge.

DuckDB reads the lake beside the warehouse file it holds open; no Spark involved.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from loaders.emulator.testing import run_emulator
from loaders.lake import LOADS_TABLE, export_lake, lake_tables
from loaders.retention import purge
from loaders.sources.tables import TABLES
from loaders.warehouse import Warehouse, WarehouseSettings, connect
from pytests.dbt import control_rows
from pytests.dbt.helpers import live_repository_names
from pytests.loaders.helpers import load_everything

RAW = "github_raw"


def _differences(warehouse: Warehouse, lake: Path) -> dict[str, tuple[int, int]]:
    """table -> (lake latest rows not in the warehouse, warehouse rows not in the lake's
    latest) for every raw table with a primary key; empty when they agree."""
    folders = {t.name: t.path for t in lake_tables(lake, (RAW,))}
    found = {}
    for table in sorted(set(folders) & set(TABLES)):
        keys = ", ".join(TABLES[table].primary_key)
        columns = ", ".join(
            c["column_name"]
            for c in warehouse.query(
                "select column_name from information_schema.columns"
                " where table_schema = %(s)s and table_name = %(t)s",
                {"s": RAW, "t": table},
            )
        )
        # One version per key and load (the anti-join in `is_latest_version` then keeps
        # exactly the newest, as this window does).
        twice = warehouse.scalar(
            f"select count(*) from (select {keys}, _dlt_load_id from read_parquet("
            f"'{folders[table]}/*.parquet', union_by_name = true) group by {keys},"
            " _dlt_load_id having count(*) > 1) as d"
        )
        if twice:
            found[f"{table} (a version twice)"] = (int(twice), 0)
        latest = (
            f"select {columns} from read_parquet('{folders[table]}/*.parquet',"
            f" union_by_name = true) qualify row_number() over (partition by {keys}"
            " order by cast(_dlt_load_id as double) desc) = 1"
        )
        current = f"select {columns} from {RAW}.{table}"
        extra = warehouse.scalar(f"select count(*) from ({latest} except all {current}) as d")
        missing = warehouse.scalar(f"select count(*) from ({current} except all {latest}) as d")
        if extra or missing:
            found[table] = (int(extra), int(missing))
    return found


def test_lake_latest_rows_equal_the_warehouse_through_loads_and_a_purge(tmp_path: Path) -> None:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "warehouse.duckdb")
    lake = tmp_path / "lake"
    with run_emulator("small", seed=1) as gh, connect(settings) as warehouse:
        names = live_repository_names(gh)[:4]
        control_rows.track(warehouse, control_rows.one_workspace("all", names))
        load_everything(warehouse, gh, names)
        first = export_lake(warehouse, str(lake))
        assert first.new_loads >= 1 and first.total_rows > 0
        assert _differences(warehouse, lake) == {}

        # A day later: a second load merges new versions of some rows and adds others.
        gh.advance(24)
        load_everything(warehouse, gh, names)
        versions_before = sum(
            warehouse.scalar(f"select count(*) from read_parquet('{t.path}/*.parquet')")
            for t in lake_tables(lake, (RAW,))
            if t.name != "_dlt_loads"
        )
        second = export_lake(warehouse, str(lake))
        assert second.new_loads >= 1
        appended = sum(
            n
            for t, n in second.rows.items()
            if t.startswith(f"{RAW}.") and t != f"{RAW}.{LOADS_TABLE}"
        )
        versions_after = sum(
            warehouse.scalar(f"select count(*) from read_parquet('{t.path}/*.parquet')")
            for t in lake_tables(lake, (RAW,))
            if t.name != "_dlt_loads"
        )
        # Only the new loads' rows were added (unless a re-read dropped a label: replaced).
        if not second.replaced:
            assert versions_after == versions_before + appended
        assert _differences(warehouse, lake) == {}

        # The purge deletes rows older than the retention as of a year on.
        later = datetime.fromtimestamp(gh.now, UTC) + timedelta(days=320)
        purged = purge(warehouse, apply=True, now=later)
        assert purged.total > 0
        third = export_lake(warehouse, str(lake))
        # Exactly the tables the purge deleted from are rewritten; no load, nothing appended.
        assert third.new_loads == 0
        assert third.replaced == sorted(t for t, n in purged.rows.items() if n)
        assert _differences(warehouse, lake) == {}
