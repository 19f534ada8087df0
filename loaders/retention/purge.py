"""Delete raw rows outside every active workspace's retention, per table, in one transaction.

A row goes when its repository is tracked by no active workspace, or when its latest
activity (the newest of its timestamps: an old issue closed yesterday is recent) is older
than the longest retention any workspace tracking the repository asks for. Rows without
any timestamp are kept while their repository is tracked. Dry run by default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from loaders.retention.derived import (
    EVENTS,
    FIRST_CONTRIBUTIONS,
    event_deletes,
    trim_first_contributions,
)
from loaders.retention.policy import RepositoryRetention, retained_repositories
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


# Labels live and die with their issue (merged whole per issue): purged with it.
LABELS = "issue_labels"


@dataclass
class PurgeReport:
    applied: bool
    now: datetime
    repositories_retained: int
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def __str__(self) -> str:
        verb = "deleted" if self.applied else "would delete"
        parts = ", ".join(f"{t} {n}" for t, n in sorted(self.rows.items()) if n)
        return f"{verb} {self.total} raw rows" + (f" ({parts})" if parts else "")


def _kept(table: str, alias: str) -> str:
    """Predicate true for rows (of `table` as `alias`) some workspace still retains."""
    key = f"{alias}.id" if table == "repositories" else f"{alias}.repository_id"
    activity = _newest(alias, ACTIVITY_COLUMNS.get(table, ()))
    recent = "" if activity is None else f" and ({activity} is null or {activity} >= k.cutoff)"
    return f"exists (select 1 from {KEEP_TABLE} as k where k.repository_id = {key}{recent})"


def _statements(schema: str, existing: set[str]) -> list[tuple[str, str, str]]:
    """(table, where, delete sql) in a safe order: labels before their issues."""
    wheres: list[tuple[str, str]] = []
    if LABELS in existing:
        where = f"not {_kept(LABELS, 't')}"
        if "issues" in existing:
            where += (
                f" or t.issue_id in (select i.id from {schema}.issues as i "
                f"where not {_kept('issues', 'i')})"
            )
        wheres.append((LABELS, where))
    wheres += [(t, f"not {_kept(t, 't')}") for t in ACTIVITY_COLUMNS if t in existing]
    return [(t, where, f"delete from {schema}.{t} as t where {where}") for t, where in wheres]


def purge(warehouse: Warehouse, *, apply: bool = False, now: datetime | None = None) -> PurgeReport:
    """Count (dry run) or delete (`apply=True`, one transaction) unretained raw rows."""
    now = now or datetime.now(UTC)
    schema = warehouse.settings.raw_schema
    retained: list[RepositoryRetention] = retained_repositories(warehouse)
    existing = {t for t in [*ACTIVITY_COLUMNS, LABELS] if warehouse.table_exists(schema, t)}
    report = PurgeReport(applied=apply, now=now, repositories_retained=len(retained))
    with warehouse.transaction():
        warehouse.execute(f"drop table if exists {KEEP_TABLE}")
        warehouse.execute(
            f"create temporary table {KEEP_TABLE} (repository_id bigint primary key, "
            "cutoff timestamp with time zone not null, cutoff_utc timestamp not null)"
        )
        warehouse.executemany(
            f"insert into {KEEP_TABLE} values (%(repository_id)s, %(cutoff)s, %(cutoff_utc)s)",
            [
                {
                    "repository_id": r.repository_id,
                    "cutoff": r.cutoff(now),
                    "cutoff_utc": r.cutoff(now).astimezone(UTC).replace(tzinfo=None),
                }
                for r in retained
            ],
        )
        events = f"{warehouse.settings.intermediate_schema}.{EVENTS}"
        for table, where, delete_sql in _statements(schema, existing):
            report.rows[table] = int(
                warehouse.scalar(f"select count(*) from {schema}.{table} as t where {where}") or 0
            )
            if not report.rows[table]:
                continue
            # dbt's event stream copies raw rows: their events go first, while the rows
            # still say which events are theirs.
            statements = event_deletes(warehouse, table, where)
            if statements:
                report.rows[events] = report.rows.get(events, 0) + int(
                    warehouse.scalar(statements[0]) or 0
                )
                if apply:
                    warehouse.execute(statements[1])
            if apply:
                warehouse.execute(delete_sql)
        first = f"{warehouse.settings.intermediate_schema}.{FIRST_CONTRIBUTIONS}"
        report.rows[first] = trim_first_contributions(warehouse, KEEP_TABLE, apply=apply)
        warehouse.execute(f"drop table {KEEP_TABLE}")
    return report
