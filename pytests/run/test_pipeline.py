"""`run_pipeline` step order and exit codes, with the loading steps and dbt swapped out."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders import PROJECT_DIR
from loaders.dbt_runner import DbtResult
from loaders.run import exit_codes
from loaders.run.pipeline import (
    BadRunInput,
    RunHooks,
    RunOptions,
    dbt_failure_summary,
    run_pipeline,
)
from loaders.run.steps import StepOutcome
from loaders.warehouse import Warehouse, WarehouseSettings, connect

EXAMPLE = PROJECT_DIR / "workspaces.example.yml"


class Recorder:
    def __init__(self, sync: str = "ok", dbt_fails: tuple[str, ...] = ()) -> None:
        self.calls: list[str] = []
        self.sync_status = sync
        self.dbt_fails = dbt_fails

    def hooks(self) -> RunHooks:
        def sync(wh: Warehouse) -> StepOutcome:
            self.calls.append("sync")
            if self.sync_status == "raise":
                raise RuntimeError("GitHub rejected token #1 of GITHUB_TOKENS: 401")
            return StepOutcome(self.sync_status, "fake sync")

        def backfill(wh: Warehouse) -> StepOutcome:
            self.calls.append("backfill")
            return StepOutcome("ok", "fake backfill")

        def dbt(args: list[str], settings: WarehouseSettings) -> DbtResult:
            # without the report path freshness is given (--output FILE)
            self.calls.append("dbt " + " ".join(args).split(" --")[0])
            failed = args[0] in self.dbt_fails
            return DbtResult(tuple(args), 1 if failed else 0, "ERROR stale\n" if failed else "")

        return RunHooks(sync=sync, backfill=backfill, purge=None, dbt=dbt)


def test_full_run_applies_workspaces_and_runs_steps_in_order(
    warehouse_settings: WarehouseSettings,
) -> None:
    recorder = Recorder()
    report = run_pipeline(warehouse_settings, RunOptions(workspaces_file=EXAMPLE), recorder.hooks())
    assert report.exit_code == exit_codes.OK
    assert [s.name for s in report.steps] == [
        "migrate",
        "load",
        "backfill",
        "embed",
        "dbt build",
        "freshness",
    ]
    assert recorder.calls == ["sync", "backfill", "dbt build", "dbt source freshness"]
    with connect(warehouse_settings) as wh:
        assert wh.scalar("select count(*) from control.workspaces") == 3


@pytest.mark.parametrize(
    ("sync", "dbt_fails", "fail_on_stale", "expected"),
    [
        ("partial", (), False, exit_codes.PARTIAL),
        ("raise", (), False, exit_codes.FAILURE),
        ("ok", ("build",), False, exit_codes.FAILURE),
        ("ok", ("source",), False, exit_codes.OK),
        ("ok", ("source",), True, exit_codes.FAILURE),
    ],
)
def test_exit_codes(
    tmp_path: Path, sync: str, dbt_fails: tuple[str, ...], fail_on_stale: bool, expected: int
) -> None:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    recorder = Recorder(sync=sync, dbt_fails=dbt_fails)
    report = run_pipeline(settings, RunOptions(fail_on_stale=fail_on_stale), recorder.hooks())
    assert report.exit_code == expected
    # a failed load still builds the marts from what is there
    assert "dbt build" in recorder.calls
    if sync == "raise":
        load = next(s for s in report.steps if s.name == "load")
        assert load.status == "failed" and "401" in load.detail


def test_bad_workspaces_file_is_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "workspaces.yml"
    bad.write_text("workspaces:\n  - slug: x\n    tier: platinum\n")
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    with pytest.raises(BadRunInput):
        run_pipeline(settings, RunOptions(workspaces_file=bad), Recorder().hooks())
    with pytest.raises(BadRunInput):
        run_pipeline(settings, RunOptions(workspaces_file=tmp_path / "missing.yml"))
    assert not (tmp_path / "w.duckdb").exists()  # nothing was touched


def test_dbt_failure_summary_names_failing_nodes() -> None:
    log = (
        "\x1b[0m12:00:01  5 of 9 ERROR creating sql table model analytics.daily_activity_metrics"
        " .... [\x1b[31mERROR\x1b[0m in 1.0s]\n"
        "12:00:02  7 of 9 FAIL 3 not_null_stg_github__issues_id ..... [FAIL 3 in 0.1s]\n"
        "12:00:02  8 of 9 WARN 1 freshness_warning ..... [WARN 1 in 0.1s]\n"
        "12:00:03  Done. PASS=6 WARN=1 ERROR=1 SKIP=0 TOTAL=9\n"
    )
    assert dbt_failure_summary(log) == (
        "ERROR analytics.daily_activity_metrics; FAIL not_null_stg_github__issues_id; "
        "PASS=6 WARN=1 ERROR=1 SKIP=0 TOTAL=9"
    )
    assert (
        dbt_failure_summary("Compilation Error\n  in model x\n") == "Compilation Error; in model x"
    )
