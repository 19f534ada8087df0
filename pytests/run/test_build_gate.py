"""When `warehouse run` builds and when it skips: the digests of loaders/run/build_state.py
on real warehouses (both engines), with dbt swapped for a recorder that leaves a relation
behind (a build) or a freshness report (a check)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from dbt.artifacts.resources.v1.components import FreshnessThreshold, Time, TimePeriod

from loaders import PROJECT_DIR
from loaders.dbt_runner import DbtResult
from loaders.run import build_state, dbt_steps, exit_codes
from loaders.run.pipeline import RunHooks, RunOptions, run_pipeline
from loaders.run.steps import StepOutcome
from loaders.warehouse import Warehouse, WarehouseSettings, connect

EXAMPLE = PROJECT_DIR / "workspaces.example.yml"
LOADED_AT = datetime(2026, 11, 1, 12, tzinfo=UTC)


class FakeDbt:
    """`dbt build` leaves analytics.fake_mart; `dbt source freshness --output F` writes F."""

    def __init__(self, loaded_at: datetime | None = None) -> None:
        self.loaded_at = loaded_at or datetime.now(UTC) - timedelta(hours=1)
        self.calls: list[str] = []
        self.fail_build = False
        self.freshness_status = "pass"

    def __call__(self, args: list[str], settings: WarehouseSettings) -> DbtResult:
        self.calls.append(args[0])
        if args[0] == "build":
            if self.fail_build:
                return DbtResult(tuple(args), 1, "1 of 1 FAIL 2 not_null_x ... [FAIL 2]\n")
            with connect(settings) as wh:
                wh.execute("create schema if not exists analytics")
                wh.execute("create table if not exists analytics.fake_mart (id integer)")
            return DbtResult(tuple(args), 0, "")
        report = Path(args[args.index("--output") + 1])
        rule = {"count": 24, "period": "hour"}
        result = {
            "unique_id": "source.workspace_warehouse.github.issues",
            "status": self.freshness_status,
            "max_loaded_at": self.loaded_at.isoformat(),
            "criteria": {"warn_after": rule, "error_after": {**rule, "count": 72}},
        }
        if self.freshness_status == "runtime error":
            result = {"unique_id": result["unique_id"], "status": "runtime error"}
        report.write_text(json.dumps({"results": [result]}))
        return DbtResult(tuple(args), 0, "")


def _hooks(dbt: FakeDbt, purge: StepOutcome | None = None) -> RunHooks:
    return RunHooks(
        sync=lambda wh: StepOutcome("ok", "nothing due"),
        backfill=lambda wh: StepOutcome("ok", "no job"),
        purge=(lambda wh: purge) if purge else None,
        dbt=dbt,
    )


def _run(settings: WarehouseSettings, dbt: FakeDbt, **options: object) -> dict[str, str]:
    purge = options.pop("purge", None)
    report = run_pipeline(
        settings,
        RunOptions(workspaces_file=EXAMPLE, **options),  # type: ignore[arg-type]
        _hooks(dbt, purge),  # type: ignore[arg-type]
    )
    assert report.exit_code in (exit_codes.OK, exit_codes.FAILURE)
    return {s.name: f"{s.status}: {s.detail}" for s in report.steps}


def _raw_table(wh: Warehouse) -> None:
    wh.execute("create schema if not exists github_raw")
    wh.execute("create table github_raw.issues (id bigint, _dlt_load_id text)")
    wh.execute("create table github_raw._dlt_loads (load_id text, status integer)")
    wh.execute("insert into github_raw.issues values (1, '1.0'), (2, '1.0')")
    wh.execute("insert into github_raw._dlt_loads values ('1.0', 0)")


def test_idle_run_skips_build_and_freshness(warehouse_settings: WarehouseSettings) -> None:
    dbt = FakeDbt()
    first = _run(warehouse_settings, dbt)
    assert dbt.calls == ["build", "source"]
    assert "no successful build on record" in first["dbt build"]
    assert first["freshness"] == "ok: dbt source freshness passed (1 pass)"
    second = _run(warehouse_settings, dbt)
    assert dbt.calls == ["build", "source"]  # dbt not started again
    assert second["dbt build"].startswith("skipped: nothing changed since the build at ")
    assert "1 pass, re-evaluated from the check at" in second["freshness"]
    assert second["freshness"].startswith("ok: ")


def _update_control(wh: Warehouse) -> None:
    wh.execute("update control.workspaces set name = 'Renamed' where slug = 'oss-radar'")


def _new_load(wh: Warehouse) -> None:
    wh.execute("insert into github_raw.issues values (3, '2.0')")
    wh.execute("insert into github_raw._dlt_loads values ('2.0', 0)")


def _purge_raw(wh: Warehouse) -> None:
    wh.execute("delete from github_raw.issues where id = 1")


def _drop_mart(wh: Warehouse) -> None:
    wh.execute("drop table analytics.fake_mart")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_update_control, "control tables changed"),
        (_new_load, "raw data changed"),
        (_purge_raw, "raw data changed"),
        (_drop_mart, "dbt's relations changed"),
    ],
)
def test_a_change_rebuilds_and_says_why(
    warehouse_settings: WarehouseSettings, change: object, reason: str
) -> None:
    with connect(warehouse_settings) as wh:
        _raw_table(wh)
    dbt = FakeDbt()
    _run(warehouse_settings, dbt)
    assert _run(warehouse_settings, dbt)["dbt build"].startswith("skipped")
    with connect(warehouse_settings) as wh:
        change(wh)  # type: ignore[operator]
    steps = _run(warehouse_settings, dbt)
    assert steps["dbt build"] == f"ok: dbt build passed ({reason})"
    if reason == "raw data changed":  # the newest loaded_at may have moved: ask dbt again
        assert dbt.calls == ["build", "source", "build", "source"]
    else:
        assert dbt.calls == ["build", "source", "build"]
    assert _run(warehouse_settings, dbt)["dbt build"].startswith("skipped")


def test_project_change_force_and_purge_rebuild(
    warehouse_settings: WarehouseSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    dbt = FakeDbt()
    _run(warehouse_settings, dbt)
    forced = _run(warehouse_settings, dbt, force_build=True)
    assert forced["dbt build"] == "ok: dbt build passed (--force-build)"
    purged = _run(warehouse_settings, dbt, purge=StepOutcome("ok", "deleted 3", True))
    assert purged["dbt build"] == "ok: dbt build passed (the purge step changed rows)"
    untouched = _run(warehouse_settings, dbt, purge=StepOutcome("ok", "deleted 0", False))
    assert untouched["dbt build"].startswith("skipped")
    monkeypatch.setattr(build_state, "project_digest", lambda: "edited")
    edited = _run(warehouse_settings, dbt)
    assert edited["dbt build"] == "ok: dbt build passed (dbt project files changed)"
    # freshness thresholds live in the project's yml: checked by dbt again
    assert dbt.calls[-1] == "source"


def test_a_failed_build_is_retried_until_it_passes(warehouse_settings: WarehouseSettings) -> None:
    dbt = FakeDbt()
    _run(warehouse_settings, dbt)
    dbt.fail_build = True
    failed = _run(warehouse_settings, dbt, force_build=True)
    assert failed["dbt build"].startswith("failed: dbt build exited 1: FAIL not_null_x")
    again = _run(warehouse_settings, dbt)
    assert again["dbt build"].startswith("failed: ")  # not skipped on the older good build
    dbt.fail_build = False
    assert "no successful build on record" in _run(warehouse_settings, dbt)["dbt build"]
    assert _run(warehouse_settings, dbt)["dbt build"].startswith("skipped")


def test_a_new_utc_day_rebuilds(tmp_path: Path) -> None:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    dbt = FakeDbt()
    evening = datetime(2026, 12, 6, 23, 50, tzinfo=UTC)
    assert dbt_steps.build_step(settings, dbt, now=evening).status == "ok"
    later = dbt_steps.build_step(settings, dbt, now=evening + timedelta(minutes=9))
    assert later.status == "skipped" and "2026-12-06 23:50 UTC" in later.detail
    midnight = dbt_steps.build_step(settings, dbt, now=evening + timedelta(minutes=10))
    assert midnight.detail == "dbt build passed (a new UTC day)"


def test_cached_freshness_ages_with_the_clock(tmp_path: Path) -> None:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    dbt = FakeDbt(LOADED_AT)
    checked = LOADED_AT + timedelta(hours=1)
    assert dbt_steps.freshness_step(settings, dbt, now=checked).status == "ok"
    warn = dbt_steps.freshness_step(settings, dbt, now=LOADED_AT + timedelta(hours=25))
    assert warn.status == "ok" and warn.detail.startswith("1 warn, re-evaluated")
    assert "late: github.issues" in warn.detail
    error = dbt_steps.freshness_step(settings, dbt, now=LOADED_AT + timedelta(hours=73))
    assert error.status == "failed" and error.detail.startswith("1 error")
    assert dbt.calls == ["source"]


def test_a_runtime_error_is_not_cached(tmp_path: Path) -> None:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    dbt = FakeDbt()
    dbt.freshness_status = "runtime error"
    dbt_steps.freshness_step(settings, dbt)
    dbt_steps.freshness_step(settings, dbt)
    assert dbt.calls == ["source", "source"]


@pytest.mark.parametrize("hours", [0, 23.9, 24, 24.01, 71.99, 72, 72.5, 500])
def test_freshness_rule_is_dbts(hours: float) -> None:
    source = {
        "max_loaded_at": LOADED_AT.isoformat(),
        "warn_after": {"count": 24, "period": "hour"},
        "error_after": {"count": 3, "period": "day"},
    }
    dbts = (
        FreshnessThreshold(
            warn_after=Time(count=24, period=TimePeriod.hour),
            error_after=Time(count=3, period=TimePeriod.day),
        )
        .status(hours * 3600)
        .value
    )
    assert dbt_steps.freshness_status(source, LOADED_AT + timedelta(hours=hours)) == dbts


def test_project_digest_follows_every_dbt_file(tmp_path: Path) -> None:
    for name in ("dbt_project.yml", "profiles.example.yml"):
        shutil.copy(PROJECT_DIR / name, tmp_path / name)
    (tmp_path / "models" / "marts").mkdir(parents=True)
    model = tmp_path / "models" / "marts" / "m.sql"
    model.write_text("select 1 as id\n")
    (tmp_path / "seeds").mkdir()
    seed = tmp_path / "seeds" / "tiers.csv"
    seed.write_text("tier\nfree\n")
    first = build_state.project_digest(tmp_path)
    (tmp_path / "notes.txt").write_text("not read by dbt")
    assert build_state.project_digest(tmp_path) == first
    for path, text in ((model, "select 2 as id\n"), (seed, "tier\npro\n")):
        path.write_text(text)
        assert build_state.project_digest(tmp_path) != first
        first = build_state.project_digest(tmp_path)
    (tmp_path / "macros").mkdir()
    (tmp_path / "macros" / "x.sql").write_text("{% macro x() %}1{% endmacro %}")
    assert build_state.project_digest(tmp_path) != first
