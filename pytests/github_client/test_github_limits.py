"""GitHub's documented limits and failure shapes, each met by the client against the emulator
(fault injection): node limit, RATE_LIMITED in a 200, 403 with remaining 0, resource limits,
"Something went wrong ... timeout", data and errors together, HTML 502/504, secondary limits
without retry-after. Sleeps are recorded, never slept."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from loaders.emulator.testing import run_emulator
from loaders.github import (
    BudgetExhausted,
    GitHubClient,
    GitHubSettings,
    GraphQLTimeout,
    SecondaryRateLimited,
    TransientError,
)
from loaders.github.cost import MAX_NODES, count_nodes
from loaders.github.errors import QueryTooLarge
from loaders.sources import queries as q
from pytests.fidelity.query_discovery import discover

REPO = "acme/api-server"
TWO = """
query Two {
  a: repository(owner: "acme", name: "api-server") { nameWithOwner issues(first: 5) { nodes { number } } }
  b: repository(owner: "acme", name: "web-app") { nameWithOwner }
}
"""  # noqa: E501


@pytest.fixture
def gh() -> Iterator[Any]:
    with run_emulator("small", seed=1) as handle:
        yield handle


@pytest.fixture
def client_for(gh: Any) -> Iterator[Callable[..., GitHubClient]]:
    made: list[GitHubClient] = []

    def make(tokens: tuple[str, ...] = ("ghp_emulator_limits_a",), **values: Any) -> GitHubClient:
        settings = {"api_url": gh.base_url, "tokens": list(tokens), "reserve": 0, **values}
        sleeps: list[float] = []
        client = GitHubClient(GitHubSettings(**settings), sleep=sleeps.append, clock=lambda: gh.now)
        client.sleeps = sleeps  # type: ignore[attr-defined]
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def _wide(aliases: int) -> str:
    """Aliased repositories x 100 issues x 100 comments: 10,100 nodes per alias."""
    parts = "\n".join(
        f'r{i}: repository(owner: "acme", name: "api-server") '
        "{ issues(first: 100) { nodes { comments(first: 100) { nodes { id } } } } }"
        for i in range(aliases)
    )
    return f"query Wide {{\n{parts}\n}}"


def test_node_limit_is_checked_before_sending_and_the_loaders_stay_far_below(gh, client_for):
    too_big = _wide(50)  # 505,000 nodes
    assert count_nodes(too_big) == 505_000 > MAX_NODES
    client = client_for()
    with pytest.raises(QueryTooLarge, match="505,000 nodes"):
        client.graphql(too_big)
    assert gh.stats()["graphql_queries"] == 0 and client.stats.graphql_calls == 0
    # The emulator counts the same way and refuses it too (what GitHub would answer).
    answer = requests.post(gh.graphql_url, json={"query": too_big}, headers=gh.headers()).json()
    assert answer["errors"][0]["type"] == "MAX_NODE_LIMIT_EXCEEDED"
    assert client.graphql(_wide(49))  # 494,900 nodes: sent and answered

    # GitHub's own MAX_NODE_LIMIT_EXCEEDED (if its count ever differs from ours): no retry.
    gh.inject_faults(script=[{"kind": "max_node_limit", "match": "/graphql"}])
    with pytest.raises(QueryTooLarge):
        client.graphql(TWO)
    assert client.stats.retries == 0

    # The largest queries the loaders build: the 50-repository probe with every resource,
    # and every page and nodes(ids:) batch at 100 (ids counted x100: the pessimistic reading).
    probe = q.build_probe_query(
        [dataclasses.replace(q._ALL_PROBE, alias=f"r{i}") for i in range(50)]
    )
    texts = {"probe(50 repositories)": probe, **{t.name: t.text for t in discover(q)}}
    pessimistic = {name: count_nodes(text) for name, text in texts.items()}
    documented = {name: count_nodes(text, ids_multiply=False) for name, text in texts.items()}
    # 26,050 before the probe read languages (first: 100 per repository, issue 21).
    assert documented["probe(50 repositories)"] == 31_050
    assert max(documented.values()) <= MAX_NODES // 10  # 31,050: 6 % of the limit
    assert max(pessimistic.values()) <= MAX_NODES // 3  # 152,000 with ids multiplied


def test_rate_limited_in_a_200_and_403_with_remaining_zero(gh, client_for):
    gh.inject_faults(script=[{"kind": "rate_limited", "match": "/graphql"}])
    two_tokens = client_for(tokens=("ghp_emulator_limits_a", "ghp_emulator_limits_b"))
    assert two_tokens.graphql(TWO)["b"]["nameWithOwner"] == "acme/web-app"  # moved on
    gh.inject_faults(script=[{"kind": "rate_limited", "match": "/graphql", "count": 2}])
    with pytest.raises(BudgetExhausted):
        client_for().graphql(TWO)  # one token: stops cleanly, nothing retried in a loop

    gh.set_budgets(core=3)
    ours, theirs = client_for(), client_for()
    ours.rest(f"/repos/{REPO}")  # learns 2 left ...
    theirs.rest(f"/repos/{REPO}")
    theirs.rest(f"/repos/{REPO}")  # ... which another job on the same token spends
    with pytest.raises(BudgetExhausted) as caught:
        ours.rest(f"/repos/{REPO}")  # 403 with x-ratelimit-remaining: 0
    assert caught.value.resource == "core"
    assert gh.stats()["rate_limited"] == 1 and ours.sleeps == []


def test_resource_limits_and_timeouts_in_a_200_are_retried_then_halved(gh, client_for):
    client = client_for(graphql_timeout_retries=1, backoff_base_seconds=0.5)
    for kind in ("resource_limits", "timeout_200"):
        gh.inject_faults(script=[{"kind": kind, "match": "/graphql"}])
        assert client.graphql(TWO)["a"]["nameWithOwner"] == REPO  # retried once
    assert client.stats.retries == 2 and len(client.sleeps) == 2

    query = TWO.replace("issues(first: 5)", "issues(first: $first)").replace(
        "query Two {", "query Two($first: Int!) {"
    )
    # The world grows with the clock: the repository may hold fewer than 50 issues yet.
    issues = len(client.graphql(query, {"first": 100})["a"]["issues"]["nodes"])
    gh.inject_faults(script=[{"kind": "resource_limits", "match": "/graphql", "count": 2}])
    result = client.graphql_adaptive(query, page_size=100)  # 2 failures: one halving
    assert result.page_size == 50
    assert len(result.data["a"]["issues"]["nodes"]) == min(50, issues) > 0
    gh.inject_faults(script=[{"kind": "timeout_200", "match": "/graphql", "count": 2}])
    with pytest.raises(GraphQLTimeout):
        client.graphql(TWO)


def test_data_and_errors_together_keep_the_good_part_and_ask_again_for_the_rest(
    gh, client_for, monkeypatch
):
    sent: list[str] = []
    prepare = gh.emulator.graphql.prepare

    def spy(query, variables, operation_name):
        sent.append(query)
        return prepare(query, variables, operation_name)

    monkeypatch.setattr(gh.emulator.graphql, "prepare", spy)
    gh.inject_faults(script=[{"kind": "partial", "match": "/graphql"}])
    client = client_for()
    result = client.graphql_result(TWO)
    assert result.data["a"]["nameWithOwner"] == REPO  # the part that failed, asked again
    assert result.data["b"]["nameWithOwner"] == "acme/web-app"  # the part that came back
    assert result.errors == [] and "warehouseRateLimit" not in result.data
    assert len(sent) == 2
    assert "web-app" in sent[0] and "web-app" not in sent[1] and "api-server" in sent[1]
    assert result.cost == 2 == gh.stats()["graphql_points"]


def test_html_502_and_504_are_retried(gh, client_for):
    client = client_for(graphql_timeout_retries=2, max_retries=2)
    gh.inject_faults(
        script=[
            {"kind": "502_html", "match": "/graphql"},
            {"kind": "504_html", "match": "/graphql"},
            {"kind": "502_html", "match": "/issues"},
        ]
    )
    assert client.graphql(TWO)["b"]["nameWithOwner"] == "acme/web-app"
    assert len(client.rest(f"/repos/{REPO}/issues", {"per_page": 3}).json) == 3
    assert client.stats.retries == 3
    gh.inject_faults(script=[{"kind": "504_html", "match": "/issues", "count": 3}])
    with pytest.raises(TransientError, match="HTTP 504"):
        client.rest(f"/repos/{REPO}/issues")


@pytest.mark.parametrize("kind", ["secondary", "secondary_429"])
def test_secondary_limit_without_retry_after_waits_a_minute_then_doubles(gh, client_for, kind):
    client = client_for(max_wait_seconds=300)
    gh.inject_faults(script=[{"kind": kind, "match": "/repos", "count": 3}])
    assert client.rest(f"/repos/{REPO}").status == 200
    assert client.sleeps == [60.0, 120.0, 240.0]  # at least a minute, then exponentially
    gh.inject_faults(script=[{"kind": kind, "match": "/repos", "count": 2}])
    impatient = client_for(max_wait_seconds=90)
    with pytest.raises(SecondaryRateLimited):
        impatient.rest(f"/repos/{REPO}")
    assert impatient.sleeps == [60.0]
