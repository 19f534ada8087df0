"""Issue 20's definition of done, as a user would do it, on the emulator's demo world, on
DuckDB and PostgreSQL:

  (a) untrack a repository, run, re-add it, run: its data survived the grace period and its
      marts equal those of a warehouse that never untracked it; untracked past the grace
      period, its data goes, and re-added it is due at once and reloaded whole (same marts);
  (b) add an enterprise (365-day) workspace over repositories loaded for 90 days and run
      until the plan is empty: its `1y` metrics equal a warehouse loaded for 365 days from
      the start, with no `backfill start`.

Two small repositories and one warehouse for both stories keep it quick; dbt builds only
what the comparisons read (with its tests, `assert_daily_activity_matches_raw` among them,
where marts are compared). The emulator's clock is fixed, so both warehouses see one world.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from loaders.backfill.window import window_gaps
from loaders.dbt_runner import DbtResult, run_dbt
from loaders.emulator.testing import EmulatorHandle, run_emulator
from loaders.retention.policy import entitlements, window_start
from loaders.run import exit_codes
from loaders.run.pipeline import RunHooks, RunOptions, RunReport, run_pipeline
from loaders.run.plan import build_plan
from loaders.warehouse import WarehouseSettings, connect
from loaders.workspaces import apply_workspaces, load_workspaces_file
from pytests.conftest import make_settings

REPOS = ("acme/infra", "nebula/stardust")
KEPT, DROPPED = REPOS
MODELS = [
    "+daily_activity_metrics",
    "+workspace_metrics_cache",
    "+sync_queue",
    "+repository_history_coverage",
]
METRICS = [
    "prs_opened", "prs_merged", "issues_opened", "issues_closed", "commits_count", "stars",
    "forks", "active_contributors", "new_contributors",
]  # fmt: skip


@pytest.fixture(scope="module")
def github() -> Iterator[EmulatorHandle]:
    with run_emulator(world="demo", seed=1) as gh:
        yield gh


@pytest.fixture(autouse=True)
def _env(github: EmulatorHandle, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_API_URL", github.base_url)
    monkeypatch.setenv("GITHUB_TOKEN", github.token)
    for name in ("GITHUB_TOKENS", "WAREHOUSE_NOTIFY_URL", "WAREHOUSE_UNTRACKED_GRACE_DAYS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(params=["duckdb", "postgres"])
def two_warehouses(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[WarehouseSettings, WarehouseSettings]]:
    """The warehouse under test and a reference one, on the same engine."""
    first = make_settings(request.param, tmp_path / "a")
    second = make_settings(request.param, tmp_path / "b")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    yield next(first), next(second)
    for generator in (first, second):
        next(generator, None)  # drop the PostgreSQL databases


def _workspaces(path: Path, workspaces: dict[str, tuple[str, tuple[str, ...]]]) -> Path:
    lines = ["workspaces:"]
    for slug, (tier, repos) in workspaces.items():
        lines += [f"  - slug: {slug}", f"    name: {slug}", f"    tier: {tier}"]
        lines += ["    repositories:", *(f"      - {r}" for r in repos)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _run(
    settings: WarehouseSettings,
    workspaces: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    backfill: bool = True,
    dbt: bool = True,
    test: bool = False,
) -> RunReport:
    # Each warehouse keeps its own dlt working directory (cursors live there and in it).
    monkeypatch.setenv("WAREHOUSE_PIPELINES_DIR", str(workspaces.parent / "pipelines"))

    def build(args: list[str], s: WarehouseSettings) -> DbtResult:
        verb = "build" if test else "run"
        return run_dbt([verb, "--select", *MODELS], s, capture=True)

    options = RunOptions(workspaces_file=workspaces, backfill=backfill, dbt=dbt, freshness=False)
    report = run_pipeline(settings, options, RunHooks(dbt=build))
    assert report.exit_code == exit_codes.OK, report.steps
    return report


def _rows(settings: WarehouseSettings, sql: str) -> list[tuple[Any, ...]]:
    with connect(settings) as wh:
        return sorted(tuple(str(v) for v in r.values()) for r in wh.query(sql))


def _daily(settings: WarehouseSettings, repo: str) -> list[tuple[Any, ...]]:
    return _rows(
        settings,
        f"select d.activity_date, {', '.join(f'd.{m}' for m in METRICS)} "
        "from analytics.daily_activity_metrics as d "
        "inner join github_raw.repositories as r on r.id = d.repository_id "
        f"where lower(r.full_name) = '{repo}'",
    )


def _cache(settings: WarehouseSettings, workspace: str) -> list[tuple[Any, ...]]:
    return _rows(
        settings,
        f"select time_range, {', '.join(METRICS)}, is_history_complete "
        f"from analytics.workspace_metrics_cache where workspace_slug = '{workspace}'",
    )


def _raw_issues(settings: WarehouseSettings, repo: str) -> int:
    with connect(settings) as wh:
        return int(
            wh.scalar(
                "select count(*) from github_raw.issues as i inner join github_raw.repositories "
                f"as r on r.id = i.repository_id where lower(r.full_name) = '{repo}'"
            )
        )


def _assert_python_and_dbt_windows_agree(settings: WarehouseSettings) -> None:
    """The loaders (purge cut-off, coverage, window jobs) and the marts compute a
    repository's first day separately: Python's `policy.window_start` over its longest
    entitlement must be the earliest `window_start_date` dbt gives it in any workspace."""
    with connect(settings) as wh:
        now = datetime.now(timezone.utc)
        python = {
            name: window_start(now, e.retention_days).date() for name, e in entitlements(wh).items()
        }
        rows = wh.query(
            "select lower(full_name) as full_name, min(window_start_date) as first_day "
            "from analytics_intermediate.int_workspace_repository_windows group by 1"
        )
    dbt_days = {r["full_name"]: r["first_day"] for r in rows}
    assert dbt_days == python and len(python) == len(REPOS), (dbt_days, python)


def test_whole_window_and_grace_period_as_a_user_would(
    two_warehouses: tuple[WarehouseSettings, WarehouseSettings],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tested, reference = two_warehouses
    both = {"team": ("pro", REPOS), "big": ("enterprise", REPOS)}
    _run(reference, _workspaces(tmp_path / "b" / "ws.yml", both), monkeypatch)
    want = _cache(reference, "big")
    assert all(row[-1] == "True" for row in want), want  # loaded for 365 days from the start
    _assert_python_and_dbt_windows_agree(reference)

    # (b) An enterprise workspace over repositories loaded for 90 days.
    _run(tested, _workspaces(tmp_path / "a" / "pro.yml", {"team": ("pro", REPOS)}), monkeypatch)
    grown = _workspaces(tmp_path / "a" / "ws.yml", both)
    _run(tested, grown, monkeypatch, backfill=False)
    # Before any backfill step: the 1y range says it is not covered, the plan says why.
    year = {row[0]: row for row in _cache(tested, "big")}["1y"]
    assert year[-1] == "False"
    with connect(tested) as wh:
        gaps = window_gaps(wh)
        assert sorted(g.full_name for g in gaps) == sorted(REPOS)
        assert all(g.entitled_days == 365 and g.job_id is None for g in gaps)
        due = wh.query("select distinct due_reason from analytics.sync_queue")
        assert [r["due_reason"] for r in due] == ["not due"]

    for _ in range(3):  # until the plan is empty; no `backfill start`
        report = _run(tested, grown, monkeypatch, test=True)
        with connect(tested) as wh:
            if not window_gaps(wh) and not build_plan(wh, budget_points=None):
                break
    else:
        pytest.fail(f"the plan never emptied: {report.steps}")
    assert _cache(tested, "big") == want
    with connect(tested) as wh:
        jobs = wh.query("select trigger, status, retention_days from control.backfill_jobs")
        assert [tuple(j.values()) for j in jobs] == [("window", "completed", 365)]
        short = wh.scalar(
            "select count(*) from control.repository_coverage where history_complete_from is "
            "null or history_complete_from > (select min(created_at) - interval '364 days' "
            "from control.backfill_jobs)"
        )
        assert short == 0

    # (a) Untrack a repository, run, re-add it, run: nothing lost. The world is frozen, so
    # the marts of this warehouse before untracking are those of one that never did.
    never_untracked = _daily(tested, DROPPED)
    issues = _raw_issues(tested, DROPPED)
    assert never_untracked and issues > 0
    without = _workspaces(
        tmp_path / "a" / "without.yml", {k: (t, (KEPT,)) for k, (t, _) in both.items()}
    )
    report = _run(tested, without, monkeypatch, dbt=False)
    assert "1 repositories untracked" in report.steps[0].detail
    purge = next(s for s in report.steps if s.name == "purge")
    assert f"kept in their grace period: {DROPPED} until" in purge.detail, purge.detail
    assert _raw_issues(tested, DROPPED) == issues
    report = _run(tested, grown, monkeypatch)
    assert "1 repositories tracked again" in report.steps[0].detail
    assert _daily(tested, DROPPED) == never_untracked

    # Past the grace period (7 days by default): the purge deletes it all.
    with connect(tested) as wh:
        apply_workspaces(wh, load_workspaces_file(without))
        wh.execute(
            "update control.repository_coverage set untracked_since = untracked_since - "
            "interval '8 days' where full_name = %(f)s",
            {"f": DROPPED},
        )
    report = _run(tested, without, monkeypatch, dbt=False)
    purge = next(s for s in report.steps if s.name == "purge")
    assert f"grace period over: {DROPPED}" in purge.detail, purge.detail
    assert _raw_issues(tested, DROPPED) == 0

    # Re-added: due at once ("history missing"), its whole window reloaded in that run.
    with connect(tested) as wh:
        again = apply_workspaces(wh, load_workspaces_file(grown))
        assert again.repositories_tracked_again == [(DROPPED, False)]
        reasons = wh.query(  # a view: it reads the control tables as they are now
            "select distinct full_name, due_reason from analytics.sync_queue"
        )
    assert {(r["full_name"], r["due_reason"]) for r in reasons} == {
        (DROPPED, "history missing"),
        (KEPT, "not due"),
    }
    report = _run(tested, grown, monkeypatch, test=True)
    load, backfill = report.steps[1], report.steps[2]
    assert "1 repositories planned" in load.detail, load.detail
    assert "queued to fill the history of 1 repositories" in backfill.detail, backfill.detail
    assert _raw_issues(tested, DROPPED) == issues
    assert _daily(tested, DROPPED) == never_untracked
    assert _cache(tested, "big") == want
    with connect(tested) as wh:
        assert not window_gaps(wh)
