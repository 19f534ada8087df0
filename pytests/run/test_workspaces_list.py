"""`warehouse workspaces list` shows whole names: in a pipe at full width, on a narrow
terminal folded onto more lines, never cut at 80 columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.warehouse import WarehouseSettings

LONG_REPO = "a-rather-long-organisation-name/" + "an-even-longer-repository-name-" * 2 + "end"


def test_long_names_are_not_truncated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    for key, value in settings.dbt_env().items():
        monkeypatch.setenv(key, value)
    workspaces = tmp_path / "ws.yml"
    workspaces.write_text(
        "workspaces:\n  - slug: a-workspace-with-a-long-slug-too\n    name: W\n    tier: pro\n"
        f"    repositories:\n      - {LONG_REPO}\n"
    )
    assert CliRunner().invoke(cli, ["workspaces", "apply", str(workspaces)]).exit_code == 0
    result = CliRunner().invoke(cli, ["workspaces", "list"])  # not a TTY, as in a pipe
    assert result.exit_code == 0, result.output
    assert LONG_REPO.lower() in result.output
    assert "a-workspace-with-a-long-slug-too" in result.output
    assert "…" not in result.output
    assert max(len(line) for line in result.output.splitlines()) > 80
