"""The `small` world loaded end to end as a GitHub App whose installation tokens expire
every second (wall clock) while the load runs, and are revoked twice besides: every row
arrives, tokens are renewed before they expire and after GitHub's 401s, and no key, JWT or
token reaches the logs, the dlt state or the warehouse."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import SecretStr

from loaders.emulator.app import AppAuth
from loaders.emulator.testing import run_emulator
from loaders.github import GitHubClient, GitHubSettings
from loaders.sync import load_repositories
from loaders.warehouse import WarehouseSettings, connect
from pytests.app_keys import pem_pair

from .helpers import ALL, raw_counts, targets, track, world_counts

APP_ID = 977


def test_small_world_loads_as_a_github_app_with_tokens_expiring_mid_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.DEBUG)
    private, public = pem_pair()
    seen: list[str] = []  # every JWT and token that crossed the wire
    handle = AppAuth.handle

    def spy(self, method, path, bearer):
        reply = handle(self, method, path, bearer)
        seen.append(bearer or "")
        if reply.status == 201:
            seen.append(reply.body["token"])
        return reply

    monkeypatch.setattr(AppAuth, "handle", spy)
    installation_of = AppAuth.installation_of
    requests = {"n": 0}

    def revoking(self, token):
        requests["n"] += 1
        if requests["n"] in (30, 90):  # GitHub may revoke a token before it expires
            self.revoke_all()
        return installation_of(self, token)

    monkeypatch.setattr(AppAuth, "installation_of", revoking)
    with run_emulator("small", seed=1) as gh:
        gh.configure_app(APP_ID, public, token_ttl_seconds=1.0)
        names = sorted(r.full_name.lower() for r in gh.world.repos)
        settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "wh.duckdb")
        client = GitHubClient(
            GitHubSettings(
                api_url=gh.base_url,
                app_id=APP_ID,
                app_private_key=SecretStr(private),
                reserve=0,
                backoff_base_seconds=0,
                app_token_refresh_seconds=0.2,
            )
        )
        with connect(settings) as warehouse:
            track(warehouse, names)
            report = load_repositories(warehouse, targets(names), client=client, workers=2)
            counts = raw_counts(warehouse)
        stats = gh.stats()
        expected = world_counts(gh, names, ALL)

    assert {o.status for o in report.outcomes.values()} == {"success"}
    assert counts == expected
    assert stats["app_tokens_rejected"] >= 2  # revoked mid-run, renewed after the 401
    assert stats["app_tokens_issued"] >= 2 * len(gh.world.orgs)  # expired mid-run too
    assert stats["statuses"].get("401", 0) == stats["app_tokens_rejected"]
    secrets = {s for s in seen if s} | {"".join(private.splitlines()[1:-1])[:48]}
    assert len(secrets) >= 4
    assert not [s for s in secrets if s in caplog.text]
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".duckdb" for p in stored)
    leaks = [str(p) for p in stored for s in secrets if s.encode() in p.read_bytes()]
    assert leaks == []
