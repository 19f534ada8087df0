"""Backfill jobs in the control plane: creation, the state machine, and reads.

Job: pending → in_progress → completed | failed | canceled (retry: failed → pending).
Repository of a job: pending → in_progress → completed | failed | canceled.

Chunk progress lives in `backfill_job_repositories.counts_json`:
`{"loaded": {data type: items}, "done": [resource, ...], "totals": {data type: items}}` —
a resource listed in `done` was loaded and committed; a rerun skips it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from loaders.control.coverage import record_backfill
from loaders.control.migrations import RESOURCES
from loaders.warehouse import Warehouse

ACTIVE_STATUSES = ("pending", "in_progress")
FINAL_STATUSES = ("completed", "failed", "canceled")
MAX_DAYS = 3650
FETCH_RESOURCES = RESOURCES[1:]  # every resource but `repositories` has a fetch flag
#: Raw tables whose rows match GraphQL `totalCount`s (stored as `items_total`): only these
#: add up to `items_loaded`, so loaded/total is a fair progress fraction. Rows of every table
#: are still kept per data type in counts_json.
COUNTED_TABLES = frozenset(
    {"issues", "pull_requests", "commits", "stargazers", "forks", "releases", "discussions"}
)


class BackfillError(ValueError):
    """Bad input or an impossible transition; the message says what to do instead."""


@dataclass(frozen=True)
class Job:
    id: int
    workspace_slug: str
    retention_days: int
    status: str
    trigger: str
    attempts: int
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    #: The billing webhook delivery and subscription that started the job (trigger billing).
    webhook_id: str | None = None
    billing_subscription_id: str | None = None


@dataclass(frozen=True)
class JobRepository:
    job_id: int
    full_name: str
    status: str
    window_start: datetime
    window_end: datetime
    completed_until: datetime | None
    items_total: int | None
    items_loaded: int
    attempts: int
    error: str | None
    loaded: dict[str, int] = field(default_factory=dict)
    done: tuple[str, ...] = ()
    totals: dict[str, int] = field(default_factory=dict)
    #: Fetch flags the job loads for the repository (None: a job older than migration 7).
    data_types: tuple[str, ...] | None = None
    failed_data_types: tuple[str, ...] = ()


def _flags(text: str | None) -> tuple[str, ...]:
    return tuple(f for f in (text or "").split(",") if f)


def _utc(value: Any) -> Any:
    """DuckDB returns naive or zoned timestamps depending on the column: make them UTC."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc)
    return value


def parse_counts(raw: str | None) -> tuple[dict[str, int], tuple[str, ...], dict[str, int]]:
    data = json.loads(raw) if raw else {}
    return (
        {k: int(v) for k, v in data.get("loaded", {}).items()},
        tuple(data.get("done", [])),
        {k: int(v) for k, v in data.get("totals", {}).items()},
    )


def dump_counts(loaded: dict[str, int], done: tuple[str, ...], totals: dict[str, int]) -> str:
    return json.dumps(
        {
            "loaded": dict(sorted(loaded.items())),
            "done": list(done),
            "totals": dict(sorted(totals.items())),
        }
    )


def _job(row: dict[str, Any]) -> Job:
    return Job(
        id=int(row["id"]),
        workspace_slug=row["workspace_slug"],
        retention_days=int(row["retention_days"]),
        status=row["status"],
        trigger=row["trigger"],
        attempts=int(row["attempts"]),
        error=row["error"],
        created_at=_utc(row["created_at"]),
        started_at=_utc(row["started_at"]),
        finished_at=_utc(row["finished_at"]),
        webhook_id=row.get("webhook_id"),
        billing_subscription_id=row.get("billing_subscription_id"),
    )


def _job_repository(row: dict[str, Any]) -> JobRepository:
    loaded, done, totals = parse_counts(row["counts_json"])
    return JobRepository(
        job_id=int(row["job_id"]),
        full_name=row["full_name"],
        status=row["status"],
        window_start=_utc(row["window_start"]),
        window_end=_utc(row["window_end"]),
        completed_until=_utc(row["completed_until"]),
        items_total=None if row["items_total"] is None else int(row["items_total"]),
        items_loaded=int(row["items_loaded"]),
        attempts=int(row["attempts"]),
        error=row["error"],
        loaded=loaded,
        done=done,
        totals=totals,
        data_types=None if row.get("data_types") is None else _flags(row["data_types"]),
        failed_data_types=_flags(row.get("failed_data_types")),
    )


