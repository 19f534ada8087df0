"""Fetch one resource of one repository, yielding `(raw_table, rows)` batches page by page.

Each fetcher reads only what changed since `since` (an ISO lower bound: the cursor minus a
small lag, or the retention/backfill window start) and reports the high-water mark it saw
in `RepoFetch.marks`, which the source turns into the next cursor once the data is committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from loaders.github import GitHubClient, GraphQLTimeout
from loaders.github.stats import graphql_key
from loaders.sources import queries as q
from loaders.sources import rows as r
from loaders.sources.paging import is_before, iso, later, page_connection, take_while, utcnow

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
        yield from non_empty(
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
    return conversation(client, node, since, lambda c: r.issue_comment_row(c, issue_id, repo_id))


def conversation(
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
        yield from non_empty(("commits", rows))


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
        yield from non_empty(("stargazers", rows))
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
        yield from non_empty(("forks", rows))
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
        yield from non_empty(("releases", rows))
        if reached:
            return


def release_time(node: dict) -> str | None:
    """When a release last became news: created, or published (drafts publish later)."""
    return later(node.get("createdAt"), node.get("publishedAt"))


def nodes_batch(
    client: GitHubClient, query: str, ids: list[str], *, adapt: bool = True
) -> list[Any]:
    """`nodes(ids:)` answers for `ids`. When GitHub gives up on the query (502/504), the
    batch is split in halves: a smaller query is GitHub's own cure, like halving a page.
    When GitHub has charged such batches more than estimated, they are sent smaller."""
    size = client.batch_size(graphql_key(query), len(ids)) if adapt else len(ids)
    if size < len(ids):
        return [
            node
            for start in range(0, len(ids), size)
            for node in nodes_batch(client, query, ids[start : start + size], adapt=False)
        ]
    try:
        return client.graphql(query, {"ids": ids}).get("nodes") or []
    except GraphQLTimeout:
        if len(ids) <= 1:
            raise
        middle = len(ids) // 2
        return nodes_batch(client, query, ids[:middle], adapt=False) + nodes_batch(
            client, query, ids[middle:], adapt=False
        )


def answered_in_batches(
    client: GitHubClient, query: str, parents: dict[str, Any], batch: int
) -> Iterator[tuple[list[Any], list[tuple[dict, Any]]]]:
    """Ask `nodes(ids:)` for the node ids of `parents` (id -> what the caller keeps for it),
    `batch` ids per request. Per request: the values asked for, and each answered node with
    its value (GitHub answers null for a node it cannot resolve: skipped)."""
    ids = list(parents)
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        answered = [
            (node, parents[node["id"]])
            for node in nodes_batch(client, query, chunk)
            if isinstance(node, dict) and node.get("id") in parents
        ]
        yield [parents[node_id] for node_id in chunk], answered


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
            yield from non_empty(("discussions", discussions))
        if want_comments:
            yield from _discussion_comments(client, parents, repo.repository_id)
        if reached:
            return


def _discussion_comments(
    client: GitHubClient, parents: list[tuple[str, int]], repo_id: int
) -> Iterator[Batch]:
    query = q.build_nodes_query("discussion_comments", DISCUSSION_COMMENT_PAGE)
    for _, answered in answered_in_batches(client, query, dict(parents), DISCUSSION_BATCH):
        out: list[dict] = []
        for discussion, discussion_id in answered:
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
        yield from non_empty(("discussion_comments", [c for c in out if c["id"] is not None]))


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
        yield from non_empty(("events", rows))
        seen.add(page.url)
        if reached or not page.next_url or page.next_url in seen:
            return
        page = client.rest(page.next_url)


def non_empty(*batches: Batch) -> Iterator[Batch]:
    """The batches that have rows, each followed by the avatars of its authors (`actors`)."""
    for table, rows in batches:
        if rows:
            actors = r.split_actors(rows, iso(utcnow()))
            yield table, rows
            if actors:
                yield "actors", actors
