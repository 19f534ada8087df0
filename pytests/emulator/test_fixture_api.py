"""The `run_emulator` handle other suites build on."""

from __future__ import annotations

import pytest
import requests

from loaders.emulator.testing import run_emulator

from .conftest import ANCHOR


def test_budgets_as_keyword_arguments_and_validation() -> None:
    with run_emulator("small", anchor=ANCHOR, core=1) as gh:
        url = f"{gh.base_url}/repos/acme/web-app"
        assert requests.get(url, headers=gh.headers(), timeout=5).status_code == 200
        assert requests.get(url, headers=gh.headers(), timeout=5).status_code == 403
        gh.set_budgets(reset=True, core=5)
        assert requests.get(url, headers=gh.headers(), timeout=5).status_code == 200
        with pytest.raises(ValueError, match="unknown budget"):
            gh.set_budgets(bogus=1)
    with pytest.raises(TypeError, match="unknown budget"), run_emulator("small", bogus=1):
        pass


def test_handle_exposes_clock_world_and_urls() -> None:
    with run_emulator("small", seed=3, anchor=ANCHOR) as gh:
        assert gh.now == ANCHOR and gh.world.seed == 3
        assert gh.graphql_url == gh.base_url + "/graphql"
        assert gh.base_url.startswith("http://127.0.0.1:")
        assert gh.advance(1.5) == ANCHOR + 5400 == gh.now


def test_faults_can_be_cleared() -> None:
    with run_emulator("small", anchor=ANCHOR) as gh:
        gh.inject_faults(rate={"kinds": ["502"], "rate": 1.0})
        url = f"{gh.base_url}/repos/acme/web-app"
        assert requests.get(url, headers=gh.headers(), timeout=5).status_code == 502
        gh.clear_faults()
        assert requests.get(url, headers=gh.headers(), timeout=5).status_code == 200
        assert gh.stats()["faults"] == {"502": 1}


def test_the_server_stops_with_the_block() -> None:
    with run_emulator("small", anchor=ANCHOR) as gh:
        base = gh.base_url
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{base}/_emulator/now", timeout=2)