class JobStore:
    """All reads and writes of backfill jobs go through here (one place for the SQL)."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.wh = warehouse
        self.schema = warehouse.settings.control_schema

    # --- reads ----------------------------------------------------------------------------

    def get(self, job_id: int) -> Job:
        rows = self.wh.query(
            f"select * from {self.schema}.backfill_jobs where id = %(id)s", {"id": job_id}
        )
        if not rows:
            raise BackfillError(f"no backfill job {job_id}; `warehouse backfill status` lists them")
        return _job(rows[0])

    def list(self, *, workspace: str | None = None, limit: int = 20) -> list[Job]:
        rows = self.wh.query(
            f"select * from {self.schema}.backfill_jobs "
            "where %(workspace)s is null or workspace_slug = %(workspace)s "
            "order by id desc limit %(limit)s",
            {"workspace": workspace, "limit": limit},
        )
        return [_job(r) for r in rows]

    def runnable(self) -> list[Job]:
        """Jobs to work on, oldest first; in_progress ones are resumptions after a crash."""
        rows = self.wh.query(
            f"select * from {self.schema}.backfill_jobs "
            "where status in ('pending', 'in_progress') order by id"
        )
        return [_job(r) for r in rows]

    def active_for(self, workspace: str) -> Job | None:
        """The workspace's pending or running job; automatic window jobs (trigger 'window')
        do not count: they fill single repositories and skip what another job covered."""
        rows = self.wh.query(
            f"select * from {self.schema}.backfill_jobs where workspace_slug = %(w)s "
            "and status in ('pending', 'in_progress') and trigger <> 'window' "
            "order by id limit 1",
            {"w": workspace},
        )
        return _job(rows[0]) if rows else None

    def completed_covering(self, workspace: str, days: int) -> bool:
        """Whether a job of the workspace already completed at least `days` of history."""
        return bool(
            self.wh.scalar(
                f"select count(*) from {self.schema}.backfill_jobs where workspace_slug = %(w)s "
                "and status = 'completed' and retention_days >= %(days)s",
                {"w": workspace, "days": days},
            )
        )

    def repositories(self, job_id: int) -> list[JobRepository]:
        rows = self.wh.query(
            f"select * from {self.schema}.backfill_job_repositories where job_id = %(id)s "
            "order by full_name",
            {"id": job_id},
        )
        return [_job_repository(r) for r in rows]

    def resources_for(self, job: Job, full_name: str) -> tuple[str, ...]:
        """Resources the job loads for this repository: those fixed at its creation, else
        (older jobs, window jobs) what the workspace fetches for it now (its fetch flags)."""
        stored = self.wh.query(
            f"select data_types from {self.schema}.backfill_job_repositories "
            "where job_id = %(id)s and full_name = %(r)s",
            {"id": job.id, "r": full_name},
        )
        if stored and stored[0]["data_types"] is not None:
            return _flags(stored[0]["data_types"])
        return self._flags_now(job.workspace_slug, full_name)

    def _flags_now(self, workspace: str, full_name: str) -> tuple[str, ...]:
        flags = ", ".join(f"fetch_{r}" for r in FETCH_RESOURCES)
        rows = self.wh.query(
            f"select {flags} from {self.schema}.workspace_repositories "
            "where workspace_slug = %(w)s and full_name = %(r)s",
            {"w": workspace, "r": full_name},
        )
        if not rows:
            return FETCH_RESOURCES
        return tuple(r for r in FETCH_RESOURCES if rows[0][f"fetch_{r}"])

    # --- creation -------------------------------------------------------------------------

    def create(
        self,
        workspace: str,
        days: int,
        *,
        trigger: str = "cli",
        now: datetime | None = None,
        webhook_id: str | None = None,
        subscription_id: str | None = None,
    ) -> tuple[Job, bool]:
        """A job covering every active repository of the workspace back `days` days, each
        with the data types the workspace fetches for it now. `webhook_id` and
        `subscription_id` name the add-on purchase that started it (billing jobs).

        Returns `(job, created)`; when a job of the workspace is already pending or running,
        that job comes back with `created=False` (one backfill per workspace at a time).
        """
        if not 1 <= days <= MAX_DAYS:
            raise BackfillError(f"--days must be between 1 and {MAX_DAYS}, got {days}")
        known = self.wh.query(f"select slug, is_active from {self.schema}.workspaces order by slug")
        slugs = {r["slug"]: r["is_active"] for r in known}
        if workspace not in slugs:
            names = ", ".join(slugs) or "none (apply a workspaces file first)"
            raise BackfillError(f"unknown workspace {workspace!r}; known workspaces: {names}")
        if not slugs[workspace]:
            raise BackfillError(
                f"workspace {workspace!r} is inactive (it was removed from workspaces.yml)"
            )
        now = now or datetime.now(timezone.utc)
        with self.wh.transaction():
            self._claim(workspace)
            existing = self.active_for(workspace)
            if existing is not None:
                return existing, False
            repos = [
                r["full_name"]
                for r in self.wh.query(
                    f"select full_name from {self.schema}.workspace_repositories "
                    "where workspace_slug = %(w)s and is_active order by full_name",
                    {"w": workspace},
                )
            ]
            if not repos:
                raise BackfillError(f"workspace {workspace!r} tracks no active repository")
            job_id = int(self.wh.scalar(f"select nextval('{self.schema}.backfill_job_id_seq')"))
            self.wh.execute(
                f"insert into {self.schema}.backfill_jobs "
                "(id, workspace_slug, retention_days, status, trigger, created_at, updated_at, "
                "webhook_id, billing_subscription_id) "
                "values (%(id)s, %(w)s, %(days)s, 'pending', %(trigger)s, %(now)s, %(now)s, "
                "%(webhook)s, %(subscription)s)",
                {
                    "id": job_id,
                    "w": workspace,
                    "days": days,
                    "trigger": trigger,
                    "now": now,
                    "webhook": webhook_id,
                    "subscription": subscription_id,
                },
            )
            window_start = now - timedelta(days=days)
            for full_name in repos:
                self.wh.execute(
                    f"insert into {self.schema}.backfill_job_repositories "
                    "(job_id, full_name, status, window_start, window_end, counts_json, "
                    "data_types) "
                    "values (%(id)s, %(r)s, 'pending', %(start)s, %(end)s, %(counts)s, "
                    "%(types)s)",
                    {
                        "id": job_id,
                        "r": full_name,
                        "start": window_start,
                        "end": now,
                        "counts": dump_counts({}, (), {}),
                        "types": ",".join(self._flags_now(workspace, full_name)),
                    },
                )
        return self.get(job_id), True

    def _claim(self, workspace: str) -> None:
        """Lock the workspace's row in `backfill_job_claims` for this transaction, so two
        transactions cannot both find no active job and both create one. PostgreSQL makes the
        second wait until the first commits (it then sees the first's job); DuckDB fails it
        at once with a write conflict, which callers running concurrently retry
        (`loaders.webhook.conflicts`). On PostgreSQL a partial unique index (migration 6)
        refuses a second active job whatever the code path."""
        self.wh.execute(
            f"insert into {self.schema}.backfill_job_claims (workspace_slug) "
            "values (%(w)s) on conflict do nothing",
            {"w": workspace},
        )
        self.wh.execute(
            f"update {self.schema}.backfill_job_claims set claims = claims + 1, "
            "claimed_at = current_timestamp where workspace_slug = %(w)s",
            {"w": workspace},
        )

    # --- transitions ----------------------------------------------------------------------

    def _set_job(self, job_id: int, **values: Any) -> None:
        assignments = ", ".join(f"{k} = %({k})s" for k in values)
        self.wh.execute(
            f"update {self.schema}.backfill_jobs set {assignments}, "
            "updated_at = current_timestamp where id = %(job_id)s",
            {**values, "job_id": job_id},
        )

    def _set_repository(self, job_id: int, full_name: str, **values: Any) -> None:
        assignments = ", ".join(f"{k} = %({k})s" for k in values)
        self.wh.execute(
            f"update {self.schema}.backfill_job_repositories set {assignments}, "
            "updated_at = current_timestamp "
            "where job_id = %(job_id)s and full_name = %(full_name)s",
            {**values, "job_id": job_id, "full_name": full_name},
        )

    def start(self, job: Job) -> Job:
        """pending → in_progress (a resumed in_progress job stays as it is)."""
        if job.status == "pending":
            self._set_job(
                job.id,
                status="in_progress",
                started_at=job.started_at or datetime.now(timezone.utc),
                attempts=job.attempts + 1,
                error=None,
                finished_at=None,
            )
        elif job.status != "in_progress":
            raise BackfillError(f"job {job.id} is {job.status}; only pending jobs can start")
        return self.get(job.id)

    def start_repository(self, repo: JobRepository) -> None:
        if repo.status == "pending":
            self._set_repository(
                repo.job_id, repo.full_name, status="in_progress", attempts=repo.attempts + 1
            )

    def set_totals(self, repo: JobRepository, totals: dict[str, int]) -> None:
        self._set_repository(
            repo.job_id,
            repo.full_name,
            items_total=sum(totals.values()),
            counts_json=dump_counts(repo.loaded, repo.done, totals),
        )

    def record_chunk(
        self, repo: JobRepository, resources: tuple[str, ...], counts: dict[str, int]
    ) -> JobRepository:
        """Commit one finished chunk (a repository's resources): its row counts and `done`."""
        loaded = dict(repo.loaded)
        for table, rows in counts.items():
            loaded[table] = loaded.get(table, 0) + int(rows)
        done = (*repo.done, *(r for r in resources if r not in repo.done))
        self._set_repository(
            repo.job_id,
            repo.full_name,
            items_loaded=sum(v for k, v in loaded.items() if k in COUNTED_TABLES),
            counts_json=dump_counts(loaded, done, repo.totals),
        )
        return self.reload(repo)

    def complete_repository(self, repo: JobRepository) -> None:
        """Done: the repository's history is complete from the job's window start (one
        transaction with the status, so coverage never runs ahead of the job)."""
        with self.wh.transaction():
            self._set_repository(
                repo.job_id,
                repo.full_name,
                status="completed",
                completed_until=repo.window_end,
                error=None,
            )
            record_backfill(self.wh, repo.full_name, repo.window_start)

    def fail_repository(
        self, repo: JobRepository, error: str, data_types: tuple[str, ...] = ()
    ) -> None:
        """Failed; `data_types` are those of the chunk whose load failed (none: the
        repository itself could not be read)."""
        self._set_repository(
            repo.job_id,
            repo.full_name,
            status="failed",
            error=error[:1000],
            failed_data_types=",".join(data_types) or None,
        )

    def reload(self, repo: JobRepository) -> JobRepository:
        return next(r for r in self.repositories(repo.job_id) if r.full_name == repo.full_name)

    def finish(self, job_id: int) -> Job:
        """Settle the job from its repositories once none is pending or in progress."""
        repos = self.repositories(job_id)
        if any(r.status in ACTIVE_STATUSES for r in repos):
            return self.get(job_id)
        failed = [r for r in repos if r.status == "failed"]
        now = datetime.now(timezone.utc)
        if failed:
            error = f"{len(failed)} of {len(repos)} repositories failed: " + ", ".join(
                r.full_name for r in failed[:5]
            )
            self._set_job(job_id, status="failed", error=error, finished_at=now)
        else:
            self._set_job(job_id, status="completed", error=None, finished_at=now)
        return self.get(job_id)

    def cancel(self, job_id: int) -> Job:
        job = self.get(job_id)
        if job.status in FINAL_STATUSES:
            raise BackfillError(f"job {job_id} is already {job.status}; nothing to cancel")
        with self.wh.transaction():
            self.wh.execute(
                f"update {self.schema}.backfill_job_repositories set status = 'canceled', "
                "updated_at = current_timestamp "
                "where job_id = %(id)s and status in ('pending', 'in_progress')",
                {"id": job_id},
            )
            self._set_job(job_id, status="canceled", finished_at=datetime.now(timezone.utc))
        return self.get(job_id)

    def retry(self, job_id: int) -> Job:
        """failed → pending, with only its failed repositories set back to pending."""
        job = self.get(job_id)
        if job.status != "failed":
            hint = {
                "completed": "it completed; nothing failed",
                "canceled": "start a new one with `warehouse backfill start`",
            }.get(job.status, "it has not finished yet")
            raise BackfillError(f"job {job_id} is {job.status}, only failed jobs retry: {hint}")
        with self.wh.transaction():
            if job.trigger != "window":
                self._claim(job.workspace_slug)
                active = self.active_for(job.workspace_slug)
                if active is not None:
                    raise BackfillError(
                        f"job {active.id} of workspace {job.workspace_slug!r} is "
                        f"{active.status}; one backfill per workspace at a time: wait for it "
                        f"or cancel it (`warehouse backfill cancel {active.id}`), then retry"
                    )
            self.wh.execute(
                f"update {self.schema}.backfill_job_repositories "
                "set status = 'pending', error = null, failed_data_types = null, "
                "updated_at = current_timestamp "
                "where job_id = %(id)s and status = 'failed'",
                {"id": job_id},
            )
            self._set_job(job_id, status="pending", error=None, finished_at=None)
        return self.get(job_id)
