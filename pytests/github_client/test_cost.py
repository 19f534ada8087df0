"""The GraphQL cost estimate follows GitHub's documented formula."""

from __future__ import annotations

from loaders.github.cost import count_requests, estimate_cost

DOCS_EXAMPLE = """
query {
  viewer {
    login
    repositories(first: 100) {
      edges { node { id issues(first: 50) { edges { node { id labels(first: 60) {
        edges { node { id name } } } } } } } }
    }
  }
}
"""


def test_github_documentation_example():
    # 1 + 100 + 100*50 = 5101 requests -> 51 points
    assert count_requests(DOCS_EXAMPLE) == 5101
    assert estimate_cost(DOCS_EXAMPLE) == 51


def test_aliased_quiet_repositories_cost_one_point():
    aliases = " ".join(
        f'r{i}: repository(owner: "o", name: "n{i}") {{ issues(first: $n) {{ nodes {{ id }} }} }}'
        for i in range(50)
    )
    query = f"query($n: Int!) {{ {aliases} }}"
    assert count_requests(query, {"n": 100}) == 50
    assert estimate_cost(query, {"n": 100}) == 1


def test_nested_children_multiply_by_the_parent_page():
    query = """
    query($n: Int) {
      r: repository(owner: "o", name: "n") {
        ...Issues
      }
    }
    fragment Issues on Repository {
      issues(first: $n) { nodes { ... on Issue { comments(first: 10) { nodes { id } } } } }
    }
    """
    assert count_requests(query, {"n": 100}) == 101
    # a missing variable is assumed to be the maximum page
    assert count_requests(query) == 101
    assert count_requests(query, {"n": 20}) == 21


def test_cost_has_a_floor_and_survives_bad_queries():
    assert estimate_cost("query { viewer { login } }") == 1
    assert estimate_cost('query { nodes(ids: ["a"]) { id } }') == 1
    assert estimate_cost("this is not graphql {") == 1
    assert count_requests("fragment F on User { login }") == 0
