"""The load summary reports REST calls as GitHub bills them: conditional requests answered
`304 Not Modified` are free and counted apart ("N REST calls, M free revalidations (304)")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.emulator.testing import run_emulator
from loaders.github.stats import ClientStats, describe_rest_calls
from loaders.run.steps import summarise_load
from loaders.sync import LoadReport
from loaders.warehouse import WarehouseSettings

SUMMARY = re.compile(r"(\d+) REST calls, (\d+) free revalidations \(304\)")


def test_counted_and_free_calls_are_apart() -> None:
    stats = ClientStats(rest_calls=10, rest_not_modified=4)
    assert stats.rest_calls_counted == 6
    assert describe_rest_calls(10, 4) == "6 REST calls, 4 free revalidations (304)"
    detail = summarise_load(LoadReport(rest_calls=10, rest_not_modified=4), 0).detail
    assert "6 REST calls, 4 free revalidations (304)" in detail


def test_second_load_reports_free_revalidations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    for key, value in settings.dbt_env().items():
        monkeypatch.setenv(key, value)
    workspaces = tmp_path / "ws.yml"
    workspaces.write_text(
        "workspaces:\n  - slug: radar\n    name: Radar\n    tier: free\n"
        "    repositories:\n      - quietco/tiny-utils\n"
    )
    assert CliRunner().invoke(cli, ["workspaces", "apply", str(workspaces)]).exit_code == 0
    with run_emulator("small", seed=1) as github:
        monkeypatch.setenv("GITHUB_API_URL", github.base_url)
        monkeypatch.setenv("GITHUB_TOKEN", github.token)
        monkeypatch.delenv("GITHUB_TOKENS", raising=False)
        first = CliRunner().invoke(cli, ["load", "--all", "--resources", "events"])
        second = CliRunner().invoke(cli, ["load", "--all", "--resources", "events"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    counted, free = (int(n) for n in SUMMARY.search(" ".join(second.output.split())).groups())
    assert free >= 1  # the unchanged events feed revalidated by its ETag
    assert counted >= 0
    first_free = int(SUMMARY.search(" ".join(first.output.split())).group(2))
    assert first_free == 0  # nothing to revalidate on a first load
