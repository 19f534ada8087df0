"""Backfill windows (`window_start`, `update_sync_state=False`, progress), retention on a
first load, `count_items`, and the `warehouse load` command."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.emulator.testing import run_emulator
from loaders.sync import RepositoryTarget, count_items, load_repositories
from loaders.warehouse import Warehouse, WarehouseSettings

from .helpers import ALL, client_for, raw_counts, track, world_counts

REPOS = ["acme/web-app", "opentail/lib-01"]


@pytest.fixture
def github():
    with run_emulator("small", seed=1) as gh:
        yield gh


def _state(warehouse: Warehouse) -> list[dict]:
    control = warehouse.settings.control_schema
    return warehouse.query(
        f"select full_name, resource, last_sync_at, attempts from {control}.sync_state "
        "order by full_name, resource"
    )


def test_retention_then_backfill_window_then_quiet_sync(github, warehouse: Warehouse):
    track(warehouse, REPOS)
    client = client_for(github)
    short = [RepositoryTarget(n, ALL, 14, 24) for n in REPOS]
    load_repositories(warehouse, short, client=client)
    raw = warehouse.settings.raw_schema
    oldest = warehouse.scalar(f"select min(committed_at) from {raw}.commits")
    world_now = datetime.fromtimestamp(github.now, timezone.utc)
    assert oldest >= world_now - timedelta(days=15)  # a first load reads back to retention
    partial = raw_counts(warehouse)
    state_before = _state(warehouse)

    seen: list[tuple[str, str, int]] = []
    report = load_repositories(
        warehouse,
        short,
        client=client,
        window_start=world_now - timedelta(days=365),
        update_sync_state=False,
        progress=lambda name, table, rows: seen.append((name, table, rows)),
    )
    assert raw_counts(warehouse) == world_counts(github, REPOS, ALL)
    assert raw_counts(warehouse)["acme/web-app"]["commits"] > partial["acme/web-app"]["commits"]
    assert _state(warehouse) == state_before  # the backfill books its own progress
    assert {(n, t) for n, t, _ in seen} >= {(n, "commits") for n in REPOS}
    assert sum(rows for _, _, rows in seen) == report.rows_total

    # Cursors did not move backwards: a normal sync afterwards fetches nothing new.
    quiet = load_repositories(warehouse, short, client=client)
    assert all(
        set(o.rows) <= {"repositories", "repository_languages", "discussion_categories"}
        for o in quiet.outcomes.values()
    )


def test_count_items_matches_truth(github):
    client = client_for(github)
    since = datetime.fromtimestamp(github.now, timezone.utc) - timedelta(days=3650)
    counts = count_items(client, "acme/web-app", since)
    truth = github.truth()["repositories"]["acme/web-app"]["counts"]
    assert counts["issues"] == truth["issues"]
    assert counts["pull_requests"] == truth["pull_requests"]
    assert counts["commits"] == truth["commits"]
    assert counts["stars"] == truth["stargazers"]
    assert client.stats.graphql_points == 1


def test_cli_load_repo_and_bad_input(github, warehouse_settings: WarehouseSettings, monkeypatch):
    if warehouse_settings.target != "duckdb":
        pytest.skip("CLI plumbing is engine-independent")
    from loaders.warehouse import connect

    with connect(warehouse_settings) as warehouse:
        track(warehouse, REPOS)
    for key, value in warehouse_settings.dbt_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("GITHUB_API_URL", github.base_url)
    monkeypatch.setenv("GITHUB_TOKEN", github.token)
    monkeypatch.setenv("WAREHOUSE_API_RESERVE", "0")
    runner = CliRunner()

    bad = runner.invoke(cli, ["load", "--repo", "not-a-repo"])
    assert bad.exit_code == 2 and "OWNER/NAME" in bad.output
    bad = runner.invoke(cli, ["load", "--resources", "issues,nope"])
    assert bad.exit_code == 2 and "unknown resource" in bad.output

    ok = runner.invoke(cli, ["load", "--repo", "opentail/lib-01", "--resources", "issues"])
    assert ok.exit_code == 0, ok.output
    assert "opentail/lib-01" in ok.output and "GraphQL points" in ok.output
    assert github.token not in ok.output
    with connect(warehouse_settings) as warehouse:
        counts = raw_counts(warehouse)
    assert set(counts) == {"opentail/lib-01"}
    assert set(counts["opentail/lib-01"]) <= {
        "repositories",
        "repository_languages",
        "issues",
        "issue_labels",
        "issue_events",
    }
