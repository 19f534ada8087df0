"""GitHub settings problems (no token, a rejected token, nothing answering at the API URL)
stop `warehouse run` and `warehouse load` at once with exit 2 and name the variable to set;
`warehouse plan` says why the budget is unknown instead of retrying for half a minute."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.emulator.testing import run_emulator
from loaders.github.preflight import GitHubSettingsProblem, check_github
from loaders.run import exit_codes
from loaders.warehouse import WarehouseSettings

WORKSPACES = (
    "workspaces:\n  - slug: radar\n    name: Radar\n    tier: free\n"
    "    repositories:\n      - quietco/tiny-utils\n"
)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    for key, value in settings.dbt_env().items():
        monkeypatch.setenv(key, value)
    for key in ("GITHUB_TOKEN", "GITHUB_TOKENS", "GITHUB_API_URL", "GITHUB_GRAPHQL_URL"):
        monkeypatch.delenv(key, raising=False)
    workspaces = tmp_path / "ws.yml"
    workspaces.write_text(WORKSPACES)
    assert CliRunner().invoke(cli, ["workspaces", "apply", str(workspaces)]).exit_code == 0
    return workspaces


def _run(*args: str) -> tuple[int, str, float]:
    started = time.monotonic()
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, " ".join(result.output.split()), time.monotonic() - started


def test_no_token_names_the_variables_and_exits_2(env: Path) -> None:
    code, out, seconds = _run("run", "--workspaces", str(env))
    assert code == exit_codes.BAD_INPUT, out
    assert "no GitHub token: set GITHUB_TOKEN" in out and "GITHUB_TOKENS" in out
    assert seconds < 10
    code, out, _ = _run("load", "--all")
    assert code == exit_codes.BAD_INPUT and "set GITHUB_TOKEN" in out


def test_nothing_listening_fails_fast_naming_the_url(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = _closed_port()
    monkeypatch.setenv("GITHUB_API_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_emulator_demo")
    code, out, seconds = _run("run", "--workspaces", str(env))
    assert code == exit_codes.BAD_INPUT, out
    assert f"GITHUB_API_URL=http://127.0.0.1:{port}" in out
    assert f"nothing is listening on 127.0.0.1:{port} (connection refused)" in out
    assert seconds < 10  # no backoff: it used to retry for 37 s
    code, out, _ = _run("load", "--all")
    assert code == exit_codes.BAD_INPUT and "connection refused" in out
    code, out, seconds = _run("plan")
    assert code == 0 and "GitHub budget unknown: cannot reach GitHub" in out and seconds < 30


def test_unset_api_url_is_named_as_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from loaders.github import preflight
    from loaders.github.errors import TransientError

    def unreachable(_client: object, _resource: str) -> bool:
        raise TransientError("/rate_limit: ConnectionError", 1)

    # No network in tests: GitHub's answer and the probe's verdict are given.
    monkeypatch.setattr(preflight.GitHubClient, "can_spend", unreachable)
    monkeypatch.setattr(preflight, "_unreachable_reason", lambda _url: "it does not resolve")
    with pytest.raises(GitHubSettingsProblem) as problem:
        check_github({"GITHUB_TOKEN": "x"})
    message = str(problem.value)
    assert "cannot reach GitHub at https://api.github.com (GITHUB_API_URL is not set)" in message
    assert "it does not resolve" in message and "Set GITHUB_API_URL" in message
    monkeypatch.setattr(preflight, "_unreachable_reason", lambda _url: None)
    assert check_github({"GITHUB_TOKEN": "x"}).api_url == "https://api.github.com"  # passing


def test_rejected_token_exits_2_naming_the_token(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with run_emulator("small", seed=1) as github:
        monkeypatch.setenv("GITHUB_API_URL", github.base_url)
        monkeypatch.setenv("GITHUB_TOKENS", "not-a-valid-token")
        code, out, _ = _run("run", "--workspaces", str(env))
        assert code == exit_codes.BAD_INPUT, out
        assert "rejected token #1 of GITHUB_TOKENS" in out and "401" in out
        assert f"GITHUB_API_URL={github.base_url}" in out
        code, out, _ = _run("load", "--all")
        assert code == exit_codes.BAD_INPUT and "rejected token #1" in out
        monkeypatch.setenv("GITHUB_TOKENS", github.token)  # set right, the check passes
        assert check_github().api_url == github.base_url


@pytest.mark.parametrize(
    ("variable", "value", "needle"),
    [
        ("WAREHOUSE_BACKFILL_SHARE", "2", "WAREHOUSE_BACKFILL_SHARE must be a number in (0, 1]"),
        ("WAREHOUSE_LOAD_WORKERS", "many", "WAREHOUSE_LOAD_WORKERS='many'"),
    ],
)
def test_unusable_run_variables_exit_2_before_anything(
    env: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, needle: str
) -> None:
    monkeypatch.setenv(variable, value)
    code, out, _ = _run("run", "--workspaces", str(env), "--no-dbt", "--no-freshness")
    assert code == exit_codes.BAD_INPUT and needle in out, out
    assert "migrate" not in out  # nothing ran
