"""The sync-queue view's priority rules at every boundary, built by dbt on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from loaders.control.migrations import migrate
from loaders.dbt_runner import run_dbt
from loaders.warehouse import WarehouseSettings, connect
from pytests.conftest import ENGINES, make_settings

NOW = datetime.now(timezone.utc)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

# (workspace, tier, repository, stars, last success age, next sync offset, expected score, due)
CASES = [
    ("wfree", "free", "o/never", None, None, None, 70, True),
    ("wfree", "free", "o/age-under-3d", 0, 3 * DAY - HOUR, HOUR, 50, False),
    ("wfree", "free", "o/age-over-3d", 0, 3 * DAY + HOUR, -HOUR, 60, True),
    ("wfree", "free", "o/age-under-7d", 0, 7 * DAY - HOUR, HOUR, 60, False),
    ("wfree", "free", "o/age-over-7d", 0, 7 * DAY + HOUR, HOUR, 70, False),
    ("wfree", "free", "o/stars-100", 100, HOUR, HOUR, 50, False),
    ("wfree", "free", "o/stars-101", 101, HOUR, HOUR, 55, False),
    ("wfree", "free", "o/stars-1000", 1000, HOUR, HOUR, 55, False),
    ("wfree", "free", "o/stars-1001", 1001, HOUR, HOUR, 60, False),
    ("wpro", "pro", "o/stars-101", 101, HOUR, HOUR, 75, False),
    ("wteam", "team", "o/never", None, None, None, 100, True),
    ("went", "enterprise", "o/popular-and-stale", 1001, 8 * DAY, -HOUR, 100, True),
    ("wlegacy", "legacy-gold", "o/age-under-3d", 0, 3 * DAY - HOUR, HOUR, 50, False),
]


def _raw_repositories_table(warehouse) -> None:
    """The raw table as dlt writes it (docs/raw_schema.md), with the columns staging reads."""
    warehouse.execute("create schema if not exists github_raw")
    warehouse.execute(
        """
        create table github_raw.repositories (
            id bigint, node_id text, full_name text, owner_login text, name text,
            owner_avatar_url text, description text, homepage_url text,
            primary_language text, topics text, stargazers_count bigint, forks_count bigint,
            watchers_count bigint, is_archived boolean, is_fork boolean, is_private boolean,
            has_discussions boolean, default_branch text, html_url text,
            created_at timestamptz, updated_at timestamptz, pushed_at timestamptz,
            fetched_at timestamptz, _dlt_load_id text
        )
        """
    )


def _seed_control(settings: WarehouseSettings) -> None:
    with connect(settings) as warehouse:
        migrate(warehouse)
        _raw_repositories_table(warehouse)
        repo_ids: dict[str, int] = {}
        for slug, tier, repo, stars, age, next_offset, _score, _due in CASES:
            warehouse.execute(
                "insert into control.workspaces (slug, name, tier) "
                "select %(slug)s, %(slug)s, %(tier)s "
                "where not exists (select 1 from control.workspaces where slug = %(slug)s)",
                {"slug": slug, "tier": tier},
            )
            if repo not in repo_ids:
                repo_ids[repo] = len(repo_ids) + 1
                warehouse.execute(
                    "insert into control.repositories (full_name, github_id) "
                    "values (%(repo)s, %(id)s)",
                    {"repo": repo, "id": repo_ids[repo]},
                )
                if stars is not None:
                    warehouse.execute(
                        "insert into github_raw.repositories (id, full_name, stargazers_count, "
                        "_dlt_load_id) values (%(id)s, %(repo)s, %(stars)s, '1')",
                        {"id": repo_ids[repo], "repo": repo, "stars": stars},
                    )
                if age is not None:
                    warehouse.execute(
                        "insert into control.sync_state (full_name, resource, last_sync_at, "
                        "last_success_at, next_sync_at, last_status) values (%(repo)s, "
                        "'issues', %(at)s, %(at)s, %(next)s, 'success')",
                        {"repo": repo, "at": NOW - age, "next": NOW + next_offset},
                    )
            warehouse.execute(
                "insert into control.workspace_repositories (workspace_slug, full_name) "
                "values (%(slug)s, %(repo)s)",
                {"slug": slug, "repo": repo},
            )


@pytest.fixture(scope="module", params=ENGINES)
def warehouse_settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WarehouseSettings]:
    # One dbt build per engine for the whole module: the cases are independent rows.
    yield from make_settings(request.param, tmp_path_factory.mktemp(request.param))


@pytest.fixture(scope="module")
def built_queue(warehouse_settings: WarehouseSettings) -> list[dict]:
    _seed_control(warehouse_settings)
    result = run_dbt(
        ["build", "--select", "+sync_queue", "+repository_sync_targets"],
        warehouse_settings,
        capture=True,
    )
    assert result.ok, result.output[-3000:]
    with connect(warehouse_settings) as warehouse:
        return warehouse.query("select * from analytics.sync_queue order by queue_rank")


def test_priority_rules_at_each_boundary(built_queue: list[dict]) -> None:
    scores = {(r["workspace_slug"], r["full_name"]): r for r in built_queue}
    for slug, _tier, repo, _stars, _age, _next, expected_score, expected_due in CASES:
        row = scores[(slug, repo)]
        assert row["priority_score"] == expected_score, (slug, repo, row)
        assert row["is_due"] is expected_due, (slug, repo, row)
    assert scores[("wlegacy", "o/age-under-3d")]["is_known_tier"] is False
    assert scores[("wfree", "o/never")]["is_never_synced"] is True


def test_queue_is_ordered_by_priority_then_next_sync(built_queue: list[dict]) -> None:
    keys = [
        (-r["priority_score"], r["next_sync_at"] is not None, r["next_sync_at"] or NOW)
        for r in built_queue
    ]
    assert keys == sorted(keys)
    assert [r["queue_rank"] for r in built_queue] == list(range(1, len(built_queue) + 1))


def test_repository_targets_take_the_best_of_their_workspaces(
    built_queue: list[dict], warehouse_settings: WarehouseSettings
) -> None:
    with connect(warehouse_settings) as warehouse:
        row = warehouse.query(
            "select * from analytics.repository_sync_targets where full_name = 'o/stars-101'"
        )[0]
    assert row["priority_score"] == 75  # pro beats free
    assert row["sync_frequency_hours"] == 12  # pro's 12 h beats free's 24 h
    assert row["retention_days"] == 90
    assert row["workspace_slugs"] == "wfree,wpro"
