"""The `backfill_progress` dbt model shows the same figures as `warehouse backfill status`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from loaders.backfill import BackfillRunner, JobStore
from loaders.backfill.progress import job_progress
from loaders.dbt_runner import run_dbt
from loaders.warehouse import WarehouseSettings, connect
from pytests.backfill.fake_loader import FakeLoader
from pytests.backfill.helpers import seed_workspace


def test_model_matches_python_progress(warehouse_settings: WarehouseSettings) -> None:
    with connect(warehouse_settings) as wh:
        seed_workspace(wh, "acme", ("acme/api", "acme/web", "acme/infra"))
        store = JobStore(wh)
        done, _ = store.create("acme", 90)
        BackfillRunner(store, FakeLoader()).run_pending()
        running, _ = store.create("acme", 30)
        # stop mid-way: 6 chunks of 15, so one repository done and one part-way
        BackfillRunner(store, FakeLoader(budget_after=6)).run_pending()
        # make the ETA computable and stable: every total known, started an hour ago
        pending = next(r for r in store.repositories(running.id) if r.status == "pending")
        store.set_totals(pending, {"issues": 30, "commits": 70})
        wh.execute(
            "update control.backfill_jobs set started_at = %(t)s where id = %(id)s",
            {"t": datetime.now(timezone.utc) - timedelta(hours=1), "id": running.id},
        )
        expected = {}
        for job_id in (done.id, running.id):
            job = store.get(job_id)
            repos = store.repositories(job_id)
            progress = job_progress(job, repos, {r.full_name: 10 for r in repos})
            expected[job_id] = progress
    # Cautious: only tests whose every parent is built (backfill_progress reads staging
    # models whose relationship tests point at models this test does not build).
    selected = ["+backfill_progress", "--indirect-selection", "cautious"]
    result = run_dbt(["build", "--select", *selected], warehouse_settings, capture=True)
    assert result.ok, result.output[-3000:]
    with connect(warehouse_settings) as wh:
        rows = wh.query(
            "select * from analytics.backfill_progress order by backfill_job_id, full_name"
        )
    assert len(rows) == 6
    for row in rows:
        progress = expected[row["backfill_job_id"]]
        repo = next(r for r in progress.repositories if r.full_name == row["full_name"])
        assert row["repository_status"] == repo.status
        assert row["items_loaded"] == repo.items_loaded
        assert float(row["repository_pct_complete"]) == pytest.approx(100 * repo.fraction, abs=0.1)
        assert float(row["job_pct_complete"]) == pytest.approx(100 * progress.fraction, abs=0.1)
        assert row["job_repositories_completed"] == progress.repositories_done
        assert row["job_items_loaded"] == progress.items_loaded
    first, second = (r for r in rows if r["full_name"] == "acme/api")
    assert first["job_status"] == "completed" and first["job_eta_seconds"] == 0
    assert second["job_status"] == "in_progress"
    python_eta = expected[second["backfill_job_id"]].eta
    assert python_eta is not None and python_eta.total_seconds() > 0
    assert second["job_eta_seconds"] == pytest.approx(python_eta.total_seconds(), rel=0.02)
    assert second["job_items_remaining"] > 0
