"""A short, engine-neutral summary of the marts for the end of `warehouse demo` / `run`.

It reads the catalog rather than assuming columns, so it keeps working as marts evolve:
row counts of every table in the analytics schema, and for `daily_activity_metrics` the
days covered and per-repository totals of the metric columns present.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from loaders.warehouse import Warehouse

ACTIVITY_MART = "daily_activity_metrics"
HEADLINE_METRICS = (
    "commits_count",
    "prs_opened",
    "prs_merged",
    "issues_opened",
    "issues_closed",
    "stars",
    "forks",
    "releases",
)
DATE_TYPES = ("date", "timestamp", "timestamp with time zone", "timestamptz")


@dataclass
class MartSummary:
    tables: dict[str, int] = field(default_factory=dict)
    activity_days: int = 0
    activity_first_day: Any = None
    activity_last_day: Any = None
    per_repository: list[dict[str, Any]] = field(default_factory=list)
    metric_columns: tuple[str, ...] = ()


def _columns(wh: Warehouse, schema: str, table: str) -> dict[str, str]:
    rows = wh.query(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = %(s)s and table_name = %(t)s order by ordinal_position",
        {"s": schema, "t": table},
    )
    return {r["column_name"]: str(r["data_type"]).lower() for r in rows}


def summarise_marts(wh: Warehouse) -> MartSummary:
    schema = wh.settings.analytics_schema
    summary = MartSummary()
    for name in wh.base_tables(schema):
        summary.tables[name] = int(wh.scalar(f'select count(*) from {schema}."{name}"'))
    if ACTIVITY_MART not in summary.tables:
        return summary
    columns = _columns(wh, schema, ACTIVITY_MART)
    date_column = next((c for c, t in columns.items() if t in DATE_TYPES), None)
    repo_column = next((c for c in ("full_name", "repository_full_name") if c in columns), None)
    metrics = tuple(m for m in HEADLINE_METRICS if m in columns)
    summary.metric_columns = metrics
    if date_column:
        stats = wh.query(
            f"select count(distinct {date_column}) as days, min({date_column}) as first_day, "
            f"max({date_column}) as last_day from {schema}.{ACTIVITY_MART}"
        )[0]
        summary.activity_days = int(stats["days"] or 0)
        summary.activity_first_day = stats["first_day"]
        summary.activity_last_day = stats["last_day"]
    if repo_column and metrics:
        sums = ", ".join(f"sum({m}) as {m}" for m in metrics)
        summary.per_repository = wh.query(
            f"select {repo_column} as repository, {sums} from {schema}.{ACTIVITY_MART} "
            f"group by {repo_column} order by {repo_column}"
        )
    return summary


def describe_apply(report: object) -> str:
    """The changes of a workspaces apply, in the unit the load step counts: distinct
    repositories (`9 repositories added (10 workspace memberships)`: one repository two
    workspaces track is loaded once, so it is one repository, in two memberships)."""
    parts = []
    for name, value in vars(report).items():
        if not isinstance(value, list) or not value:
            continue
        what = name.replace("_", " ")
        pairs = [v for v in value if isinstance(v, tuple) and len(v) == 2]
        if name.startswith("repositories_") and len(pairs) == len(value):
            distinct = len({repository for _workspace, repository in pairs})
            part = f"{distinct} {what}"
            if distinct != len(pairs):
                part += f" ({len(pairs)} workspace memberships)"
            parts.append(part)
        else:
            parts.append(f"{len(value)} {what}")
    return ", ".join(parts) or "no change"
