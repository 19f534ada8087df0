"""The change-detection query: one aliased query asks many repositories "anything new since
the cursor?" and carries their metadata and the newest leaf items (see `probe.py`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from loaders.sources.selections import (
    COMMIT_FIELDS,
    DISCUSSION_FIELDS,
    FORK_FIELDS,
    PAGE_FWD,
    PULL_REQUEST_FIELDS,
    RELEASE_FIELDS,
    REPOSITORY_FIELDS,
)


@dataclass(frozen=True)
class ProbeSpec:
    """What the change-detection query asks about one repository."""

    alias: str
    owner: str
    name: str
    #: Resources to probe (a subset of the fetch flags); metadata is always selected.
    resources: frozenset[str]
    #: ISO timestamp the issue probe counts from (None: all issues).
    issues_since: str | None = None
    #: ISO timestamp the commit probe counts from (None: all commits).
    commits_since: str | None = None


#: Items of each leaf connection (commits, stars, forks, releases) the probe carries. A
#: connection without paged children costs one request whatever its size, so a full page
#: here is free, while each follow-up page a busy repository needed cost a point of its own.
PROBE_ITEMS = 100
#: Pull requests the probe carries, without reviews (those come per 100 changed pull
#: requests through `nodes(ids:)`, see `build_pull_request_children_query`).
PROBE_PULL_REQUESTS = 25
#: Discussions the probe carries (same reason; fewer, since their bodies are large and a
#: day rarely changes more than a handful per repository).
PROBE_DISCUSSIONS = 25


def _literal(value: str) -> str:
    # JSON string syntax is a valid GraphQL string literal and escapes quotes/backslashes.
    return json.dumps(value)


def _probe_selection(spec: ProbeSpec) -> str:
    parts = [REPOSITORY_FIELDS]
    want = spec.resources
    if "issues" in want or "comments" in want:
        since = (
            f", filterBy: {{ since: {_literal(spec.issues_since)} }}" if spec.issues_since else ""
        )
        parts.append(f"issues(first: 1{since}) {{ totalCount }}")
    if {"pull_requests", "reviews", "comments"} & want:
        parts.append(
            f"pullRequests(first: {PROBE_PULL_REQUESTS}, "
            "orderBy: { field: UPDATED_AT, direction: DESC }) "
            f"{{ totalCount {PAGE_FWD} nodes {{ {PULL_REQUEST_FIELDS} }} }}"
        )
    # The connections below have no paged children, so asking for PROBE_ITEMS items costs
    # what `first: 1` costs: small changes arrive with the probe, no follow-up query.
    n = PROBE_ITEMS
    if "commits" in want:
        since = f", since: {_literal(spec.commits_since)}" if spec.commits_since else ""
        parts.append(
            "defaultBranchRef { target { ... on Commit { "
            f"history(first: {n}{since}) {{ totalCount {PAGE_FWD} nodes {{ {COMMIT_FIELDS} }} }}"
            " } } }"
        )
    if "stars" in want:
        parts.append(
            f"stargazers(first: {n}, orderBy: {{ field: STARRED_AT, direction: DESC }}) "
            f"{{ totalCount {PAGE_FWD} edges {{ starredAt node {{ id databaseId login }} }} }}"
        )
    if "forks" in want:
        parts.append(
            f"forks(first: {n}, orderBy: {{ field: CREATED_AT, direction: DESC }}) "
            f"{{ totalCount {PAGE_FWD} nodes {{ {FORK_FIELDS} }} }}"
        )
    if "releases" in want:
        parts.append(
            f"releases(first: {n}, orderBy: {{ field: CREATED_AT, direction: DESC }}) "
            f"{{ totalCount {PAGE_FWD} nodes {{ {RELEASE_FIELDS} }} }}"
        )
    if "discussions" in want:
        parts.append(
            "discussionCategories(first: 50) { nodes { id name slug isAnswerable emoji } }"
        )
    if "discussions" in want or "comments" in want:
        parts.append(
            f"discussions(first: {PROBE_DISCUSSIONS}, "
            "orderBy: { field: UPDATED_AT, direction: DESC }) "
            f"{{ totalCount {PAGE_FWD} nodes {{ {DISCUSSION_FIELDS} }} }}"
        )
    body = "\n    ".join(parts)
    return (
        f"  {spec.alias}: repository(owner: {_literal(spec.owner)}, name: {_literal(spec.name)}) "
        f"{{\n    {body}\n  }}"
    )


def build_probe_query(specs: Sequence[ProbeSpec]) -> str:
    """One aliased query: metadata plus "anything new since the cursor?" for many repositories.

    Each probe is a `first: 1` connection (one request), so ~50 quiet repositories cost
    a few points together; only repositories with changes are paged in full afterwards.
    """
    if not specs:
        raise ValueError("build_probe_query needs at least one repository")
    selections = "\n".join(_probe_selection(s) for s in specs)
    return f"query Probe {{\n{selections}\n  rateLimit {{ cost remaining resetAt }}\n}}"
