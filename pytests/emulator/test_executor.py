"""The lean executor answers exactly like graphql-core's own `execute`."""

from __future__ import annotations

import pytest

from loaders.emulator.graphql_api import GraphQLApi
from loaders.emulator.world.world import World

from .conftest import ANCHOR

QUERIES = [
    # aliases, variables, fragments, abstract types, nested connections, @include/@skip
    (
        """query($n: String!, $withBody: Boolean!) {
         a: repository(owner: "acme", name: $n) { ...R }
         b: repository(owner: "nebula", name: "old-orbit") { nameWithOwner }
       }
       fragment R on Repository {
         id databaseId nameWithOwner stargazerCount owner { __typename login }
         primaryLanguage { name } repositoryTopics(first: 5) { nodes { topic { name } } }
         issues(first: 30, orderBy: {field: UPDATED_AT, direction: DESC}) {
           totalCount pageInfo { hasNextPage endCursor startCursor hasPreviousPage }
           edges { cursor node { number body @include(if: $withBody) title @skip(if: true)
             author { __typename login ... on User { databaseId } ... on Bot { databaseId } }
             labels(first: 5) { nodes { name color } }
             timelineItems(first: 5, itemTypes: [CLOSED_EVENT, REOPENED_EVENT]) {
               nodes { __typename ... on ClosedEvent { createdAt stateReason
                 actor { login } } ... on ReopenedEvent { createdAt } } }
             comments(last: 3) { nodes { databaseId author { login } } } } }
         }
       }""",
        {"n": "api-server", "withBody": True},
    ),
    (
        """{ repository(owner: "acme", name: "api-server") {
          pullRequests(first: 20, states: [MERGED, CLOSED]) { nodes { number state mergedAt
            mergedBy { login } reviews(first: 5) { nodes { state submittedAt
              comments(first: 5) { nodes { path pullRequestReview { databaseId } } } } } } }
          discussions(first: 10) { nodes { number answer { databaseId isAnswer }
            comments(first: 5) { nodes {
              replies(first: 3) { nodes { replyTo { databaseId } } } } } } }
          defaultBranchRef { target { __typename ... on Commit { history(first: 10) {
            nodes { oid parents(first: 1) { totalCount } author { user { login } } } } } } }
        } rateLimit { cost remaining } }""",
        {},
    ),
    # errors: not found (nullable), bad cursor inside a connection
    (
        """{ gone: repository(owner: "quietco", name: "deleted-repo") { id }
          here: repository(owner: "acme", name: "web-app") {
            issues(first: 2, after: "bm90LWEtY3Vyc29y") { totalCount } } }""",
        {},
    ),
]


@pytest.mark.parametrize(("query", "variables"), QUERIES)
def test_fast_executor_matches_graphql_core(query: str, variables: dict) -> None:
    api = GraphQLApi(World("small", 1, anchor=ANCHOR))
    prepared = api.prepare(query, variables, None)
    assert not prepared.errors
    rate = {
        "limit": 5000,
        "cost": prepared.cost,
        "remaining": 4999,
        "used": 1,
        "resetAt": "2026-01-01T01:00:00Z",
        "nodeCount": prepared.node_count,
    }
    fast = api.execute(prepared, rate)
    reference = api.execute(prepared, rate, reference=True)
    assert fast == reference


def test_nodes_with_an_unknown_id_reports_not_found() -> None:
    api = GraphQLApi(World("small", 1, anchor=ANCHOR))
    p = api.prepare('{ nodes(ids: ["I_kwDOnope"]) { id } }', {}, None)
    out = api.execute(p, {})
    assert out["data"] is None or out["data"]["nodes"] is None
    assert out["errors"][0]["type"] == "NOT_FOUND"
    assert out == api.execute(p, {}, reference=True)
