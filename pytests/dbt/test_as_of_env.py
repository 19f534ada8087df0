"""WAREHOUSE_AS_OF pins the marts' clock for a whole `warehouse run` (the dbt var `as_of`
does it for one dbt command); a malformed value stops dbt with a message naming it."""

from __future__ import annotations

from pathlib import Path

from loaders.dbt_runner import run_dbt
from loaders.warehouse import WarehouseSettings

MODEL = "int_workspace_repository_windows"


def _compile(tmp_path: Path, as_of: str) -> tuple[bool, str, str]:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "warehouse.duckdb")
    target = tmp_path / "target"
    result = run_dbt(
        ["compile", "--select", MODEL, "--target-path", str(target)],
        settings,
        capture=True,
        extra_env={"WAREHOUSE_AS_OF": as_of},
    )
    compiled = next(target.rglob(f"{MODEL}.sql"), None)
    return result.ok, result.output, compiled.read_text() if compiled else ""


def test_the_environment_pins_the_build_clock_and_refuses_a_bad_value(tmp_path: Path) -> None:
    ok, output, sql = _compile(tmp_path / "good", "2026-01-02 03:04:05")
    assert ok, output[-2000:]
    assert "'2026-01-02 03:04:05'" in sql and "current_timestamp" not in sql

    ok, output, _ = _compile(tmp_path / "bad", "yesterday")
    assert not ok
    assert "WAREHOUSE_AS_OF" in output and "'YYYY-MM-DD HH:MM:SS'" in output
    assert "got 'yesterday'" in output
