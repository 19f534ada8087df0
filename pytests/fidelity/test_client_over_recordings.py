"""The project's one GitHub client against GitHub's real recorded answers.

Paging by real `Link` headers, a real 301 for a renamed repository, a real 404, real
rate-limit headers, and gidgethub's recorded GraphQL answers, all replayed on loopback.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from loaders.github import GitHubClient, GitHubSettings, GraphQLErrors, NotFound
from loaders.github.query_shape import with_rate_limit

from .recorded import Recorded
from .replay_server import ReplayServer


def _no_sleep(seconds: float) -> None:
    raise AssertionError(f"the client tried to sleep {seconds}s on a recorded answer")


def _client(server: ReplayServer) -> GitHubClient:
    return GitHubClient(GitHubSettings(api_url=server.base_url, max_retries=0), sleep=_no_sleep)


def _scenario(recordings: list[Recorded], name: str) -> list[Recorded]:
    return [r for r in recordings if r.extra.get("scenario") == name]


def test_rest_pages_follow_real_link_headers(octokit_recordings: list[Recorded]):
    pages = [r for r in _scenario(octokit_recordings, "paginate-issues") if r.method == "GET"]
    with ReplayServer(pages) as server, _client(server) as client:
        replies = list(client.rest_pages(pages[0].route, {"per_page": 3}))
    assert [len(p.json) for p in replies] == [3, 3, 3, 3, 1]
    assert sorted(i["number"] for p in replies for i in p.json) == list(range(1, 14))
    assert replies[0].etag == pages[0].header("ETag")
    # Only the budget probe (free `/rate_limit`, never recorded) may miss the recordings.
    assert {r.path for r in server.unmatched} <= {"/rate_limit"}, server.unmatched


def test_rest_reads_real_rate_limit_headers(octokit_recordings: list[Recorded]):
    repo = next(r for r in octokit_recordings if r.source.endswith("get-repository#0"))
    with ReplayServer([repo]) as server, _client(server) as client:
        reply = client.rest(repo.route)
        entry = client.budget.entry(0, "core")
    assert reply.json["full_name"] == "octokit-fixture-org/hello-world"
    assert entry is not None
    assert entry.limit == int(repo.header("X-RateLimit-Limit"))
    # The client books its own spend on top of what the header said was left.
    assert entry.remaining <= int(repo.header("X-RateLimit-Remaining"))


def test_real_rename_redirect_is_followed(octokit_recordings: list[Recorded]):
    recs = [r for r in _scenario(octokit_recordings, "rename-repository") if r.method == "GET"]
    moved = next(r for r in recs if r.status == 301)
    with ReplayServer(recs) as server, _client(server) as client:
        reply = client.rest(moved.route)
    assert reply.moved
    assert reply.renamed_to == recs[-1].body["full_name"]
    assert reply.renamed_to != moved.route.removeprefix("/repos/")


def test_real_404_raises_not_found(gidgethub_recordings: list[Recorded]):
    missing = next(r for r in gidgethub_recordings if r.status == 404)
    recorded = Recorded(
        source=missing.source,
        method="GET",
        path="/repos/python/cpython/pulls/999999",
        status=404,
        headers=missing.headers,
        body=missing.body,
    )
    with ReplayServer([recorded]) as server, _client(server) as client, pytest.raises(NotFound):
        client.rest(recorded.path)


def _graphql(body: Any, status: int = 200) -> Recorded:
    # gidgethub records GraphQL bodies only; GitHub sends them as JSON with these headers.
    return Recorded(
        source="gidgethub GraphQL sample",
        method="POST",
        path="/graphql",
        status=status,
        headers=(("Content-Type", "application/json; charset=utf-8"),),
        body=body,
    )


def test_graphql_success_and_error_answers(gidgethub_graphql_samples: dict[str, Any]):
    query = "query($n: Int!) { viewer { name repositories(last: $n) { nodes { name } } } }"
    ok = gidgethub_graphql_samples["success-200"]
    with ReplayServer([_graphql(ok)]) as server, _client(server) as client:
        assert client.graphql(query, {"n": 3}) == ok["data"]
        sent = json.loads(next(r.body for r in server.log if r.method == "POST"))
    # The client adds `rateLimit { cost ... }` so GitHub states what it charged.
    assert sent == {"query": with_rate_limit(query)[0], "variables": {"n": 3}}

    for name in ("malformed-query-200", "missing-variable-in-request-200"):
        bad = gidgethub_graphql_samples[name]
        with (
            ReplayServer([_graphql(bad)]) as server,
            _client(server) as client,
            pytest.raises(GraphQLErrors) as caught,
        ):
            client.graphql(query, {"n": 3})
        assert bad["errors"][0]["message"] in str(caught.value)
