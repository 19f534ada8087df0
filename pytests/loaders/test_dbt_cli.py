"""loaders.dbt_cli: dbt's command line with the parsed project frozen out of the garbage
collector once nodes run; arguments and exit codes stay dbt's."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from loaders import dbt_cli
from loaders.dbt_runner import run_dbt
from loaders.warehouse import WarehouseSettings


def _event(name: str) -> SimpleNamespace:
    return SimpleNamespace(info=SimpleNamespace(name=name))


def test_freezes_only_when_nodes_start(monkeypatch: pytest.MonkeyPatch) -> None:
    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    dbt_cli.freeze_when_nodes_start(_event("MainReportVersion"))
    assert frozen == []
    dbt_cli.freeze_when_nodes_start(_event(dbt_cli.NODES_START_EVENT))
    assert frozen == [True]


def test_exit_codes_are_dbts() -> None:
    with pytest.raises(SystemExit) as ok:
        dbt_cli.main(["--version"])
    assert ok.value.code == 0
    with pytest.raises(SystemExit) as usage:
        dbt_cli.main(["no-such-command"])
    assert usage.value.code == 2


def test_dbt_sends_the_event_the_freeze_waits_for(tmp_path: Path) -> None:
    """A rename of the event in dbt would silently stop the freeze: run_dbt (through
    loaders.dbt_cli) seeds one table and dbt's JSON log must name the event."""
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "warehouse.duckdb")
    result = run_dbt(
        ["seed", "--select", "tiers", "--log-format", "json",
         "--target-path", str(tmp_path / "target")],
        settings, capture=True,
    )  # fmt: skip
    assert result.ok, result.output[-2000:]
    names = {json.loads(line)["info"]["name"] for line in result.output.splitlines() if line}
    assert dbt_cli.NODES_START_EVENT in names
