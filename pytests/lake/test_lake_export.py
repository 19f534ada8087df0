"""`warehouse lake export`: dlt's filesystem destination writing the warehouse as Parquet.

No Spark here: DuckDB reads the lake's files, and the rows the staging models would keep
(per key, the version of the newest load) must be the warehouse's rows.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.lake import LOADS_TABLE, LakeExportError, export_lake, lake_tables
from loaders.warehouse import Warehouse, WarehouseSettings
from pytests.lake.helpers import (
    RAW,
    commit_load,
    create_schemas,
    lake_latest,
    lake_table,
    lake_versions,
    record_load,
    stage_rows,
    warehouse_rows,
)

T1 = datetime(2026, 3, 1, tzinfo=UTC)
T2 = datetime(2026, 3, 2, tzinfo=UTC)


def _files(lake: Path, name: str, schema: str = RAW) -> set[str]:
    return {p.name for p in lake_table(lake, name, schema).glob("*.parquet")}


def test_second_export_appends_only_the_new_loads(warehouse: Warehouse, tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    create_schemas(warehouse)
    commit_load(warehouse, "1.5", [(1, 10, "ann", T1), (1, 11, "bob", T1)])
    first = export_lake(warehouse, str(lake))
    assert (first.new_loads, first.rows["github_raw.stargazers"]) == (1, 2)
    files = _files(lake, "stargazers")

    # Load 2 merges a new version of (1, 11) and adds (1, 12).
    commit_load(warehouse, "2.5", [(1, 11, "bobby", T2), (1, 12, "cy", T2)])
    second = export_lake(warehouse, f"file://{lake}")  # the same lake as a URL
    assert (second.new_loads, second.rows["github_raw.stargazers"], second.replaced) == (1, 2, [])
    assert files < _files(lake, "stargazers")  # the first files stay; one more appended
    assert [(*r[1:3], r[4]) for r in lake_versions(lake)] == [
        (10, "ann", "1.5"), (11, "bob", "1.5"), (11, "bobby", "2.5"), (12, "cy", "2.5"),
    ]  # fmt: skip
    # Latest version wins: the lake's latest rows are the warehouse's rows.
    assert lake_latest(lake) == warehouse_rows(warehouse)

    # Nothing new: no raw rows written, no new raw files.
    files = _files(lake, "stargazers")
    third = export_lake(warehouse, str(lake))
    assert (third.new_loads, third.rows.get("github_raw.stargazers", 0), third.replaced) == (
        0,
        0,
        [],
    )
    assert _files(lake, "stargazers") == files


def test_warehouse_loads_travel_under_their_own_name(warehouse: Warehouse, tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    create_schemas(warehouse)
    commit_load(warehouse, "1.5", [(1, 10, "ann", T1)])
    export_lake(warehouse, str(lake))
    commit_load(warehouse, "2.5", [(1, 11, "bob", T1)])
    export_lake(warehouse, str(lake))
    folder = lake / RAW / LOADS_TABLE
    with duckdb.connect() as con:
        loads = con.execute(
            f"select load_id, status from read_parquet('{folder}/*.parquet') order by 1"
        ).fetchall()
    assert loads == [("1.5", 0), ("2.5", 0)]
    names = {(t.schema, t.name) for t in lake_tables(lake)}
    # The models read it as `_dlt_loads`; dlt's own bookkeeping folders are not tables.
    assert names == {
        (RAW, "_dlt_loads"), (RAW, "stargazers"),
        ("control", "workspaces"), ("control", "notifications"),
    }  # fmt: skip


def test_a_load_not_yet_committed_waits_for_its_commit(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    create_schemas(warehouse)
    commit_load(warehouse, "1.5", [(1, 10, "ann", T1)])
    stage_rows(warehouse, "2.5", [(1, 11, "bob", T1)])  # dlt has not recorded load 2.5 yet
    assert export_lake(warehouse, str(lake)).rows["github_raw.stargazers"] == 1
    record_load(warehouse, "2.5")
    report = export_lake(warehouse, str(lake))
    assert (report.new_loads, report.rows["github_raw.stargazers"]) == (1, 1)
    assert lake_latest(lake) == warehouse_rows(warehouse)


def test_deleted_rows_leave_the_lake(warehouse: Warehouse, tmp_path: Path) -> None:
    """The purge deletes raw rows; an append-only table would keep them, so the export
    replaces a table whose lake holds keys the warehouse lost."""
    lake = tmp_path / "lake"
    create_schemas(warehouse)
    commit_load(warehouse, "1.5", [(1, 10, "ann", T1), (1, 11, "bob", T1), (2, 12, "cy", T1)])
    export_lake(warehouse, str(lake))
    warehouse.execute(f"delete from {RAW}.stargazers where repository_id = 1 and user_id = 10")
    commit_load(warehouse, "2.5", [(2, 12, "cyd", T2)])  # a new version in the same export

    report = export_lake(warehouse, str(lake))
    assert report.replaced == ["stargazers"]
    assert report.rows["github_raw.stargazers"] == 2  # the whole table, rewritten
    assert lake_latest(lake) == warehouse_rows(warehouse)
    assert [r[:2] for r in lake_versions(lake)] == [(1, 11), (2, 12)]
    # A purge with no new load is caught too.
    warehouse.execute(f"delete from {RAW}.stargazers where repository_id = 2")
    assert export_lake(warehouse, str(lake)).replaced == ["stargazers"]
    assert lake_latest(lake) == warehouse_rows(warehouse)


def test_control_tables_are_replaced_whole(warehouse: Warehouse, tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    create_schemas(warehouse)
    commit_load(warehouse, "1.5", [(1, 10, "ann", T1)])
    export_lake(warehouse, str(lake))
    warehouse.execute("update control.workspaces set tier = 'enterprise'")
    warehouse.execute("insert into control.workspaces values ('globex', 'free')")
    report = export_lake(warehouse, str(lake))
    assert report.rows["control.workspaces"] == 2
    with duckdb.connect() as con:
        path = lake_table(lake, "workspaces", "control")
        rows = con.execute(f"select * from read_parquet('{path}/*.parquet') order by 1").fetchall()
        # An empty control table still has a file with its columns (Spark registers it).
        empty = lake_table(lake, "notifications", "control")
        columns = con.execute(f"describe select * from read_parquet('{empty}/*.parquet')")
        assert [c[0] for c in columns.fetchall()] == ["id", "body"]
    assert rows == [("acme", "enterprise"), ("globex", "free")]


def test_cursor_survives_losing_the_local_pipeline_state(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dlt restores the cursor from the lake's own state files."""
    lake = tmp_path / "lake"
    create_schemas(warehouse)
    commit_load(warehouse, "1.5", [(1, 10, "ann", T1)])
    export_lake(warehouse, str(lake))
    shutil.rmtree(tmp_path / "dlt_pipelines")
    commit_load(warehouse, "2.5", [(1, 11, "bob", T1)])
    report = export_lake(warehouse, str(lake))
    assert (report.new_loads, report.rows["github_raw.stargazers"]) == (1, 1)
    assert len(lake_versions(lake)) == 2


