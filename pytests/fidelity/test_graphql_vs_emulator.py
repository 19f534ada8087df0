"""The emulator's GraphQL answers to the loaders' queries have GitHub's real shapes.

Every query the loaders send is posted to the emulator; the answer's `data` must match the
query under GitHub's real schema (graphql_shape.py): right keys, non-null where GitHub
guarantees it, scalars serialised as GitHub does, real enum values and `__typename`s.
The checker is first calibrated on schema-synthesised answers.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from graphql import (
    GraphQLSchema,
    InlineFragmentNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    parse,
)

from .emulator_access import import_or_skip, small_emulator
from .graphql_shape import response_problems
from .query_discovery import QueryText, discover
from .synth import synthesise

OWNER, NAME = "acme", "api-server"  # busiest repository of the emulator's "small" world


def _loader_queries() -> list[QueryText]:
    module = import_or_skip("loaders.sources.queries", "loader queries")
    return [q for q in discover(module) if not q.is_fragment_only]


class Emulated:
    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.session = requests.Session()
        self.session.headers.update(handle.headers())
        self.ids: dict[str, list[str]] = {}  # node ids by GraphQL type, seen in answers

    def post(self, text: str, variables: dict[str, Any], node_type: str | None) -> dict:
        reply = self.session.post(
            self.handle.graphql_url, json={"query": text, "variables": variables}, timeout=60
        )
        assert reply.status_code == 200, reply.text[:300]
        body = reply.json()
        self._harvest(body.get("data"), None, node_type)
        return body

    def _harvest(self, value: Any, kind: str | None, node_type: str | None) -> None:
        # Remember ids by the type of the object holding them, for node(id:) queries.
        if isinstance(value, list):
            for item in value:
                self._harvest(item, kind, node_type)
            return
        if not isinstance(value, dict):
            return
        kind = value.get("__typename") or kind
        if kind and isinstance(value.get("id"), str):
            self.ids.setdefault(kind, []).append(value["id"])
        for key, item in value.items():
            if key in ("node", "nodes") and node_type:
                inner = node_type  # node(id:) { ... on Discussion { … } }
            elif key == "nodes":
                inner = kind  # a connection's nodes: the connection's item type
            else:
                inner = _CHILD_TYPES.get((kind, key)) or _CHILD_TYPES.get((None, key))
            self._harvest(item, inner, None)


# (holder type or None for any, field) -> item type, for the fields the loaders page.
_CHILD_TYPES: dict[tuple[str | None, str], str] = {
    (None, "issues"): "Issue",
    (None, "pullRequests"): "PullRequest",
    (None, "reviews"): "PullRequestReview",
    (None, "discussions"): "Discussion",
    ("Issue", "comments"): "IssueComment",
    ("PullRequestReview", "comments"): "PullRequestReviewComment",
    ("Discussion", "comments"): "DiscussionComment",
    ("DiscussionComment", "replies"): "DiscussionComment",
}


@pytest.fixture(scope="module")
def emulated() -> Iterator[Emulated]:
    with small_emulator() as handle:
        yield Emulated(handle)


def _type_name(node: Any) -> str:
    while isinstance(node, NonNullTypeNode | ListTypeNode):
        node = node.type
    assert isinstance(node, NamedTypeNode)
    return node.name.value


def _node_type(op: OperationDefinitionNode) -> str | None:
    """The type a node(id:)/nodes(ids:) query asks about (its first inline fragment)."""
    for sel in op.selection_set.selections:
        if getattr(sel, "name", None) and sel.name.value in ("node", "nodes") and sel.selection_set:
            for inner in sel.selection_set.selections:
                if isinstance(inner, InlineFragmentNode) and inner.type_condition:
                    return inner.type_condition.name.value
    return None


def _variables(op: OperationDefinitionNode, emulated: Emulated) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for definition in op.variable_definitions or ():
        var, type_name = definition.variable.name.value, _type_name(definition.type)
        if var == "owner":
            values[var] = OWNER
        elif var == "name":
            values[var] = NAME
        elif type_name == "Int":
            values[var] = 5
        elif type_name == "ID":
            kind = _node_type(op)
            pool = emulated.ids.get(kind or "", [])
            if not pool:
                raise LookupError(f"no {kind} id seen yet (needed by {op.name.value})")
            many = isinstance(getattr(definition.type, "type", None), ListTypeNode)
            values[var] = pool[:5] if many else pool[0]
        else:
            values[var] = None  # cursors, since/until: the first page, no bound
    return values


def _error_problems(body: dict[str, Any]) -> list[str]:
    """GitHub answers a missing aliased repository with a NOT_FOUND error and a null at its
    path (the builders' sample repositories are not in the emulator's world); anything
    else in `errors` is a problem, and so is an error not shaped like GitHub's."""
    problems = []
    for error in body.get("errors") or []:
        if not set(error) <= {"type", "path", "locations", "message", "extensions"}:
            problems.append(f"error keys {sorted(error)} unlike GitHub's")
        path = error.get("path") or []
        at = body.get("data")
        for step in path:
            at = at.get(step) if isinstance(at, dict) else None
        if error.get("type") != "NOT_FOUND" or at is not None:
            problems.append(f"error: {error}")
    return problems


