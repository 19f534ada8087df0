"""GraphQL: data, partial errors, classification, rate limits, timeouts and page halving."""

from __future__ import annotations

import pytest

from loaders.github import (
    BudgetExhausted,
    Forbidden,
    GraphQLErrors,
    GraphQLTimeout,
    NotFound,
    UnexpectedStatus,
)
from loaders.github.graphql_errors import classify_error, has_usable_data
from loaders.github.query_shape import with_rate_limit

from .conftest import TOKENS
from .fake_github import START, Answer

QUERY = 'query Repos { r0: repository(owner: "o", name: "a") { id } }'
RATE_LIMITED = {
    "data": None,
    "errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}],
}


def _data(**fields):
    return Answer(200, {"data": fields})


def test_returns_data_and_counts_the_estimated_cost(fake, make_client):
    fake.script("POST", "/graphql", _data(r0={"id": "R_1"}))
    client = make_client()

    assert client.graphql(QUERY, {"x": 1}) == {"r0": {"id": "R_1"}}

    sent = fake.requests_to("/graphql")[0].body
    # Every query also asks GitHub what it charged (`rateLimit { cost }`).
    assert sent == {"query": with_rate_limit(QUERY)[0], "variables": {"x": 1}}
    assert "rateLimit { cost" in sent["query"]
    assert client.stats.graphql_calls == 1 and client.stats.graphql_points == 1
    assert client.stats.by_endpoint["graphql:Repos"].points == 1
    assert client.budget.entry(0, "graphql").remaining == 4999


def test_rate_limit_block_wins_over_headers_and_estimate(fake, make_client):
    block = {"limit": 5000, "cost": 3, "remaining": 4100, "resetAt": "2027-01-15T09:00:00Z"}
    fake.script("POST", "/graphql", _data(rateLimit=block, r0={"id": "R_1"}))
    client = make_client()

    result = client.graphql_result(QUERY + " ", estimated_cost=7)

    assert result.cost == 3 and result.rate_limit == block
    entry = client.budget.entry(0, "graphql")
    assert entry.remaining == 4100
    assert entry.resets_at.isoformat() == "2027-01-15T09:00:00+00:00"
    assert client.stats.graphql_points == 3


def test_partial_not_found_keeps_the_other_aliases(fake, make_client):
    body = {
        "data": {"r0": {"id": "R_1"}, "r1": None},
        "errors": [
            {
                "type": "NOT_FOUND",
                "path": ["r1"],
                "message": "Could not resolve to a Repository with the name 'o/gone'.",
            }
        ],
    }
    fake.always("POST", "/graphql", Answer(200, body))
    client = make_client()

    assert client.graphql(QUERY) == {"r0": {"id": "R_1"}, "r1": None}
    result = client.graphql_result(QUERY)
    assert result.usable
    assert result.missing_paths() == [("r1",)]
    assert result.errors[0].kind == "not_found"


def test_nothing_found_raises_not_found(fake, make_client):
    body = {
        "data": {"repository": None},
        "errors": [{"type": "NOT_FOUND", "path": ["repository"], "message": "Could not resolve"}],
    }
    fake.script("POST", "/graphql", Answer(200, body))
    with pytest.raises(NotFound, match="Could not resolve"):
        make_client().graphql(QUERY)


def test_other_errors_without_data_raise_graphql_errors(fake, make_client):
    errors = [{"message": f"Field 'x{i}' doesn't exist on type 'Repository'"} for i in range(5)]
    fake.script("POST", "/graphql", Answer(200, {"errors": errors}))
    with pytest.raises(GraphQLErrors) as info:
        make_client().graphql(QUERY)
    assert len(info.value.errors) == 5
    assert "(+2 more)" in str(info.value)
    assert {e.kind for e in info.value.errors} == {"other"}


def test_rate_limited_with_http_200_moves_to_another_token(fake, make_client):
    fake.budget(TOKENS[0], "graphql", remaining=3000)
    fake.budget(TOKENS[1], "graphql", remaining=2000)
    fake.script("POST", "/graphql", Answer(200, RATE_LIMITED, cost=0), _data(r0={"id": "R"}))
    client = make_client(tokens=TOKENS[:2])

    assert client.graphql(QUERY) == {"r0": {"id": "R"}}
    assert [s.token for s in fake.requests_to("/graphql")] == [TOKENS[0], TOKENS[1]]
    assert client.stats.graphql_points == 1


