"""`warehouse access export` on DuckDB: a workspace's rows of every keyed mart, in a new file.

The marts here are small stand-ins with the marts' key columns (the export reads only the
keys), so the test needs no load or build."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.warehouse import WarehouseSettings, connect
from loaders.workspaces import apply_workspaces, load_workspaces_file

WORKSPACES = """
workspaces:
  - {slug: alpha, name: Alpha, tier: pro, repositories: [o/x, o/y]}
  - {slug: beta, name: Beta, tier: pro, repositories: [o/y, o/z]}
"""
MARTS = """
create schema analytics;
create table analytics.per_workspace as
    select * from (values ('alpha', 1), ('alpha', 2), ('beta', 3)) as t (workspace_slug, n);
create table analytics.per_repository as
    select * from (values ('o/x', 1), ('o/y', 2), ('o/z', 3), ('o/gone', 4)) as t (full_name, n);
create table analytics.both_keys as
    select * from (values ('beta', 'o/y'), ('alpha', 'o/z')) as t (workspace_slug, full_name);
create table analytics.no_key as select 1 as n;
create view analytics.per_repository_view as select * from analytics.per_repository;
"""


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WarehouseSettings:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    (tmp_path / "ws.yml").write_text(WORKSPACES)
    with connect(settings) as wh:
        apply_workspaces(wh, load_workspaces_file(tmp_path / "ws.yml"))
        wh.raw_connection.execute(MARTS)
    monkeypatch.setenv("WAREHOUSE_TARGET", "duckdb")
    monkeypatch.setenv("WAREHOUSE_DUCKDB_PATH", str(settings.duckdb_path))
    return settings


def test_export_keeps_only_the_workspaces_rows(
    warehouse: WarehouseSettings, tmp_path: Path
) -> None:
    out = tmp_path / "alpha.duckdb"
    result = CliRunner().invoke(
        cli, ["access", "export", "--workspace", "alpha", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "no_key" in result.output and "left out" in result.output
    with duckdb.connect(str(out), read_only=True) as conn:
        tables = {
            name: conn.execute(f"select * from analytics.{name} order by all").fetchall()
            for (name,) in conn.execute(
                "select table_name from information_schema.tables where table_schema = 'analytics'"
            ).fetchall()
        }
    assert tables == {
        "per_workspace": [("alpha", 1), ("alpha", 2)],
        # workspace_slug wins over full_name: alpha's row, not beta's row of shared o/y
        "both_keys": [("alpha", "o/z")],
        "per_repository": [("o/x", 1), ("o/y", 2)],
        "per_repository_view": [("o/x", 1), ("o/y", 2)],
    }


def test_export_refuses_what_it_cannot_do(warehouse: WarehouseSettings, tmp_path: Path) -> None:
    out = tmp_path / "taken.duckdb"
    out.write_bytes(b"")
    for slug, path, message in (
        ("alpha", out, "already exists"),
        ("gamma", tmp_path / "new.duckdb", "no active workspace 'gamma'"),
    ):
        args = ["access", "export", "--workspace", slug, "--out", str(path)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2 and message in result.output, result.output
    assert not (tmp_path / "new.duckdb").exists()
