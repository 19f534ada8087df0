"""daily_activity_metrics against an independent Python oracle, on DuckDB and PostgreSQL.

One scenario per engine: load ~60 days of synthetic history, build the mart, compare every
metric of every (repository, day) to the oracle. A day later, load late changes (late
close, reopen, re-close, late merge, old-issue comment, a backfilled earlier contribution),
build incrementally and compare again. A full refresh must then give the very same rows,
and the mart's dbt tests (keys, not-negative, the raw reconciliation test) pass on them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from loaders.retention import purge
from loaders.warehouse import WarehouseSettings, connect
from pytests.dbt import control_rows, raw_tables
from pytests.dbt.conversation_checks import (
    MODELS,
    assert_conversation_models,
    assert_metrics_cache_medians,
)
from pytests.dbt.helpers import daily_rows, dbt, diff_metrics, query
from pytests.dbt.synthetic import METRICS, Scenario, first_batch, late_batch

REPOS = {501: "acme/api", 502: "acme/web", 503: "other/untracked"}
DAY_1 = date(2026, 6, 30)
DAY_2 = DAY_1 + timedelta(days=1)
COLUMNS = [*METRICS, "avg_pr_merge_time_hours", "avg_issue_close_time_hours"]
# Both repositories of the scenario, tracked by one free-tier workspace (30-day retention).
SMALL_TEAM = [
    control_rows.Tracked("small-team", "acme/api", 501, tier="free"),
    control_rows.Tracked("small-team", "acme/web", 502, tier="free"),
]


def _as_of(day: date) -> str:
    return f"{day.isoformat()} 20:00:00"


def _expected(scenario: Scenario, today: date) -> dict:
    # acme/api: enterprise workspace (365 days); acme/web: free only (30 days).
    want = scenario.expected_daily({501}, today - timedelta(days=364), today)
    want.update(scenario.expected_daily({502}, today - timedelta(days=29), today))
    return want


def _events(settings: WarehouseSettings) -> set[tuple]:
    """int_activity_events as comparable tuples, without run bookkeeping (load ids,
    watermarks) and without retracted markers (an incremental run's only)."""
    rows = query(
        settings,
        "select activity_id, source_key, activity_date, actor_login, is_contribution, "
        "is_first_response, cast(response_hours as numeric(20, 6)) as response_hours, "
        "cast(duration_hours as numeric(20, 6)) as duration_hours "
        "from analytics_intermediate.int_activity_events where activity_type <> 'retracted'",
    )
    return {tuple(str(v) for v in r.values()) for r in rows}


def _load(settings: WarehouseSettings, load_id: str, batch: dict) -> None:
    with connect(settings) as warehouse:
        raw_tables.load(warehouse, load_id, batch)


def test_daily_metrics_match_oracle_incrementally_and_on_full_refresh(
    warehouse_settings: WarehouseSettings,
) -> None:
    _oracle_incremental_then_full_refresh(warehouse_settings)


def test_duckdb_lookups_by_join_give_the_same_rows(tmp_path: Path) -> None:
    """On DuckDB, incremental lookups take their keys as literals (macros/key_lookups.sql);
    with more keys than lookup_key_limit they fall back to joins. Force the fallback."""
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "warehouse.duckdb")
    _oracle_incremental_then_full_refresh(settings, {"lookup_key_limit": 0})


