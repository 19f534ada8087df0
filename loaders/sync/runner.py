"""`load_repositories`: run the GitHub source for some repositories and book the outcome.

Repositories are loaded in chunks (one dlt load per chunk), so a long run commits as it
goes and a crash loses at most one chunk of work (which the rerun redoes: cursors move with
the data). Sync state is written only after the chunk's data is committed.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from loaders.control import coverage
from loaders.github import GitHubClient, GitHubSettings
from loaders.sources import RESOURCE_TABLES, Collector, RepoWork, github_source
from loaders.sources.paging import utcnow
from loaders.sources.source import RepoResult
from loaders.sync import state
from loaders.sync.kill_recovery import finish_pending
from loaders.sync.pipeline import make_pipeline
from loaders.sync.raw_indexes import ensure_raw_indexes
from loaders.sync.replaced import drop_replaced_children
from loaders.sync.targets import RepositoryTarget
from loaders.warehouse import Warehouse

#: Repositories per dlt load: larger amortises dlt's per-run overhead (~1 s), smaller
#: commits more often (a crash redoes at most one chunk).
CHUNK = 250
log = logging.getLogger("loaders.sync")
TABLE_RESOURCE = {table: res for res, tables in RESOURCE_TABLES.items() for table in tables}

#: Repositories fetched at once: fetching is mostly waiting for GitHub, which a few worker
#: threads overlap (measured on the large world: see benchmarks/load_throughput.py).
DEFAULT_WORKERS = 3

#: Points a worker keeps aside per other worker (two of our costliest queries).
RESERVE_MARGIN = 10

Progress = Callable[[str, str, int], None]


class LoadObserver(Protocol):
    """Live view of a load as it fetches (`warehouse run` draws it on a terminal)."""

    def started(self, repositories: int) -> None: ...

    def fetched(self, full_name: str, rows: int) -> None:
        """`rows` fetched so far for the repository (committed when its chunk is)."""

    def finished(self, full_name: str, status: str) -> None:
        """Every resource of the repository has an outcome (worst status given)."""


#: The observer of the loads started in this context; none outside `observe_loads`.
_OBSERVER: ContextVar[LoadObserver | None] = ContextVar("load_observer", default=None)


@contextmanager
def observe_loads(observer: LoadObserver | None) -> Iterator[None]:
    """Report the progress of every `load_repositories` call in the block to `observer`."""
    token = _OBSERVER.set(observer)
    try:
        yield
    finally:
        _OBSERVER.reset(token)


class _RowCounter(Counter[str]):
    """A repository's rows per table, reporting the running total as they are counted."""

    def __init__(self, on_total: Callable[[int], None]) -> None:
        self._on_total: Callable[[int], None] | None = None
        super().__init__()
        self._on_total = on_total

    def __setitem__(self, key: str, value: int) -> None:
        super().__setitem__(key, value)
        if self._on_total is not None:
            self._on_total(sum(self.values()))


class _ObservedResult(RepoResult):
    def __init__(self, full_name: str, collector: _ObservedCollector) -> None:
        super().__init__(full_name)
        self.rows = _RowCounter(lambda n: collector.observer.fetched(full_name, n))
        self._collector = collector

    def set(self, resource: str, status: str, error: str | None = None) -> None:
        super().set(resource, status, error)
        self._collector.check_done(self)


class _ObservedCollector(Collector):
    """The walk's collector, telling an observer what it books as it books it."""

    def __init__(self, observer: LoadObserver, works: Sequence[RepoWork]) -> None:
        super().__init__()
        self.observer = observer
        self.wanted = {w.full_name: w.resources for w in works}
        self.done: set[str] = set()

    def result(self, full_name: str) -> RepoResult:
        if full_name not in self.results:
            self.results[full_name] = _ObservedResult(full_name, self)
        return self.results[full_name]

    def check_done(self, result: RepoResult) -> None:
        name = result.full_name
        if name not in self.done and set(result.statuses) >= self.wanted.get(name, set()):
            self.done.add(name)
            worst = RepositoryOutcome(name, dict(result.statuses)).status
            self.observer.finished(name, worst)