def test_checker_accepts_schema_shaped_answers_and_flags_wrong_ones(real_schema: GraphQLSchema):
    for query in _loader_queries():
        document = parse(query.text)
        for mode in ("sparse", "full"):
            data = synthesise(real_schema, document, mode)  # type: ignore[arg-type]
            data = _without_unknown(data)
            assert response_problems(real_schema, document, data) == [], (query.name, mode)
    issues = next(q for q in _loader_queries() if q.name == "ISSUES_QUERY")
    document = parse(issues.text)
    data = _without_unknown(synthesise(real_schema, document, "full"))
    bad = copy.deepcopy(data)
    node = bad["repository"]["issues"]["nodes"][0]
    node["databaseId"] = str(node["databaseId"])
    node["state"] = "open"
    node["title"] = None
    node["author"]["__typename"] = "Team"
    node["extra"] = 1
    problems = "\n".join(response_problems(real_schema, document, bad))
    for expected in (
        "databaseId: string where GitHub sends Int",
        "state: 'open' is not a IssueState value",
        "title: null, but GitHub's Issue.title is String! (non-null)",
        "author.__typename: 'Team' cannot appear as Actor",
        "extra: not selected",
    ):
        assert expected in problems, problems


def _without_unknown(value: Any) -> Any:
    # The synthesiser's "fields GitHub may add" are for the loaders, not the shape check.
    if isinstance(value, dict):
        return {k: _without_unknown(v) for k, v in value.items() if k != "fieldFromTheFuture"}
    if isinstance(value, list):
        return [_without_unknown(v) for v in value]
    return value


def test_emulator_answers_every_loader_query_in_githubs_shapes(
    real_schema: GraphQLSchema, emulated: Emulated
):
    failing: dict[str, list[str]] = {}
    answered = 0
    pending = _loader_queries()
    while pending:
        # node(id:) queries wait until an earlier answer supplied ids of their type.
        deferred = []
        for query in pending:
            document = parse(query.text)
            op = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
            try:
                variables = _variables(op, emulated)
            except LookupError:
                deferred.append(query)
                continue
            body = emulated.post(query.text, variables, _node_type(op))
            problems = _error_problems(body)
            problems += response_problems(real_schema, document, body.get("data"))
            if problems:
                failing[query.name] = problems[:15]
            answered += 1
        if len(deferred) == len(pending):
            pytest.fail(f"no ids for {[q.name for q in deferred]} in any answer")
        pending = deferred
    assert not failing, "emulator answers unlike GitHub's:\n" + "\n".join(
        f"  {name}:\n    " + "\n    ".join(p) for name, p in failing.items()
    )
    assert answered >= 15
    # Not vacuous: the answers carried real items, whose ids fed the node(id:) queries.
    assert {"Issue", "PullRequest", "PullRequestReview"} <= set(emulated.ids), emulated.ids.keys()
