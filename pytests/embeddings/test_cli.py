"""`warehouse embed`: exit 0 with a summary, nothing the second time, 4 when --limit leaves
items, 2 naming the variable on bad settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.warehouse import WarehouseSettings, connect
from pytests.embeddings.test_resume import _raw_issues


def test_embed_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "w.duckdb"
    with connect(WarehouseSettings(target="duckdb", duckdb_path=path)) as wh:
        _raw_issues(wh)
    monkeypatch.setenv("WAREHOUSE_TARGET", "duckdb")
    monkeypatch.setenv("WAREHOUSE_DUCKDB_PATH", str(path))
    monkeypatch.delenv("WAREHOUSE_EMBEDDING_PROVIDER", raising=False)
    runner = CliRunner()
    partial = runner.invoke(cli, ["embed", "--limit", "2"])
    assert partial.exit_code == 4, partial.output
    assert "2 of 5 items embedded with hashing-ngrams-v1-d256" in partial.output
    rest = runner.invoke(cli, ["embed"])
    assert rest.exit_code == 0 and "3 of 3 items embedded" in rest.output
    idle = runner.invoke(cli, ["embed"])
    assert idle.exit_code == 0 and "0 of 0 items embedded" in idle.output
    monkeypatch.setenv("WAREHOUSE_EMBEDDING_PROVIDER", "bogus")
    bad = runner.invoke(cli, ["embed"])
    assert bad.exit_code == 2 and "WAREHOUSE_EMBEDDING_PROVIDER='bogus'" in bad.output
