"""Retention for dbt's persisted incremental tables, which copy raw data.

A purge runs inside the raw purge's transaction, with its temporary table of retained
repositories and cutoffs, so the analytics side keeps the same promise, and an incremental
run afterwards gives what a full refresh gives:
  - int_activity_events loses the events of exactly the raw rows purged (`event_deletes`,
    run before those rows go), not events older than the cutoff: a kept row keeps its old
    events (an issue opened long ago and closed yesterday is still opened long ago);
  - int_repository_first_contributions forgets what it learned from them: a contributor's
    first day on or before the cutoff is recomputed from the events still retained (the
    login goes when none remain), exactly what a full refresh would now compute;
  - daily_activity_metrics gets the days where a contributor is now new marked incomplete,
    so the next incremental run recomputes their new_contributors (it rebuilds every
    incomplete day), instead of waiting for a full refresh.
Analytics timestamps are naive UTC, hence `cutoff_utc`.
"""

from __future__ import annotations

from loaders.warehouse import Warehouse

EVENTS = "int_activity_events"
# int_activity_events.source_key of a raw row: '<prefix>:<id>' (see that model's branches).
SOURCE_KEYS = {
    "issues": ("issues", "t.id"),
    "issue_events": ("issue_events", "t.id"),
    "issue_comments": ("issue_comments", "t.id"),
    "pull_requests": ("pull_requests", "t.id"),
    "pull_request_reviews": ("reviews", "t.id"),
    "pull_request_review_comments": ("review_comments", "t.id"),
    # Prefixes of int_activity_events' source_key for the issue-13 tables.
    "pull_request_comments": ("pull_request_comments", "t.id"),
    "pull_request_review_requests": ("review_requests", "t.id"),
    "commits": ("commits", "cast(t.repository_id as varchar) || ':' || t.sha"),
    "stargazers": (
        "stargazers",
        "cast(t.repository_id as varchar) || ':' || cast(t.user_id as varchar)",
    ),
    "forks": ("forks", "t.id"),
    "releases": ("releases", "t.id"),
    "discussions": ("discussions", "t.id"),
    "discussion_comments": ("discussion_comments", "t.id"),
}
FIRST_CONTRIBUTIONS = "int_repository_first_contributions"
DAILY = "daily_activity_metrics"
CHANGED = "purge_changed_first_contributions"


def event_deletes(warehouse: Warehouse, raw_table: str, purged: str) -> tuple[str, str] | None:
    """(count sql, delete sql) for the events of the rows of `raw_table` (as `t`) matching
    `purged`; None when the table has no events or dbt has not built the stream yet."""
    intermediate = warehouse.settings.intermediate_schema
    if raw_table not in SOURCE_KEYS or not warehouse.table_exists(intermediate, EVENTS):
        return None
    prefix, key = SOURCE_KEYS[raw_table]
    raw = f"{warehouse.settings.raw_schema}.{raw_table}"
    where = (
        f"e.source_key in (select '{prefix}:' || cast({key} as varchar) "
        f"from {raw} as t where {purged})"
    )
    events = f"{intermediate}.{EVENTS}"
    return (
        f"select count(*) from {events} as e where {where}",
        f"delete from {events} as e where {where}",
    )


def trim_first_contributions(warehouse: Warehouse, keep_table: str, *, apply: bool) -> int:
    """Count (and with `apply`, recompute) first contributions learned from purged data."""
    if not warehouse.table_exists(warehouse.settings.intermediate_schema, FIRST_CONTRIBUTIONS):
        return 0
    return _first_contributions(warehouse, keep_table, apply=apply)


def _first_contributions(warehouse: Warehouse, keep_table: str, *, apply: bool) -> int:
    """First contributions learned from purged events; recomputed when applied."""
    analytics = warehouse.settings.analytics_schema
    intermediate = warehouse.settings.intermediate_schema
    first = f"{intermediate}.{FIRST_CONTRIBUTIONS}"
    # On the cutoff day itself some events may be gone: recompute that day too.
    stale = (
        f"not exists (select 1 from {keep_table} as k where k.repository_id = "
        "f.repository_id and f.first_contribution_date > cast(k.cutoff_utc as date))"
    )
    count = int(warehouse.scalar(f"select count(*) from {first} as f where {stale}"))
    if not apply or not count:
        return count
    warehouse.execute(f"drop table if exists {CHANGED}")
    warehouse.execute(
        f"create temporary table {CHANGED} as "
        f"select f.repository_id, f.actor_login from {first} as f where {stale}"
    )
    same_contributor = "{0}.repository_id = {1}.repository_id and {0}.actor_login = {1}.actor_login"
    warehouse.execute(
        f"update {first} as f set previous_first_contribution_date = null, "
        "first_contribution_date = ("
        f"select min(e.activity_date) from {intermediate}.{EVENTS} as e "
        f"where e.is_contribution and {same_contributor.format('e', 'f')}) "
        f"where exists (select 1 from {CHANGED} as c where {same_contributor.format('c', 'f')})"
    )
    warehouse.execute(f"delete from {first} where first_contribution_date is null")
    if warehouse.table_exists(analytics, DAILY):
        daily = f"{analytics}.{DAILY}"
        warehouse.execute(
            f"update {daily} as d set is_complete = false where exists ("
            f"select 1 from {first} as f inner join {CHANGED} as c "
            f"on {same_contributor.format('c', 'f')} "
            "where f.repository_id = d.repository_id "
            "and f.first_contribution_date = d.activity_date)"
        )
    warehouse.execute(f"drop table {CHANGED}")
    return count
