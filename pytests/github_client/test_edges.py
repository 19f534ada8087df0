"""Odd answers: malformed blocks and headers, disagreeing servers, helpers' corner cases."""

from __future__ import annotations

import pytest

from loaders.github import BudgetExhausted, GitHubClient, GitHubSettings, TransientError
from loaders.github.http_utils import (
    parse_link_header,
    parse_rate_limit_headers,
    parse_retry_after,
)
from loaders.github.stats import endpoint_key, graphql_key

from .conftest import TOKENS
from .fake_github import START, Answer

QUERY = "query { viewer { login } }"


def test_graphql_rate_limited_while_rate_limit_claims_budget(fake, make_client, clock):
    # No rate headers on the GraphQL answer and a fresh window on every /rate_limit read:
    # the client must still stop instead of bouncing forever.
    fake.always(
        "POST",
        "/graphql",
        Answer(200, {"errors": [{"type": "RATE_LIMITED", "message": "x"}]}, rate_headers=False),
    )
    client = make_client()
    with pytest.raises(BudgetExhausted):
        client.graphql(QUERY)
    assert len(fake.requests_to("/graphql")) <= 2


def test_malformed_rate_limit_block_falls_back_to_the_estimate(fake, make_client):
    block = {"remaining": "lots", "resetAt": "soon", "cost": "two"}
    fake.script("POST", "/graphql", Answer(200, {"data": {"rateLimit": block, "v": 1}}))
    client = make_client()
    result = client.graphql_result(QUERY, estimated_cost=4)
    assert result.cost == 4
    assert client.budget.entry(0, "graphql").remaining == 4999  # from the headers


def test_rate_limit_block_without_limit_keeps_the_known_limit(fake, make_client):
    block = {"remaining": 4000, "resetAt": "2027-01-15T09:00:00Z", "cost": 1}
    fake.script("POST", "/graphql", Answer(200, {"data": {"rl": block, "v": 1}}))
    client = make_client()
    client.graphql(QUERY)
    assert client.budget.entry(0, "graphql").limit == 5000
    assert client.budget.entry(0, "graphql").remaining == 4000


def test_rate_limit_endpoint_failure_is_transient(fake, make_client):
    fake.script("GET", "/rate_limit", Answer(200, {"unexpected": True}))
    client = make_client()
    with pytest.raises(TransientError, match="/rate_limit"):
        client.rest("/repos/o/r")


def test_rate_limit_without_graphql_resource_means_unlimited(fake, make_client):
    fake.script(
        "GET",
        "/rate_limit",
        Answer(200, {"resources": {"core": {"limit": 1, "remaining": "x", "reset": 0}}}),
    )
    fake.script("POST", "/graphql", Answer(200, {"data": {"v": 1}}, rate_headers=False))
    client = make_client(reserve=10**6)
    assert client.graphql(QUERY) == {"v": 1}


def test_forbidden_without_body_and_empty_success(fake, make_client):
    fake.script("GET", "/repos/o/r/topics", Answer(204, None))
    fake.script("GET", "/repos/o/r/x", Answer(403, b"<html>no</html>", rate_headers=False))
    client = make_client()
    assert client.rest("/repos/o/r/topics").json is None
    with pytest.raises(Exception, match="forbidden"):
        client.rest("/repos/o/r/x")


def test_context_manager_and_env_defaults(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKENS", TOKENS[0])
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")
    with GitHubClient() as client:
        assert client.settings.api_url == "http://127.0.0.1:9"
        assert TOKENS[0] not in repr(client)


def test_header_parsers():
    assert parse_link_header(None) == {}
    assert parse_link_header('<http://a/1>; rel="next last", <http://a/0>; rel=prev') == {
        "next": "http://a/1",
        "last": "http://a/1",
        "prev": "http://a/0",
    }
    assert parse_link_header("<http://a/1>; title=x") == {}
    assert parse_retry_after(None, 0) is None
    assert parse_retry_after("-5", 0) == 0
    assert parse_retry_after("soon", 0) is None
    assert parse_rate_limit_headers({"x-ratelimit-limit": "5000"}) is None
    parsed = parse_rate_limit_headers(
        {"x-ratelimit-limit": "60", "x-ratelimit-remaining": "1", "x-ratelimit-reset": str(START)}
    )
    assert (parsed.limit, parsed.remaining, parsed.resource) == (60, 1, None)


def test_stats_keys():
    assert endpoint_key("/repos/o/r/commits/0a1b2c3d?x=1") == "/repos/{owner}/{repo}/commits/{sha}"
    assert endpoint_key("/repos/o/r/releases") == "/repos/{owner}/{repo}/releases"
    assert graphql_key("query Issues($n: Int) { x }") == "graphql:Issues"
    assert graphql_key("{ x }") == "graphql"


def test_settings_graphql_url_always_set():
    assert GitHubSettings().endpoint_graphql == "https://api.github.com/graphql"
