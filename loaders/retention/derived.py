"""Retention for dbt's persisted incremental tables, which copy raw data.

A purge runs inside the raw purge's transaction, so the analytics side keeps the same
promise, and an incremental run afterwards gives what a full refresh gives:
  - int_activity_events loses the events of exactly the raw rows purged (their source keys
    are collected in DOOMED before those rows go), not events older than the cut-off: a kept
    row keeps its old events (an issue opened long ago and closed yesterday is still opened
    long ago);
  - int_repository_first_contributions is, like the dbt model, the first contribution day
    over every event int_activity_events holds, however old. Only contributors who lose
    events can change: their first day is recomputed from the events that remain (the
    login goes when none remain), and only rows whose day really changes are rewritten and
    counted. (It used to recompute every row on or before the retention cut-off: the model
    keeps old events of kept rows, so the same rows were "deleted" on every run.)
  - daily_activity_metrics gets the days where a changed contributor was or is now new
    marked incomplete, so the next incremental run recomputes their new_contributors.
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
#: Source keys of the events whose raw rows this purge deletes.
DOOMED = "purge_doomed_events"


def start_doomed(warehouse: Warehouse) -> bool:
    """Create the temporary DOOMED table; False when dbt has not built the event stream."""
    if not warehouse.table_exists(warehouse.settings.intermediate_schema, EVENTS):
        return False
    warehouse.execute(f"drop table if exists {DOOMED}")
    warehouse.execute(f"create temporary table {DOOMED} (source_key varchar primary key)")
    return True


def collect_doomed(warehouse: Warehouse, raw_table: str, purged: str) -> None:
    """Record the event keys of the rows of `raw_table` (as `t`) matching `purged`; run it
    before those rows are deleted."""
    if raw_table not in SOURCE_KEYS:
        return
    prefix, key = SOURCE_KEYS[raw_table]
    raw = f"{warehouse.settings.raw_schema}.{raw_table}"
    warehouse.execute(
        f"insert into {DOOMED} select distinct '{prefix}:' || cast({key} as varchar) "
        f"from {raw} as t where {purged}"
    )


def _events(warehouse: Warehouse) -> str:
    return f"{warehouse.settings.intermediate_schema}.{EVENTS}"


def _doomed(alias: str) -> str:
    return f"exists (select 1 from {DOOMED} as d where d.source_key = {alias}.source_key)"


def count_doomed_events(warehouse: Warehouse) -> int:
    return int(
        warehouse.scalar(f"select count(*) from {_events(warehouse)} as e where {_doomed('e')}")
        or 0
    )


def delete_doomed_events(warehouse: Warehouse) -> None:
    warehouse.execute(f"delete from {_events(warehouse)} as e where {_doomed('e')}")


def finish_doomed(warehouse: Warehouse) -> None:
    warehouse.execute(f"drop table if exists {DOOMED}")


def trim_first_contributions(warehouse: Warehouse, *, apply: bool) -> int:
    """First contributions whose day changes once the doomed events are gone: counted, and
    with `apply` rewritten (deleted when no contribution remains). Run before the events
    are deleted."""
    analytics = warehouse.settings.analytics_schema
    intermediate = warehouse.settings.intermediate_schema
    if not warehouse.table_exists(intermediate, FIRST_CONTRIBUTIONS):
        return 0
    first, events = f"{intermediate}.{FIRST_CONTRIBUTIONS}", _events(warehouse)
    same = "{0}.repository_id = {1}.repository_id and {0}.actor_login = {1}.actor_login"
    warehouse.execute(f"drop table if exists {CHANGED}")
    warehouse.execute(
        f"""
        create temporary table {CHANGED} as
        with affected as (
            select distinct e.repository_id, e.actor_login
            from {events} as e
            where e.is_contribution and {_doomed("e")}
        ),
        remaining as (
            select e.repository_id, e.actor_login, min(e.activity_date) as first_day
            from {events} as e
            inner join affected as a on {same.format("a", "e")}
            where e.is_contribution and not {_doomed("e")}
            group by e.repository_id, e.actor_login
        )
        select f.repository_id, f.actor_login,
               f.first_contribution_date as old_first_day, r.first_day as new_first_day
        from {first} as f
        inner join affected as a on {same.format("a", "f")}
        left join remaining as r on {same.format("r", "f")}
        where r.first_day is null or r.first_day <> f.first_contribution_date
        """
    )
    count = int(warehouse.scalar(f"select count(*) from {CHANGED}") or 0)
    if apply and count:
        if warehouse.table_exists(analytics, DAILY):
            warehouse.execute(
                f"update {analytics}.{DAILY} as d set is_complete = false where exists ("
                f"select 1 from {CHANGED} as c where c.repository_id = d.repository_id "
                "and d.activity_date in (c.old_first_day, c.new_first_day))"
            )
        warehouse.execute(
            f"update {first} as f set previous_first_contribution_date = null, "
            f"first_contribution_date = (select c.new_first_day from {CHANGED} as c "
            f"where {same.format('c', 'f')}) "
            f"where exists (select 1 from {CHANGED} as c where {same.format('c', 'f')})"
        )
        warehouse.execute(f"delete from {first} where first_contribution_date is null")
    warehouse.execute(f"drop table {CHANGED}")
    return count
