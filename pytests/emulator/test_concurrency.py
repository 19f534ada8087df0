"""Concurrent clients (lazy generation racing, shared caches) see consistent answers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from loaders.emulator.testing import run_emulator

from .conftest import ANCHOR

Q = """query($o: String!, $n: String!) { repository(owner: $o, name: $n) {
  issues(first: 50, orderBy: {field: UPDATED_AT, direction: DESC}) { totalCount nodes { id } }
  stargazers(first: 1) { totalCount } } }"""


def test_parallel_first_requests_match_the_truth() -> None:
    with run_emulator("small", seed=9, anchor=ANCHOR) as gh:
        names = [r.full_name for r in gh.world.repos] * 3  # each repository 3x, in parallel

        def ask(full_name: str) -> tuple[str, dict]:
            owner, name = full_name.split("/")
            r = requests.post(
                gh.graphql_url,
                json={"query": Q, "variables": {"o": owner, "n": name}},
                headers=gh.headers(),
                timeout=30,
            )
            body = r.json()
            assert "errors" not in body, body
            return full_name, body["data"]["repository"]

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(ask, names))
        truth = gh.truth()["repositories"]
        seen: dict[str, dict] = {}
        for full_name, repo in answers:
            assert repo["issues"]["totalCount"] == truth[full_name]["counts"]["issues"]
            assert repo["stargazers"]["totalCount"] == truth[full_name]["counts"]["stargazers"]
            assert seen.setdefault(full_name, repo) == repo  # identical answers every time
        assert gh.stats()["graphql_queries"] == len(names)
