"""`warehouse plan`: the due repositories in queue order, their cost and whether they fit.

Rows come from the dbt view `sync_queue` (priority, due-ness, last sync). The cost is an
estimate in GraphQL points: an incremental sync pages each fetched resource about once; a
first load pages its whole retention window, about one page per resource and month of
history. A repository tracked by several workspaces is loaded once, so it counts once
towards the budget, at its first (highest-priority) row.

Besides the due syncs, the plan lists the history still being filled: repositories whose
complete history starts after their entitled window, and the backfill job loading it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from loaders.backfill.window import WindowGap, window_gaps
from loaders.control.migrations import RESOURCES
from loaders.warehouse import Warehouse

FETCH_FLAGS = RESOURCES[1:]
#: One metadata call per repository besides the resources.
METADATA_POINTS = 1


@dataclass(frozen=True)
class PlanRow:
    rank: int
    workspace: str
    repository: str
    priority: int
    last_sync_at: datetime | None
    estimated_points: int
    cumulative_points: int
    fits_budget: bool | None  # None when the budget is unknown
    due_reason: str = ""  # sync_queue.due_reason


def estimate_points(resources: int, *, never_synced: bool, retention_days: int) -> int:
    """GraphQL points one load of a repository is expected to cost."""
    if never_synced:
        pages_per_resource = max(1, math.ceil(retention_days / 30))
        return METADATA_POINTS + resources * pages_per_resource
    return METADATA_POINTS + resources


def build_plan(
    wh: Warehouse, *, budget_points: float | None, include_not_due: bool = False
) -> list[PlanRow]:
    analytics = wh.settings.analytics_schema
    if not wh.table_exists(analytics, "sync_queue"):
        raise LookupError(
            "the sync queue is not built yet: run `warehouse run` once (or `dbt build`)"
        )
    flags = ", ".join(f"fetch_{f}" for f in FETCH_FLAGS)
    rows = wh.query(
        f"select queue_rank, workspace_slug, full_name, priority_score, last_sync_at, "
        f"is_never_synced, retention_days, is_due, due_reason, {flags} "
        f"from {analytics}.sync_queue order by queue_rank"
    )
    plan: list[PlanRow] = []
    seen: set[str] = set()
    cumulative = 0
    for row in rows:
        if not row["is_due"] and not include_not_due:
            continue
        resources = sum(bool(row[f"fetch_{f}"]) for f in FETCH_FLAGS)
        points = estimate_points(
            resources,
            never_synced=bool(row["is_never_synced"]),
            retention_days=int(row["retention_days"] or 30),
        )
        if row["full_name"] not in seen:
            seen.add(row["full_name"])
            cumulative += points
        plan.append(
            PlanRow(
                rank=int(row["queue_rank"]),
                workspace=row["workspace_slug"],
                repository=row["full_name"],
                priority=int(row["priority_score"]),
                last_sync_at=row["last_sync_at"],
                estimated_points=points,
                cumulative_points=cumulative,
                fits_budget=None if budget_points is None else cumulative <= budget_points,
                due_reason=row["due_reason"],
            )
        )
    return plan


def history_being_filled(wh: Warehouse) -> list[WindowGap]:
    """Repositories whose complete history does not reach their entitled window yet, with
    the backfill job filling it (None: the next run's backfill step queues one)."""
    return window_gaps(wh)


def spendable_graphql_points() -> float | None:
    """GraphQL points the sync may spend now (above the reserve), from the free `/rate_limit`;
    None when GitHub (or the emulator) cannot be reached."""
    from loaders.github import GitHubClient, GitHubError, GitHubSettings

    try:
        with GitHubClient(GitHubSettings.from_env(), sleep=lambda _s: None) as client:
            client.can_spend("graphql")
            budget = client.budget
            return sum(budget.spendable(t, "graphql") for t in range(budget.token_count))
    except (GitHubError, OSError, ValueError):
        return None
