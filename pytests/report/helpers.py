"""A small warehouse for the report tests: the emulator's small world through the real
`warehouse run --report` (one run per engine and module), plus the marts' rows to compare."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.emulator.testing import run_emulator
from loaders.warehouse import WarehouseSettings, connect

# Workspaces over the small world. `solo` tracks one repository, so its workspace series is
# that repository's and the SQL moving averages can be held against repository_trends;
# `ghost` tracks only a repository GitHub does not know: it never syncs ("no data loaded yet").
WORKSPACES_YML = """
workspaces:
  - slug: small-team
    name: Small Team
    tier: team
    repositories:
      - acme/api-server
      - acme/web-app
      - nebula/orbit
  - slug: solo
    name: Solo
    tier: pro
    repositories:
      - acme/api-server
  - slug: ghost
    name: Ghost
    tier: free
    repositories:
      - quietco/deleted-repo
"""


# Then `solo` upgrades to enterprise (365 days): acme/api-server is entitled to more history
# than it has, so its coverage is partial until a backfill fills it (the run skips backfills).
UPGRADED_YML = WORKSPACES_YML.replace("tier: pro", "tier: enterprise")


@dataclass
class Built:
    settings: WarehouseSettings
    out: Path
    output: str


def fmt(value: Any) -> str:
    """How the page prints a mart number (loaders/report/sections.fmt_number)."""
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{float(value):,.1f}"


@contextmanager
def env(settings: WarehouseSettings, tmp: Path) -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as mp:
        for key, value in settings.dbt_env().items():
            mp.setenv(key, value)
        mp.setenv("WAREHOUSE_PIPELINES_DIR", str(tmp / "pipelines"))
        mp.delenv("GITHUB_TOKENS", raising=False)
        yield mp


def build_with_report(settings: WarehouseSettings, tmp: Path) -> Built:
    """The small world loaded by `warehouse run`; a tier upgrade built by a second run that
    skips backfills (partial history) and writes `--report`; then a pending backfill job (a
    view: `warehouse report` shows it without another build)."""
    workspaces, upgraded = tmp / "workspaces.yml", tmp / "upgraded.yml"
    workspaces.write_text(WORKSPACES_YML)
    upgraded.write_text(UPGRADED_YML)
    out = tmp / "report"
    with env(settings, tmp) as mp, run_emulator(world="small", seed=1) as github:
        mp.setenv("GITHUB_API_URL", github.base_url)
        mp.setenv("GITHUB_TOKEN", github.token)
        runner, quiet = CliRunner(), ["--no-purge", "--no-freshness"]
        # Load only, then apply the upgrade and build once (one dbt build for the module).
        load = ["run", "--workspaces", str(workspaces), *quiet, "--no-dbt"]
        result = runner.invoke(cli, load, catch_exceptions=False)
        assert result.exit_code == 4, result.output[-4000:]  # partial: ghost's repository
        assert "quietco/deleted-repo (Could not resolve" in result.output
        build = ["run", "--workspaces", str(upgraded), *quiet, "--no-load", "--no-backfill"]
        result = runner.invoke(cli, [*build, "--report", str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output[-4000:]
        from loaders.backfill.jobs import JobStore

        with connect(settings) as wh:
            JobStore(wh).create("small-team", 60)
        again = runner.invoke(cli, ["report", "--out", str(out)], catch_exceptions=False)
        assert again.exit_code == 0, again.output
    return Built(settings, out, result.output + again.output)


def mart(settings: WarehouseSettings, sql: str, **params: Any) -> list[dict[str, Any]]:
    with connect(settings) as wh:
        return wh.query(sql, params or None)
