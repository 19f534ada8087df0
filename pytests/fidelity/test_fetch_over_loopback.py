"""The loaders' fetchers, through the real GitHub client, against GitHub-shaped answers.

A loopback server answers every GraphQL query with data synthesised from GitHub's real
schema (sparse: everything nullable is null, ghost authors included; full: everything
set plus unknown fields), `/rate_limit` with GitHub's documented example, and the REST
events feed with GitHub's documented example events under real recorded headers (ETag,
rate-limit), split over two pages joined by a `Link` header. The fetchers must page
through it all without error and yield rows of their raw tables, with nulls where
GitHub sent nulls.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from graphql import GraphQLSchema, parse

from .emulator_access import import_or_skip
from .openapi import RestDescription
from .raw_expectations import NULLABLE_SOURCED
from .recorded import Recorded
from .replay_server import ReplayServer
from .synth import UNKNOWN_FIELD, synthesise

OWNER, NAME, REPO_ID = "octo", "fixture", 42
RESOURCES = frozenset(
    {"issues", "comments", "pull_requests", "reviews", "commits", "stars", "forks",
     "releases", "discussions", "events"}
)  # fmt: skip


def _no_sleep(seconds: float) -> None:
    raise AssertionError(f"the client tried to sleep {seconds}s against loopback")


def _real_headers(octokit_recordings: list[Recorded]) -> tuple[tuple[str, str], ...]:
    repo = next(r for r in octokit_recordings if r.source.endswith("get-repository#0"))
    drop = {"content-length", "connection", "link"}
    return tuple((k, v) for k, v in repo.headers if k.lower() not in drop)


def _rest_recordings(
    description: RestDescription, headers: tuple[tuple[str, str], ...]
) -> tuple[list[Recorded], list[dict[str, Any]]]:
    """`/rate_limit` and a two-page events feed, from GitHub's documented examples."""
    events = [e for v in description.examples("/repos/{owner}/{repo}/events").values() for e in v]
    events = [*events, *copy.deepcopy(events)]
    for i, event in enumerate(events):
        event["id"] = str(9_000_000 + i)  # distinct ids across the two pages
    ghost = copy.deepcopy(events[-1])
    ghost["id"], ghost["actor"] = "9999999", {"id": 10137, "login": "ghost"}
    events.append(ghost)
    half = len(events) // 2
    path = f"/repos/{OWNER}/{NAME}/events"
    link = f'<https://api.github.com{path}?per_page=100&page=2>; rel="next"'
    rate_limit = next(iter(description.examples("/rate_limit").values()))
    recs = [
        Recorded("openapi example", "GET", "/rate_limit", 200, headers, rate_limit),
        Recorded("openapi example", "GET", path, 200, (*headers, ("Link", link)), events[:half]),
        Recorded("openapi example", "GET", f"{path}?page=2", 200, headers, events[half:]),
    ]
    return recs, events


def _answerer(
    schema: GraphQLSchema, mode: str, actor: str, keep: frozenset[str] = frozenset({"databaseId"})
) -> Callable[[dict], Any]:
    def answer(payload: dict[str, Any]) -> dict[str, Any]:
        document = parse(payload["query"])
        # `databaseId` stays set by default: GitHub declares it nullable but the loaders
        # key on it (rows with a null id are dropped, and would leave nothing to check).
        data = synthesise(schema, document, mode, actor, keep=keep)  # type: ignore[arg-type]
        return {"data": data}

    return answer


