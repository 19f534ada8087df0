"""A DuckDB warehouse copied or restored under another file name opens as the warehouse it
was: the views dbt wrote must not name the catalog, which DuckDB names after the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.emulator.testing import run_emulator
from loaders.run import exit_codes
from loaders.warehouse import WarehouseSettings, connect

WORKSPACES = """
workspaces:
  - slug: radar
    name: Radar
    tier: free
    repositories:
      - acme/web-app
      - quietco/tiny-utils
"""


def _objects(settings: WarehouseSettings, kind: str) -> list[str]:
    with connect(settings) as wh:
        rows = wh.query(
            "select table_schema || '.' || table_name as name from information_schema.tables "
            "where table_type = %(kind)s and table_schema not in ('information_schema', "
            "'pg_catalog') order by 1",
            {"kind": kind},
        )
    return [r["name"] for r in rows]


def _counts(settings: WarehouseSettings, names: list[str]) -> dict[str, int]:
    with connect(settings) as wh:
        return {name: int(wh.scalar(f"select count(*) from {name}")) for name in names}


def test_a_copied_warehouse_file_reads_and_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "warehouse.duckdb")
    for key, value in original.dbt_env().items():
        monkeypatch.setenv(key, value)
    workspaces = tmp_path / "workspaces.yml"
    workspaces.write_text(WORKSPACES)
    with run_emulator("small", seed=1) as github:
        monkeypatch.setenv("GITHUB_API_URL", github.base_url)
        monkeypatch.setenv("GITHUB_TOKEN", github.token)
        monkeypatch.delenv("GITHUB_TOKENS", raising=False)
        built = CliRunner().invoke(cli, ["run", "--workspaces", str(workspaces), "--no-freshness"])
        assert built.exit_code == exit_codes.OK, built.output
        views = _objects(original, "VIEW")
        tables = _objects(original, "BASE TABLE")
        assert any(v.endswith(".sync_queue") for v in views), views
        before = _counts(original, views + tables)
        assert before["github_raw.issues"] > 0

        backup = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "backup.duckdb")
        shutil.copyfile(original.duckdb_path, backup.duckdb_path)
        # Every view and table reads in the copy, with the same rows, before dbt rebuilds any.
        assert _counts(backup, views + tables) == before
        # The loaders read the sync queue (a view) in the copy: the run that used to fail
        # with `Catalog "warehouse" does not exist!`.
        rerun = CliRunner().invoke(
            cli,
            ["--duckdb-path", str(backup.duckdb_path), "run", "--no-dbt", "--no-freshness"],
        )
        assert rerun.exit_code == exit_codes.OK, rerun.output
        assert "does not exist" not in rerun.output
