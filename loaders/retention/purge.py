"""Delete raw rows outside every active workspace's retention, per table, in one transaction.

A row goes when its repository is tracked by no active workspace and its grace period
(`WAREHOUSE_UNTRACKED_GRACE_DAYS`, see `grace.py`) is over, or when its latest activity
(the newest of its timestamps: an old issue closed yesterday is recent) is older than the
longest retention any workspace tracking the repository asks for. An untracked repository
within its grace period keeps everything. Rows without any timestamp are kept while their
repository is tracked or in grace. Dry run by default.

dbt's persisted copies of purged rows go with them (`derived.py`), and the repository's
coverage follows (`loaders.control.coverage`): raised to the cut-off, or cleared when an
untracked repository's data goes (it is then reloaded whole if it is tracked again).
"""

from __future__ import annotations

from datetime import UTC, datetime

from loaders.control.coverage import ensure_row
from loaders.embeddings.retention import EMBEDDINGS
from loaders.embeddings.retention import purge_where as embeddings_where
from loaders.retention import derived
from loaders.retention.grace import untracked_grace_days
from loaders.retention.policy import (
    RepositoryRetention,
    UntrackedRepository,
    retained_repositories,
    untracked_repositories,
)
from loaders.retention.report import PurgeReport
from loaders.warehouse import Warehouse

KEEP_TABLE = "purge_retained_repositories"


# table -> columns whose newest value is the row's latest activity; () for repository-level
# rows (kept while the repository is tracked).
ACTIVITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "issues": ("created_at", "updated_at", "closed_at"),
    "issue_events": ("created_at",),
    "issue_comments": ("created_at", "updated_at"),
    "pull_requests": ("created_at", "updated_at", "closed_at", "merged_at"),
    "pull_request_reviews": ("created_at", "submitted_at"),
    "pull_request_review_comments": ("created_at", "updated_at"),
    "pull_request_comments": ("created_at", "updated_at"),
    "pull_request_review_requests": ("created_at",),
    "commits": ("committed_at", "authored_at"),
    "stargazers": ("starred_at",),
    "forks": ("created_at",),
    "releases": ("created_at", "published_at"),
    "events": ("created_at",),
    "discussions": ("created_at", "updated_at", "closed_at", "answer_chosen_at"),
    "discussion_comments": ("created_at", "updated_at"),
    "discussion_categories": (),
    "repositories": (),
    "repository_languages": (),
}


def _newest(alias: str, columns: tuple[str, ...]) -> str | None:
    """SQL for the newest non-null of `columns`. greatest() treats nulls differently per
    engine, so each argument is coalesced over all columns (null only if all are)."""
    if not columns:
        return None
    if len(columns) == 1:
        return f"{alias}.{columns[0]}"
    args = [
        "coalesce(" + ", ".join(f"{alias}.{c}" for c in (column, *columns)) + ")"
        for column in columns
    ]
    return "greatest(" + ", ".join(args) + ")"


# Rows replaced whole per parent (labels, closing links) have no time of their own: they
# live and die with their parent. child table -> (parent table, parent key column).
PARENT_OWNED: dict[str, tuple[str, str]] = {
    "issue_labels": ("issues", "issue_id"),
    "pull_request_labels": ("pull_requests", "pull_request_id"),
    "issue_pull_request_links": ("pull_requests", "pull_request_id"),
}


def _kept(table: str, alias: str) -> str:
    """Predicate true for rows (of `table` as `alias`) some workspace still retains."""
    key = f"{alias}.id" if table == "repositories" else f"{alias}.repository_id"
    activity = _newest(alias, ACTIVITY_COLUMNS.get(table, ()))
    recent = "" if activity is None else f" and ({activity} is null or {activity} >= k.cutoff)"
    return f"exists (select 1 from {KEEP_TABLE} as k where k.repository_id = {key}{recent})"


def _statements(schema: str, existing: set[str]) -> list[tuple[str, str, str]]:
    """(table, where, delete sql) in a safe order: parent-owned rows before their parents."""
    wheres: list[tuple[str, str]] = []
    for child, (parent, parent_key) in PARENT_OWNED.items():
        if child not in existing:
            continue
        where = f"not {_kept(child, 't')}"
        if parent in existing:
            where += (
                f" or t.{parent_key} in (select p.id from {schema}.{parent} as p "
                f"where not {_kept(parent, 'p')})"
            )
        wheres.append((child, where))
    if EMBEDDINGS in existing:  # a vector goes with its issue, pull request or discussion
        wheres.append((EMBEDDINGS, embeddings_where(schema, existing, _kept)))
    wheres += [(t, f"not {_kept(t, 't')}") for t in ACTIVITY_COLUMNS if t in existing]
    return [(t, where, f"delete from {schema}.{t} as t where {where}") for t, where in wheres]


