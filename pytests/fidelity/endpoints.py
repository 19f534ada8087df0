"""The REST endpoints of docs/github_api_subset.md, as the fidelity tests compare them.

For each: GitHub's path template (the key into the OpenAPI description), how to spot
recordings of it, and the keys the loaders read (from docs/raw_schema.md). ``[]`` in a
key means "in every item of this list"; a key whose parent is null counts as present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .recorded import Recorded


@dataclass(frozen=True)
class Endpoint:
    name: str
    template: str  # OpenAPI path, e.g. "/repos/{owner}/{repo}/issues"
    used_keys: tuple[str, ...]
    recorded_route: str | None = None  # regex over Recorded.route (GET, status 200)
    params: dict[str, str] = field(default_factory=dict)
    accept: str | None = None
    is_list: bool = True

    def recordings(self, recordings: list[Recorded]) -> list[Recorded]:
        if self.recorded_route is None:
            return []
        rx = re.compile(self.recorded_route)
        return [
            r for r in recordings if r.method == "GET" and r.status == 200 and rx.search(r.route)
        ]


_REPO = r"^(/repos/[^/]+/[^/]+|/repositories/\d+)"
_ACTOR = ("login", "id", "type")

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "repository",
        "/repos/{owner}/{repo}",
        is_list=False,
        recorded_route=_REPO + "$",
        used_keys=(
            "id",
            "node_id",
            "name",
            "full_name",
            "owner.login",
            "owner.avatar_url",
            "description",
            "homepage",
            "language",
            "topics",
            "stargazers_count",
            "forks_count",
            "subscribers_count",
            "archived",
            "fork",
            "private",
            "has_discussions",
            "default_branch",
            "html_url",
            "created_at",
            "updated_at",
            "pushed_at",
        ),
    ),
    # An object language -> bytes (GitHub's `language` schema: additionalProperties).
    Endpoint(
        "languages",
        "/repos/{owner}/{repo}/languages",
        is_list=False,
        recorded_route=_REPO + "/languages$",
        used_keys=(),
    ),
    Endpoint(
        "issues",
        "/repos/{owner}/{repo}/issues",
        params={"state": "all", "sort": "updated", "direction": "asc"},
        recorded_route=_REPO + "/issues$",
        used_keys=(
            "[].id",
            "[].node_id",
            "[].number",
            "[].title",
            "[].body",
            "[].state",
            "[].state_reason",
            "[].locked",
            *(f"[].user.{k}" for k in _ACTOR),
            "[].assignees",
            "[].milestone",
            "[].labels",
            "[].comments",
            "[].reactions.total_count",
            "[].created_at",
            "[].updated_at",
            "[].closed_at",
        ),
    ),
    Endpoint(
        "issue_comments",
        "/repos/{owner}/{repo}/issues/comments",
        recorded_route=_REPO + "/issues/comments$",
        used_keys=(
            "[].id",
            "[].node_id",
            "[].issue_url",
            "[].user.login",
            "[].user.type",
            "[].body",
            "[].reactions.total_count",
            "[].created_at",
            "[].updated_at",
        ),
    ),
    Endpoint(
        "pulls",
        "/repos/{owner}/{repo}/pulls",
        params={"state": "all", "sort": "updated", "direction": "desc"},
        recorded_route=_REPO + "/pulls$",
        used_keys=(
            "[].id",
            "[].node_id",
            "[].number",
            "[].title",
            "[].body",
            "[].state",
            "[].draft",
            "[].user.login",
            "[].user.type",
            "[].created_at",
            "[].updated_at",
            "[].closed_at",
            "[].merged_at",
            "[].base.ref",
            "[].head.ref",
            "[].head.repo",
        ),
    ),
    Endpoint(
        "pull_reviews",
        "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
        recorded_route=_REPO + r"/pulls/\d+/reviews$",
        used_keys=(
            "[].id",
            "[].node_id",
            "[].user.login",
            "[].user.type",
            "[].state",
            "[].body",
            "[].submitted_at",
            "[].pull_request_url",
        ),
    ),
    Endpoint(
        "pull_review_comments",
        "/repos/{owner}/{repo}/pulls/comments",
        recorded_route=_REPO + "/pulls/comments$",
        used_keys=(
            "[].id",
            "[].node_id",
            "[].pull_request_review_id",
            "[].pull_request_url",
            "[].user.login",
            "[].user.type",
            "[].path",
            "[].body",
            "[].created_at",
            "[].updated_at",
        ),
    ),
    Endpoint(
        "commits",
        "/repos/{owner}/{repo}/commits",
        recorded_route=_REPO + "/commits$",
        used_keys=(
            "[].sha",
            "[].commit.message",
            "[].commit.author.name",
            "[].commit.author.date",
            "[].commit.committer.date",
            "[].author",
            "[].committer",
            "[].parents",
        ),
    ),
    Endpoint(
        "commit",
        "/repos/{owner}/{repo}/commits/{ref}",
        is_list=False,
        recorded_route=_REPO + "/commits/[0-9a-f]{40}$",
        used_keys=("sha", "commit.message", "stats.additions", "stats.deletions", "files"),
    ),
    Endpoint(
        "stargazers",
        "/repos/{owner}/{repo}/stargazers",
        accept="application/vnd.github.star+json",
        recorded_route=_REPO + "/stargazers$",
        used_keys=("[].starred_at", "[].user.login", "[].user.id"),
    ),
    Endpoint(
        "forks",
        "/repos/{owner}/{repo}/forks",
        params={"sort": "oldest"},
        recorded_route=_REPO + "/forks$",
        used_keys=("[].id", "[].node_id", "[].full_name", "[].owner.login", "[].created_at"),
    ),
    Endpoint(
        "releases",
        "/repos/{owner}/{repo}/releases",
        # A single release (GET …/releases/tags/{tag}) has the same shape as list items.
        recorded_route=_REPO + "/releases(/tags/[^/]+)?$",
        used_keys=(
            "[].id",
            "[].node_id",
            "[].tag_name",
            "[].name",
            "[].draft",
            "[].prerelease",
            "[].author.login",
            "[].created_at",
            "[].published_at",
        ),
    ),
    Endpoint(
        "events",
        "/repos/{owner}/{repo}/events",
        recorded_route=_REPO + "/events$",
        used_keys=("[].id", "[].type", "[].actor.login", "[].payload", "[].created_at"),
    ),
    Endpoint(
        "branches",
        "/repos/{owner}/{repo}/branches",
        recorded_route=_REPO + "/branches$",
        # Not read by the loaders: airbyte-source-github lists branches to page commits.
        used_keys=("[].name", "[].commit.sha"),
    ),
    Endpoint(
        "rate_limit",
        "/rate_limit",
        is_list=False,
        recorded_route=r"^/rate_limit$",
        used_keys=(
            *(
                f"resources.{r}.{k}"
                for r in ("core", "graphql")
                for k in ("limit", "remaining", "used", "reset")
            ),
        ),
    ),
)

BY_NAME = {e.name: e for e in ENDPOINTS}

# Rate-limit bookkeeping and caching headers every api.github.com answer carries (the
# octokit recordings all have them); `link` only comes with a multi-page list.
RATE_LIMIT_HEADERS = (
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-used",
    "x-ratelimit-resource",
)
TRACKED_HEADERS = (*RATE_LIMIT_HEADERS, "etag", "content-type", "link")


def key_present(value: object, key: str) -> bool:
    """Is dotted ``key`` present in ``value``? ``[]`` applies the rest to every item."""
    head, _, rest = key.partition(".")
    if head == "[]":
        return isinstance(value, list) and all(key_present(item, rest) for item in value)
    if not isinstance(value, dict) or head not in value:
        return False
    if not rest or value[head] is None:
        return True  # a null parent (no milestone, ghost author) still answers the key
    return key_present(value[head], rest)
