"""Backfill job state machine and chunked runner, with a scripted loader, on both engines."""

from __future__ import annotations

import pytest

from loaders.backfill import BackfillError, BackfillRunner, JobStore
from loaders.backfill.jobs import COUNTED_TABLES, FETCH_RESOURCES
from loaders.backfill.runner import RunnerOptions
from loaders.notifications import Notifier
from loaders.warehouse import Warehouse
from pytests.backfill.fake_loader import FakeLoader
from pytests.backfill.helpers import seed_workspace

CHUNKS_PER_REPO = len(FETCH_RESOURCES) // 2  # two resources per chunk by default


@pytest.fixture
def store(warehouse: Warehouse) -> JobStore:
    seed_workspace(warehouse)
    return JobStore(warehouse)


def _runner(store: JobStore, loader: FakeLoader) -> BackfillRunner:
    return BackfillRunner(
        store, loader, notifier=Notifier(store.wh), options=RunnerOptions(chunk_attempts=2)
    )


def _notifications(store: JobStore) -> list[str]:
    rows = store.wh.query(f"select kind from {store.schema}.notifications order by id")
    return [r["kind"] for r in rows]


def test_create_validates_input(store: JobStore) -> None:
    with pytest.raises(BackfillError, match="unknown workspace 'nope'; known workspaces: acme"):
        store.create("nope", 30)
    with pytest.raises(BackfillError, match="between 1 and 3650"):
        store.create("acme", 0)


def test_one_active_job_per_workspace(store: JobStore) -> None:
    job, created = store.create("acme", 365)
    again, created_again = store.create("acme", 200)
    assert created and not created_again
    assert again.id == job.id and again.retention_days == 365
    repos = store.repositories(job.id)
    assert [r.full_name for r in repos] == ["acme/api", "acme/infra", "acme/web"]
    assert all((r.window_end - r.window_start).days == 365 for r in repos)


def test_job_completes_with_counts_and_notifications(store: JobStore) -> None:
    job, _ = store.create("acme", 365)
    loader = FakeLoader()
    [outcome] = _runner(store, loader).run_pending()
    assert outcome.status == "completed"
    assert outcome.chunks_loaded == 3 * CHUNKS_PER_REPO
    repos = store.repositories(job.id)
    assert {r.status for r in repos} == {"completed"}
    # items_loaded counts the tables GraphQL totalCounts describe (7 of them)
    assert all(r.items_loaded == 10 * len(COUNTED_TABLES) for r in repos)
    assert all(set(r.done) == set(FETCH_RESOURCES) for r in repos)
    assert all(r.items_total == 100 and r.completed_until == r.window_end for r in repos)
    assert repos[0].loaded["issues"] == 10 and repos[0].loaded["issue_comments"] == 10
    assert _notifications(store) == ["job_started", "job_completed"]
    assert store.get(job.id).finished_at is not None


def test_failing_repository_fails_alone_then_retry_finishes_it(store: JobStore) -> None:
    job, _ = store.create("acme", 90)
    loader = FakeLoader(not_found={"acme/web"}, flaky={"acme/infra"})
    [outcome] = _runner(store, loader).run_pending()
    assert outcome.status == "failed"
    by_name = {r.full_name: r for r in store.repositories(job.id)}
    assert by_name["acme/api"].status == "completed"
    assert by_name["acme/web"].status == "failed" and "not found" in by_name["acme/web"].error
    assert by_name["acme/infra"].status == "failed" and "502" in by_name["acme/infra"].error
    # the flaky repository was tried exactly chunk_attempts times on its first chunk
    assert loader.calls.count(("acme/infra", ("pull_requests", "comments"))) == 2  # first chunk
    assert "2 of 3 repositories failed" in store.get(job.id).error
    assert _notifications(store) == ["job_started", "job_failed"]

    with pytest.raises(BackfillError, match="already failed"):
        store.cancel(job.id)
    fixed = FakeLoader()
    assert store.retry(job.id).status == "pending"
    [again] = _runner(store, fixed).run_pending()
    assert again.status == "completed"
    # only the failed repositories were loaded again
    assert {name for name, _ in fixed.calls} == {"acme/web", "acme/infra"}
    assert {r.status for r in store.repositories(job.id)} == {"completed"}


def test_budget_exhaustion_defers_and_resumes_without_redoing_chunks(store: JobStore) -> None:
    store.create("acme", 30)
    first = FakeLoader(budget_after=7)
    [outcome] = _runner(store, first).run_pending()
    assert outcome.deferred and outcome.status == "in_progress"
    assert outcome.chunks_loaded == 7
    second = FakeLoader()
    [resumed] = _runner(store, second).run_pending()
    assert resumed.status == "completed"
    assert len(second.calls) == 3 * CHUNKS_PER_REPO - 7
    assert not set(first.calls) & set(second.calls)
    assert _notifications(store) == ["job_started", "job_completed"]


def test_cancel_and_retry_rules(store: JobStore) -> None:
    job, _ = store.create("acme", 30)
    canceled = store.cancel(job.id)
    assert canceled.status == "canceled"
    assert {r.status for r in store.repositories(job.id)} == {"canceled"}
    with pytest.raises(BackfillError, match="already canceled"):
        store.cancel(job.id)
    with pytest.raises(BackfillError, match="start a new one"):
        store.retry(job.id)
    with pytest.raises(BackfillError, match="no backfill job 999"):
        store.get(999)
    fresh, created = store.create("acme", 30)
    assert created and fresh.id != job.id
    assert _runner(store, FakeLoader()).run_pending()[0].status == "completed"
    with pytest.raises(BackfillError, match="nothing failed"):
        store.retry(fresh.id)


def test_cancel_from_elsewhere_stops_before_the_next_chunk(store: JobStore) -> None:
    job, _ = store.create("acme", 30)
    loader = FakeLoader()

    def cancel_after_two(_repo: object, _chunk: tuple[str, ...]) -> None:
        if len(loader.calls) == 2:
            store.cancel(job.id)

    runner = BackfillRunner(store, loader, notifier=Notifier(store.wh), on_chunk=cancel_after_two)
    [outcome] = runner.run_pending()
    assert outcome.status == "canceled" and len(loader.calls) == 2
    assert {r.status for r in store.repositories(job.id)} == {"canceled"}
    assert _notifications(store) == ["job_started"]


def test_chunks_keep_pull_requests_with_their_comments() -> None:
    from loaders.backfill.runner import plan_chunks

    todo = ["issues", "pull_requests", "reviews", "comments", "commits"]
    chunks = plan_chunks(todo, 2)
    assert chunks == [("pull_requests", "comments"), ("issues", "reviews"), ("commits",)]
    assert plan_chunks(["comments", "stars"], 2) == [("comments", "stars")]
    assert plan_chunks(["pull_requests", "comments", "stars"], 1) == [
        ("pull_requests", "comments"),
        ("stars",),
    ]
