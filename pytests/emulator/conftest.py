"""Fixtures for the emulator's own tests: a fresh small world per test (it builds in
milliseconds), pinned to a fixed anchor so every run sees the same data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from loaders.emulator.testing import EmulatorHandle, run_emulator

ANCHOR = 1_767_225_600  # 2026-01-01T00:00:00Z
BUSY = "acme/api-server"


class Client:
    """Just enough HTTP for the tests; a real session with keep-alive."""

    def __init__(self, gh: EmulatorHandle) -> None:
        self.gh = gh
        self.s = requests.Session()
        self.s.headers.update(gh.headers())

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        url = path if path.startswith("http") else self.gh.base_url + path
        return self.s.get(url, timeout=10, **kwargs)

    def gql(
        self, query: str, variables: dict | None = None, token: str | None = None
    ) -> requests.Response:
        headers = self.gh.headers(token) if token else None
        return self.s.post(
            self.gh.graphql_url,
            json={"query": query, "variables": variables or {}},
            headers=headers,
            timeout=10,
        )

    def data(self, query: str, variables: dict | None = None) -> dict:
        r = self.gql(query, variables)
        assert r.status_code == 200, r.text
        body = r.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def walk_rest(
        self, path: str, params: dict | None = None, headers: dict | None = None
    ) -> list[dict]:
        out: list[dict] = []
        r = self.get(path, params={"per_page": 100, **(params or {})}, headers=headers)
        while True:
            assert r.status_code == 200, r.text
            out.extend(r.json())
            nxt = r.links.get("next")
            if not nxt:
                return out
            r = self.get(nxt["url"], headers=headers)


@pytest.fixture
def gh() -> Iterator[EmulatorHandle]:
    with run_emulator("small", seed=1, anchor=ANCHOR) as handle:
        yield handle


@pytest.fixture
def client(gh: EmulatorHandle) -> Client:
    return Client(gh)
