"""`warehouse webhook serve` on a port already taken: one clear line and exit 2."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.warehouse import WarehouseSettings


def test_busy_port_is_a_clear_message_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    for key, value in settings.dbt_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("WAREHOUSE_WEBHOOK_SECRET", "not-a-real-secret")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["webhook", "serve", "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert (
        f"the webhook receiver cannot listen on 127.0.0.1:{port}: the port is already in use"
        in (" ".join(result.output.split()))
    )
    assert "Traceback" not in result.output
