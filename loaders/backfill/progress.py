"""Progress and ETA of backfill jobs, computed from the control rows (no GitHub calls).

Exact totals come from GraphQL `totalCount` per data type (stored in `items_total` when a
repository starts). The ETA is the longer of two estimates:
- budget: the points the remaining items need (about one point per page of 100 items)
  beyond what is spendable now, refilled at the backfill's share of the hourly limit;
- throughput: the remaining items at the rate this job has loaded so far.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from loaders.backfill.jobs import Job, JobRepository

#: A GraphQL page of 100 nodes costs one point; nested children (comments, reviews) cost more,
#: so assume half a page's worth of items per point on average.
ITEMS_PER_POINT = 50


@dataclass(frozen=True)
class BudgetView:
    """What the backfill may spend: points available right now and its hourly refill."""

    points_available: float
    points_per_hour: float


@dataclass(frozen=True)
class RepositoryProgress:
    full_name: str
    status: str
    items_loaded: int
    items_total: int | None
    chunks_done: int
    chunks_total: int
    loaded: dict[str, int]
    error: str | None

    @property
    def fraction(self) -> float:
        if self.status == "completed":
            return 1.0
        if self.items_total:
            return min(self.items_loaded / self.items_total, 0.99)
        if self.chunks_total:
            return min(self.chunks_done / self.chunks_total, 0.99)
        return 0.0

    @property
    def items_remaining(self) -> int | None:
        if self.status in ("completed", "failed", "canceled"):
            return 0
        if self.items_total is None:
            return None
        return max(self.items_total - self.items_loaded, 0)


@dataclass(frozen=True)
class JobProgress:
    job: Job
    repositories: list[RepositoryProgress]
    eta: timedelta | None

    @property
    def repositories_done(self) -> int:
        return sum(r.status == "completed" for r in self.repositories)

    @property
    def fraction(self) -> float:
        if not self.repositories:
            return 0.0
        if self.job.status == "completed":
            return 1.0
        return sum(r.fraction for r in self.repositories) / len(self.repositories)

    @property
    def items_loaded(self) -> int:
        return sum(r.items_loaded for r in self.repositories)

    @property
    def loaded_by_type(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for repo in self.repositories:
            for data_type, items in repo.loaded.items():
                totals[data_type] = totals.get(data_type, 0) + items
        return dict(sorted(totals.items()))


def estimate_eta(
    remaining_items: int,
    *,
    budget: BudgetView | None,
    observed_items_per_second: float | None,
    items_per_point: float = ITEMS_PER_POINT,
) -> timedelta | None:
    """Time left for `remaining_items`, or None when nothing is known to estimate from."""
    if remaining_items <= 0:
        return timedelta(0)
    estimates: list[float] = []
    if budget is not None and budget.points_per_hour > 0:
        points_needed = math.ceil(remaining_items / items_per_point)
        beyond_now = max(points_needed - budget.points_available, 0)
        estimates.append(beyond_now / budget.points_per_hour * 3600)
    if observed_items_per_second:
        estimates.append(remaining_items / observed_items_per_second)
    if not estimates:
        return None
    return timedelta(seconds=round(max(estimates)))


def job_progress(
    job: Job,
    repos: list[JobRepository],
    resources_per_repo: dict[str, int],
    *,
    budget: BudgetView | None = None,
    now: datetime | None = None,
) -> JobProgress:
    rows = [
        RepositoryProgress(
            full_name=r.full_name,
            status=r.status,
            items_loaded=r.items_loaded,
            items_total=r.items_total,
            chunks_done=len(r.done),
            chunks_total=resources_per_repo.get(r.full_name, len(r.done)),
            loaded=r.loaded,
            error=r.error,
        )
        for r in repos
    ]
    eta: timedelta | None = None
    if job.status in ("pending", "in_progress"):
        remaining = [r.items_remaining for r in rows]
        if all(x is not None for x in remaining):
            now = now or datetime.now(timezone.utc)
            observed = None
            loaded = sum(r.items_loaded for r in rows)
            if job.started_at is not None and loaded:
                elapsed = (now - job.started_at).total_seconds()
                observed = loaded / elapsed if elapsed > 0 else None
            eta = estimate_eta(
                sum(x or 0 for x in remaining), budget=budget, observed_items_per_second=observed
            )
    elif job.status == "completed":
        eta = timedelta(0)
    return JobProgress(job=job, repositories=rows, eta=eta)


def budget_view_from_client(client: object) -> BudgetView | None:
    """Spendable GraphQL points now and the hourly refill this client (and its share) gets.

    Reads `/rate_limit` (free) for tokens not seen yet; None when GitHub cannot be asked.
    """
    from loaders.github import GitHubClient

    assert isinstance(client, GitHubClient)
    try:
        client.can_spend("graphql")
    except Exception:
        return None
    budget = client.budget
    available = 0.0
    per_hour = 0.0
    for token in range(budget.token_count):
        entry = budget.entry(token, "graphql")
        if entry is None:
            continue
        available += budget.spendable(token, "graphql")
        usable = max(entry.limit - budget.reserve, 0)
        per_hour += min(usable, budget.share * entry.limit) if budget.share else usable
    return BudgetView(points_available=available, points_per_hour=per_hour)
