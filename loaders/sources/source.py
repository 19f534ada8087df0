"""The one dlt source: every raw table, for a list of repositories, sync or backfill window.

A single resource walks the repositories (probe batch by probe batch) and yields Arrow
tables routed to their raw table with merge hints. Cursors live in dlt's source state and
are committed in the same load package as the rows they cover, so a crash at any point
followed by a rerun converges on the same tables. A `BudgetExhausted` stops the walk
cleanly: what was yielded is still committed, the rest is reported as deferred.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import dlt

from loaders.github import BudgetExhausted, GitHubClient, GitHubError
from loaders.sources import prefetch
from loaders.sources import rows as r
from loaders.sources.paging import CURSOR_LAG, iso, later, parse_iso, shift, utcnow
from loaders.sources.probe import ProbeAnswer, categories_of, pack_adaptive, run_probe
from loaders.sources.producer import Event, RepoPlan, produce
from loaders.sources.queries import ProbeSpec
from loaders.sources.tables import TABLES

#: Fetch groups: one paged walk serves several fetch flags (issue comments ride on issues).
GROUPS: dict[str, tuple[str, ...]] = {
    "issues": ("issues", "comments"),
    "pull_requests": ("pull_requests", "reviews", "comments"),
    "commits": ("commits",),
    "stars": ("stars",),
    "forks": ("forks",),
    "releases": ("releases",),
    "discussions": ("discussions", "comments"),
    "events": ("events",),
}

#: Rows buffered per raw table before they are handed to dlt as one Arrow table.
FLUSH_ROWS = 5000

# Worst status wins when several groups serve one flag (`comments`).
_SEVERITY = {"success": 0, "partial": 1, "deferred": 2, "failed": 3, "not_found": 4}


@dataclass(frozen=True)
class RepoWork:
    """One repository to load: its control name, fetch flags and first-load lower bound."""

    full_name: str
    resources: frozenset[str]
    retention_start: datetime


@dataclass
class RepoResult:
    full_name: str
    statuses: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    rows: Counter[str] = field(default_factory=Counter)
    github_id: int | None = None
    node_id: str | None = None
    renamed_to: str | None = None

    def set(self, resource: str, status: str, error: str | None = None) -> None:
        old = self.statuses.get(resource)
        if old is None or _SEVERITY[status] >= _SEVERITY[old]:
            self.statuses[resource] = status
        if error:
            self.errors[resource] = error

    @property
    def deferred(self) -> bool:
        return any(s == "deferred" for s in self.statuses.values())


@dataclass
class Collector:
    """What the walk did, read by the sync runner after the load is committed."""

    results: dict[str, RepoResult] = field(default_factory=dict)
    budget: BudgetExhausted | None = None

    def result(self, full_name: str) -> RepoResult:
        return self.results.setdefault(full_name, RepoResult(full_name))


def cursor_key(group: str, flag: str) -> str:
    return f"{group}:{flag}"


def _arrow(table: str, rows: list[dict[str, Any]]) -> Any:
    spec = TABLES[table]
    return dlt.mark.with_hints(
        spec.to_arrow(rows), dlt.mark.make_hints(**spec.hints()), create_table_variant=True
    )


class _Walk:
    """The state of one extraction: client, cursors, results."""

    def __init__(
        self,
        clients: Sequence[GitHubClient],
        works: Sequence[RepoWork],
        collector: Collector,
        window_start: datetime | None,
        state: dict[str, Any],
    ) -> None:
        self.clients = list(clients)
        self.client = self.clients[0]  # the probe's (and the only one when sequential)
        self.stop = threading.Event()
        self.meta: list[tuple[str, list[dict[str, Any]]]] = []
        self.works = {f"r{i}": w for i, w in enumerate(works)}
        self.collector = collector
        self.window_start = iso(window_start) if window_start else None
        self.state = state
        self.buffers: dict[str, list[dict[str, Any]]] = {}

    def cursors(self, work: RepoWork) -> dict[str, str]:
        repo_state = self.state.setdefault(work.full_name, {})
        return repo_state.setdefault("cursors", {})

    def lower_bound(self, work: RepoWork, group: str) -> str | None:
        """Exclusive bound for "changed?": the oldest cursor of the wanted flags, or the
        window/retention start when some flag was never loaded (None in a backfill: all)."""
        if self.window_start:
            return self.window_start
        wanted = [flag for flag in GROUPS[group] if flag in work.resources]
        cursors = self.cursors(work)
        values = [cursors.get(cursor_key(group, flag)) for flag in wanted]
        if not values or any(v is None for v in values):
            return iso(work.retention_start)
        return min(values, key=lambda v: parse_iso(v))  # type: ignore[arg-type,return-value]

    def fetch_since(self, work: RepoWork, group: str) -> str | None:
        bound = self.lower_bound(work, group)
        if bound is None or self.window_start or self._first_load(work, group):
            return bound
        return shift(bound, -CURSOR_LAG)

    def _first_load(self, work: RepoWork, group: str) -> bool:
        cursors = self.cursors(work)
        return any(
            cursors.get(cursor_key(group, flag)) is None
            for flag in GROUPS[group]
            if flag in work.resources
        )

    def spec(self, alias: str, work: RepoWork) -> ProbeSpec:
        owner, name = work.full_name.split("/", 1)
        return ProbeSpec(
            alias=alias,
            owner=owner,
            name=name,
            resources=work.resources - {"repositories", "events"},
            issues_since=self._strictly_after(work, "issues"),
            commits_since=self._strictly_after(work, "commits"),
        )

    def _strictly_after(self, work: RepoWork, group: str) -> str | None:
        # `since` filters are inclusive; one second later asks for strictly newer items.
        bound = self.lower_bound(work, group)
        return shift(bound, timedelta(seconds=1)) if bound else None

    # -- the walk -------------------------------------------------------------------------

    def emit(self, table: str, rows: list[dict[str, Any]]) -> Iterator[Any]:
        """Buffer rows per table and yield them as one Arrow table every FLUSH_ROWS rows:
        dlt's cost is per item (~ms), so large items make the extract fast."""
        buffer = self.buffers.setdefault(table, [])
        buffer.extend(rows)
        if len(buffer) >= FLUSH_ROWS:
            yield _arrow(table, buffer)
            self.buffers[table] = []

    def flush(self) -> Iterator[Any]:
        for table, buffer in self.buffers.items():
            if buffer:
                yield _arrow(table, buffer)
        self.buffers = {}

    def run(self) -> Iterator[Any]:
        yield from self.walk()
        # Also after a budget stop: everything fetched so far is committed.
        yield from self.flush()

    def walk(self) -> Iterator[Any]:
        specs = [self.spec(alias, work) for alias, work in self.works.items()]
        # Probes shrink when GitHub charges them more than estimated (client.cost_ratio).
        for batch in pack_adaptive(specs, lambda: self.client.cost_ratio("graphql:Probe")):
            if self.collector.budget is not None:
                self._defer([self.works[s.alias] for s in batch])
                continue
            bounds = {
                s.alias: {g: self.lower_bound(self.works[s.alias], g) for g in GROUPS}
                for s in batch
            }
            try:
                answers = run_probe(self.client, batch, bounds)
            except BudgetExhausted as exc:
                self.collector.budget = exc
                self._defer([self.works[s.alias] for s in batch])
                continue
            except GitHubError as exc:
                for s in batch:
                    self._fail_all(self.works[s.alias], str(exc))
                continue
            started = [(self.works[s.alias], answers[s.alias]) for s in batch]
            plans = [(work, self.prepare(work, answer)) for work, answer in started]
            todo = [(work, plan) for work, plan in plans if plan is not None]
            yield from self.flush_meta()
            if len(self.clients) == 1:
                for work, plan in todo:
                    yield from self.consume(work, produce(plan, self.client, self.stop))
            else:
                jobs = [
                    (lambda client, plan=plan: produce(plan, client, self.stop)) for _, plan in todo
                ]
                streams = prefetch.ordered(jobs, self.clients)
                for (work, _), events in zip(todo, streams, strict=True):
                    yield from self.consume(work, events)

    def prepare(self, work: RepoWork, answer: ProbeAnswer) -> RepoPlan | None:
        """Book the probe's answer (metadata rows, unchanged groups) and plan the fetch."""
        result = self.collector.result(work.full_name)
        if self.collector.budget is not None:
            self._defer([work])
            return None
        if answer.node is None:
            for resource in work.resources:
                result.set(resource, "not_found", answer.error)
            return None
        node = answer.node
        repo_id = r.as_int(node.get("databaseId"))
        full = node.get("nameWithOwner") or work.full_name
        if repo_id is None:
            self._fail_all(work, "GitHub returned a repository without a databaseId")
            return None
        result.github_id, result.node_id = repo_id, node.get("id")
        if full.lower() != work.full_name.lower():
            result.renamed_to = full.lower()
        fetched_at = iso(utcnow())
        self.meta.append(("repositories", [r.repository_row(node, fetched_at)]))
        result.rows["repositories"] += 1
        languages = r.language_rows(node, repo_id, fetched_at)
        if languages:
            self.meta.append(("repository_languages", languages))
            result.rows["repository_languages"] += len(languages)
        result.set("repositories", "success")
        if "discussions" in work.resources:
            cats = [
                row
                for c in categories_of(node)
                if (row := r.discussion_category_row(c, repo_id)) is not None
            ]
            if cats:
                self.meta.append(("discussion_categories", cats))
                result.rows["discussion_categories"] += len(cats)
        groups = []
        for group in GROUPS:
            wanted = [flag for flag in GROUPS[group] if flag in work.resources]
            if not wanted:
                continue
            if group != "events" and not answer.changed.get(group, False):
                for flag in wanted:
                    result.set(flag, "success")  # nothing new since the cursor
                continue
            groups.append(group)
        owner, name = full.split("/", 1)
        repo_state = self.state.setdefault(work.full_name, {})
        return RepoPlan(
            owner=owner,
            name=name,
            repository_id=repo_id,
            resources=work.resources,
            groups=tuple(groups),
            since={g: self.fetch_since(work, g) for g in groups},
            expected_issues=None if self._first_load(work, "issues") else answer.issues_changed,
            etag=None if self.window_start else repo_state.get("events_etag"),
            inline=answer.inline,
        )

    def flush_meta(self) -> Iterator[Any]:
        for table, rows in self.meta:
            yield from self.emit(table, rows)
        self.meta = []

    def consume(self, work: RepoWork, events: Iterator[Event]) -> Iterator[Any]:
        """Apply a producer's events: rows to dlt, cursors forward when a group is done."""
        result = self.collector.result(work.full_name)
        groups = [g for g in GROUPS if any(flag in work.resources for flag in GROUPS[g])]
        for event in events:
            kind, key = event[0], event[1]
            wanted = [flag for flag in GROUPS.get(key, ()) if flag in work.resources]
            if kind == "rows":  # key is the raw table here
                result.rows[key] += len(event[2])
                yield from self.emit(key, event[2])
            elif kind == "done":
                self._advance(work, key, wanted, event[2])
                if key == "events":
                    self.state.setdefault(work.full_name, {})["events_etag"] = event[3]
                for flag in wanted:
                    result.set(flag, "success")
            elif kind == "failed":
                for flag in wanted:
                    result.set(flag, "failed", event[2])
            else:  # budget stop, here or in another worker: the rest waits for the next run
                if kind == "budget" and self.collector.budget is None:
                    self.collector.budget = event[2]
                    self.stop.set()
                message = str(self.collector.budget or "budget reserve")
                for later_group in groups[groups.index(key) :]:
                    for flag in GROUPS[later_group]:
                        if flag in work.resources:
                            result.set(flag, "deferred", message)
                return

    def _advance(self, work: RepoWork, group: str, wanted: list[str], mark: str | None) -> None:
        """Move the cursors of a completed group forward (never backwards)."""
        if mark is None:
            return
        cursors = self.cursors(work)
        for flag in wanted:
            key = cursor_key(group, flag)
            cursors[key] = later(cursors.get(key), mark)  # type: ignore[assignment]

    def _defer(self, works: Sequence[RepoWork]) -> None:
        message = str(self.collector.budget) if self.collector.budget else "budget reserve"
        for work in works:
            result = self.collector.result(work.full_name)
            for resource in work.resources:
                result.set(resource, "deferred", message)

    def _fail_all(self, work: RepoWork, message: str) -> None:
        result = self.collector.result(work.full_name)
        for resource in work.resources:
            result.set(resource, "failed", message)


@dlt.source(name="github", max_table_nesting=0, root_key=False)
def github_source(
    works: Sequence[RepoWork],
    client: GitHubClient,
    collector: Collector,
    window_start: datetime | None = None,
    extra_clients: Sequence[GitHubClient] = (),
) -> Any:
    """All raw tables of `works`. `window_start` (backfill) reads back to that instant
    regardless of cursors; cursors still only move forward. `extra_clients` fetch further
    repositories ahead in worker threads (one client per worker)."""

    @dlt.resource(name="github_activity", write_disposition="merge")
    def github_activity() -> Iterator[Any]:
        state = dlt.current.source_state().setdefault("repositories", {})
        clients = [client, *extra_clients]
        yield from _Walk(clients, works, collector, window_start, state).run()

    return github_activity
