"""Walk backfill jobs in resumable chunks: one chunk = one repository x a few resources.

Each finished chunk is committed to `backfill_job_repositories` before the next starts, so a
SIGKILL loses at most the chunk in flight; the loader's merge on primary keys (and dlt's own
state) make redoing that chunk harmless. The loading itself is a parameter (`ChunkLoader`):
the real one is the sync's `load_repositories` with a wider window (see `sync_loader.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from loaders.backfill.jobs import Job, JobRepository, JobStore
from loaders.backfill.window import already_covered
from loaders.github.errors import BadCredentials, BudgetExhausted, NotFound
from loaders.notifications import Notifier

log = logging.getLogger("loaders.backfill")


@dataclass(frozen=True)
class ChunkResult:
    """What one chunk loaded: items per data type (table), or that the budget ran out."""

    counts: dict[str, int] = field(default_factory=dict)
    deferred: bool = False
    resets_at: datetime | None = None
    error: str | None = None  # a permanent failure the loader reported without raising
    not_found: bool = False


class ChunkLoader(Protocol):
    def load(
        self, full_name: str, resources: tuple[str, ...], window_start: datetime
    ) -> ChunkResult:
        """Load `resources` of `full_name` back to `window_start`; raise or report failures.
        `counts` are rows per raw table."""

    def count(self, full_name: str, window_start: datetime) -> dict[str, int] | None:
        """Exact item totals per data type in the window (for progress and ETA), if known."""


@dataclass
class JobOutcome:
    job_id: int
    status: str
    deferred: bool = False
    resets_at: datetime | None = None
    chunks_loaded: int = 0


@dataclass(frozen=True)
class RunnerOptions:
    #: Attempts per chunk within one run before its repository is marked failed.
    chunk_attempts: int = 3
    retry_pause_seconds: float = 1.0
    #: Resources loaded together in one chunk (one dlt load). Smaller chunks mean finer
    #: progress and less work redone after a crash; larger ones less per-load overhead.
    resources_per_chunk: int = 2


#: Resources that must share a chunk: a pull request's conversation comments are fetched only
#: when one load has both flags (loaders/sources/pulls.py `pull_request_parts`).
LOADED_TOGETHER: tuple[tuple[str, str], ...] = (("pull_requests", "comments"),)


def plan_chunks(todo: list[str], size: int) -> list[tuple[str, ...]]:
    """`todo` in chunks of `size` resources, never splitting a pair of LOADED_TOGETHER: pairs
    go first (so they start a chunk), then the rest in order; a pair larger than `size`
    makes a chunk of its own."""
    partner = {a: b for a, b in LOADED_TOGETHER} | {b: a for a, b in LOADED_TOGETHER}
    groups: list[list[str]] = []
    placed: set[str] = set()
    for resource in todo:
        if resource in placed:
            continue
        group = [resource]
        other = partner.get(resource)
        if other in todo and other not in placed:
            group.append(other)
        placed.update(group)
        groups.append(group)
    groups.sort(key=len, reverse=True)  # stable: the order of todo within each size
    chunks: list[tuple[str, ...]] = []
    current: list[str] = []
    for group in groups:
        if current and len(current) + len(group) > max(size, 1):
            chunks.append(tuple(current))
            current = []
        current.extend(group)
    if current:
        chunks.append(tuple(current))
    return chunks


class BackfillRunner:
    def __init__(
        self,
        store: JobStore,
        loader: ChunkLoader,
        *,
        notifier: Notifier | None = None,
        options: RunnerOptions | None = None,
        sleep: Callable[[float], None] | None = None,
        on_chunk: Callable[[JobRepository, tuple[str, ...]], None] | None = None,
    ) -> None:
        self.store = store
        self.loader = loader
        self.notifier = notifier
        self.options = options or RunnerOptions()
        self._sleep = sleep or (lambda _s: None)
        self.on_chunk = on_chunk

    def run_pending(self, job_ids: list[int] | None = None) -> list[JobOutcome]:
        """Work every runnable job (or only `job_ids`), oldest first; stop at a spent budget."""
        outcomes: list[JobOutcome] = []
        for job in self.store.runnable():
            if job_ids is not None and job.id not in job_ids:
                continue
            outcome = self.run_job(job)
            outcomes.append(outcome)
            if outcome.deferred:
                break  # the budget is spent: later jobs would defer at once
        return outcomes

    def run_job(self, job: Job) -> JobOutcome:
        first_start = job.status == "pending"
        job = self.store.start(job)
        if first_start:
            self._notify(
                "job_started",
                job,
                f"Backfill job {job.id} started for workspace {job.workspace_slug}: "
                f"{len(self.store.repositories(job.id))} repositories, "
                f"{job.retention_days} days of history.",
            )
        outcome = JobOutcome(job.id, job.status)
        for repo in self.store.repositories(job.id):
            if repo.status not in ("pending", "in_progress"):
                continue
            if self.store.get(job.id).status == "canceled":
                outcome.status = "canceled"
                return outcome
            if not self._run_repository(job, repo, outcome):
                outcome.status = self.store.get(job.id).status
                return outcome
        final = self.store.finish(job.id)
        outcome.status = final.status
        self._announce_end(final)
        return outcome

    def _run_repository(self, job: Job, repo: JobRepository, outcome: JobOutcome) -> bool:
        """Returns False when the job must stop here (budget spent)."""
        if already_covered(self.store, job, repo):
            self.store.complete_repository(repo)  # another job loaded it: nothing to fetch
            return True
        self.store.start_repository(repo)
        if repo.items_total is None:
            try:
                totals = self.loader.count(repo.full_name, repo.window_start)
            except BudgetExhausted as exc:
                outcome.deferred, outcome.resets_at = True, exc.resets_at
                return False
            except NotFound as exc:
                self.store.fail_repository(repo, str(exc))
                return True
            except Exception as exc:  # totals are for progress only; loading still goes on
                log.warning("could not count items of %s: %s", repo.full_name, exc)
                totals = None
            if totals is not None:
                self.store.set_totals(repo, totals)
                repo = self.store.reload(repo)
        todo = [r for r in self.store.resources_for(job, repo.full_name) if r not in repo.done]
        for chunk in plan_chunks(todo, self.options.resources_per_chunk):
            if self.store.get(job.id).status == "canceled":
                return False  # canceled from another process: stop before the next chunk
            result = self._load_chunk(repo, chunk)
            if result.deferred:
                outcome.deferred, outcome.resets_at = True, result.resets_at
                return False
            if result.error is not None:
                self.store.fail_repository(repo, f"{', '.join(chunk)}: {result.error}", chunk)
                return True
            repo = self.store.record_chunk(repo, chunk, result.counts)
            outcome.chunks_loaded += 1
            if self.on_chunk is not None:
                self.on_chunk(repo, chunk)
        self.store.complete_repository(repo)
        return True

    def _load_chunk(self, repo: JobRepository, chunk: tuple[str, ...]) -> ChunkResult:
        last_error = "unknown error"
        for attempt in range(1, self.options.chunk_attempts + 1):
            try:
                result = self.loader.load(repo.full_name, chunk, repo.window_start)
            except BudgetExhausted as exc:
                return ChunkResult(deferred=True, resets_at=exc.resets_at)
            except (NotFound, BadCredentials) as exc:
                return ChunkResult(error=str(exc))  # retrying cannot help
            except Exception as exc:
                # Client errors carry no secrets (tokens are named by position only).
                last_error = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "backfill %s %s attempt %d failed: %s",
                    repo.full_name,
                    ",".join(chunk),
                    attempt,
                    last_error,
                )
            else:
                if result.deferred or result.error is None or result.not_found:
                    return result
                last_error = result.error
            if attempt < self.options.chunk_attempts:
                self._sleep(self.options.retry_pause_seconds * attempt)
        return ChunkResult(error=last_error)

    def _announce_end(self, job: Job) -> None:
        repos = self.store.repositories(job.id)
        items = sum(r.items_loaded for r in repos)
        if job.status == "completed":
            self._notify(
                "job_completed",
                job,
                f"Backfill job {job.id} for workspace {job.workspace_slug} completed: "
                f"{len(repos)} repositories, {items} items loaded.",
            )
        elif job.status == "failed":
            self._notify(
                "job_failed",
                job,
                f"Backfill job {job.id} for workspace {job.workspace_slug} failed: {job.error}. "
                f"Fix the cause, then `warehouse backfill retry {job.id}`.",
            )

    def _notify(self, kind: str, job: Job, message: str) -> None:
        if self.notifier is None:
            return
        try:
            self.notifier.notify(kind, message, workspace_slug=job.workspace_slug, job_id=job.id)
        except Exception as exc:  # a notification problem never stops the job
            log.warning("could not record notification %s for job %d: %s", kind, job.id, exc)
