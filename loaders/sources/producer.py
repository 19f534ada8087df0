"""Fetch one repository's changed groups as a stream of events, touching no shared state.

The walk (`source.py`) plans a repository in the main thread (bounds, ETag, probe answer)
and consumes these events there: rows are buffered for dlt, cursors move only on `done`.
Producers may therefore run in worker threads, each with a client of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from loaders.github import BudgetExhausted, GitHubClient, GitHubError
from loaders.sources import fetch as f
from loaders.sources import pulls

#: ("rows", table, rows) | ("done", group, mark, etag) | ("failed", group, message)
#: | ("budget", group, BudgetExhausted) | ("stopped", group)
Event = tuple[Any, ...]


@dataclass(frozen=True)
class RepoPlan:
    owner: str
    name: str
    repository_id: int
    resources: frozenset[str]
    #: Groups to fetch, in order (unchanged ones are already left out).
    groups: tuple[str, ...]
    #: Lower bound per group (ISO), the cursor minus a lag or the window start.
    since: dict[str, str | None]
    expected_issues: int | None = None
    etag: str | None = None
    #: Leaf connections the probe already returned (see `probe.ProbeAnswer.inline`).
    inline: dict[str, dict[str, Any]] = field(default_factory=dict)


def _fetcher(group: str) -> Callable[..., Iterator[f.Batch]]:
    return {
        "pull_requests": pulls.fetch_pull_requests,
        "commits": f.fetch_commits,
        "stars": f.fetch_stars,
        "forks": f.fetch_forks,
        "releases": f.fetch_releases,
        "discussions": f.fetch_discussions,
    }[group]


def _fetch_group(
    client: GitHubClient, plan: RepoPlan, group: str, repo: f.RepoFetch
) -> Iterator[f.Batch]:
    since = plan.since.get(group)
    if group == "events":
        yield from f.fetch_events(client, repo, since, plan.etag)
    elif group == "issues":
        yield from f.fetch_issues(client, repo, since, plan.expected_issues)
    elif group in plan.inline:
        yield from _fetcher(group)(client, repo, since, first_page=plan.inline[group])
    else:
        yield from _fetcher(group)(client, repo, since)


def produce(
    plan: RepoPlan, client: GitHubClient, stop: threading.Event | None = None
) -> Iterator[Event]:
    """Events of one repository. `stop` (set after a budget stop elsewhere) ends the stream
    early with a `stopped` event: the groups not finished stay for the next run."""
    repo = f.RepoFetch(plan.owner, plan.name, plan.repository_id, plan.resources)
    for group in plan.groups:
        if stop is not None and stop.is_set():
            yield ("stopped", group)
            return
        try:
            for table, rows in _fetch_group(client, plan, group, repo):
                yield ("rows", table, rows)
                if stop is not None and stop.is_set():
                    yield ("stopped", group)
                    return
        except BudgetExhausted as exc:
            yield ("budget", group, exc)
            return
        except GitHubError as exc:
            yield ("failed", group, f"{group}: {exc}")
            continue
        yield ("done", group, repo.marks.get(group), repo.marks.get("events_etag"))