def test_rate_limited_on_the_only_token_stops_cleanly(fake, make_client, clock):
    fake.budget(TOKENS[0], "graphql", reset=START + 2000)
    fake.always("POST", "/graphql", Answer(200, RATE_LIMITED, cost=0))
    client = make_client()
    with pytest.raises(BudgetExhausted) as info:
        client.graphql(QUERY)
    assert info.value.resource == "graphql"
    assert info.value.resets_at.timestamp() == START + 2000
    assert len(fake.requests_to("/graphql")) == 1
    assert clock.sleeps == []


def test_gateway_timeouts_become_graphql_timeout(fake, make_client, clock):
    fake.always("POST", "/graphql", Answer(502, {"message": "Server Error"}))
    client = make_client(graphql_timeout_retries=2, max_retries=5)
    with pytest.raises(GraphQLTimeout) as info:
        client.graphql(QUERY)
    assert info.value.attempts == 3
    assert len(fake.requests_to("/graphql")) == 3


def test_timeout_error_in_a_200_is_retried(fake, make_client, clock):
    timeout = {
        "data": None,
        "errors": [
            {
                "message": "Something went wrong while executing your query. "
                "This may be the result of a timeout."
            }
        ],
    }
    fake.script("POST", "/graphql", Answer(200, timeout), _data(r0={"id": "R"}))
    client = make_client()
    assert client.graphql(QUERY) == {"r0": {"id": "R"}}
    assert client.stats.retries == 1


def test_adaptive_paging_halves_until_github_copes(fake, make_client):
    query = (
        'query Issues($first: Int!) { repository(owner: "o", name: "r") '
        "{ issues(first: $first) { nodes { id } } } }"
    )

    def answer(seen):
        if seen.body["variables"]["first"] > 25:
            return Answer(504, {"message": "We couldn't respond to your request in time."})
        return _data(repository={"issues": {"nodes": []}})

    fake.always("POST", "/graphql", answer)
    client = make_client(graphql_timeout_retries=0)

    result = client.graphql_adaptive(query, {"after": None}, page_size=100)

    assert result.page_size == 25
    assert [s.body["variables"]["first"] for s in fake.requests_to("/graphql")] == [100, 50, 25]
    assert fake.requests_to("/graphql")[-1].body["variables"]["after"] is None


def test_adaptive_paging_gives_up_at_the_minimum(fake, make_client):
    fake.always("POST", "/graphql", Answer(502))
    client = make_client(graphql_timeout_retries=0)
    with pytest.raises(GraphQLTimeout):
        client.graphql_adaptive(QUERY, page_size=8, min_page_size=2)
    assert [s.body["variables"]["first"] for s in fake.requests_to("/graphql")] == [8, 4, 2]


def test_client_side_read_timeout_counts_as_graphql_timeout(fake, make_client):
    fake.always("POST", "/graphql", Answer(200, {"data": {}}, delay=0.4))
    client = make_client(timeout_seconds=0.15, graphql_timeout_retries=0)
    with pytest.raises(GraphQLTimeout):
        client.graphql(QUERY)


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (Answer(403, {"message": "Resource not accessible by integration"}), Forbidden),
        (Answer(404, {"message": "Not Found"}), NotFound),
        (Answer(400, {"message": "Problems parsing JSON"}), UnexpectedStatus),
        (Answer(200, [1, 2]), UnexpectedStatus),
    ],
)
def test_http_errors_on_the_graphql_endpoint(fake, make_client, answer, error):
    fake.script("POST", "/graphql", answer)
    with pytest.raises(error):
        make_client().graphql(QUERY)


def test_classification_and_usable_data():
    assert classify_error({"type": "RATE_LIMITED", "message": "x"}).kind == "rate_limited"
    assert classify_error({"message": "API rate limit exceeded"}).kind == "rate_limited"
    assert classify_error({"extensions": {"code": "NOT_FOUND"}, "message": "x"}).kind == "not_found"
    assert classify_error({"message": "Timeout on validation of query"}).kind == "timeout"
    assert classify_error({"type": "FORBIDDEN", "message": "no"}).kind == "other"
    assert classify_error("garbage").kind == "other"
    assert classify_error({"message": "m", "path": ["a", 0, {"bad": 1}]}).path == ("a", 0)
    assert not has_usable_data({"rateLimit": {"remaining": 1, "resetAt": "x"}, "r": None})
    assert has_usable_data({"node": {"id": 1}})
    assert not has_usable_data(None)
