"""Fixtures: a fake GitHub on 127.0.0.1 and a client wired to it with a fake clock."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from loaders.github import GitHubClient, GitHubSettings

from .fake_github import FakeClock, FakeGitHub

TOKENS = ["ghp_alpha_secret_0001", "ghp_bravo_secret_0002", "ghp_charlie_secret_0003"]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakeGitHub]:
    server = FakeGitHub(clock).start()
    yield server
    server.stop()


@pytest.fixture
def make_client(fake: FakeGitHub, clock: FakeClock) -> Iterator[Callable[..., GitHubClient]]:
    clients: list[GitHubClient] = []

    def make(
        tokens: list[str] | None = None, client_kwargs: Any = None, **settings: Any
    ) -> GitHubClient:
        values: dict[str, Any] = {
            "api_url": fake.base_url,
            "tokens": TOKENS[:1] if tokens is None else tokens,
            "reserve": 0,
            "timeout_seconds": 2.0,
        }
        values.update(settings)
        client = GitHubClient(
            GitHubSettings(**values),
            sleep=clock.sleep,
            clock=clock,
            rng=random.Random(7),
            **(client_kwargs or {}),
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
