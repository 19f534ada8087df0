"""Cheap item counts for backfill ETAs: one GraphQL query of `totalCount`s (1 point)."""

from __future__ import annotations

from datetime import datetime

from loaders.github import GitHubClient
from loaders.sources.paging import iso
from loaders.sources.queries import COUNT_ITEMS_QUERY
from loaders.sources.rows import dig, total


def count_items(client: GitHubClient, full_name: str, since: datetime) -> dict[str, int]:
    """Items per resource in a repository. Issues and commits are counted from `since`;
    GitHub offers no `since` on the other connections, so theirs are all-time upper bounds."""
    owner, name = full_name.split("/", 1)
    stamp = iso(since)
    data = client.graphql(
        COUNT_ITEMS_QUERY, {"owner": owner, "name": name, "since": stamp, "gitSince": stamp}
    )
    repo = data.get("repository") or {}
    counts = {
        "issues": total(repo.get("issues")),
        "pull_requests": total(repo.get("pullRequests")),
        "stars": total(repo.get("stargazers")),
        "forks": total(repo.get("forks")),
        "releases": total(repo.get("releases")),
        "discussions": total(repo.get("discussions")),
        "commits": total(dig(repo, "defaultBranchRef", "target", "history")),
    }
    return {key: value or 0 for key, value in counts.items()}