def test_clear_errors(tmp_path: Path) -> None:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    from loaders.warehouse import connect

    not_a_dir = tmp_path / "file.txt"
    not_a_dir.write_text("x")
    with connect(settings) as wh:
        with pytest.raises(LakeExportError, match="is a file, not a directory"):
            export_lake(wh, str(not_a_dir))
        with pytest.raises(LakeExportError, match="no lake destination"):
            export_lake(wh, " ")
        with pytest.raises(LakeExportError, match="has no loads yet"):
            export_lake(wh, str(tmp_path / "lake"))


def test_cli_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    duckdb_path = tmp_path / "w.duckdb"
    monkeypatch.setenv("WAREHOUSE_TARGET", "duckdb")
    monkeypatch.setenv("WAREHOUSE_DUCKDB_PATH", str(duckdb_path))
    runner = CliRunner()
    not_a_dir = tmp_path / "file.txt"
    not_a_dir.write_text("x")
    bad = runner.invoke(cli, ["lake", "export", "--to", str(not_a_dir)])
    assert bad.exit_code == 2, bad.output
    assert "is a file, not a directory" in " ".join(bad.output.split())
    empty = runner.invoke(cli, ["lake", "export", "--to", str(tmp_path / "lake")])
    assert empty.exit_code == 1, empty.output
    assert "has no loads yet" in " ".join(empty.output.split())

    from loaders.warehouse import connect

    with connect(WarehouseSettings(target="duckdb", duckdb_path=duckdb_path)) as wh:
        create_schemas(wh)
        commit_load(wh, "1.5", [(1, 10, "ann", T1)])
    done = runner.invoke(cli, ["lake", "export", "--to", str(tmp_path / "lake")])
    assert done.exit_code == 0, done.output
    assert "1 new loads" in " ".join(done.output.split())
    monkeypatch.chdir(tmp_path)  # a relative lake path still gives Spark absolute locations
    listing = runner.invoke(cli, ["lake", "tables", "lake"])
    assert listing.exit_code == 0, listing.output
    found = json.loads(listing.output)["tables"]
    assert all(Path(t["path"]).is_absolute() for t in found)
    names = {(t["schema"], t["name"]) for t in found}
    assert names == {
        (RAW, "_dlt_loads"), (RAW, "stargazers"),
        ("control", "workspaces"), ("control", "notifications"),
    }  # fmt: skip
    missing = runner.invoke(cli, ["lake", "tables", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert "no lake at" in missing.output


def test_deletions_wait_while_a_load_is_unfinished(warehouse: Warehouse, tmp_path: Path) -> None:
    """A load killed after some tables went in re-merged rows the lake holds in their older
    version; rewriting the table now would drop them, so the check waits for the commit."""
    lake = tmp_path / "lake"
    create_schemas(warehouse)
    commit_load(warehouse, "1.5", [(1, 10, "ann", T1), (1, 11, "bob", T1)])
    export_lake(warehouse, str(lake))
    warehouse.execute(f"delete from {RAW}.stargazers where user_id = 10")  # a purge
    stage_rows(warehouse, "2.5", [(1, 11, "bobby", T2)])  # load 2.5 not committed yet
    waiting = export_lake(warehouse, str(lake))
    assert (waiting.replaced, waiting.deferred) == ([], ["stargazers"])
    assert [r[2] for r in lake_versions(lake)] == ["ann", "bob"]  # nothing lost meanwhile
    record_load(warehouse, "2.5")
    done = export_lake(warehouse, str(lake))
    assert (done.replaced, done.deferred) == (["stargazers"], [])
    assert lake_latest(lake) == warehouse_rows(warehouse)


def test_an_unreachable_destination_fails_clearly(warehouse: Warehouse, tmp_path: Path) -> None:
    create_schemas(warehouse)
    commit_load(warehouse, "1.5", [(1, 10, "ann", T1)])
    with pytest.raises(LakeExportError, match="nosuch://bucket"):
        export_lake(warehouse, "nosuch://bucket/lake")


def test_an_interrupted_export_is_finished_by_the_next(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows and the moved cursor travel in one dlt package: a package that failed to
    load is loaded by the next export, and its loads are not exported twice."""
    import dlt

    lake = tmp_path / "lake"
    create_schemas(warehouse)
    commit_load(warehouse, "1.5", [(1, 10, "ann", T1)])
    export_lake(warehouse, str(lake))
    commit_load(warehouse, "2.5", [(1, 11, "bob", T1)])
    real_load = dlt.Pipeline.load

    def failing_load(self: dlt.Pipeline, *args: object, **kwargs: object) -> object:
        if self.pipeline_name == "lake_github_raw":
            raise OSError("disk full")
        return real_load(self, *args, **kwargs)

    monkeypatch.setattr(dlt.Pipeline, "load", failing_load)
    with pytest.raises(LakeExportError, match="disk full"):
        export_lake(warehouse, str(lake))
    monkeypatch.setattr(dlt.Pipeline, "load", real_load)  # not undo(): it drops the env too
    assert len(lake_versions(lake)) == 1
    commit_load(warehouse, "3.5", [(1, 12, "cy", T1)])
    finished = export_lake(warehouse, str(lake))  # the package of 2.5 first, then 3.5
    assert (finished.new_loads, finished.replaced) == (1, [])
    assert [r[4] for r in lake_versions(lake)] == ["1.5", "2.5", "3.5"]
    assert export_lake(warehouse, str(lake)).new_loads == 0  # 3.5 is not exported again
    assert [r[4] for r in lake_versions(lake)] == ["1.5", "2.5", "3.5"]
    assert lake_latest(lake) == warehouse_rows(warehouse)
