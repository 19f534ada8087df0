"""`warehouse run --lake DIR`: the export as a run step, under the run's lock, before dbt."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.dbt_runner import DbtResult
from loaders.run import exit_codes
from loaders.run.pipeline import RunHooks, RunOptions, run_pipeline
from loaders.run.steps import StepOutcome
from loaders.warehouse import Warehouse, WarehouseSettings
from pytests.lake.helpers import commit_load, create_schemas, lake_versions

T1 = datetime(2026, 3, 1, tzinfo=UTC)


def _hooks(loads: list[str]) -> RunHooks:
    """A sync that commits the next load of `loads`; dbt answers without running."""

    def sync(wh: Warehouse) -> StepOutcome:
        load = loads.pop(0)
        if not wh.table_exists("github_raw", "stargazers"):
            create_schemas(wh, control=False)  # the migrations made the control schema
        commit_load(wh, load, [(1, int(float(load) * 10), f"user{load}", T1)])
        return StepOutcome("ok", f"load {load}")

    def dbt(args: list[str], settings: WarehouseSettings) -> DbtResult:
        return DbtResult(tuple(args), 0, "")

    return RunHooks(sync=sync, backfill=lambda wh: StepOutcome("ok", ""), purge=None, embed=None,
                    dbt=dbt)  # fmt: skip


def test_run_exports_each_runs_loads_before_dbt(
    warehouse_settings: WarehouseSettings, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    loads = ["1.5", "2.5"]
    options = RunOptions(lake=str(lake))
    first = run_pipeline(warehouse_settings, options, _hooks(loads))
    assert first.exit_code == exit_codes.OK, first.steps
    names = [s.name for s in first.steps]
    assert names.index("lake export") < names.index("dbt build")
    (step,) = [s for s in first.steps if s.name == "lake export"]
    assert step.status == "ok" and step.detail.startswith("1 new loads"), step.detail
    second = run_pipeline(warehouse_settings, options, _hooks(loads))
    assert second.exit_code == exit_codes.OK
    assert [r[4] for r in lake_versions(lake)] == ["1.5", "2.5"]  # one row per run's load


def test_a_failed_export_fails_the_run(tmp_path: Path) -> None:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    not_a_dir = tmp_path / "file.txt"
    not_a_dir.write_text("x")
    report = run_pipeline(settings, RunOptions(lake=str(not_a_dir)), _hooks(["1.5"]))
    assert report.exit_code == exit_codes.FAILURE
    (step,) = [s for s in report.steps if s.name == "lake export"]
    assert step.status == "failed" and "is a file, not a directory" in step.detail


def test_cli_rejects_a_bad_lake_before_running(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file.txt"
    not_a_dir.write_text("x")
    result = CliRunner().invoke(cli, ["run", "--lake", str(not_a_dir)])
    assert result.exit_code == 2
    assert "is a file, not a directory" in " ".join(result.output.split())