def _oracle_incremental_then_full_refresh(
    settings: WarehouseSettings, dbt_vars: dict | None = None
) -> None:
    scenario = Scenario()
    with connect(settings) as warehouse:
        control_rows.track(
            warehouse,
            [*SMALL_TEAM, control_rows.Tracked("big-co", "acme/api", 501, tier="enterprise")],
        )
        # acme/api was fully synced on the morning of DAY_1 - 1: earlier days are complete.
        control_rows.mark_synced(
            warehouse, "acme/api", datetime(2026, 6, 29, 6, tzinfo=UTC), ["issues", "commits"]
        )

    batch = first_batch(scenario, REPOS, DAY_1)
    scenario.merge(batch)
    _load(settings, "1782806400.25", batch)
    # Seeds and models up to the mart; its tests run at the end (CI's `dbt build` runs all).
    dbt(
        settings, "build", "--select", "+daily_activity_metrics", *MODELS,
        "--exclude", "test_type:data", "test_type:unit", as_of=_as_of(DAY_1), dbt_vars=dbt_vars,
    )  # fmt: skip

    got = daily_rows(settings)
    assert diff_metrics(got, _expected(scenario, DAY_1), COLUMNS) == []
    assert sum(r["prs_commented"] for r in got.values()) > 20  # conversation comments counted
    assert_conversation_models(settings, scenario)
    complete = {k for k, r in got.items() if r["is_complete"]}
    assert complete == {k for k in got if k[0] == 501 and k[1] < date(2026, 6, 29)}
    assert sum(r["commits_count"] for r in got.values()) > 100  # the scenario is not empty

    late = late_batch(scenario, REPOS, DAY_2)
    scenario.merge(late)
    _load(settings, "1782892800.5", late)
    # `+`: the upstream views bake the pinned as_of in; production leaves it unset.
    dbt(
        settings, "run", "--select", "+daily_activity_metrics", *MODELS, as_of=_as_of(DAY_2),
        dbt_vars=dbt_vars,
    )  # fmt: skip
    incremental = daily_rows(settings)
    assert diff_metrics(incremental, _expected(scenario, DAY_2), COLUMNS) == []
    incremental_events = _events(settings)
    assert_conversation_models(settings, scenario)
    assert_metrics_cache_medians(settings, scenario, "big-co", 501)

    dbt(
        settings, "run", "--select", "+daily_activity_metrics", "--full-refresh",
        as_of=_as_of(DAY_2),
    )  # fmt: skip
    full = daily_rows(settings)
    assert diff_metrics(incremental, full, [*COLUMNS, "is_complete", "full_name"]) == []
    # The stream itself too, first responses included (re-ranked from looked-up rows).
    full_events = _events(settings)
    assert sum(1 for e in full_events if e[5] == "True") > 5  # first responses exist to compare
    assert sorted(incremental_events ^ full_events) == []
    # Every issue-13 activity type reached the stream (and matched) on both build paths.
    new_types = {"pr_commented", "issue_labeled", "issue_assigned", "pr_review_requested"}
    assert new_types <= {e[0].split(":")[0] for e in full_events}
    dbt(settings, "test", "--select", "daily_activity_metrics", as_of=_as_of(DAY_2))


def test_workspace_marts_count_distinct_across_repositories(
    warehouse_settings: WarehouseSettings,
) -> None:
    """Someone active in two repositories on one day is one workspace contributor."""
    settings = warehouse_settings
    t = datetime(2026, 6, 30, 10, tzinfo=UTC)
    with connect(settings) as warehouse:
        control_rows.track(
            warehouse,
            [
                control_rows.Tracked("team", "acme/api", 501),
                control_rows.Tracked("team", "acme/web", 502),
            ],
        )
        raw_tables.load(
            warehouse,
            "1782806400.25",
            {
                "repositories": [
                    {"id": 501, "full_name": "acme/api", "owner_avatar_url": "https://a/1.png"},
                    {"id": 502, "full_name": "acme/web", "owner_avatar_url": "https://a/2.png"},
                ],
                "commits": [
                    {"repository_id": 501, "sha": "a1", "author_login": "alice", "committed_at": t},
                    {"repository_id": 502, "sha": "b1", "author_login": "alice", "committed_at": t},
                    {"repository_id": 502, "sha": "b2", "author_login": "bob", "committed_at": t},
                ],
                # carol only talks on pull requests (one in each repository): a contributor.
                "pull_request_comments": [
                    {"id": 71, "repository_id": 501, "pull_request_id": 81,
                     "author_login": "carol", "created_at": t},
                    {"id": 72, "repository_id": 502, "pull_request_id": 82,
                     "author_login": "carol", "created_at": t},
                ],
                # Too old for the free tier's 30 days: must not count anywhere.
                "issues": [
                    {"id": 9, "repository_id": 501, "state": "open", "author_login": "carol",
                     "created_at": t - timedelta(days=45)},
                ],
            },
        )  # fmt: skip
    dbt(
        settings, "build", "--exclude", "test_type:data", "test_type:unit", "--select",
        "+workspace_daily_activity", "+workspace_metrics_cache", "+contributor_stats",
        "+daily_activity_metrics",
        as_of="2026-06-30 20:00:00",
    )  # fmt: skip

    day = query(
        settings,
        "select active_contributors, commits_count, unique_authors, new_contributors, "
        "prs_commented from analytics.workspace_daily_activity "
        "where workspace_slug = 'team' and activity_date = '2026-06-30'",
    )
    assert day == [
        {"active_contributors": 3, "commits_count": 3, "unique_authors": 2, "new_contributors": 3,
         "prs_commented": 2}
    ]  # fmt: skip
    per_repo = query(
        settings,
        "select sum(active_contributors) as summed from analytics.daily_activity_metrics "
        "where activity_date = '2026-06-30'",
    )
    assert per_repo[0]["summed"] == 5  # why summing daily distincts would be wrong
    cache = query(
        settings,
        "select time_range, active_contributors, issues_opened "
        "from analytics.workspace_metrics_cache where workspace_slug = 'team' "
        "order by range_days, time_range",
    )
    assert [(r["time_range"], r["active_contributors"], r["issues_opened"]) for r in cache] == [
        ("7d", 3, 0), ("30d", 3, 0), ("all", 3, 0), ("90d", 3, 0), ("1y", 3, 0),
    ]  # fmt: skip
    stats = query(
        settings,
        "select contributor_login, commits_count, repositories_count, repositories "
        "from analytics.contributor_stats where workspace_slug = 'team' and "
        "contributor_login = 'alice'",
    )
    assert stats == [
        {
            "contributor_login": "alice",
            "commits_count": 2,
            "repositories_count": 2,
            "repositories": "acme/api https://a/1.png\nacme/web https://a/2.png",
        }
    ]
    carol = query(
        settings,
        "select pr_comments, contributions_total, repositories_count "
        "from analytics.contributor_stats where workspace_slug = 'team' and "
        "contributor_login = 'carol'",
    )
    assert carol == [{"pr_comments": 2, "contributions_total": 2, "repositories_count": 2}]


