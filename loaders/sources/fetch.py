"""Fetch one resource of one repository, yielding `(raw_table, rows)` batches page by page.

Each fetcher reads only what changed since `since` (an ISO lower bound: the cursor minus a
small lag, or the retention/backfill window start) and reports the high-water mark it saw
in `RepoFetch.marks`, which the source turns into the next cursor once the data is committed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from loaders.github import GitHubClient, GraphQLTimeout
from loaders.sources import queries as q
from loaders.sources import rows as r
from loaders.sources.paging import is_before, later, page_connection, take_while

Batch = tuple[str, list[dict[str, Any]]]

PAGE = 100
#: Nested children per parent: costs nothing extra (only grandchildren multiply), so large.
CHILD_PAGE = 50
#: Comments per review fetched with the reviews (only the 20 reviews multiply their cost).
REVIEW_COMMENTS_PER_REVIEW = 50
CHILD_BATCH = 100
#: Discussions per `nodes(ids:)` request: `nodes` does not multiply the cost, so the batch
#: size is bounded only by the answer's size (each brings 100 comments x 10 replies).
DISCUSSION_BATCH = 50
#: Comments per discussion page. Only the replies under them multiply: 1 + 100 requests
#: round to one point, the same as a page of 20, so a long thread (which has no ordering
#: to stop at a cursor and is re-read whole) costs a fifth of the points.
DISCUSSION_COMMENT_PAGE = 100
REPLIES_PER_COMMENT = 10


@dataclass
class RepoFetch:
    """What fetching one repository needs to know, and the marks it leaves behind."""

    owner: str
    name: str
    repository_id: int
    resources: frozenset[str]
    #: High-water marks seen per resource (ISO timestamps), the next cursors.
    marks: dict[str, str | None] = field(default_factory=dict)

    def mark(self, resource: str, value: str | None) -> None:
        self.marks[resource] = later(self.marks.get(resource), value)

    @property
    def variables(self) -> dict[str, Any]:
        return {"owner": self.owner, "name": self.name}


# --- issues, their labels, close/reopen events and comments -------------------------------


def fetch_issues(
    client: GitHubClient, repo: RepoFetch, since: str | None, expected: int | None
) -> Iterator[Batch]:
    want_issues = "issues" in repo.resources
    want_comments = "comments" in repo.resources
    first = min(PAGE, max(expected or PAGE, 1) + 2)  # +2: items that change while we page
    variables = {**repo.variables, "since": since, "childFirst": CHILD_PAGE}
    for page in page_connection(
        client, q.ISSUES_QUERY, variables, ("repository", "issues"), page_size=first
    ):
        issues, labels, events, comments = [], [], [], []
        for node in r.nodes_of(page):
            issue = r.issue_row(node, repo.repository_id)
            if issue["id"] is None:
                continue
            repo.mark("issues", issue["updated_at"])
            if want_issues:
                issues.append(issue)
                labels += r.issue_label_rows(node, issue["id"], repo.repository_id)
                events += _issue_events(client, node, issue["id"], repo.repository_id)
            if want_comments:
                comments += _issue_comments(client, node, issue["id"], repo.repository_id, since)
        yield from _non_empty(
            ("issues", issues),
            ("issue_labels", labels),
            ("issue_events", events),
            ("issue_comments", comments),
        )


def _issue_events(client: GitHubClient, node: dict, issue_id: int, repo_id: int) -> list[dict]:
    timeline = node.get("timelineItems")
    out: list[dict] = []
    if not isinstance(timeline, dict):
        return out
    for page in page_connection(
        client,
        q.ISSUE_EVENTS_PAGE_QUERY,
        {"id": node["id"]},
        ("node", "timelineItems"),
        first_page=timeline,
    ):
        out += [
            row
            for item in r.nodes_of(page)
            if (row := r.issue_event_row(item, issue_id, repo_id, node["id"])) is not None
        ]
    return out


def _issue_comments(
    client: GitHubClient, node: dict, issue_id: int, repo_id: int, since: str | None
) -> list[dict]:
    return _conversation(client, node, since, lambda c: r.issue_comment_row(c, issue_id, repo_id))


def _conversation(
    client: GitHubClient, node: dict, since: str | None, to_row: Callable[[dict], dict]
) -> list[dict]:
    """Conversation comments of an issue or PR, newest-updated first: reading stops at the
    first comment not updated since `since`, so an old comment edited since is re-read
    however many comments came after it; untouched ones were loaded by earlier syncs."""
    connection = node.get("comments")
    out: list[dict] = []
    if not isinstance(connection, dict):
        return out
    for page in page_connection(
        client,
        q.ISSUE_COMMENTS_PAGE_QUERY,
        {"id": node["id"]},
        ("node", "comments"),
        first_page=connection,
    ):
        batch = [row for c in r.nodes_of(page) if (row := to_row(c))["id"] is not None]
        fresh, reached = take_while(batch, lambda c: not is_before(c["updated_at"], since))
        out += fresh
        if reached:
            break
    return out


# --- pull requests, reviews, review comments ----------------------------------------------


def fetch_pull_requests(
    client: GitHubClient,
    repo: RepoFetch,
    since: str | None,
    first_page: dict | None = None,
    page_size: int = PAGE,
) -> Iterator[Batch]:
    """Newest-updated first, stopping at the cursor (`pullRequests` has no `since`).

    Pages carry no reviews: a nested `reviews` connection is charged per PR of the page
    (100 requests) whether or not it changed. Reviews and their comments come for the
    changed PRs only, 100 per `nodes(ids:)` request. The first page usually arrives with
    the change-detection probe."""
    parts = _pull_request_parts(repo.resources)
    for page in page_connection(
        client,
        q.PULL_REQUESTS_ONLY_QUERY,
        repo.variables,
        ("repository", "pullRequests"),
        page_size=page_size,
        first_page=first_page,
    ):
        nodes, reached = take_while(
            r.nodes_of(page), lambda n: not is_before(n.get("updatedAt"), since)
        )
        prs: dict[str, dict] = {}
        for node in nodes:
            pr = r.pull_request_row(node, repo.repository_id)
            if pr["id"] is None or not node.get("id"):
                continue
            repo.mark("pull_requests", pr["updated_at"])
            prs[node["id"]] = pr
        if parts and prs:
            yield from _children_of(client, repo, prs, parts, since)
        if reached:
            return


def _pull_request_parts(resources: frozenset[str]) -> frozenset[str]:
    """What the `nodes(ids:)` batch of changed PRs carries, by fetch flag (see queries)."""
    parts = set()
    if "pull_requests" in resources:
        parts.add("details")
        if "comments" in resources:
            parts.add("comments")
    if "reviews" in resources or "comments" in resources:
        parts.add("reviews")
    return frozenset(parts)


def _nodes(client: GitHubClient, query: str, ids: list[str]) -> list[Any]:
    """`nodes(ids:)` answers for `ids`. When GitHub gives up on the query (502/504), the
    batch is split in halves: a smaller query is GitHub's own cure, like halving a page."""
    try:
        return client.graphql(query, {"ids": ids}).get("nodes") or []
    except GraphQLTimeout:
        if len(ids) <= 1:
            raise
        middle = len(ids) // 2
        return _nodes(client, query, ids[:middle]) + _nodes(client, query, ids[middle:])


