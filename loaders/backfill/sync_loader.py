"""The backfill's chunk loader: the sync's `load_repositories` with a wider window.

No second code path: a chunk is `load_repositories([one repository, some resources],
window_start=job window, update_sync_state=False)`; the job's own rows record progress.
Item totals come from `count_items` (GraphQL `totalCount`s, one point per repository).
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

from loaders.backfill.runner import ChunkResult
from loaders.github import GitHubClient
from loaders.sync import RepositoryTarget, count_items, load_repositories
from loaders.warehouse import Warehouse

#: Raw tables whose rows correspond to the `totalCount`s of `count_items`, by its keys; the
#: progress fraction compares these, while every table's rows are shown per data type.
COUNTED_TABLES = {
    "issues": "issues",
    "pull_requests": "pull_requests",
    "commits": "commits",
    "stars": "stargazers",
    "forks": "forks",
    "releases": "releases",
    "discussions": "discussions",
}

#: Statuses of a resource after a load that mean "try again" rather than "done".
RETRY_STATUSES = ("failed", "partial")


class SyncChunkLoader:
    def __init__(
        self, warehouse: Warehouse, client: GitHubClient, *, pipeline_name: str = "github"
    ) -> None:
        self.warehouse = warehouse
        self.client = client
        self.pipeline_name = pipeline_name

    def close(self) -> None:
        self.client.close()

    def count(self, full_name: str, window_start: datetime) -> dict[str, int] | None:
        return count_items(self.client, full_name, window_start)

    def load(
        self, full_name: str, resources: tuple[str, ...], window_start: datetime
    ) -> ChunkResult:
        days = math.ceil((datetime.now(timezone.utc) - window_start).total_seconds() / 86400)
        target = RepositoryTarget(
            full_name=full_name,
            resources=frozenset(resources),
            retention_days=max(days, 1),
            sync_frequency_hours=24,  # unused: sync state is not touched by a backfill
        )
        report = load_repositories(
            self.warehouse,
            [target],
            client=self.client,
            window_start=window_start,
            pipeline_name=self.pipeline_name,
            update_sync_state=False,
        )
        outcome = report.outcomes.get(full_name.lower())
        if outcome is None:
            return ChunkResult(error="the loader reported nothing for this repository")
        statuses = outcome.statuses
        if statuses.get("repositories") == "not_found" or "not_found" in statuses.values():
            return ChunkResult(error=outcome.error or "repository not found", not_found=True)
        if "deferred" in statuses.values():
            return ChunkResult(deferred=True, resets_at=report.budget_resets_at)
        bad = sorted(r for r, s in statuses.items() if s in RETRY_STATUSES)
        if bad:
            return ChunkResult(error=f"{', '.join(bad)}: {outcome.error or 'load failed'}")
        return ChunkResult(counts=dict(outcome.rows))
