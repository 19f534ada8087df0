"""The emulator's GraphQL schema subset agrees with GitHub's real schema.

Every type, field, argument, enum value and union member the emulator defines must exist
on GitHub with a compatible type: same named type and list nesting, nullable wherever
GitHub may return null, and every argument GitHub requires also required here.
"""

from __future__ import annotations

from graphql import GraphQLSchema, build_schema

from .emulator_access import emulator_schema
from .schema_checks import subset_mismatches


def test_emulator_schema_is_a_subset_of_githubs(real_schema: GraphQLSchema):
    emulated = emulator_schema()
    # Not vacuous: the subset's main types are there to be compared.
    core = {"Repository", "Issue", "PullRequest", "PullRequestReview", "Commit", "Discussion"}
    assert core <= set(emulated.type_map), core - set(emulated.type_map)
    problems = subset_mismatches(emulated, real_schema)
    assert not problems, "emulator schema vs GitHub:\n  " + "\n  ".join(problems)


# The checker itself must be able to fail; these pin down what it reports.
_BAD_SUBSET = """
type Query { repository(owner: String!, name: String): Repository! }
type Repository {
  id: ID!
  stargazersCount: Int!
  description: String!
  issues(first: Int, filterBy: IssueFilters): IssueConnection!
}
input IssueFilters { since: String }
type IssueConnection { totalCount: Int! }
enum IssueState { OPEN CLOSED MERGED }
"""


def test_checker_reports_each_kind_of_mismatch(real_schema: GraphQLSchema):
    problems = "\n".join(subset_mismatches(build_schema(_BAD_SUBSET), real_schema))
    assert "field Repository.stargazersCount: not in GitHub's schema" in problems
    # GitHub's repository() may return null; a non-null promise would mislead the loaders.
    assert "field Query.repository: Repository! here, Repository on GitHub" in problems
    assert "field Repository.description: String! here, String on GitHub" in problems
    assert "argument Query.repository(name): String here, String! on GitHub" in problems
    assert "input IssueFilters.since: String here, DateTime on GitHub" in problems
    assert "enum IssueState.MERGED: not in GitHub's schema" in problems
    assert "field Repository.id" not in problems


def test_checker_accepts_a_faithful_subset(real_schema: GraphQLSchema):
    faithful = """
    scalar DateTime
    type Query { repository(owner: String!, name: String!, followRenames: Boolean): Repository }
    type Repository { id: ID! stargazerCount: Int! description: String createdAt: DateTime! }
    """
    assert subset_mismatches(build_schema(faithful), real_schema) == []
