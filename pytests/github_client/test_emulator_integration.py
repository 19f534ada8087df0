"""The client against the project's GitHub emulator: accounting agrees on both sides,
the reserve holds, faults are retried, renames and deletions surface as designed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from loaders.github import (
    BadCredentials,
    BudgetExhausted,
    GitHubClient,
    GitHubSettings,
    NotFound,
    SecondaryRateLimited,
    estimate_cost,
)

emulator_testing = pytest.importorskip("loaders.emulator.testing")

TOKEN_A = "ghp_emulator_client_a"
TOKEN_B = "ghp_emulator_client_b"
REPO = "acme/api-server"

REPOS_QUERY = """
query Repos($first: Int!) {
  rateLimit { limit cost remaining resetAt }
  a: repository(owner: "acme", name: "api-server") {
    nameWithOwner
    issues(first: $first, orderBy: {field: UPDATED_AT, direction: DESC}) {
      totalCount
      nodes { number }
    }
  }
  gone: repository(owner: "quietco", name: "deleted-repo") { nameWithOwner }
}
"""


@pytest.fixture
def gh() -> Iterator[Any]:
    with emulator_testing.run_emulator("small", seed=1) as handle:
        yield handle


@pytest.fixture
def client_for(gh: Any) -> Iterator[Callable[..., GitHubClient]]:
    made: list[GitHubClient] = []
    sleeps: list[float] = []

    def make(tokens: tuple[str, ...] = (TOKEN_A,), **settings: Any) -> GitHubClient:
        values: dict[str, Any] = {"api_url": gh.base_url, "tokens": list(tokens), "reserve": 0}
        values.update(settings)
        client = GitHubClient(GitHubSettings(**values), sleep=sleeps.append, clock=lambda: gh.now)
        client.sleeps = sleeps  # type: ignore[attr-defined]
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def test_rest_and_graphql_accounting_match_the_emulator(gh, client_for):
    client = client_for()
    repo = client.rest(f"/repos/{REPO}")
    assert repo.json["full_name"] == REPO
    pages = list(client.rest_pages(f"/repos/{REPO}/issues", {"state": "all", "per_page": 50}))
    assert len(pages) >= 2 and all(isinstance(p.json, list) for p in pages)

    result = client.graphql_result(REPOS_QUERY, {"first": 20})

    assert result.data["a"]["nameWithOwner"] == REPO
    assert len(result.data["a"]["issues"]["nodes"]) == 20
    assert result.missing_paths() == [("gone",)]  # one deleted alias, the rest survives
    emulator = gh.stats()
    assert client.stats.rest_calls == emulator["rest_calls"] == 1 + len(pages)
    assert client.stats.graphql_points == emulator["graphql_points"] == result.cost
    assert client.budget.entry(0, "graphql").remaining == result.rate_limit["remaining"]
    assert estimate_cost(REPOS_QUERY, {"first": 20}) == result.cost
    assert client.budget.entry(0, "core").remaining == 5000 - emulator["rest_calls"]


def test_reserve_is_never_crossed_and_resets_after_an_hour(gh, client_for):
    gh.set_budgets(core=12)
    client = client_for(reserve=5)
    sent = 0
    with pytest.raises(BudgetExhausted) as info:
        while True:
            client.rest(f"/repos/{REPO}")
            sent += 1
    assert sent == 7 == gh.stats()["rest_calls"]  # 12 - 5: the reserve stayed untouched
    assert info.value.resets_at.timestamp() == gh.now + 3600
    assert gh.stats()["rate_limited"] == 0

    gh.advance(1)  # the virtual hour passes: the client notices on its own clock
    assert client.rest(f"/repos/{REPO}").status == 200
    assert gh.stats()["rest_calls"] == 8


def test_tokens_share_the_load_and_graphql_stops_at_the_reserve(gh, client_for):
    gh.set_budgets(graphql=3)
    client = client_for(tokens=(TOKEN_A, TOKEN_B))
    query = 'query { repository(owner: "acme", name: "web-app") { nameWithOwner } }'
    for _ in range(6):
        client.graphql(query)
    with pytest.raises(BudgetExhausted) as info:
        client.graphql(query)
    assert info.value.resource == "graphql"
    snapshot = {(r["token"], r["resource"]): r for r in client.budget.snapshot()}
    assert snapshot[(1, "graphql")]["remaining"] == 0
    assert snapshot[(2, "graphql")]["remaining"] == 0
    assert gh.stats()["graphql_queries"] == 6 and gh.stats()["rate_limited"] == 0


def test_rate_limited_answer_from_a_shared_token_stops_cleanly(gh, client_for):
    gh.set_budgets(graphql=2)
    query = 'query { repository(owner: "acme", name: "web-app") { nameWithOwner } }'
    ours, theirs = client_for(), client_for()
    ours.graphql(query)  # learns 1 point left...
    theirs.graphql(query)  # ...which another job on the same token spends
    with pytest.raises(BudgetExhausted):
        ours.graphql(query)
    assert gh.stats()["rate_limited"] == 1


def test_faults_are_retried(gh, client_for):
    gh.inject_faults(
        script=[
            {"kind": "502", "match": "/issues", "count": 1},
            {"kind": "drop", "match": "/issues", "count": 1},
            {"kind": "malformed", "match": "/issues", "count": 1},
        ]
    )
    client = client_for(backoff_base_seconds=0.5)
    page = client.rest(f"/repos/{REPO}/issues", {"per_page": 5})
    assert len(page.json) == 5
    assert client.stats.retries == 3
    assert len(client.sleeps) == 3 and client.sleeps == sorted(client.sleeps)
    assert gh.stats()["faults_total"] == 3


def test_graphql_timeouts_halve_the_page(gh, client_for):
    gh.inject_faults(script=[{"kind": "504", "match": "/graphql", "count": 2}])
    client = client_for(graphql_timeout_retries=0)
    result = client.graphql_adaptive(REPOS_QUERY, page_size=100)
    assert result.page_size == 25
    assert len(result.data["a"]["issues"]["nodes"]) == 25


def test_rename_and_deletion(gh, client_for):
    client = client_for()
    moved = client.rest("/repos/nebula/old-orbit")
    assert moved.moved and moved.renamed_to == "nebula/orbit"
    with pytest.raises(NotFound):
        client.rest("/repos/quietco/deleted-repo")


def test_bad_token_and_secondary_limit(gh, client_for):
    with pytest.raises(BadCredentials, match="token #1 of GITHUB_TOKENS") as info:
        client_for(tokens=("not-an-emulator-token",)).rest(f"/repos/{REPO}")
    assert "not-an-emulator-token" not in str(info.value)

    gh.set_budgets(core_per_minute=2, retry_after=1)
    client = client_for(max_retries=2)
    client.rest(f"/repos/{REPO}")
    client.rest(f"/repos/{REPO}")
    with pytest.raises(SecondaryRateLimited):
        client.rest(f"/repos/{REPO}")
    assert client.sleeps == [1.0, 1.0]
