"""Automatic window jobs: every repository gets the whole history it is entitled to.

A repository's entitled window is the longest effective retention over the active
workspaces tracking it (`loaders.retention.policy.entitlements`: tier, per-repository
`data_retention_days`, add-on). Its covered history is `control.repository_coverage`.
When the window reaches further back than the coverage (a new workspace, a tier upgrade,
a longer `data_retention_days`, the add-on), or the repository's data was purged after its
grace period and it is tracked again, `schedule_window_jobs` queues the missing history as
a backfill job with trigger 'window' (one per entitling workspace): the same resumable
chunks and budget share as any backfill. A gap an active job already fills (any trigger)
gets no second job, and a window job skips a repository another job covered meanwhile.
A repository never loaded is not a gap: its first sync loads its whole window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from loaders.backfill.jobs import Job, JobRepository, JobStore, dump_counts
from loaders.control.coverage import read_coverage
from loaders.retention.policy import entitlements, window_start
from loaders.warehouse import Warehouse

TRIGGER = "window"


@dataclass(frozen=True)
class WindowGap:
    full_name: str
    workspace_slug: str  # the workspace entitling the longest window
    entitled_days: int
    needed_from: datetime  # the entitled window's start
    complete_from: datetime | None  # None: nothing covered (data purged)
    job_id: int | None  # the active job filling it


def _active_fills(warehouse: Warehouse) -> dict[str, tuple[int, datetime]]:
    """Per repository, the earliest window start any active job is still loading."""
    schema = warehouse.settings.control_schema
    rows = warehouse.query(
        f"select r.full_name, r.job_id, r.window_start "
        f"from {schema}.backfill_job_repositories as r "
        f"inner join {schema}.backfill_jobs as j on j.id = r.job_id "
        "where j.status in ('pending', 'in_progress') "
        "and r.status in ('pending', 'in_progress') order by r.window_start, r.job_id"
    )
    fills: dict[str, tuple[int, datetime]] = {}
    for row in rows:
        start = row["window_start"]
        start = start.replace(tzinfo=timezone.utc) if start.tzinfo is None else start
        fills.setdefault(row["full_name"], (int(row["job_id"]), start))
    return fills


def window_gaps(warehouse: Warehouse, now: datetime | None = None) -> list[WindowGap]:
    """Tracked repositories whose covered history starts after their entitled window."""
    now = now or datetime.now(timezone.utc)
    schema = warehouse.settings.control_schema
    active = {
        r["full_name"]
        for r in warehouse.query(
            f"select full_name from {schema}.repositories where status = 'active'"
        )
    }
    coverage = read_coverage(warehouse)
    fills = _active_fills(warehouse)
    gaps = []
    for name, entitlement in sorted(entitlements(warehouse).items()):
        row = coverage.get(name)
        if name not in active or row is None:
            continue
        needed_from = window_start(now, entitlement.retention_days)
        covered = row.history_complete_from
        if covered is None and row.purged_at is None:
            continue  # not loaded yet: the first sync loads the whole window
        if covered is not None and covered <= needed_from:
            continue
        fill = fills.get(name)
        gaps.append(
            WindowGap(
                full_name=name,
                workspace_slug=entitlement.workspace_slug,
                entitled_days=entitlement.retention_days,
                needed_from=needed_from,
                complete_from=covered,
                job_id=fill[0] if fill is not None and fill[1] <= needed_from else None,
            )
        )
    return gaps


def schedule_window_jobs(warehouse: Warehouse, now: datetime | None = None) -> list[Job]:
    """Queue one window job per entitling workspace for the gaps no active job fills."""
    now = now or datetime.now(timezone.utc)
    store = JobStore(warehouse)
    schema = store.schema
    created = []
    with warehouse.transaction():
        open_gaps = [g for g in window_gaps(warehouse, now) if g.job_id is None]
        for slug in sorted({g.workspace_slug for g in open_gaps}):
            gaps = [g for g in open_gaps if g.workspace_slug == slug]
            job_id = int(warehouse.scalar(f"select nextval('{schema}.backfill_job_id_seq')"))
            warehouse.execute(
                f"insert into {schema}.backfill_jobs "
                "(id, workspace_slug, retention_days, status, trigger, created_at, updated_at) "
                "values (%(id)s, %(w)s, %(days)s, 'pending', %(trigger)s, %(now)s, %(now)s)",
                {
                    "id": job_id,
                    "w": slug,
                    "days": max(g.entitled_days for g in gaps),
                    "trigger": TRIGGER,
                    "now": now,
                },
            )
            warehouse.executemany(
                f"insert into {schema}.backfill_job_repositories "
                "(job_id, full_name, status, window_start, window_end, counts_json) "
                "values (%(id)s, %(r)s, 'pending', %(start)s, %(end)s, %(counts)s)",
                [
                    {
                        "id": job_id,
                        "r": g.full_name,
                        "start": g.needed_from,
                        "end": now,
                        "counts": dump_counts({}, (), {}),
                    }
                    for g in gaps
                ],
            )
            created.append(job_id)
    return [store.get(job_id) for job_id in created]


def already_covered(store: JobStore, job: Job, repo: JobRepository) -> bool:
    """A window job's repository whose history another job completed meanwhile."""
    if job.trigger != TRIGGER:
        return False
    row = read_coverage(store.wh).get(repo.full_name)
    return bool(
        row and row.history_complete_from and row.history_complete_from <= repo.window_start
    )
