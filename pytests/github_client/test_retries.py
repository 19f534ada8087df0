"""Retries: backoff sequence with jitter, retry-after, secondary limits, broken transports."""

from __future__ import annotations

import random

import pytest

from loaders.github import SecondaryRateLimited, TransientError
from loaders.github.backoff import Backoff

from .fake_github import Answer

PATH = "/repos/o/r/issues"
OK = Answer(200, [{"id": 1}])


def test_backoff_grows_exponentially_with_bounded_jitter(fake, make_client, clock):
    fake.script("GET", PATH, Answer(502), Answer(504), Answer(503), OK)
    client = make_client(backoff_base_seconds=2.0)

    assert client.rest(PATH).json == [{"id": 1}]

    sleeps = clock.sleeps
    assert len(sleeps) == 3
    for attempt, delay in enumerate(sleeps):
        base = 2.0 * 2**attempt
        assert base <= delay <= base * 1.25
    assert sleeps == sorted(sleeps)
    assert client.stats.retries == 3
    assert client.stats.by_endpoint["/repos/{owner}/{repo}/issues"].retries == 3
    assert client.stats.rest_calls == 4


def test_backoff_is_capped_and_deterministic_with_a_seed():
    a = Backoff(1.0, 10.0, rng=random.Random(3))
    b = Backoff(1.0, 10.0, rng=random.Random(3))
    delays = [a.delay(n) for n in range(8)]
    assert delays == [b.delay(n) for n in range(8)]
    assert all(d <= 12.5 for d in delays)
    assert delays[-1] >= 10.0


def test_retries_run_out_into_transient_error(fake, make_client, clock):
    fake.always("GET", PATH, Answer(502))
    client = make_client(max_retries=3)
    with pytest.raises(TransientError) as info:
        client.rest(PATH)
    assert info.value.attempts == 4
    assert "HTTP 502" in str(info.value)
    assert len(fake.requests_to(PATH)) == 4
    assert len(clock.sleeps) == 3


def test_server_error_with_retry_after_waits_that_long(fake, make_client, clock):
    fake.script("GET", PATH, Answer(503, headers={"retry-after": "7"}), OK)
    client = make_client(backoff_base_seconds=0.5)
    client.rest(PATH)
    assert clock.sleeps == [7.0]


def test_dropped_connection_is_retried(fake, make_client, clock):
    fake.script("GET", PATH, Answer(drop=True), OK)
    client = make_client()
    assert client.rest(PATH).json == [{"id": 1}]
    assert len(clock.sleeps) == 1
    assert client.stats.retries == 1


def test_malformed_json_is_retried(fake, make_client, clock):
    fake.script("GET", PATH, Answer(200, b'{"truncated": '), OK)
    client = make_client()
    assert client.rest(PATH).json == [{"id": 1}]
    assert client.stats.retries == 1


def test_read_timeout_is_retried(fake, make_client, clock):
    fake.script("GET", PATH, Answer(200, [], delay=0.6), OK)
    client = make_client(timeout_seconds=0.2)
    assert client.rest(PATH).json == [{"id": 1}]
    assert client.stats.retries == 1


def test_secondary_limit_honours_retry_after(fake, make_client, clock):
    body = {"message": "You have exceeded a secondary rate limit."}
    fake.script("GET", PATH, Answer(403, body, headers={"retry-after": "3"}), OK)
    client = make_client()
    assert client.rest(PATH).status == 200
    assert clock.sleeps == [3.0]
    assert client.stats.retries == 1


def test_secondary_limit_without_retry_after_waits_and_doubles(fake, make_client, clock):
    body = {"message": "You have exceeded a secondary rate limit."}
    fake.script("GET", PATH, Answer(403, body), Answer(429, {}), OK)
    client = make_client(secondary_limit_wait_seconds=5)
    client.rest(PATH)
    assert clock.sleeps == [5.0, 10.0]


def test_secondary_limit_longer_than_allowed_raises(fake, make_client, clock):
    fake.script("GET", PATH, Answer(429, {}, headers={"retry-after": "900"}))
    client = make_client(max_wait_seconds=120)
    with pytest.raises(SecondaryRateLimited) as info:
        client.rest(PATH)
    assert info.value.retry_after == 900
    assert clock.sleeps == []


def test_secondary_limit_retry_after_as_http_date(fake, make_client, clock):
    from email.utils import formatdate

    when = formatdate(clock.now + 30, usegmt=True)
    fake.script("GET", PATH, Answer(403, {}, headers={"retry-after": when}), OK)
    client = make_client()
    client.rest(PATH)
    assert clock.sleeps == [30.0]