def _children_of(
    client: GitHubClient,
    repo: RepoFetch,
    prs: dict[str, dict],
    parts: frozenset[str],
    since: str | None,
) -> Iterator[Batch]:
    """Everything of changed PRs beyond their page, 100 PRs per request: assignees, labels,
    closing links, review requests, conversation comments, reviews with their comments.
    The PR rows themselves wait for it (their assignees come from it)."""
    want_prs = "pull_requests" in repo.resources
    query = q.build_pull_request_children_query(REVIEW_COMMENTS_PER_REVIEW, parts)
    repo_id = repo.repository_id
    ids = list(prs)
    for start in range(0, len(ids), CHILD_BATCH):
        chunk = {node_id: prs[node_id] for node_id in ids[start : start + CHILD_BATCH]}
        out: dict[str, list[dict]] = {}
        overflow: list[tuple[str, int, int]] = []
        for pr_node in _nodes(client, query, list(chunk)):
            if not isinstance(pr_node, dict) or pr_node.get("id") not in chunk:
                continue
            pr = chunk[pr_node["id"]]
            if "details" in parts:
                _details(client, pr_node, pr, out)
            if "comments" in parts:
                out.setdefault("pull_request_comments", []).extend(
                    _conversation(
                        client,
                        pr_node,
                        since,
                        lambda c, pr=pr: r.pull_request_comment_row(c, pr["id"], repo_id),
                    )
                )
            if "reviews" in parts:
                overflow += _reviews(client, repo, pr_node, pr["id"], out)
        if want_prs:
            yield from _non_empty(("pull_requests", list(chunk.values())))
        yield from _non_empty(*out.items())
        if overflow:
            yield from _review_comments(client, overflow, repo_id)


