"""Cost formula, primary and secondary limits, per-token budgets, the virtual clock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from loaders.emulator.testing import EmulatorHandle

from .conftest import Client


def _aliases(n: int, inner: str) -> str:
    return " ".join(
        f'r{i}: repository(owner: "acme", name: "api-server") {{ {inner} }}' for i in range(n)
    )


def cost_of(client: Client, body: str) -> int:
    data = client.data(f"query {{ rateLimit {{ cost }} {body} }}")
    return data["rateLimit"]["cost"]


def test_cost_formula_examples_from_the_architecture(client: Client) -> None:
    # 50 aliased repositories x issues(first: 100) = 50 requests -> 1 point
    assert cost_of(client, _aliases(50, "issues(first: 100) { nodes { id } }")) == 1
    # + comments(first: 10) under each issue: 50 + 50 x 100 = 5,050 requests -> 50 points
    assert (
        cost_of(
            client,
            _aliases(
                50, "issues(first: 100) { nodes { id comments(first: 10) { nodes { id } } } }"
            ),
        )
        == 50
    )


def test_cost_formula_nested_products(client: Client) -> None:
    # 1 + 100 + 100 x 50 = 5,101 requests -> 51 points (GitHub's documented example shape)
    body = (
        'repository(owner: "acme", name: "api-server") { pullRequests(first: 100) '
        "{ nodes { reviews(first: 50) { nodes { comments(first: 60) { nodes { id } } } } } } }"
    )
    assert cost_of(client, body) == 51


def test_nodes_by_id_children_cost_one_point(client: Client) -> None:
    ids = [
        i.node_id for i in client.gh.world.view(client.gh.world.repos[0]).visible("issues")[:100]
    ]
    q = """query($ids: [ID!]!) { rateLimit { cost }
      nodes(ids: $ids) { ... on Issue { comments(first: 100) { nodes { id } } } } }"""
    assert client.data(q, {"ids": ids})["rateLimit"]["cost"] == 1


def test_cost_is_charged_and_reported(client: Client) -> None:
    q = (
        "query { rateLimit { cost remaining used limit resetAt nodeCount } "
        + _aliases(50, "issues(first: 100) { nodes { id comments(first: 10) { nodes { id } } } }")
        + " }"
    )
    first = client.data(q)["rateLimit"]
    second = client.data(q)["rateLimit"]
    assert first["used"] == 50 and second["used"] == 100
    assert second["remaining"] == 5000 - 100 and second["limit"] == 5000
    assert first["nodeCount"] == 50 * 100 + 50 * 100 * 10
    assert client.gh.stats()["graphql_points"] == 100


def test_dry_run_reports_cost_without_charging(client: Client) -> None:
    q = (
        "query { rateLimit(dryRun: true) { cost used } "
        + _aliases(50, "issues(first: 100) { nodes { id comments(first: 10) { nodes { id } } } }")
        + " }"
    )
    data = client.data(q)
    assert data["rateLimit"]["cost"] == 50 and data["rateLimit"]["used"] == 0
    assert data["r0"] is None


def test_graphql_exhaustion_is_http_200_rate_limited(gh: EmulatorHandle, client: Client) -> None:
    gh.set_budgets(graphql=3)
    q = '{ repository(owner: "acme", name: "web-app") { id } }'
    for _ in range(3):
        assert "errors" not in client.gql(q).json()
    r = client.gql(q)
    assert r.status_code == 200
    body = r.json()
    assert body["errors"][0]["type"] == "RATE_LIMITED"
    assert "ghp_" not in r.text  # tokens never echo back
    assert r.headers["x-ratelimit-remaining"] == "0"
    # Another token has its own budget; the virtual hour passing refills the first.
    assert "errors" not in client.gql(q, token="emulator-second").json()
    gh.advance(1)
    assert "errors" not in client.gql(q).json()


def test_rest_exhaustion_is_403_with_remaining_zero(gh: EmulatorHandle, client: Client) -> None:
    gh.set_budgets(core=2)
    assert client.get("/repos/acme/web-app").status_code == 200
    assert client.get("/repos/acme/web-app").status_code == 200
    r = client.get("/repos/acme/web-app")
    assert r.status_code == 403
    assert r.headers["x-ratelimit-remaining"] == "0"
    assert int(r.headers["x-ratelimit-reset"]) == gh.now + 3600
    assert "rate limit exceeded" in r.json()["message"]
    assert client.get("/rate_limit").status_code == 200  # still free
    assert gh.stats()["rate_limited"] == 1


def test_rest_exhaustion_can_answer_429(gh: EmulatorHandle, client: Client) -> None:
    gh.set_budgets(core=1, rest_exhausted_status=429)
    assert client.get("/repos/acme/web-app").status_code == 200
    r = client.get("/repos/acme/web-app")
    assert r.status_code == 429 and r.headers["x-ratelimit-remaining"] == "0"


def test_secondary_limit_points_per_minute(gh: EmulatorHandle, client: Client) -> None:
    gh.set_budgets(core_per_minute=3, retry_after=7)
    codes = [client.get("/repos/acme/web-app").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 403]
    r = client.get("/repos/acme/web-app")
    assert r.headers["retry-after"] == "7"
    assert "secondary rate limit" in r.json()["message"]


def test_secondary_limit_on_concurrency(gh: EmulatorHandle) -> None:
    gh.set_budgets(max_concurrent=1, retry_after=3)
    gh.inject_faults(script=[{"kind": "slow", "count": 4, "delay_ms": 400}])

    def call(_: int) -> requests.Response:
        return requests.get(f"{gh.base_url}/repos/acme/web-app", headers=gh.headers(), timeout=10)

    with ThreadPoolExecutor(4) as pool:
        replies = list(pool.map(call, range(4)))
    limited = [r for r in replies if r.status_code == 403]
    assert limited and all(r.headers["retry-after"] == "3" for r in limited)
    assert any(r.status_code == 200 for r in replies)


def test_bad_or_missing_token_is_401(gh: EmulatorHandle) -> None:
    for headers in ({}, {"Authorization": "bearer wrong"}, {"Authorization": "Basic xyz"}):
        r = requests.get(f"{gh.base_url}/repos/acme/web-app", headers=headers, timeout=10)
        assert r.status_code == 401 and r.json()["message"] == "Bad credentials"
    gh.add_tokens("my-custom-token")
    ok = requests.get(
        f"{gh.base_url}/repos/acme/web-app",
        headers={"Authorization": "token my-custom-token"},
        timeout=10,
    )
    assert ok.status_code == 200


def test_cost_uses_variable_defaults(client: Client) -> None:
    q = """query($n: Int = 100, $r: Int = 50, $c: Int = 60) { rateLimit { cost }
      repository(owner: "acme", name: "api-server") { pullRequests(first: $n) {
        nodes { reviews(first: $r) { nodes { comments(first: $c) { nodes { id } } } } } } } }"""
    assert client.data(q)["rateLimit"]["cost"] == 51  # 1 + 100 + 100 x 50 = 5,101 requests
    assert client.data(q, {"r": 10})["rateLimit"]["cost"] == 11  # 1 + 100 + 1,000


def test_points_are_accounted_per_operation(gh: EmulatorHandle, client: Client) -> None:
    many = _aliases(50, "issues(first: 100) { nodes { comments(first: 10) { nodes { id } } } }")
    client.data(f"query Heavy {{ {many} }}")
    client.data('query Light { repository(owner: "acme", name: "web-app") { id } }')
    client.data('{ repository(owner: "acme", name: "web-app") { id } }')
    stats = gh.stats()
    assert stats["graphql_operations"] == {
        "Heavy": {"queries": 1, "points": 50},
        "Light": {"queries": 1, "points": 1},
        "(anonymous)": {"queries": 1, "points": 1},
    }
    assert stats["graphql_points"] == 52 and stats["graphql_queries"] == 3
