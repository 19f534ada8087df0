"""The loaders' row mapping over GitHub's real shapes: nulls, bots, ghosts, unknown fields.

GraphQL: each loader query is answered by `synth.py` from GitHub's real schema, once with
every field GitHub may null set to null (ghost authors, missing milestones, deleted head
repositories, null items in `nodes`) and once fully filled plus unknown extra fields.
REST events: GitHub's documented example answer, plus ghost/bot/unknown-field variants.
Rows must map without error, carry exactly their raw table's columns, convert to Arrow,
and get nulls (or values) exactly where the payload had them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from graphql import GraphQLSchema, parse

from .emulator_access import import_or_skip
from .openapi import RestDescription
from .raw_expectations import EVENT_SUBJECTS, NULLABLE_SOURCED, SUBJECT_COLUMNS
from .synth import UNKNOWN_FIELD, synthesise

REPO_ID = 42

Rows = Iterator[tuple[str, dict[str, Any] | None]]


def _sources() -> tuple[Any, Any, Any]:
    return tuple(
        import_or_skip(f"loaders.sources.{m}", "loader row mapping")
        for m in ("queries", "rows", "tables")
    )


# How the loaders walk each answer: query constant -> generator of (table, row). Mirrors
# docs/raw_schema.md; the row functions are the loaders' own (loaders/sources/rows.py).
def _walks(rows: Any) -> dict[str, Callable[[dict[str, Any]], Rows]]:
    nodes, as_int, dig = rows.nodes_of, rows.as_int, rows.dig

    def issues(data: dict[str, Any]) -> Rows:
        for issue in nodes(dig(data, "repository", "issues")):
            yield "issues", rows.issue_row(issue, REPO_ID)
            issue_id = as_int(issue.get("databaseId"))
            for label in rows.issue_label_rows(issue, issue_id, REPO_ID):
                yield "issue_labels", label
            for c in nodes(issue.get("comments")):
                yield "issue_comments", rows.issue_comment_row(c, issue_id, REPO_ID)
            for e in nodes(issue.get("timelineItems")):
                yield "issue_events", rows.issue_event_row(e, issue_id, REPO_ID)

    def pulls(data: dict[str, Any]) -> Rows:
        for pr in nodes(dig(data, "repository", "pullRequests")):
            yield "pull_requests", rows.pull_request_row(pr, REPO_ID)
            for review in nodes(pr.get("reviews")):
                pr_id = as_int(pr.get("databaseId"))
                yield "pull_request_reviews", rows.review_row(review, pr_id, REPO_ID)

    def pull_request_children(data: dict[str, Any]) -> Rows:
        for pr in data.get("nodes") or []:
            if not isinstance(pr, dict):
                continue
            row = {"id": 5, "node_id": "PR_5", "number": 7, "repository_id": REPO_ID}
            yield from (("pull_request_labels", x) for x in rows.pull_request_label_rows(pr, 5, 42))
            yield from (("issue_pull_request_links", x) for x in rows.issue_link_rows(pr, row))
            for e in nodes(pr.get("timelineItems")):
                yield "pull_request_review_requests", rows.review_request_row(e, 5, REPO_ID)
            for c in nodes(pr.get("comments")):
                yield "pull_request_comments", rows.pull_request_comment_row(c, 5, REPO_ID)

    def review_comments(data: dict[str, Any]) -> Rows:
        for c in nodes(dig(data, "node", "comments")):
            yield "pull_request_review_comments", rows.review_comment_row(c, 7, 8, REPO_ID)

    def commits(data: dict[str, Any]) -> Rows:
        history = dig(data, "repository", "defaultBranchRef", "target", "history")
        for commit in nodes(history):
            yield "commits", rows.commit_row(commit, REPO_ID)

    def stargazers(data: dict[str, Any]) -> Rows:
        edges = dig(data, "repository", "stargazers", "edges") or []
        for edge in edges:
            if isinstance(edge, dict):
                yield "stargazers", rows.stargazer_row(edge, REPO_ID)

    def forks(data: dict[str, Any]) -> Rows:
        for fork in nodes(dig(data, "repository", "forks")):
            yield "forks", rows.fork_row(fork, REPO_ID)

    def releases(data: dict[str, Any]) -> Rows:
        for release in nodes(dig(data, "repository", "releases")):
            yield "releases", rows.release_row(release, REPO_ID)

    def discussions(data: dict[str, Any]) -> Rows:
        for cat in nodes(dig(data, "repository", "discussionCategories")):
            yield "discussion_categories", rows.discussion_category_row(cat, REPO_ID)
        for d in nodes(dig(data, "repository", "discussions")):
            yield "discussions", rows.discussion_row(d, REPO_ID)

    def discussion_comments(data: dict[str, Any]) -> Rows:
        for c in nodes(dig(data, "node", "comments")):
            yield "discussion_comments", rows.discussion_comment_row(c, 9, REPO_ID)
            for reply in nodes(c.get("replies")):
                yield "discussion_comments", rows.discussion_comment_row(reply, 9, REPO_ID)

    return {
        "ISSUES_QUERY": issues,
        "PULL_REQUESTS_QUERY": pulls,
        "REVIEW_COMMENTS_PAGE_QUERY": review_comments,
        "build_pull_request_children_query": pull_request_children,
        "COMMITS_QUERY": commits,
        "STARGAZERS_QUERY": stargazers,
        "FORKS_QUERY": forks,
        "RELEASES_QUERY": releases,
        "DISCUSSIONS_QUERY": discussions,
        "DISCUSSION_COMMENTS_PAGE_QUERY": discussion_comments,
    }


def _map(schema: GraphQLSchema, mode: str, actor: str = "User") -> dict[str, list[dict]]:
    queries, rows, tables = _sources()
    out: dict[str, list[dict]] = {}
    for name, walk in _walks(rows).items():
        text = getattr(queries, name)
        if callable(text):  # a builder: the text with every part
            text = text(50, queries.PULL_REQUEST_PARTS)
        data = synthesise(schema, parse(text), mode, actor)  # type: ignore[arg-type]
        for table, row in walk(data):
            if row is not None:
                out.setdefault(table, []).append(row)
    for table, got in out.items():
        spec = tables.TABLES[table]
        rows.split_actors(got, "2024-01-01T00:00:00Z")  # as fetch.non_empty does
        for row in got:
            assert set(row) == set(spec.column_names), (
                f"{table}: {set(row) ^ set(spec.column_names)}"
            )
        spec.to_arrow(got)  # typed conversion must accept whatever the mapping produced
    return out


def test_sparse_payloads_map_to_nulls(real_schema: GraphQLSchema):
    mapped = _map(real_schema, "sparse")
    assert set(NULLABLE_SOURCED) - {"stargazers"} <= set(mapped), set(mapped)
    for table, got in mapped.items():
        for row in got:
            wrong = {c: row[c] for c in NULLABLE_SOURCED.get(table, ()) if row[c] is not None}
            assert not wrong, f"{table}: GitHub sent null, row has {wrong}"
    issue = mapped["issues"][0]
    assert issue["assignee_logins"] == '["User.login"]'  # the null item in `nodes` skipped
    assert mapped["discussions"][0]["is_answered"] is False
    # A star whose user has no databaseId cannot be keyed: dropped, not stored with null.
    assert "stargazers" not in mapped


def test_full_payloads_fill_every_column(real_schema: GraphQLSchema):
    mapped = _map(real_schema, "full")
    for table, got in mapped.items():
        for row in got:
            empty = [c for c, v in row.items() if v is None]
            if table == "pull_requests":  # assignees come with the PR's `nodes(ids:)` batch
                empty = [c for c in empty if c != "assignee_logins"]
            if table == "issue_events":  # only the event's own subject columns are filled
                empty = [c for c in empty if c in EVENT_SUBJECTS[row["event"]]]
            assert not empty, f"{table}: GitHub sent every field, still null: {empty}"
            assert UNKNOWN_FIELD not in str(row), f"{table}: an unknown field leaked into {row}"
    issue = mapped["issues"][0]
    assert issue["title"] == "Issue.title"
    assert issue["milestone_title"] == "Milestone.title"
    assert issue["state"] == "closed"  # GraphQL CLOSED -> raw `closed`
    assert issue["author_is_bot"] is False
    assert mapped["issue_labels"][0]["name"] == "Label.name"


def test_bot_authors_are_flagged(real_schema: GraphQLSchema):
    mapped = _map(real_schema, "full", actor="Bot")
    flagged = [
        (table, row["author_is_bot"])
        for table, got in mapped.items()
        for row in got
        if "author_is_bot" in row and table != "commits"  # commit authors are git identities
    ]
    assert flagged and all(is_bot is True for _, is_bot in flagged), flagged


# -- REST events --------------------------------------------------------------------------


def _event_variants(rest_description: RestDescription) -> list[dict[str, Any]]:
    examples = rest_description.examples("/repos/{owner}/{repo}/events")
    events = [e for value in examples.values() for e in (value or [])]
    assert events, "GitHub's description has no example events"
    ghost = copy.deepcopy(events[0])
    ghost["actor"] = {"id": 10137, "login": "ghost", "display_login": "ghost"}
    bot = copy.deepcopy(events[0])
    # REST event actors carry no `type` (GitHub's description: id, login, display_login,
    # gravatar_id, url, avatar_url): the `[bot]` login suffix is the only bot signal.
    bot["actor"] = {"id": 49699333, "login": "dependabot[bot]", "display_login": "dependabot"}
    odd = copy.deepcopy(events[0])
    odd[UNKNOWN_FIELD] = {"x": 1}
    odd["payload"] = {}  # e.g. a WatchEvent without `action`
    odd["actor"] = None
    return [*events, ghost, bot, odd]


def test_rest_events_map(rest_description: RestDescription):
    _, rows, tables = _sources()
    variants = _event_variants(rest_description)
    mapped = [rows.event_row(e, REPO_ID) for e in variants]
    assert all(r is not None for r in mapped)
    tables.TABLES["events"].to_arrow(mapped)
    real, ghost, bot, odd = mapped[0], mapped[-3], mapped[-2], mapped[-1]
    assert real["actor_login"] == variants[0]["actor"]["login"]
    assert real["type"] == variants[0]["type"]
    assert ghost["actor_login"] is None and ghost["actor_is_bot"] is None
    assert bot["actor_is_bot"] is True
    assert odd["actor_login"] is None and odd["payload_action"] is None
    assert set(odd) == set(tables.TABLES["events"].column_names)


def test_every_issue_event_type_fills_its_subject(real_schema: GraphQLSchema):
    """Each timeline event type of the loaders' selection, answered fully by GitHub's
    schema, fills exactly the subject columns of its kind (the others stay null)."""
    queries, rows, _ = _sources()
    lines = [x for x in queries.TIMELINE_FIELDS.splitlines() if x.strip().startswith("... on")]
    seen = set()
    for line in lines:
        # The synthesiser answers a union with its first fragment's type: put each first.
        ordered = "\n".join([line, *(x for x in lines if x is not line)])
        text = (
            'query { node(id: "I") { ... on Issue { timelineItems(first: 1) { nodes { '
            f"__typename {ordered} }} }} }} }} }}"
        )
        data = synthesise(real_schema, parse(text), "full")
        for event in rows.nodes_of(rows.dig(data, "node", "timelineItems")):
            row = rows.issue_event_row(event, 1, REPO_ID, "I_other")
            filled = {c for c in SUBJECT_COLUMNS if row[c] is not None}
            assert filled == set(EVENT_SUBJECTS[row["event"]]), (row["event"], filled)
            assert row["actor_login"] is not None
            seen.add(row["event"])
    assert seen == set(EVENT_SUBJECTS)
