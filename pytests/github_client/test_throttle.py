"""The secondary limits the clients of one process share: points per minute (on an injected
clock: no real minute passes) and concurrent requests across worker threads, the latter
against the emulator's own concurrency limit."""

from __future__ import annotations

import threading

import pytest

from loaders.emulator.testing import run_emulator
from loaders.github import GitHubClient, GitHubSettings
from loaders.github.throttle import Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_points_per_minute_wait_for_the_window_per_endpoint_kind():
    clock = Clock()
    throttle = Throttle(10, {"rest": 3, "graphql": 2}, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        with throttle.slot("rest"):
            clock.now += 5
    with throttle.slot("graphql"), throttle.slot("graphql"):  # its own budget
        pass
    assert clock.slept == []
    with throttle.slot("rest"):  # the 4th REST point in a minute waits for the 1st to age
        pass
    assert clock.slept == [45.0] and throttle.waits == 1
    with throttle.slot("free"):  # /rate_limit: concurrency only
        pass
    assert clock.slept == [45.0]
    with pytest.raises(ValueError):
        Throttle(0)


def test_worker_clients_share_the_concurrency_limit(monkeypatch):
    def burst(shared: bool) -> tuple[dict, Throttle | None]:
        with run_emulator("small", seed=1, max_concurrent=2) as gh:
            gh.inject_faults(rate={"kinds": ["slow"], "rate": 1.0, "delay_ms": 60})
            own = None if shared else Throttle(100)
            settings = GitHubSettings(
                api_url=gh.base_url,
                tokens=[gh.token],
                reserve=0,
                max_concurrent_requests=2,
                max_retries=0,
                max_wait_seconds=0,
            )
            clients = [GitHubClient(settings, throttle=own) for _ in range(4)]
            for client in clients:  # /rate_limit once each, before the burst
                client.can_spend("core")
            failures: list[Exception] = []

            def work(client: GitHubClient) -> None:
                try:
                    for _ in range(3):
                        client.rest("/repos/acme/api-server")
                except Exception as exc:
                    failures.append(exc)

            threads = [threading.Thread(target=work, args=(c,)) for c in clients]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            stats = gh.stats()
            stats["failures"] = len(failures)
            return stats, clients[0]._transport.throttle

    stats, throttle = burst(shared=True)  # four workers, one process-wide throttle
    assert stats["secondary_limited"] == 0 and stats["failures"] == 0
    assert stats["rest_calls"] == 12 and throttle.peak_in_flight == 2
    alone, _ = burst(shared=False)  # each its own: the emulator refuses the excess
    assert alone["secondary_limited"] > 0
