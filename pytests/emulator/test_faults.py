"""Faults by script and by rate, and their accounting."""

from __future__ import annotations

import pytest
import requests

from loaders.emulator.faults import FaultInjector
from loaders.emulator.testing import EmulatorHandle

from .conftest import Client

Q = '{ repository(owner: "acme", name: "web-app") { id } }'


def test_scripted_502_then_504_then_normal(gh: EmulatorHandle, client: Client) -> None:
    gh.inject_faults(
        script=[{"kind": "502", "match": "/graphql"}, {"kind": "504", "match": "/graphql"}]
    )
    assert client.get("/repos/acme/web-app").status_code == 200  # not matched
    assert client.gql(Q).status_code == 502
    assert client.gql(Q).status_code == 504
    assert client.gql(Q).status_code == 200
    stats = gh.stats()
    assert stats["faults"] == {"502": 1, "504": 1} and stats["graphql_points"] == 1


def test_dropped_connection(gh: EmulatorHandle, client: Client) -> None:
    gh.inject_faults(script=[{"kind": "drop", "count": 1}])
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{gh.base_url}/repos/acme/web-app", headers=gh.headers(), timeout=5)
    assert client.get("/repos/acme/web-app").status_code == 200


def test_malformed_json(gh: EmulatorHandle, client: Client) -> None:
    gh.inject_faults(script=[{"kind": "malformed"}])
    r = client.gql(Q)
    assert r.status_code == 200
    with pytest.raises(ValueError):
        r.json()


def test_injected_401(gh: EmulatorHandle, client: Client) -> None:
    gh.inject_faults(script=[{"kind": "401", "match": "/repos/"}])
    assert client.get("/repos/acme/web-app").status_code == 401
    assert client.get("/repos/acme/web-app").status_code == 200


def test_slow_response(gh: EmulatorHandle, client: Client) -> None:
    gh.inject_faults(script=[{"kind": "slow", "delay_ms": 300}])
    with pytest.raises(requests.Timeout):
        client.s.get(f"{gh.base_url}/repos/acme/web-app", timeout=0.1)


def test_rate_faults_are_reproducible() -> None:
    def draws(seed: int) -> list[str | None]:
        f = FaultInjector(seed)
        f.configure({"rate": {"kinds": ["502", "504"], "rate": 0.3}})
        return [(x.kind if (x := f.draw("/graphql")) else None) for _ in range(200)]

    a = draws(1)
    assert a == draws(1)
    hits = sum(x is not None for x in a)
    assert 30 < hits < 90 and {"502", "504"} <= set(a)


def test_fault_config_is_validated(gh: EmulatorHandle) -> None:
    with pytest.raises(ValueError):
        gh.inject_faults(script=[{"kind": "teapot"}])
    r = requests.post(f"{gh.base_url}/_emulator/faults", json={"rate": {"rate": 2}}, timeout=5)
    assert r.status_code == 400


def test_control_endpoints_over_http(gh: EmulatorHandle, client: Client) -> None:
    base = gh.base_url
    client.get("/repos/acme/web-app")
    stats = requests.get(f"{base}/_emulator/stats", timeout=5).json()
    assert stats["rest_calls"] == 1 and stats["requests"] == {"GET /repos/{owner}/{repo}": 1}
    requests.post(f"{base}/_emulator/stats/reset", timeout=5)
    assert requests.get(f"{base}/_emulator/stats", timeout=5).json()["requests_total"] == 0
    before = requests.get(f"{base}/_emulator/now", timeout=5).json()["epoch"]
    after = requests.post(f"{base}/_emulator/advance", json={"hours": 5}, timeout=5).json()
    assert after["epoch"] == before + 5 * 3600
    requests.post(f"{base}/_emulator/budgets", json={"core": 1}, timeout=5)
    client.get("/repos/acme/web-app")
    assert client.get("/repos/acme/web-app").status_code == 403
    t = requests.get(f"{base}/_emulator/truth", params={"repo": "acme/web-app"}, timeout=5)
    assert list(t.json()["repositories"]) == ["acme/web-app"]