def _run_fetchers(server: ReplayServer) -> dict[str, list[dict[str, Any]]]:
    fetch = import_or_skip("loaders.sources.fetch", "loader fetchers")
    pulls = import_or_skip("loaders.sources.pulls", "pull request fetcher")
    github = import_or_skip("loaders.github", "GitHub client")
    settings = github.GitHubSettings(api_url=server.base_url, tokens="t0k3n", max_retries=0)
    repo = fetch.RepoFetch(OWNER, NAME, REPO_ID, RESOURCES)
    calls: list[Callable[[Any], Iterator[tuple[str, list[dict]]]]] = [
        lambda c: fetch.fetch_issues(c, repo, None, None),
        lambda c: pulls.fetch_pull_requests(c, repo, None),
        lambda c: fetch.fetch_commits(c, repo, None),
        lambda c: fetch.fetch_stars(c, repo, None),
        lambda c: fetch.fetch_forks(c, repo, None),
        lambda c: fetch.fetch_releases(c, repo, None),
        lambda c: fetch.fetch_discussions(c, repo, None),
        lambda c: fetch.fetch_events(c, repo, None, None),
    ]
    out: dict[str, list[dict[str, Any]]] = {}
    with github.GitHubClient(settings, sleep=_no_sleep) as client:
        for call in calls:
            for table, rows in call(client):
                out.setdefault(table, []).extend(rows)
    out["_marks"] = [dict(repo.marks)]
    return out


def _check_tables(got: dict[str, list[dict[str, Any]]]) -> None:
    tables = import_or_skip("loaders.sources.tables", "raw tables")
    for table, rows in got.items():
        if table.startswith("_"):
            continue
        columns = set(tables.TABLES[table].column_names)
        for row in rows:
            assert set(row) == columns, f"{table}: {set(row) ^ columns}"
            assert UNKNOWN_FIELD not in str(row), f"{table}: unknown field leaked: {row}"
        tables.TABLES[table].to_arrow(rows)


@pytest.fixture(scope="module")
def rest_parts(rest_description, octokit_recordings):
    return _rest_recordings(rest_description, _real_headers(octokit_recordings))


@pytest.mark.parametrize(("mode", "actor"), [("sparse", "User"), ("full", "User"), ("full", "Bot")])
def test_fetchers_over_github_shaped_answers(
    mode: str, actor: str, real_schema: GraphQLSchema, rest_parts, octokit_recordings
):
    recordings, events = rest_parts
    server = ReplayServer(
        recordings,
        graphql=_answerer(real_schema, mode, actor),
        graphql_headers=_real_headers(octokit_recordings),
    )
    with server:
        got = _run_fetchers(server)
    assert not server.unmatched, [r.path for r in server.unmatched]
    _check_tables(got)

    expected_tables = {
        "issues", "issue_labels", "issue_events", "issue_comments", "pull_requests",
        "pull_request_reviews", "pull_request_review_comments", "commits", "stargazers",
        "forks", "releases", "discussions", "discussion_comments", "events",
        "pull_request_labels", "pull_request_comments", "pull_request_review_requests",
        "issue_pull_request_links",
    }  # fmt: skip
    assert expected_tables <= set(got), expected_tables - set(got)
    # Both event pages were read (the Link header was followed) and the ghost mapped.
    assert len(got["events"]) == len(events)
    ghost = next(e for e in got["events"] if e["id"] == "9999999")
    assert ghost["actor_login"] is None
    assert got["_marks"][0]["events_etag"] == dict(recordings[1].headers)["ETag"]

    for table, rows in got.items():
        for row in rows:
            if mode == "sparse":
                filled = {
                    c: row[c]
                    for c in NULLABLE_SOURCED.get(table, ())
                    if c != "id" and row[c] is not None
                }
                assert not filled, f"{table}: GitHub sent null, row has {filled}"
            elif table != "_marks" and "author_is_bot" in row and table != "commits":
                assert row["author_is_bot"] is (actor == "Bot"), (table, row)


def test_null_database_ids_never_reach_a_primary_key(
    real_schema: GraphQLSchema, rest_parts, octokit_recordings
):
    tables = import_or_skip("loaders.sources.tables", "raw tables")
    recordings, _ = rest_parts
    server = ReplayServer(recordings, graphql=_answerer(real_schema, "sparse", "User", frozenset()))
    with server:
        got = _run_fetchers(server)
    _check_tables(got)
    for table, rows in got.items():
        if table.startswith("_"):
            continue
        keys = tables.TABLES[table].primary_key
        keyless = [r for r in rows if any(r[k] is None for k in keys)]
        assert not keyless, f"{table}: rows with a null primary key {keys}: {keyless[:2]}"
    # Commits key on (repository, sha) and events on their REST id: those still load.
    assert got.get("commits") and got.get("events")
