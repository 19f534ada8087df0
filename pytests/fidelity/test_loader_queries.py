"""Every GraphQL text the loaders send validates against GitHub's real schema.

The texts are discovered from ``loaders.sources.queries`` (see query_discovery.py for
the conventions). Each must parse, pass graphql-core's full validation against the
published schema, use no deprecated name beyond the accepted list, and keep literal
page sizes within GitHub's 1..100.
"""

from __future__ import annotations

import types

from graphql import GraphQLSchema, GraphQLSyntaxError, parse, specified_rules, validate
from graphql.validation import NoUnusedFragmentsRule

from .emulator_access import emulator_schema, import_or_skip
from .query_discovery import QueryText, discover
from .schema_checks import ACCEPTED_DEPRECATIONS, deprecated_usages, page_size_problems

# A fragment-only text has no operation to use it; everything else still applies.
_FRAGMENT_RULES = [r for r in specified_rules if r is not NoUnusedFragmentsRule]


def _loader_queries() -> list[QueryText]:
    module = import_or_skip("loaders.sources.queries", "loader queries")
    found = discover(module)
    assert found, (
        "loaders.sources.queries defines no GraphQL text: expected module-level str "
        "constants starting with 'query'/'fragment'/'{' or builders in __all_queries__"
    )
    return found


def problems_with(schema: GraphQLSchema, query: QueryText) -> list[str]:
    try:
        document = parse(query.text)
    except GraphQLSyntaxError as exc:
        return [f"does not parse: {exc.message} at {exc.locations}"]
    rules = _FRAGMENT_RULES if query.is_fragment_only else None
    problems = [e.message for e in validate(schema, document, rules)]
    problems += [
        f"deprecated {d.where}: {d.reason}"
        for d in sorted(deprecated_usages(schema, document))
        if d.where not in ACCEPTED_DEPRECATIONS
    ]
    return problems + page_size_problems(document)


def test_every_loader_query_validates_against_real_schema(real_schema: GraphQLSchema):
    report = {q.name: problems_with(real_schema, q) for q in _loader_queries()}
    failing = {name: p for name, p in report.items() if p}
    assert not failing, "loader GraphQL texts rejected by GitHub's schema:\n" + "\n".join(
        f"  {name}:\n    " + "\n    ".join(p) for name, p in failing.items()
    )


def _fake_queries_module() -> types.ModuleType:
    module = types.ModuleType("fake_queries")
    module.ACTOR = "fragment ActorFields on Actor { __typename login }"
    module.ISSUES = """
    query Issues($owner: String!, $name: String!) {
      repository(owner: $owner, name: $name) {
        issues(first: 500) { nodes { number author { ...ActorFields } } }
      }
    }"""
    module.NOT_GRAPHQL = "select 1"

    def build_nodes(ids: list[str]) -> str:
        joined = ", ".join(f'"{i}"' for i in ids)
        return f"{{ nodes(ids: [{joined}]) {{ ... on Issue {{ tittle }} }} }}"

    module.__all_queries__ = [(build_nodes, (["I_1", "I_2"],))]
    return module


def test_discovery_and_checks_catch_bad_texts(real_schema: GraphQLSchema):
    found = {q.name: q for q in discover(_fake_queries_module())}
    assert set(found) == {"ACTOR", "ISSUES", "__all_queries__[0] build_nodes(...)#0"}
    # The operation got the fragment it spreads appended, so it validates on its own.
    assert "fragment ActorFields" in found["ISSUES"].text
    assert problems_with(real_schema, found["ACTOR"]) == []
    assert problems_with(real_schema, found["ISSUES"]) == ["first: 500 (GitHub allows 1..100)"]
    built = problems_with(real_schema, found["__all_queries__[0] build_nodes(...)#0"])
    assert any("tittle" in p for p in built), built


def test_every_loader_query_is_answerable_by_the_emulator():
    # The emulator must understand everything the loaders ask (and, per
    # test_emulator_schema, nothing GitHub would not), or offline runs diverge from real ones.
    emulated = emulator_schema()
    failing = {}
    for query in _loader_queries():
        rules = _FRAGMENT_RULES if query.is_fragment_only else None
        errors = [e.message for e in validate(emulated, parse(query.text), rules)]
        if errors:
            failing[query.name] = errors
    assert not failing, "loader GraphQL texts the emulator's schema rejects:\n" + "\n".join(
        f"  {name}:\n    " + "\n    ".join(p) for name, p in failing.items()
    )