def _details(client: GitHubClient, pr_node: dict, pr: dict, out: dict[str, list[dict]]) -> None:
    """Assignees (onto the PR row), labels and closing links (replaced whole per PR), and
    review requests from the timeline (GitHub drops a reviewer from `reviewRequests` once
    they review: only the timeline keeps the history)."""
    pr_id, repo_id = pr["id"], pr["repository_id"]
    logins = [a["login"] for a in r.nodes_of(pr_node.get("assignees")) if a.get("login")]
    pr["assignee_logins"] = json.dumps(logins)
    out.setdefault("pull_request_labels", []).extend(
        r.pull_request_label_rows(pr_node, pr_id, repo_id)
    )
    out.setdefault("issue_pull_request_links", []).extend(r.issue_link_rows(pr_node, pr))
    requests = out.setdefault("pull_request_review_requests", [])
    for page in page_connection(
        client,
        q.REVIEW_REQUESTS_PAGE_QUERY,
        {"id": pr_node["id"]},
        ("node", "timelineItems"),
        first_page=pr_node.get("timelineItems") or {},
    ):
        requests += [
            row
            for item in r.nodes_of(page)
            if (row := r.review_request_row(item, pr_id, repo_id)) is not None
        ]


def _reviews(
    client: GitHubClient, repo: RepoFetch, pr_node: dict, pr_id: int, out: dict[str, list[dict]]
) -> list[tuple[str, int, int]]:
    """Reviews (and review comments) of one PR; overflow beyond the first 20 reviews is
    paged here, reviews whose comments did not come inline are returned for a batch."""
    want_reviews = "reviews" in repo.resources
    want_comments = "comments" in repo.resources
    repo_id = repo.repository_id
    reviews = out.setdefault("pull_request_reviews", [])
    comments = out.setdefault("pull_request_review_comments", [])
    overflow: list[tuple[str, int, int]] = []
    connection = pr_node.get("reviews") or {}
    for page in page_connection(
        client,
        q.REVIEWS_PAGE_QUERY,
        {"id": pr_node["id"]},
        ("node", "reviews"),
        first_page=connection,
    ):
        inline = page is connection  # later pages carry comment counts only
        for review in r.nodes_of(page):
            row = r.review_row(review, pr_id, repo_id)
            if row["id"] is None:
                continue
            if want_reviews:
                reviews.append(row)
            if not want_comments or (r.total(review.get("comments")) or 0) == 0:
                continue
            if not inline:
                overflow.append((review["id"], row["id"], pr_id))
                continue
            comments += _review_comment_rows(client, review, row["id"], pr_id, repo_id)
    return overflow


def _review_comments(
    client: GitHubClient, reviews: list[tuple[str, int, int]], repo_id: int
) -> Iterator[Batch]:
    """Comments of many reviews per request (`nodes(ids:)`), overflow paged per review."""
    query = q.build_nodes_query("review_comments", PAGE)
    for start in range(0, len(reviews), CHILD_BATCH):
        chunk = reviews[start : start + CHILD_BATCH]
        by_node = {node_id: (review_id, pr_id) for node_id, review_id, pr_id in chunk}
        answered = _nodes(client, query, list(by_node))
        out: list[dict] = []
        for review in answered:
            if not isinstance(review, dict) or review.get("id") not in by_node:
                continue
            review_id, pr_id = by_node[review["id"]]
            out += _review_comment_rows(client, review, review_id, pr_id, repo_id)
        yield from _non_empty(("pull_request_review_comments", out))


