"""`warehouse run` and `warehouse plan` through click; the marts summary; on a DuckDB file."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from loaders import PROJECT_DIR
from loaders.cli import run_commands
from loaders.cli.main import cli
from loaders.control.migrations import migrate
from loaders.retention.policy import window_start
from loaders.run import exit_codes, plan
from loaders.run.summary import summarise_marts
from loaders.warehouse import Warehouse, WarehouseSettings, connect

NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WarehouseSettings:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    for key, value in settings.dbt_env().items():
        monkeypatch.setenv(key, value)
    return settings


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_run_with_every_step_skipped(settings: WarehouseSettings) -> None:
    code, out = _invoke(
        "run", "--no-load", "--no-backfill", "--no-purge", "--no-dbt", "--no-freshness"
    )
    assert code == exit_codes.OK, out
    assert "migrate" in out and "exit 0: success" in out


def test_run_refuses_a_bad_workspaces_file(settings: WarehouseSettings, tmp_path: Path) -> None:
    bad = tmp_path / "ws.yml"
    bad.write_text("workspaces:\n  - slug: a\n    name: A\n    tier: gold\n")
    code, out = _invoke("run", "--workspaces", str(bad))
    assert code == exit_codes.BAD_INPUT and "gold" in out


def test_run_help_lists_exit_codes() -> None:
    code, out = _invoke("run", "--help")
    assert code == 0 and "3 another run holds the lock" in out


def _fake_queue(wh: Warehouse) -> None:
    """The columns of the dbt view `sync_queue` the planner reads, as a plain table."""
    flags = ", ".join(f"fetch_{f} boolean" for f in plan.FETCH_FLAGS)
    wh.execute("create schema if not exists analytics")
    wh.execute(
        "create table analytics.sync_queue (queue_rank integer, workspace_slug text, "
        "full_name text, priority_score integer, last_sync_at timestamptz, "
        f"is_never_synced boolean, retention_days integer, is_due boolean, {flags}, "
        "due_reason text)"
    )
    rows = [
        (1, "acme", "acme/api", 90, None, True, 365, True),
        (2, "guild", "acme/api", 80, None, True, 90, True),
        (3, "acme", "acme/web", 70, NOW, False, 90, True),
        (4, "radar", "nebula/orbit", 50, NOW, False, 30, False),
    ]
    for rank, ws, name, prio, last, never, days, due in rows:
        values = ", ".join(["true"] * len(plan.FETCH_FLAGS))
        wh.execute(
            "insert into analytics.sync_queue values (%(r)s, %(w)s, %(n)s, %(p)s, %(l)s, "
            f"%(never)s, %(d)s, %(due)s, {values}, %(reason)s)",
            {
                "r": rank,
                "w": ws,
                "n": name,
                "p": prio,
                "l": last,
                "never": never,
                "d": days,
                "due": due,
                "reason": "never synced"
                if never
                else "sync interval elapsed"
                if due
                else "not due",
            },
        )


def test_build_plan_counts_each_repository_once(settings: WarehouseSettings) -> None:
    with connect(settings) as wh:
        migrate(wh)
        _fake_queue(wh)
        rows = plan.build_plan(wh, budget_points=140)
    assert [(r.workspace, r.repository) for r in rows] == [
        ("acme", "acme/api"),
        ("guild", "acme/api"),
        ("acme", "acme/web"),
    ]
    first_load = plan.estimate_points(10, never_synced=True, retention_days=365)
    assert first_load == 1 + 10 * 13
    assert [r.cumulative_points for r in rows] == [first_load, first_load, first_load + 11]
    assert [r.fits_budget for r in rows] == [True, True, False]


def test_plan_command(settings: WarehouseSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    with connect(settings) as wh:
        migrate(wh)
        _fake_queue(wh)
        # loaded for 90 days, tracked by an enterprise workspace (365): history to fill
        for sql in (
            "insert into control.workspaces (slug, name, tier) values ('big', 'B', 'enterprise')",
            "insert into control.repositories (full_name) values ('nebula/orbit')",
            "insert into control.workspace_repositories (workspace_slug, full_name) "
            "values ('big', 'nebula/orbit')",
            "insert into control.repository_coverage (full_name, history_complete_from) "
            "values ('nebula/orbit', current_timestamp - interval '90 days')",
        ):
            wh.execute(sql)
    monkeypatch.setattr(plan, "spendable_graphql_points", lambda: None)
    code, out = _invoke("plan", "--all")
    assert code == 0, out
    start = window_start(datetime.now(timezone.utc), 365).strftime("%Y-%m-%d")
    assert (
        f"history still being filled: nebula/orbit from {start} (365 days, big; complete from"
        in " ".join(out.split())
    )
    assert "the next run queues its job" in " ".join(out.split())
    assert "unknown (GitHub unreachable)" in out and "nebula/orbit" in out and "never" in out
    assert "never synced" in out and "not due" in out


def test_plan_budget_is_none_without_github(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_x")
    assert plan.spendable_graphql_points() is None


def test_summary_of_marts(settings: WarehouseSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    with connect(settings) as wh:
        wh.execute("create schema analytics")
        wh.execute(
            "create table analytics.daily_activity_metrics (repository_id bigint, "
            "full_name text, activity_date date, commits_count integer, stars integer)"
        )
        for offset in range(3):
            wh.execute(
                "insert into analytics.daily_activity_metrics values (1, 'acme/api', %(d)s, 2, 1)",
                {"d": date(2026, 1, 1) + timedelta(days=offset)},
            )
        summary = summarise_marts(wh)
    assert summary.tables == {"daily_activity_metrics": 3}
    assert summary.activity_days == 3 and summary.metric_columns == ("commits_count", "stars")
    assert summary.per_repository[0]["commits_count"] == 6
    console = Console(record=True, width=120)
    monkeypatch.setattr(run_commands, "console", console)
    run_commands.print_summary(summary)
    text = console.export_text()
    assert "covers 3 days" in text and "acme/api" in text


def test_apply_counts_repositories_in_the_load_steps_unit(settings: WarehouseSettings) -> None:
    """The demo file tracks acme/api-server in two workspaces: 9 repositories (what the load
    step plans), 10 memberships. The migrate step says both, in words that match."""
    from loaders.workspaces import load_workspaces_file

    example = PROJECT_DIR / "workspaces.example.yml"
    config = load_workspaces_file(example)
    memberships = [(w.slug, r.repo) for w in config.workspaces for r in w.repositories]
    distinct = {repo for _slug, repo in memberships}
    assert len(distinct) < len(memberships)  # the case the message must get right
    code, out = _invoke(
        "run",
        "--workspaces",
        str(example),
        "--no-load",
        "--no-backfill",
        "--no-purge",
        "--no-dbt",
        "--no-freshness",
    )
    assert code == exit_codes.OK, out
    text = " ".join(out.split())
    assert f"{len(distinct)} repositories added ({len(memberships)} workspace memberships)" in text
    assert f"{len(memberships)} repositories added" not in text
