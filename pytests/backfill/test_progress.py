"""Progress fractions and the ETA from remaining work and the budget's refill."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from rich.console import Console

from loaders.backfill.jobs import Job, JobRepository
from loaders.backfill.progress import BudgetView, estimate_eta, job_progress
from loaders.backfill.render import format_eta, job_detail, job_list

NOW = datetime(2026, 11, 1, 12, tzinfo=timezone.utc)


def _job(status: str = "in_progress") -> Job:
    return Job(
        1,
        "acme",
        365,
        status,
        "billing",
        1,
        None,
        NOW - timedelta(hours=1),
        NOW - timedelta(seconds=100),
        None,
    )


def _repo(
    name: str, status: str, loaded: int, total: int | None, done: tuple = ()
) -> JobRepository:
    return JobRepository(
        1,
        name,
        status,
        NOW - timedelta(days=365),
        NOW,
        None,
        total,
        loaded,
        1,
        None,
        loaded={"issues": loaded},
        done=done,
    )


def test_eta_is_the_longer_of_budget_and_throughput() -> None:
    budget = BudgetView(points_available=100, points_per_hour=3000)
    # 50k items = 1000 points; 900 beyond what is available now, at 3000/h = 18 minutes
    assert estimate_eta(50_000, budget=budget, observed_items_per_second=None) == timedelta(
        minutes=18
    )
    # a slow observed rate dominates
    assert estimate_eta(50_000, budget=budget, observed_items_per_second=10) == timedelta(
        seconds=5000
    )
    assert estimate_eta(0, budget=None, observed_items_per_second=None) == timedelta(0)
    assert estimate_eta(10, budget=None, observed_items_per_second=None) is None


def test_job_progress_and_rendering() -> None:
    repos = [
        _repo("acme/api", "completed", 500, 500, ("issues",)),
        _repo("acme/web", "in_progress", 250, 1000, ("issues",)),
        _repo("acme/infra", "pending", 0, None),
    ]
    progress = job_progress(_job(), repos, {r.full_name: 10 for r in repos}, now=NOW)
    assert progress.repositories_done == 1
    assert round(progress.fraction, 3) == round((1 + 0.25 + 0) / 3, 3)
    assert progress.eta is None  # one repository has no total yet
    assert progress.loaded_by_type == {"issues": 750}
    repos[2] = _repo("acme/infra", "in_progress", 0, 250)
    progress = job_progress(
        _job(), repos, {}, now=NOW, budget=BudgetView(points_available=0, points_per_hour=3000)
    )
    # 1000 items remaining; observed 750 items / 100 s -> 133 s; budget 20 points -> 24 s
    assert progress.eta == timedelta(seconds=133)
    console = Console(record=True, width=160)
    console.print(job_detail(progress))
    console.print(job_list([(progress.job, progress)]))
    text = console.export_text()
    assert "acme/web" in text and "25%" in text and "ETA 2m13s" in text and "issues" in text
    done = job_progress(_job("completed"), repos, {})
    assert done.fraction == 1.0 and format_eta(done.eta) == "done"
    assert format_eta(timedelta(hours=3, minutes=5)) == "3h05m"