def _review_comment_rows(
    client: GitHubClient, review: dict, review_id: int | None, pr_id: int | None, repo_id: int
) -> list[dict]:
    """Every comment row of one review: the page it came with, then any further pages."""
    rows: list[dict] = []
    for page in page_connection(
        client,
        q.REVIEW_COMMENTS_PAGE_QUERY,
        {"id": review["id"]},
        ("node", "comments"),
        first_page=review.get("comments") or {},
    ):
        rows += [
            row
            for c in r.nodes_of(page)
            if (row := r.review_comment_row(c, review_id, pr_id, repo_id))["id"] is not None
        ]
    return rows


# --- commits, stars, forks, releases ------------------------------------------------------


def fetch_commits(
    client: GitHubClient, repo: RepoFetch, since: str | None, first_page: dict | None = None
) -> Iterator[Batch]:
    variables = {**repo.variables, "since": since}
    path = ("repository", "defaultBranchRef", "target", "history")
    for page in page_connection(client, q.COMMITS_QUERY, variables, path, first_page=first_page):
        rows = [r.commit_row(c, repo.repository_id) for c in r.nodes_of(page)]
        rows = [row for row in rows if row["sha"]]
        for row in rows:
            repo.mark("commits", row["committed_at"])
        yield from _non_empty(("commits", rows))


def fetch_stars(
    client: GitHubClient, repo: RepoFetch, since: str | None, first_page: dict | None = None
) -> Iterator[Batch]:
    for page in page_connection(
        client,
        q.STARGAZERS_QUERY,
        repo.variables,
        ("repository", "stargazers"),
        first_page=first_page,
    ):
        edges = [e for e in page.get("edges") or [] if isinstance(e, dict)]
        edges, reached = take_while(edges, lambda e: not is_before(e.get("starredAt"), since))
        rows = [row for e in edges if (row := r.stargazer_row(e, repo.repository_id))]
        for row in rows:
            repo.mark("stars", row["starred_at"])
        yield from _non_empty(("stargazers", rows))
        if reached:
            return


def fetch_forks(
    client: GitHubClient, repo: RepoFetch, since: str | None, first_page: dict | None = None
) -> Iterator[Batch]:
    for page in page_connection(
        client, q.FORKS_QUERY, repo.variables, ("repository", "forks"), first_page=first_page
    ):
        nodes, reached = take_while(
            r.nodes_of(page), lambda n: not is_before(n.get("createdAt"), since)
        )
        rows = [row for n in nodes if (row := r.fork_row(n, repo.repository_id))["id"]]
        for row in rows:
            repo.mark("forks", row["created_at"])
        yield from _non_empty(("forks", rows))
        if reached:
            return


def fetch_releases(
    client: GitHubClient, repo: RepoFetch, since: str | None, first_page: dict | None = None
) -> Iterator[Batch]:
    for page in page_connection(
        client,
        q.RELEASES_QUERY,
        repo.variables,
        ("repository", "releases"),
        first_page=first_page,
    ):
        items = r.nodes_of(page)
        nodes, reached = take_while(items, lambda n: not is_before(n.get("createdAt"), since))
        # A release's news is its creation or its publication, whichever is later: a draft
        # published long after it was created sits past the creation-order stop, but on the
        # page already read (the probe carries the newest 100).
        nodes += [n for n in items[len(nodes) :] if not is_before(release_time(n), since)]
        rows = [row for n in nodes if (row := r.release_row(n, repo.repository_id))["id"]]
        for node in nodes:
            repo.mark("releases", release_time(node))
        yield from _non_empty(("releases", rows))
        if reached:
            return


def release_time(node: dict) -> str | None:
    """When a release last became news: created, or published (drafts publish later)."""
    return later(node.get("createdAt"), node.get("publishedAt"))


