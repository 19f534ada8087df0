"""`warehouse run` as a person at a terminal and cron see it, on the emulator's demo world
(both engines): the first run loads and builds with live progress on a terminal; an idle
run, not on a terminal, starts no dbt and writes its step lines only. (A busy run off a
terminal is in test_no_network.py; what makes a build, in test_build_gate.py.)

The purge is left out (`--no-purge`): on this branch it rewrites rows of dbt's incremental
tables on every run (issue 20, item 5), which rightly forces a build each time.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from loaders import PROJECT_DIR
from loaders.cli import run_commands
from loaders.cli.main import cli
from loaders.emulator.testing import EmulatorHandle, run_emulator
from loaders.warehouse import WarehouseSettings

EXAMPLE = str(PROJECT_DIR / "workspaces.example.yml")
RUN = ["run", "--workspaces", EXAMPLE, "--no-purge"]


@pytest.fixture
def github(
    warehouse_settings: WarehouseSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[EmulatorHandle]:
    for key, value in warehouse_settings.dbt_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("WAREHOUSE_PIPELINES_DIR", str(tmp_path / "pipelines"))
    monkeypatch.delenv("GITHUB_TOKENS", raising=False)
    with run_emulator(world="demo", seed=1) as handle:
        monkeypatch.setenv("GITHUB_API_URL", handle.base_url)
        monkeypatch.setenv("GITHUB_TOKEN", handle.token)
        yield handle


def _run(monkeypatch: pytest.MonkeyPatch, *, terminal: bool) -> str:
    out = StringIO()
    console = Console(file=out, force_terminal=terminal, width=200, color_system=None)
    monkeypatch.setattr(run_commands, "console", console)
    result = CliRunner().invoke(cli, RUN, catch_exceptions=False)
    assert result.exit_code == 0, out.getvalue()
    return out.getvalue()


def _steps(text: str) -> dict[str, str]:
    lines = [line.split(None, 3) for line in text.splitlines()]
    return {
        " ".join(parts[1:3]) if parts[1] == "dbt" else parts[1]: line
        for parts, line in zip(lines, text.splitlines(), strict=True)
        if len(parts) > 2 and parts[0] in ("ok", "skipped", "partial", "warning", "failed")
    }


def test_idle_runs_skip_dbt_and_progress_is_for_terminals(
    github: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _run(monkeypatch, terminal=True)
    assert "load: writing to the warehouse" in first  # per repository, then the write
    assert "dbt build: " in first and "/" in first  # per node, of dbt's total
    assert "freshness: " in first
    # The embed step stores new vectors on a first run: it is named as a reason too.
    assert "dbt build passed (the embed step changed rows; no successful build on record)" in first

    idle = _run(monkeypatch, terminal=False)
    steps = _steps(idle)
    assert "no repository is due" in steps["load"]
    assert "nothing changed since the build at" in steps["dbt build"]
    assert steps["dbt build"].lstrip().startswith("skipped")
    assert "re-evaluated from the check at" in steps["freshness"]
    assert "dbt not started" in steps["freshness"]
    assert "\x1b" not in idle and len(idle.splitlines()) == len(steps) + 2  # header, exit