#: The cut-off of a repository in its grace period: everything is kept.
KEEP_ALL = datetime(1970, 1, 1, tzinfo=UTC)


def _keep_rows(
    retained: list[RepositoryRetention], in_grace: list[UntrackedRepository], now: datetime
) -> list[dict[str, object]]:
    rows = {r.repository_id: (r.full_name, r.cutoff(now)) for r in retained}
    for repository in in_grace:
        if repository.repository_id is not None:
            rows.setdefault(repository.repository_id, (repository.full_name, KEEP_ALL))
    return [
        {"repository_id": repository_id, "full_name": name, "cutoff": cutoff}
        for repository_id, (name, cutoff) in sorted(rows.items())
    ]


def purge(
    warehouse: Warehouse,
    *,
    apply: bool = False,
    now: datetime | None = None,
    grace_days: int | None = None,
) -> PurgeReport:
    """Count (dry run) or delete (`apply=True`, one transaction) unretained raw rows."""
    now = now or datetime.now(UTC)
    grace_days = untracked_grace_days() if grace_days is None else grace_days
    schema = warehouse.settings.raw_schema
    retained: list[RepositoryRetention] = retained_repositories(warehouse)
    untracked = untracked_repositories(warehouse, grace_days)
    in_grace = [u for u in untracked if u.in_grace(now)]
    expired = [u for u in untracked if not u.in_grace(now)]
    tables = [*ACTIVITY_COLUMNS, *PARENT_OWNED, EMBEDDINGS]
    existing = {t for t in tables if warehouse.table_exists(schema, t)}
    report = PurgeReport(
        applied=apply,
        now=now,
        repositories_retained=len(retained),
        grace_days=grace_days,
        in_grace=in_grace,
    )
    with warehouse.transaction():
        warehouse.execute(f"drop table if exists {KEEP_TABLE}")
        warehouse.execute(
            f"create temporary table {KEEP_TABLE} (repository_id bigint primary key, "
            "full_name text not null, cutoff timestamp with time zone not null)"
        )
        warehouse.executemany(
            f"insert into {KEEP_TABLE} values (%(repository_id)s, %(full_name)s, %(cutoff)s)",
            _keep_rows(retained, in_grace, now),
        )
        analytics = derived.start_doomed(warehouse)
        for table, where, delete_sql in _statements(schema, existing):
            report.rows[table] = int(
                warehouse.scalar(f"select count(*) from {schema}.{table} as t where {where}") or 0
            )
            if not report.rows[table]:
                continue
            # dbt's event stream copies raw rows: note their events while the rows still
            # say which events are theirs.
            if analytics:
                derived.collect_doomed(warehouse, table, where)
            if apply:
                warehouse.execute(delete_sql)
        if analytics:
            first = derived.trim_first_contributions(warehouse, apply=apply)
            report.analytics[derived.EVENTS] = derived.count_doomed_events(warehouse)
            report.analytics[derived.FIRST_CONTRIBUTIONS] = first
            if apply:
                derived.delete_doomed_events(warehouse)
            derived.finish_doomed(warehouse)
        report.purged_untracked = _settle_coverage(warehouse, expired, now, apply)
        warehouse.execute(f"drop table {KEEP_TABLE}")
    return report


def _settle_coverage(
    warehouse: Warehouse,
    expired: list[UntrackedRepository],
    now: datetime,
    apply: bool,
) -> list[str]:
    """Coverage after the purge: raised to each retained repository's cut-off; cleared,
    with the sync state, for untracked repositories whose grace is over (tracked again,
    they are due at once and reloaded whole). Returns those whose data goes now."""
    control = warehouse.settings.control_schema
    had_data = {
        r["full_name"]
        for r in warehouse.query(
            f"select distinct full_name from {control}.sync_state union "
            f"select full_name from {control}.repository_coverage "
            "where history_complete_from is not null"
        )
    }
    gone = [u.full_name for u in expired if u.full_name in had_data]
    if not apply:
        return gone
    # One statement, whatever the number of repositories (this runs every hour).
    warehouse.execute(
        f"update {control}.repository_coverage as c set history_complete_from = k.cutoff, "
        f"updated_at = current_timestamp from {KEEP_TABLE} as k "
        "where k.full_name = c.full_name and c.history_complete_from < k.cutoff"
    )
    for full_name in gone:
        params = {"f": full_name, "now": now}
        ensure_row(warehouse, full_name)
        warehouse.execute(
            f"delete from {control}.sync_state where full_name = %(f)s", {"f": full_name}
        )
        warehouse.execute(
            f"update {control}.repository_coverage set history_complete_from = null, "
            "purged_at = %(now)s, updated_at = current_timestamp where full_name = %(f)s",
            params,
        )
    return gone