# --- discussions --------------------------------------------------------------------------


def fetch_discussions(
    client: GitHubClient, repo: RepoFetch, since: str | None, first_page: dict | None = None
) -> Iterator[Batch]:
    """Discussions (newest-updated first, stopped at the cursor) and their comment trees.
    Categories, and usually the first page, come with the change-detection query (see
    `probe.py`)."""
    want_discussions = "discussions" in repo.resources
    want_comments = "comments" in repo.resources
    for page in page_connection(
        client,
        q.DISCUSSIONS_QUERY,
        repo.variables,
        ("repository", "discussions"),
        first_page=first_page,
    ):
        nodes, reached = take_while(
            r.nodes_of(page), lambda n: not is_before(n.get("updatedAt"), since)
        )
        discussions, parents = [], []
        for node in nodes:
            row = r.discussion_row(node, repo.repository_id)
            if row["id"] is None:
                continue
            repo.mark("discussions", row["updated_at"])
            discussions.append(row)
            if (r.total(node.get("comments")) or 0) > 0:
                parents.append((node["id"], row["id"]))
        if want_discussions:
            yield from _non_empty(("discussions", discussions))
        if want_comments:
            yield from _discussion_comments(client, parents, repo.repository_id)
        if reached:
            return


def _discussion_comments(
    client: GitHubClient, parents: list[tuple[str, int]], repo_id: int
) -> Iterator[Batch]:
    query = q.build_nodes_query("discussion_comments", DISCUSSION_COMMENT_PAGE)
    for start in range(0, len(parents), DISCUSSION_BATCH):
        chunk = dict(parents[start : start + DISCUSSION_BATCH])
        answered = _nodes(client, query, list(chunk))
        out: list[dict] = []
        for discussion in answered:
            if not isinstance(discussion, dict) or discussion.get("id") not in chunk:
                continue
            discussion_id = chunk[discussion["id"]]
            for page in page_connection(
                client,
                q.DISCUSSION_COMMENTS_PAGE_QUERY,
                {"id": discussion["id"], "replyFirst": REPLIES_PER_COMMENT},
                ("node", "comments"),
                page_size=DISCUSSION_COMMENT_PAGE,
                first_page=discussion.get("comments") or {},
            ):
                for comment in r.nodes_of(page):
                    out.append(r.discussion_comment_row(comment, discussion_id, repo_id))
                    for reply_page in page_connection(
                        client,
                        q.DISCUSSION_REPLIES_PAGE_QUERY,
                        {"id": comment["id"]},
                        ("node", "replies"),
                        first_page=comment.get("replies") or {},
                    ):
                        out += [
                            r.discussion_comment_row(x, discussion_id, repo_id)
                            for x in r.nodes_of(reply_page)
                        ]
        yield from _non_empty(("discussion_comments", [c for c in out if c["id"] is not None]))


# --- events (REST: GraphQL has no repository event feed) --------------------------------------


def fetch_events(
    client: GitHubClient, repo: RepoFetch, since: str | None, etag: str | None
) -> Iterator[Batch]:
    """The last 30 days of events, newest first. The first page is conditional on the
    stored ETag: an unchanged feed answers 304, which costs no rate limit."""
    path = f"/repos/{repo.owner}/{repo.name}/events"
    page = client.rest(path, {"per_page": PAGE}, etag=etag)
    if page.not_modified:
        repo.marks["events_etag"] = etag
        return
    repo.marks["events_etag"] = page.etag
    seen: set[str] = set()
    while True:
        items = [e for e in page.json or [] if isinstance(e, dict)]
        items, reached = take_while(items, lambda e: not is_before(e.get("created_at"), since))
        rows = [row for e in items if (row := r.event_row(e, repo.repository_id))]
        for row in rows:
            repo.mark("events", row["created_at"])
        yield from _non_empty(("events", rows))
        seen.add(page.url)
        if reached or not page.next_url or page.next_url in seen:
            return
        page = client.rest(page.next_url)


def _non_empty(*batches: Batch) -> Iterator[Batch]:
    for table, rows in batches:
        if rows:
            yield table, rows
