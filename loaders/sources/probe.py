"""Change detection: one aliased query asks many repositories "anything new since the cursor?".

The answer also carries each repository's metadata (so metadata never costs a request of
its own) and its discussion categories. Only the resources a probe flags are paged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from loaders.github import GitHubClient
from loaders.github.cost import count_requests
from loaders.github.graphql_errors import NOT_FOUND
from loaders.sources import queries as q
from loaders.sources.paging import is_before, later
from loaders.sources.rows import dig, nodes_of, total

#: Aliased repositories per probe query, and the request budget that keeps it at <= 4 points.
MAX_PER_PROBE = 50
MAX_PROBE_REQUESTS = 449


@dataclass
class ProbeAnswer:
    """One repository's answer: None `node` means GitHub does not know it (404)."""

    node: dict[str, Any] | None
    error: str | None = None
    changed: dict[str, bool] = field(default_factory=dict)
    #: How many issues changed (sizes the first issues page).
    issues_changed: int | None = None
    #: Leaf connections (commits, stars, forks, releases) as the probe returned them: the
    #: fetchers start from these items instead of asking again.
    inline: dict[str, dict[str, Any]] = field(default_factory=dict)


def pack(specs: Sequence[q.ProbeSpec]) -> list[list[q.ProbeSpec]]:
    """Split specs into probe queries of at most MAX_PER_PROBE repositories and ~4 points."""
    return list(pack_adaptive(specs))


def pack_adaptive(
    specs: Sequence[q.ProbeSpec], scale: Callable[[], float] = lambda: 1.0
) -> Iterator[list[q.ProbeSpec]]:
    """Split specs into probe queries of at most MAX_PER_PROBE repositories and ~4 points,
    both divided by `scale()` (how much more than estimated GitHub has charged for probes;
    read before each batch, so a run adapts after its first probe)."""
    current: list[q.ProbeSpec] = []
    used = 0
    for spec in specs:
        need = count_requests(q.build_probe_query([spec]))
        ratio = max(scale(), 1.0)
        per_probe, requests = max(1, int(MAX_PER_PROBE / ratio)), MAX_PROBE_REQUESTS / ratio
        if current and (len(current) >= per_probe or used + need > requests):
            yield current
            current, used = [], 0
        current.append(spec)
        used += need
    if current:
        yield current


def run_probe(
    client: GitHubClient,
    specs: Sequence[q.ProbeSpec],
    bounds: dict[str, dict[str, str | None]],
) -> dict[str, ProbeAnswer]:
    """Answers by alias. `bounds[alias][group]` is the exclusive lower bound: something
    newer than it counts as a change (None: anything at all, i.e. a first load)."""
    result = client.graphql_result(q.build_probe_query(specs))
    missing = {str(e.path[0]) for e in result.errors if e.kind == NOT_FOUND and e.path}
    data = result.data or {}
    answers: dict[str, ProbeAnswer] = {}
    for spec in specs:
        node = data.get(spec.alias)
        if not isinstance(node, dict):
            reason = "not found" if spec.alias in missing or not result.errors else "error"
            detail = "; ".join(e.message for e in result.errors if e.path[:1] == (spec.alias,))
            answers[spec.alias] = ProbeAnswer(None, error=detail or reason)
            continue
        answers[spec.alias] = _judge(node, spec, bounds.get(spec.alias, {}))
    return answers


def _newest(connection: Any, key: str, edges: bool = False) -> str | None:
    items = dig(connection, "edges" if edges else "nodes")
    if isinstance(items, list) and items and isinstance(items[0], dict):
        value = items[0].get(key)
        return value if isinstance(value, str) else None
    return None


def _newer(value: str | None, bound: str | None, count: int | None) -> bool:
    if not count:
        return False
    if value is None:
        return True  # cannot tell: fetch (the fetcher stops at the cursor anyway)
    return bound is None or is_before(bound, value)


def _judge(node: dict[str, Any], spec: q.ProbeSpec, bounds: dict[str, str | None]) -> ProbeAnswer:
    answer = ProbeAnswer(node)
    want = spec.resources
    changed = answer.changed
    if "issues" in want or "comments" in want:
        answer.issues_changed = total(node.get("issues"))
        changed["issues"] = bool(answer.issues_changed)
    if {"pull_requests", "reviews", "comments"} & want:
        prs = node.get("pullRequests")
        changed["pull_requests"] = _newer(
            _newest(prs, "updatedAt"), bounds.get("pull_requests"), total(prs)
        )
    if "commits" in want:
        history = dig(node, "defaultBranchRef", "target", "history")
        changed["commits"] = bool(total(history))
        # Its `since` is the strict probe bound, not the fetch's (cursor minus lag): usable
        # only when it holds every new commit.
        if isinstance(history, dict) and not dig(history, "pageInfo", "hasNextPage"):
            answer.inline["commits"] = history
    for group, conn in (
        ("stars", "stargazers"),
        ("forks", "forks"),
        ("releases", "releases"),
        ("discussions", "discussions"),
        ("pull_requests", "pullRequests"),
    ):
        # The groups whose children are separate flags are probed for those flags too.
        children = {"discussions": {"comments"}, "pull_requests": {"reviews", "comments"}}
        wanted = group in want or bool(children.get(group, set()) & want)
        if wanted and isinstance(node.get(conn), dict):
            answer.inline[group] = node[conn]
    if "stars" in want:
        stars = node.get("stargazers")
        changed["stars"] = _newer(
            _newest(stars, "starredAt", edges=True), bounds.get("stars"), total(stars)
        )
    if "releases" in want:
        releases = node.get("releases")
        newest = None
        for item in nodes_of(releases):
            newest = later(newest, later(item.get("createdAt"), item.get("publishedAt")))
        changed["releases"] = _newer(newest, bounds.get("releases"), total(releases))
    for group, conn, key in (
        ("forks", "forks", "createdAt"),
        ("discussions", "discussions", "updatedAt"),
    ):
        if group in want or (group == "discussions" and "comments" in want):
            connection = node.get(conn)
            changed[group] = _newer(_newest(connection, key), bounds.get(group), total(connection))
    return answer


def categories_of(node: dict[str, Any]) -> list[dict[str, Any]]:
    return nodes_of(node.get("discussionCategories"))
