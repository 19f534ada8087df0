""" "One pending or running backfill job per workspace" holds in the database (migration 6),
not only in Python: two transactions racing to create a job, on both engines."""

from __future__ import annotations

import threading

import pytest

from loaders.backfill.jobs import BackfillError, JobStore
from loaders.warehouse import Warehouse, WarehouseSettings, connect
from loaders.webhook.conflicts import is_write_conflict, retry_on_conflict
from pytests.backfill.helpers import seed_workspace


def test_racing_creations_commit_one_job(
    warehouse: Warehouse, warehouse_settings: WarehouseSettings
) -> None:
    seed_workspace(warehouse, "acme", ("acme/api",))
    first = JobStore(warehouse)
    outcome: dict[str, object] = {}
    with connect(warehouse_settings) as other:
        second = JobStore(other)

        def race() -> None:
            try:
                outcome["second"] = second.create("acme", 30, trigger="billing")
            except Exception as exc:
                outcome["second_error"] = exc

        racer = threading.Thread(target=race)
        try:
            with warehouse.transaction():
                outcome["first"] = first.create("acme", 30, trigger="billing")
                racer.start()
                racer.join(1.0)
                if warehouse.engine == "postgres":
                    # It waits on the claim row until the first commits, then sees its job.
                    assert racer.is_alive(), "the second creation did not wait for the first"
        except Exception as exc:
            outcome["first_error"] = exc
        racer.join(10)
        failed = [k for k in ("first_error", "second_error") if k in outcome]
        if warehouse.engine == "postgres":
            assert failed == [] and outcome["second"][1] is False  # type: ignore[index]
        else:
            # DuckDB: the one that touches the claim second (or commits second) fails with a
            # write conflict; run again, it finds the other's job.
            assert len(failed) == 1 and is_write_conflict(outcome[failed[0]])  # type: ignore[arg-type]
            store = first if failed[0] == "first_error" else second
            assert retry_on_conflict(lambda: store.create("acme", 30))[1] is False
    jobs = warehouse.query("select id from control.backfill_jobs")
    assert len(jobs) == 1


def test_retry_does_not_revive_a_job_beside_an_active_one(warehouse: Warehouse) -> None:
    seed_workspace(warehouse, "acme", ("acme/api",))
    store = JobStore(warehouse)
    first, _ = store.create("acme", 30)
    warehouse.execute(
        "update control.backfill_jobs set status = 'failed' where id = %(id)s", {"id": first.id}
    )
    second, created = store.create("acme", 60)
    assert created
    with pytest.raises(BackfillError, match=f"job {second.id} of workspace 'acme' is pending"):
        store.retry(first.id)


@pytest.mark.postgres
@pytest.mark.parametrize("engine", ["postgres"])
def test_postgres_refuses_a_second_active_job_whatever_the_code_path(warehouse: Warehouse) -> None:
    seed_workspace(warehouse, "acme", ("acme/api",))
    JobStore(warehouse).create("acme", 30)
    insert = (
        "insert into control.backfill_jobs (id, workspace_slug, retention_days, trigger) "
        "values (nextval('control.backfill_job_id_seq'), 'acme', 30, %(t)s)"
    )
    warehouse.execute(insert, {"t": "window"})  # automatic window jobs do not count
    with pytest.raises(Exception, match="backfill_jobs_one_active_per_workspace"):
        warehouse.execute(insert, {"t": "cli"})