@dataclass
class RepositoryOutcome:
    full_name: str
    #: resource -> success | partial | failed | deferred | not_found
    statuses: dict[str, str] = field(default_factory=dict)
    #: raw table -> rows written
    rows: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    renamed_to: str | None = None

    @property
    def status(self) -> str:
        """The worst resource status (what a human wants to see first)."""
        order = ["not_found", "failed", "deferred", "partial", "success"]
        present = set(self.statuses.values())
        return next((s for s in order if s in present), "success")


@dataclass
class LoadReport:
    outcomes: dict[str, RepositoryOutcome] = field(default_factory=dict)
    deferred: list[str] = field(default_factory=list)
    budget_resets_at: datetime | None = None
    rest_calls: int = 0  #: every REST request sent, 304s included
    rest_not_modified: int = 0  #: of them answered 304 Not Modified (free on GitHub)
    graphql_points: int = 0
    #: Per GraphQL operation: queries, estimated and charged points (GitHub's rateLimit.cost).
    graphql_costs: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def rows_total(self) -> int:
        return sum(sum(o.rows.values()) for o in self.outcomes.values())

    def by_status(self, status: str) -> list[str]:
        return sorted(n for n, o in self.outcomes.items() if o.status == status)


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def load_repositories(
    warehouse: Warehouse,
    targets: Sequence[RepositoryTarget],
    *,
    client: GitHubClient | None = None,
    window_start: datetime | None = None,
    pipeline_name: str = "github",
    update_sync_state: bool = True,
    progress: Progress | None = None,
    chunk_size: int = CHUNK,
    workers: int | None = None,
) -> LoadReport:
    """Load `targets` (deferred by the budget reserve rather than failing).

    `window_start` (backfill) reads everything of the targets' resources back to that
    instant regardless of cursors, never moving a cursor backwards; `update_sync_state=False`
    leaves control.sync_state alone; `progress(full_name, raw_table, rows)` is called as rows
    are committed. `workers` (default WAREHOUSE_LOAD_WORKERS, else 3) fetch that many
    repositories at once, each with its own client.
    """
    own_client = client is None
    client = client or GitHubClient(GitHubSettings.from_env())
    extra = _extra_clients(client, workers)
    clients = [client, *extra]
    started = [
        (c.stats.rest_calls, c.stats.graphql_points, c.stats.rest_not_modified) for c in clients
    ]
    costs_before = [c.stats.graphql_costs() for c in clients]
    now = utcnow()
    works = [
        RepoWork(
            full_name=t.full_name.lower(),
            resources=frozenset(t.resources) | {"repositories"},
            retention_start=window_start or now - timedelta(days=t.retention_days),
        )
        for t in targets
    ]
    frequency = {t.full_name.lower(): t.sync_frequency_hours for t in targets}
    pipeline = make_pipeline(warehouse, pipeline_name)
    load_ids = finish_pending(pipeline)
    report = LoadReport()
    observer = _OBSERVER.get()
    collector = Collector() if observer is None else _ObservedCollector(observer, works)
    if observer is not None:
        observer.started(len(works))
    try:
        for chunk in _chunks(works, chunk_size):
            if collector.budget is None:
                info = pipeline.run(github_source(chunk, client, collector, window_start, extra))
                load_ids += list(info.loads_ids)
            else:
                for work in chunk:  # not reached: the budget stopped the run earlier
                    result = collector.result(work.full_name)
                    for resource in work.resources:
                        result.set(resource, "deferred", str(collector.budget))
            _book(
                warehouse,
                chunk,
                collector,
                report,
                frequency,
                update_sync_state,
                progress,
                whole_window=window_start is not None,
            )
        # dlt creates raw tables on first sight; index them once they exist (no-op after).
        ensure_raw_indexes(warehouse)
        # A parent whose last label or link went away sent no child row to replace them.
        drop_replaced_children(warehouse, load_ids)
    finally:
        for worker_client in extra:
            worker_client.close()
        if own_client:
            client.close()
    if collector.budget is not None:
        report.budget_resets_at = collector.budget.resets_at
    spent = list(zip(clients, started, strict=True))
    report.rest_calls = sum(c.stats.rest_calls - before[0] for c, before in spent)
    report.graphql_points = sum(c.stats.graphql_points - before[1] for c, before in spent)
    report.rest_not_modified = sum(c.stats.rest_not_modified - before[2] for c, before in spent)
    report.graphql_costs = _cost_deltas(clients, costs_before)
    return report


