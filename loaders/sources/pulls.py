"""Pull requests (newest-updated first, stopped at the cursor) and what changed ones carry
beyond their page: assignees, labels, closing links, review requests, conversation comments,
reviews and review comments, 100 pull requests per `nodes(ids:)` request."""

from __future__ import annotations

import json
from collections.abc import Iterator

from loaders.github import GitHubClient
from loaders.sources import queries as q
from loaders.sources import rows as r
from loaders.sources.fetch import (
    CHILD_BATCH,
    PAGE,
    REVIEW_COMMENTS_PER_REVIEW,
    Batch,
    RepoFetch,
    answered_in_batches,
    conversation,
    non_empty,
)
from loaders.sources.paging import is_before, page_connection, take_while


def fetch_pull_requests(
    client: GitHubClient,
    repo: RepoFetch,
    since: str | None,
    first_page: dict | None = None,
    page_size: int = PAGE,
) -> Iterator[Batch]:
    """Newest-updated first, stopping at the cursor (`pullRequests` has no `since`).

    Pages carry no nested connection: each is charged per PR of the page (100 requests)
    whether or not it changed. Labels, assignees, links, review requests, conversation
    comments and reviews come for the changed PRs only, 100 per `nodes(ids:)` request. The
    first page usually arrives with the change-detection probe."""
    parts = pull_request_parts(repo.resources)
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


def pull_request_parts(resources: frozenset[str]) -> frozenset[str]:
    """What the `nodes(ids:)` batch of changed PRs carries, by fetch flag (see queries)."""
    parts = set()
    if "pull_requests" in resources:
        parts.add("details")
        if "comments" in resources:
            parts.add("comments")
    if "reviews" in resources or "comments" in resources:
        parts.add("reviews")
    return frozenset(parts)


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
    for asked, answered in answered_in_batches(client, query, prs, CHILD_BATCH):
        out: dict[str, list[dict]] = {}
        overflow: list[tuple[str, int, int]] = []
        for pr_node, pr in answered:
            if "details" in parts:
                _details(client, pr_node, pr, out)
            if "comments" in parts:
                out.setdefault("pull_request_comments", []).extend(
                    conversation(
                        client,
                        pr_node,
                        since,
                        lambda c, pr=pr: r.pull_request_comment_row(c, pr["id"], repo_id),
                    )
                )
            if "reviews" in parts:
                overflow += _reviews(client, repo, pr_node, pr["id"], out)
        if want_prs:
            yield from non_empty(("pull_requests", asked))
        yield from non_empty(*out.items())
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
    by_node = {node_id: (review_id, pr_id) for node_id, review_id, pr_id in reviews}
    for _, answered in answered_in_batches(client, query, by_node, CHILD_BATCH):
        out: list[dict] = []
        for review, (review_id, pr_id) in answered:
            out += _review_comment_rows(client, review, review_id, pr_id, repo_id)
        yield from non_empty(("pull_request_review_comments", out))


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
