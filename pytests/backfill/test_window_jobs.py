"""Automatic window jobs, with a scripted loader, on both engines: a longer entitled window
queues one job for the gap, never a second one, skips what another job covered, and a
completed repository's coverage reaches the window's start."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from loaders.backfill import BackfillRunner, JobStore
from loaders.backfill.window import schedule_window_jobs, window_gaps
from loaders.control.coverage import read_coverage
from loaders.retention.policy import window_start
from loaders.warehouse import Warehouse
from pytests.backfill.fake_loader import FakeLoader
from pytests.backfill.helpers import seed_workspace

NOW = datetime.now(timezone.utc)
REPOS = ("acme/api", "acme/web", "acme/infra")


@pytest.fixture
def store(warehouse: Warehouse) -> JobStore:
    seed_workspace(warehouse, "acme", REPOS, tier="pro")  # 90 days
    control = warehouse.settings.control_schema
    for name in REPOS[:2]:  # loaded for 90 days; acme/infra never loaded
        warehouse.execute(
            f"insert into {control}.repository_coverage (full_name, history_complete_from) "
            "values (%(f)s, %(c)s)",
            {"f": name, "c": NOW - timedelta(days=90, minutes=5)},
        )
    return JobStore(warehouse)


def _upgrade(store: JobStore) -> None:
    store.wh.execute(f"update {store.schema}.workspaces set tier = 'enterprise'")


def test_no_gap_until_the_window_grows(store: JobStore) -> None:
    assert window_gaps(store.wh, NOW) == []
    assert schedule_window_jobs(store.wh, NOW) == []
    store.wh.execute(
        f"update {store.schema}.workspace_repositories set data_retention_days = 120 "
        "where full_name = 'acme/web'"
    )
    [gap] = window_gaps(store.wh, NOW)
    assert (gap.full_name, gap.entitled_days, gap.job_id) == ("acme/web", 120, None)
    assert gap.needed_from == window_start(NOW, 120)


def test_one_job_per_gap_and_coverage_after_it(store: JobStore) -> None:
    _upgrade(store)
    [job] = schedule_window_jobs(store.wh, NOW)
    assert (job.trigger, job.workspace_slug, job.retention_days) == ("window", "acme", 365)
    assert [r.full_name for r in store.repositories(job.id)] == ["acme/api", "acme/web"]
    assert schedule_window_jobs(store.wh, NOW + timedelta(minutes=5)) == []  # never twice
    assert {g.job_id for g in window_gaps(store.wh, NOW)} == {job.id}

    BackfillRunner(store, FakeLoader()).run_pending()
    assert store.get(job.id).status == "completed"
    coverage = read_coverage(store.wh)
    for name in ("acme/api", "acme/web"):
        assert coverage[name].history_complete_from == window_start(NOW, 365)
    assert window_gaps(store.wh, NOW) == []


def test_a_job_already_filling_the_gap_gets_no_window_job(store: JobStore) -> None:
    _upgrade(store)
    billing, _ = store.create("acme", 365, trigger="billing", now=NOW)
    assert schedule_window_jobs(store.wh, NOW + timedelta(minutes=1)) == []
    assert {g.job_id for g in window_gaps(store.wh, NOW)} == {billing.id}


def test_window_job_skips_what_another_job_covered(store: JobStore) -> None:
    _upgrade(store)
    [window] = schedule_window_jobs(store.wh, NOW)
    cli, created = store.create("acme", 365, now=NOW - timedelta(minutes=1))
    assert created  # an explicit job is not blocked by a window job
    loader = FakeLoader()
    runner = BackfillRunner(store, loader)
    runner.run_job(cli)
    calls = len(loader.calls)
    runner.run_job(store.get(window.id))
    assert len(loader.calls) == calls  # nothing fetched twice
    assert store.get(window.id).status == "completed"
