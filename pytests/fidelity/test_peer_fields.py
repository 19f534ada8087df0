"""What the peers (meltanolabs-tap-github, airbyte-source-github; benchmarks/peers.py) ask
the emulator beyond the loaders' own queries, checked against GitHub's real schema.

The peers are not installed here (they live in `.peers/`, outside CI): the query below
asks for every GraphQL field added for them, in the way they ask (aliases, `first: 0`,
nested pages), and the answer must have GitHub's shapes. The REST side is checked for
every subset endpoint in test_rest_vs_emulator.py (keys GitHub requires, cursor paging).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from graphql import GraphQLSchema, parse, validate

from .emulator_access import small_emulator
from .graphql_shape import response_problems

PEER_FIELDS = """
query PeerFields($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      number
      reviews(first: 5) {
        nodes {
          authorAssociation
          updatedAt
          commit { oid }
          author { __typename ... on User { isSiteAdmin login } }
        }
      }
    }
    releases(first: 3, orderBy: {field: CREATED_AT, direction: ASC}) {
      nodes {
        tagName
        createdAt
        updatedAt
        description
        descriptionHTML
        tagCommit { oid }
        releaseAssets(first: 100) { nodes { name size } pageInfo { hasNextPage } }
        reactionGroups { content reactors { totalCount } }
        mentions(first: 0) { totalCount }
      }
    }
    stargazers(first: 3, orderBy: {field: STARRED_AT, direction: DESC}) {
      edges { starredAt node { isSiteAdmin } }
    }
  }
}
"""

DISCUSSION_FIELDS = """
query DiscussionFields($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    discussionCategories(first: 10) { nodes { slug updatedAt } }
    discussions(first: 20, orderBy: {field: UPDATED_AT, direction: DESC}) {
      nodes {
        number bodyText publishedAt lastEditedAt createdViaEmail isAnswered
        authorAssociation locked activeLockReason answerChosenAt
        answerChosenBy { login }
        category { isAnswerable }
        labels(first: 100) { totalCount nodes { name url resourcePath isDefault } }
        reactions(first: 100) { totalCount nodes { content createdAt user { login } } }
        comments(first: 5) {
          nodes {
            authorAssociation bodyHTML bodyText publishedAt lastEditedAt createdViaEmail
            deletedAt includesCreatedEdit isMinimized minimizedReason resourcePath url
            editor { login }
            reactions(first: 10) { totalCount }
          }
        }
      }
    }
  }
}
"""

DISCUSSION_BY_NUMBER = """
query($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    discussion(number: $number) { number comments(last: 100) { totalCount } }
  }
}
"""


class Emulated:
    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.session = requests.Session()
        self.session.headers.update(handle.headers())

    def graphql(self, text: str, variables: dict[str, Any]) -> dict[str, Any]:
        reply = self.session.post(
            self.handle.graphql_url, json={"query": text, "variables": variables}, timeout=60
        )
        assert reply.status_code == 200, reply.text[:300]
        return reply.json()

    def reviewed_pull(self) -> int:
        pulls = self.session.get(
            f"{self.handle.base_url}/repos/acme/api-server/pulls",
            params={"state": "all", "per_page": 50},
            timeout=30,
        ).json()
        for pull in pulls:
            reviews = self.session.get(
                f"{self.handle.base_url}/repos/acme/api-server/pulls/{pull['number']}/reviews",
                timeout=30,
            ).json()
            if reviews:
                return pull["number"]
        pytest.fail("no reviewed pull request in the small world")


@pytest.fixture(scope="module")
def emulated() -> Iterator[Emulated]:
    with small_emulator() as handle:
        yield Emulated(handle)


def test_peer_graphql_fields_answer_in_githubs_shapes(
    emulated: Emulated, real_schema: GraphQLSchema
):
    document = parse(PEER_FIELDS)
    assert not validate(real_schema, document), "the query itself must be valid on GitHub"
    number = emulated.reviewed_pull()
    body = emulated.graphql(PEER_FIELDS, {"owner": "acme", "name": "api-server", "number": number})
    assert "errors" not in body, body.get("errors")
    problems = response_problems(real_schema, document, body["data"])
    assert not problems, "emulator vs GitHub:\n  " + "\n  ".join(problems)
    repo = body["data"]["repository"]
    assert repo["pullRequest"]["number"] == number
    reviews = repo["pullRequest"]["reviews"]["nodes"]
    assert reviews and {r["authorAssociation"] for r in reviews} <= {"MEMBER", "CONTRIBUTOR"}
    release = repo["releases"]["nodes"][0]
    # GitHub lists every reaction kind, with zero reactors where nobody reacted.
    assert len(release["reactionGroups"]) == 8
    assert release["mentions"] == {"totalCount": 0}
    assert release["description"] == f"Changes in {release['tagName']}"
    assert release["updatedAt"] >= release["createdAt"]
    assert all(e["node"]["isSiteAdmin"] is False for e in repo["stargazers"]["edges"])
    # Not a pull request: null, as on GitHub.
    missing = emulated.graphql(PEER_FIELDS, {"owner": "acme", "name": "api-server", "number": 0})
    assert missing["data"]["repository"]["pullRequest"] is None


def test_page_size_zero_counts_and_negative_is_invalid(emulated: Emulated):
    query = 'query($n: Int!) { repository(owner: "acme", name: "api-server") {\n' + (
        "  stargazers(first: $n) { totalCount nodes { login } } } }"
    )
    zero = emulated.graphql(query, {"n": 0})
    assert "errors" not in zero, zero.get("errors")
    assert zero["data"]["repository"]["stargazers"]["nodes"] == []
    assert zero["data"]["repository"]["stargazers"]["totalCount"] > 0
    negative = emulated.graphql(query, {"n": -1})
    # GitHub's answer to a negative page size (type and message as GitHub sends them).
    assert [e["type"] for e in negative["errors"]] == ["INVALID_PAGINATION"]
    assert negative["errors"][0]["message"] == "`first` on the connection cannot be less than zero."


def test_peer_discussion_fields_answer_in_githubs_shapes(
    emulated: Emulated, real_schema: GraphQLSchema
):
    document = parse(DISCUSSION_FIELDS)
    assert not validate(real_schema, document), "the query itself must be valid on GitHub"
    body = emulated.graphql(DISCUSSION_FIELDS, {"owner": "acme", "name": "api-server"})
    assert "errors" not in body, body.get("errors")
    problems = response_problems(real_schema, document, body["data"])
    assert not problems, "emulator vs GitHub:\n  " + "\n  ".join(problems)
    repo = body["data"]["repository"]
    assert all(c["updatedAt"] for c in repo["discussionCategories"]["nodes"])
    discussions = repo["discussions"]["nodes"]
    assert discussions
    for d in discussions:
        # GitHub: isAnswered is null outside answerable categories.
        assert (d["isAnswered"] is None) == (not d["category"]["isAnswerable"])
        assert (d["answerChosenBy"] is None) == (d["answerChosenAt"] is None)
    comments = [c for d in discussions for c in d["comments"]["nodes"]]
    assert comments and all(
        c["resourcePath"] and c["url"].endswith(c["resourcePath"]) for c in comments
    )
    number = discussions[0]["number"]
    variables = {"owner": "acme", "name": "api-server"}
    found = emulated.graphql(DISCUSSION_BY_NUMBER, {**variables, "number": number})
    assert found["data"]["repository"]["discussion"]["number"] == number
    gone = emulated.graphql(DISCUSSION_BY_NUMBER, {**variables, "number": 10**6})
    assert gone["data"]["repository"]["discussion"] is None