def test_purge_then_incremental_equals_full_refresh(warehouse_settings: WarehouseSettings) -> None:
    """Retention trims dbt's persisted tables too: after `purge --apply` an incremental run
    gives what a full refresh gives, first contributions and new_contributors included."""
    settings = warehouse_settings
    scenario = Scenario()
    with connect(settings) as warehouse:
        control_rows.track(
            warehouse,
            SMALL_TEAM,
        )
    batch = first_batch(scenario, REPOS, DAY_1)
    _load(settings, "1782806400.25", batch)
    dbt(
        settings, "build", "--select", "+daily_activity_metrics",
        "--exclude", "test_type:data", "test_type:unit", as_of=_as_of(DAY_1),
    )  # fmt: skip
    first_days = (
        "select repository_id, actor_login, first_contribution_date "
        "from analytics_intermediate.int_repository_first_contributions"
    )
    before = {(r["repository_id"], r["actor_login"]) for r in query(settings, first_days)}

    with connect(settings) as warehouse:  # 60 days of history, the free tier keeps 30
        report = purge(warehouse, apply=True, now=datetime(2026, 6, 30, 20, tzinfo=UTC))
    assert report.analytics["int_activity_events"] > 0
    assert report.analytics["int_repository_first_contributions"] > 0
    dbt(settings, "run", "--select", "+daily_activity_metrics", as_of=_as_of(DAY_1))
    incremental = daily_rows(settings)
    incremental_first = sorted(map(str, query(settings, first_days)))

    dbt(
        settings, "run", "--select", "+daily_activity_metrics", "--full-refresh",
        as_of=_as_of(DAY_1),
    )  # fmt: skip
    assert diff_metrics(incremental, daily_rows(settings), [*COLUMNS, "is_complete"]) == []
    assert incremental_first == sorted(map(str, query(settings, first_days)))
    after = {(r["repository_id"], r["actor_login"]) for r in query(settings, first_days)}
    assert after <= before


def test_window_changes_reach_the_incremental_mart(warehouse_settings: WarehouseSettings) -> None:
    """Retention shrinks, a repository is untracked, retention grows again: each incremental
    run trims or fills exactly the days a full refresh has (the post-hook's trim and the
    missing-days lookup, which take their own path on PostgreSQL)."""
    settings = warehouse_settings
    schema = settings.control_schema
    with connect(settings) as warehouse:
        control_rows.track(
            warehouse,
            [
                control_rows.Tracked("team", "acme/api", 501, tier="team", retention_days=60),
                control_rows.Tracked("team", "acme/web", 502, tier="team", retention_days=30),
            ],
        )
        raw_tables.load(warehouse, "1782806400.25", first_batch(Scenario(), REPOS, DAY_1))
    dbt(
        settings, "build", "--select", "+daily_activity_metrics",
        "--exclude", "test_type:data", "test_type:unit", as_of=_as_of(DAY_1),
    )  # fmt: skip

    def days_per_repository() -> dict[int, int]:
        rows = query(
            settings,
            "select repository_id, count(*) as n from analytics.daily_activity_metrics "
            "group by repository_id",
        )
        return {int(r["repository_id"]): int(r["n"]) for r in rows}

    assert days_per_repository() == {501: 60, 502: 30}
    changes = [
        (
            f"update {schema}.workspace_repositories set data_retention_days = 14 "
            "where full_name = 'acme/api'; "
            f"delete from {schema}.workspace_repositories where full_name = 'acme/web'",
            {501: 14},
        ),
        (
            f"update {schema}.workspace_repositories set data_retention_days = 45 "
            "where full_name = 'acme/api'",
            {501: 45},
        ),
    ]
    for statements, expected_days in changes:
        with connect(settings) as warehouse, warehouse.transaction():
            for statement in statements.split("; "):
                warehouse.execute(statement)
        dbt(settings, "run", "--select", "+daily_activity_metrics", as_of=_as_of(DAY_1))
        assert days_per_repository() == expected_days
        incremental = daily_rows(settings)
        dbt(
            settings, "run", "--select", "+daily_activity_metrics", "--full-refresh",
            as_of=_as_of(DAY_1),
        )  # fmt: skip
        assert diff_metrics(incremental, daily_rows(settings), [*COLUMNS, "is_complete"]) == []