def _cost_deltas(
    clients: list[GitHubClient], before: list[dict[str, dict[str, int]]]
) -> dict[str, dict[str, int]]:
    """What this load spent per GraphQL operation, summed over the clients."""
    total: dict[str, dict[str, int]] = {}
    for client, earlier in zip(clients, before, strict=True):
        for op, now in client.stats.graphql_costs().items():
            was = earlier.get(op, {})
            row = total.setdefault(op, {"queries": 0, "estimated": 0, "charged": 0})
            for k in row:
                row[k] += now[k] - was.get(k, 0)
    return {op: row for op, row in total.items() if row["queries"]}


def _extra_clients(client: GitHubClient, workers: int | None) -> list[GitHubClient]:
    """Clients for the worker threads beyond the first.

    They learn the shared budget from GitHub's headers but may act on a reading another
    worker has just made stale, so each keeps RESERVE_MARGIN more points per extra worker
    untouched: together they never cut into the configured reserve. A `budget_share` cap is
    per client, so a capped client (a backfill) always works alone.
    """
    if workers is None:
        workers = int(os.environ.get("WAREHOUSE_LOAD_WORKERS", DEFAULT_WORKERS))
    count = workers
    if count < 1:
        raise ValueError("workers must be at least 1")
    if count == 1 or client.budget.share is not None:
        return []
    settings = client.settings.model_copy(
        update={"reserve": client.settings.reserve + RESERVE_MARGIN * (count - 1)}
    )
    return [GitHubClient(settings) for _ in range(count - 1)]


def _book(
    warehouse: Warehouse,
    chunk: Sequence[RepoWork],
    collector: Collector,
    report: LoadReport,
    frequency: dict[str, int],
    update_sync_state: bool,
    progress: Progress | None,
    *,
    whole_window: bool = False,
) -> None:
    when = utcnow()
    for work in chunk:
        result = collector.result(work.full_name)
        statuses = {res: result.statuses.get(res, "deferred") for res in work.resources}
        items: dict[str, int] = {}
        for table, count in result.rows.items():
            resource = TABLE_RESOURCE.get(table, table)
            items[resource] = items.get(resource, 0) + count
            if progress is not None and count:
                progress(work.full_name, table, count)
        errors = {res: err for res, err in result.errors.items() if statuses.get(res) != "success"}
        outcome = RepositoryOutcome(
            full_name=work.full_name,
            statuses=statuses,
            rows=dict(result.rows),
            error="; ".join(sorted(set(errors.values()))) or None,
            renamed_to=result.renamed_to,
        )
        report.outcomes[work.full_name] = outcome
        if "deferred" in statuses.values():
            report.deferred.append(work.full_name)
        if not update_sync_state:
            continue
        not_found = statuses.get("repositories") == "not_found"
        state.record_repository(
            warehouse,
            work.full_name,
            github_id=result.github_id,
            node_id=result.node_id,
            renamed_to=result.renamed_to,
            not_found=not_found,
            now=when,
        )
        # One transaction: the sync state and the coverage this load earned move together.
        with warehouse.transaction():
            state.record(
                warehouse, work.full_name, statuses, errors, items, frequency[work.full_name], when
            )
            if not not_found and all(s == "success" for s in statuses.values()):
                if whole_window:  # read back to the start regardless of cursors
                    coverage.record_backfill(warehouse, work.full_name, work.retention_start)
                else:
                    coverage.record_first_load(warehouse, work.full_name, work.retention_start)
