"""The SQL the report runs: every figure on the page comes from a mart row or from SQL over
the marts (the moving averages are window functions over `workspace_daily_activity`).

Python only reads the rows; it computes no metric. The SQL is portable (DuckDB and
PostgreSQL): named `window` clauses, `avg` cast to double precision, no engine functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from loaders.warehouse import Warehouse

#: The daily series drawn as charts, with the title shown above each.
DAILY_METRICS: dict[str, str] = {
    "commits_count": "Commits",
    "prs_opened": "Pull requests opened",
    "prs_merged": "Pull requests merged",
    "issues_opened": "Issues opened",
    "issues_closed": "Issues closed",
    "stars": "Stars",
}

#: `repository_trends` flags anomalies for these daily series only.
ANOMALY_FLAGS: dict[str, str] = {
    "commits_count": "is_commits_count_anomaly",
    "prs_opened": "is_prs_opened_anomaly",
    "issues_opened": "is_issues_opened_anomaly",
}

#: The `workspace_metrics_cache` columns shown as tiles (each has `_previous`, `_trend_pct`).
TILE_METRICS: dict[str, str] = {
    "commits_count": "Commits",
    "prs_opened": "PRs opened",
    "prs_merged": "PRs merged",
    "issues_opened": "Issues opened",
    "issues_closed": "Issues closed",
    "stars": "Stars",
    "active_contributors": "Active contributors",
    "new_contributors": "New contributors",
    "median_hours_to_merge": "Median hours to merge",
    "median_hours_to_first_response": "Median hours to first response",
}

CONTRIBUTORS_RANGE = "30d"
ISSUES_RANGE = "90d"
TOP_CONTRIBUTORS = 10

#: Marts the report reads; without them the warehouse has not been built yet.
REQUIRED_MARTS = (
    "workspace_daily_activity",
    "workspace_metrics_cache",
    "repository_trends",
    "daily_activity_metrics",
    "sync_queue",
    "repository_freshness",
    "repository_history_coverage",
    "workspace_contributors_by_range",
    "contributor_repositories",
    "workspace_issues_cache",
    "workspace_open_issues",
    "backfill_progress",
)


@dataclass
class WorkspaceData:
    """Everything one workspace page shows, as rows read from the marts."""

    slug: str
    name: str
    tier: str
    daily: list[dict[str, Any]] = field(default_factory=list)
    anomalies: list[dict[str, Any]] = field(default_factory=list)
    tiles: list[dict[str, Any]] = field(default_factory=list)
    repositories: list[dict[str, Any]] = field(default_factory=list)
    sparklines: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    contributors: list[dict[str, Any]] = field(default_factory=list)
    contributor_repositories: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    issues_by_label: list[dict[str, Any]] = field(default_factory=list)
    open_issues_by_repository: list[dict[str, Any]] = field(default_factory=list)
    backfill: list[dict[str, Any]] = field(default_factory=list)
    history_gap: dict[str, Any] | None = None

    @property
    def has_data(self) -> bool:
        # A workspace none of whose repositories has synced has zero-filled days at most.
        return any(r["last_sync_at"] is not None for r in self.repositories) and bool(self.daily)


def list_workspaces(wh: Warehouse, slug: str | None = None) -> list[dict[str, Any]]:
    """Active workspaces from the control plane (present before any dbt build)."""
    control = wh.settings.control_schema
    if not wh.table_exists(control, "workspaces"):
        return []
    where = "is_active" + (" and slug = %(slug)s" if slug else "")
    return wh.query(
        f"select slug, name, tier from {control}.workspaces where {where} order by slug",
        {"slug": slug} if slug else None,
    )


def marts_built(wh: Warehouse) -> bool:
    schema = wh.settings.analytics_schema
    return all(wh.table_exists(schema, name) for name in REQUIRED_MARTS)


def daily_sql(schema: str) -> str:
    averages = ",\n".join(
        f"cast(avg({m}) over w7 as double precision) as {m}_7d_avg, "
        f"cast(avg({m}) over w28 as double precision) as {m}_28d_avg"
        for m in DAILY_METRICS
    )
    return f"""
        select activity_date, {", ".join(DAILY_METRICS)},
        {averages}
        from {schema}.workspace_daily_activity
        where workspace_slug = %(slug)s
        window
            w7 as (order by activity_date rows between 6 preceding and current row),
            w28 as (order by activity_date rows between 27 preceding and current row)
        order by activity_date
    """


def _anomalies_sql(schema: str) -> str:
    flags = ", ".join(f"t.{flag}" for flag in ANOMALY_FLAGS.values())
    return f"""
        select t.activity_date, t.full_name, {flags}
        from {schema}.repository_trends as t
        inner join {schema}.sync_queue as q
            on q.repository_id = t.repository_id and q.workspace_slug = %(slug)s
        where t.is_anomaly
            and t.activity_date >= (
                select min(activity_date) from {schema}.workspace_daily_activity
                where workspace_slug = %(slug)s
            )
        order by t.activity_date, t.full_name
    """


def _repositories_sql(schema: str) -> str:
    return f"""
        select q.full_name, q.is_due, q.due_reason, q.next_sync_at, q.resources_failed,
            q.resources_deferred, q.retention_days, q.sync_frequency_hours,
            f.freshness_status, f.last_sync_at, f.hours_since_last_sync,
            f.repository_status, f.is_issues_sync_overdue,
            c.is_history_complete, c.history_complete_from_date, c.window_start_date,
            c.missing_days, c.is_reloading_after_purge, c.filling_job_id
        from {schema}.sync_queue as q
        left join {schema}.repository_freshness as f on f.full_name = q.full_name
        left join {schema}.repository_history_coverage as c on c.full_name = q.full_name
        where q.workspace_slug = %(slug)s
        order by q.full_name
    """


def _sparklines_sql(schema: str) -> str:
    return f"""
        select d.full_name, d.activity_date, d.commits_count
        from {schema}.daily_activity_metrics as d
        inner join {schema}.sync_queue as q
            on q.repository_id = d.repository_id and q.workspace_slug = %(slug)s
        where d.activity_date >= (
            select min(activity_date) from {schema}.workspace_daily_activity
            where workspace_slug = %(slug)s
        )
        order by d.full_name, d.activity_date
    """


def _contributors_sql(schema: str) -> str:
    return f"""
        select contributor_rank, contributor_login, contributions_total, commits_count,
            prs_opened, prs_merged, reviews, issues_opened, comments, active_days,
            repositories_count
        from {schema}.workspace_contributors_by_range
        where workspace_slug = %(slug)s and time_range = %(range)s
            and contributor_rank <= %(top)s
        order by contributor_rank
    """


def _contributor_repositories_sql(schema: str) -> str:
    return f"""
        select r.contributor_login, r.full_name, r.repository_avatar_url, r.contributions_count
        from {schema}.contributor_repositories as r
        inner join {schema}.workspace_contributors_by_range as c
            on c.workspace_slug = r.workspace_slug
            and c.contributor_login = r.contributor_login
        where r.workspace_slug = %(slug)s and c.time_range = %(range)s
            and c.contributor_rank <= %(top)s
        order by r.contributor_login, r.contributions_count desc, r.full_name
    """


def _issues_by_label_sql(schema: str) -> str:
    return f"""
        select row_key as label, issues_total, issues_open, issues_closed,
            median_hours_to_close
        from {schema}.workspace_issues_cache
        where workspace_slug = %(slug)s and time_range = %(issues_range)s
            and row_kind = 'label'
        order by issues_total desc, row_key
    """


def _open_issues_sql(schema: str) -> str:
    return f"""
        select full_name, count(*) as open_issues,
            count(case when assignees is null then 1 end) as unassigned,
            max(days_open) as oldest_days_open
        from {schema}.workspace_open_issues
        where workspace_slug = %(slug)s
        group by full_name
        order by open_issues desc, full_name
    """


def _backfill_sql(schema: str) -> str:
    # The workspace's latest job only: older ones are history, `backfill status` lists them.
    return f"""
        select backfill_job_id, job_status, retention_days, job_pct_complete, job_eta_seconds,
            job_items_loaded, job_items_total, job_repositories_total,
            job_repositories_completed, job_repositories_failed, created_at,
            full_name, repository_status, repository_pct_complete, items_loaded, items_total
        from {schema}.backfill_progress
        where workspace_slug = %(slug)s
            and backfill_job_id = (
                select max(backfill_job_id) from {schema}.backfill_progress
                where workspace_slug = %(slug)s
            )
        order by full_name
    """


def _history_gap_sql(schema: str) -> str:
    # The days of this workspace's charts that some repository's history does not cover yet.
    return f"""
        select greatest(min(c.window_start_date), min(w.first_day)) as gap_start,
            max(coalesce(c.history_complete_from_date, w.last_day)) as gap_end,
            count(*) as repositories_partial
        from {schema}.sync_queue as q
        inner join {schema}.repository_history_coverage as c on c.full_name = q.full_name
        cross join (
            select min(activity_date) as first_day, max(activity_date) as last_day
            from {schema}.workspace_daily_activity where workspace_slug = %(slug)s
        ) as w
        where q.workspace_slug = %(slug)s and not c.is_history_complete
            -- a gap before this workspace's first day is another workspace's concern
            and coalesce(c.history_complete_from_date, w.last_day) > w.first_day
    """


def _group(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


def read_workspace(wh: Warehouse, workspace: dict[str, Any]) -> WorkspaceData:
    """Read one workspace's rows from the marts (which must be built: see `marts_built`)."""
    schema = wh.settings.analytics_schema
    params = {
        "slug": workspace["slug"],
        "range": CONTRIBUTORS_RANGE,
        "top": TOP_CONTRIBUTORS,
        "issues_range": ISSUES_RANGE,
    }

    def rows(sql: str) -> list[dict[str, Any]]:
        # Each query names only the parameters it uses (psycopg2 ignores extras, DuckDB not).
        return wh.query(sql, {k: v for k, v in params.items() if f"%({k})s" in sql})

    return WorkspaceData(
        slug=workspace["slug"],
        name=workspace["name"],
        tier=workspace["tier"],
        daily=rows(daily_sql(schema)),
        anomalies=rows(_anomalies_sql(schema)),
        tiles=wh.query(
            # The tiles compare each range with the one before it: 'all' has none.
            f"select * from {schema}.workspace_metrics_cache "
            "where workspace_slug = %(slug)s and time_range <> 'all' order by range_days",
            {"slug": workspace["slug"]},
        ),
        repositories=rows(_repositories_sql(schema)),
        sparklines=_group(rows(_sparklines_sql(schema)), "full_name"),
        contributors=rows(_contributors_sql(schema)),
        contributor_repositories=_group(
            rows(_contributor_repositories_sql(schema)), "contributor_login"
        ),
        issues_by_label=rows(_issues_by_label_sql(schema)),
        open_issues_by_repository=rows(_open_issues_sql(schema)),
        backfill=rows(_backfill_sql(schema)),
        history_gap=next(
            (r for r in rows(_history_gap_sql(schema)) if r["repositories_partial"]), None
        ),
    )
