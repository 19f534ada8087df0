"""Every command that cannot get the DuckDB file because another process holds it exits 3
and names the holder (pid and command line), instead of DuckDB's traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.control.migrations import migrate
from loaders.run import exit_codes
from loaders.warehouse import WarehouseSettings, connect

ROOT = Path(__file__).resolve().parents[2]
# Holds the file as a `warehouse run` or its dbt does: one open DuckDB connection.
HOLDER = """
import sys, time, duckdb
conn = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(120)
"""

COMMANDS = [
    ["workspaces", "list"],
    ["plan"],
    ["load", "--all"],
    ["purge"],
    ["backfill", "status"],
    ["backfill", "start", "--workspace", "acme", "--days", "30", "--no-run"],
    ["backfill", "cancel", "1"],
    ["run", "--no-load", "--no-dbt", "--no-freshness"],
]


@pytest.fixture
def held_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, int]]:
    path = tmp_path / "held.duckdb"
    settings = WarehouseSettings(target="duckdb", duckdb_path=path)
    with connect(settings) as wh:
        migrate(wh)
    for key, value in settings.dbt_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")  # never reached
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(path), "holder-marker"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
        yield path, proc.pid
    finally:
        proc.kill()
        proc.wait(10)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_command_on_a_held_file_exits_3_naming_the_holder(
    held_file: tuple[Path, int], args: list[str]
) -> None:
    path, pid = held_file
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == exit_codes.LOCKED, result.output
    assert f"pid {pid}" in result.output and "holder-marker" in result.output
    assert str(path) in result.output
    assert "Traceback" not in result.output and "IOException" not in result.output


def test_global_duckdb_path_option_reaches_every_command(
    held_file: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, pid = held_file
    other = str(path.with_name("other.duckdb"))
    monkeypatch.setenv("WAREHOUSE_DUCKDB_PATH", other)
    result = CliRunner().invoke(cli, ["--duckdb-path", str(path), "workspaces", "list"])
    assert result.exit_code == exit_codes.LOCKED and f"pid {pid}" in result.output
    monkeypatch.setenv("WAREHOUSE_DUCKDB_PATH", other)  # the option set it in this process
    free = CliRunner().invoke(cli, ["workspaces", "list"])  # the env's file: not held
    assert free.exit_code == 0, free.output


def test_duckdb_path_with_a_postgres_target_is_bad_input(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WAREHOUSE_TARGET", "postgres")
    result = CliRunner().invoke(cli, ["--duckdb-path", str(tmp_path / "x.duckdb"), "plan"])
    assert result.exit_code == exit_codes.BAD_INPUT
    assert "WAREHOUSE_TARGET=postgres" in result.output


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("warehouse, version ")


def test_backfill_start_during_a_run_says_the_job_stays_queued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loaders.run.lock import run_lock
    from pytests.backfill.helpers import seed_workspace

    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    for key, value in settings.dbt_env().items():
        monkeypatch.setenv(key, value)
    with connect(settings) as wh:
        seed_workspace(wh, "acme", ("acme/api",))
    with run_lock(settings):  # a run between two steps: the lock held, the file free
        result = CliRunner().invoke(
            cli, ["backfill", "start", "--workspace", "acme", "--days", "30"]
        )
    assert result.exit_code == exit_codes.LOCKED, result.output
    text = " ".join(result.output.split())
    assert "another `warehouse run` is already running" in text
    assert "Job 1 stays queued (pending)" in text
    assert "will pick it up" not in text  # no promise we cannot keep
    assert "only if it has not reached that step yet" in text
    assert "warehouse backfill start --workspace acme --days 30" in text
    with connect(settings) as wh:
        assert wh.scalar("select status from control.backfill_jobs where id = 1") == "pending"


def test_relative_duckdb_path_names_one_file_for_loaders_and_dbt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dbt runs in the project directory: a relative path handed on as is named another,
    empty file there (`schema "control" does not exist` in the dbt build)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WAREHOUSE_TARGET", raising=False)
    monkeypatch.setenv("WAREHOUSE_DUCKDB_PATH", "relative.duckdb")
    env = WarehouseSettings.from_env().dbt_env()
    assert env["WAREHOUSE_DUCKDB_PATH"] == str(tmp_path / "relative.duckdb")
    result = CliRunner().invoke(cli, ["--duckdb-path", "other.duckdb", "workspaces", "list"])
    assert result.exit_code == 0, result.output
    assert os.environ["WAREHOUSE_DUCKDB_PATH"] == str(tmp_path / "other.duckdb")
    assert (tmp_path / "other.duckdb").exists()


@pytest.mark.parametrize(
    ("variable", "value", "needle"),
    [
        ("WAREHOUSE_TARGET", "oracle", "WAREHOUSE_TARGET='oracle' is not a target"),
        ("WAREHOUSE_PG_PORT", "fivefourthreetwo", "WAREHOUSE_PG_PORT='fivefourthreetwo'"),
    ],
)
def test_unusable_warehouse_variable_exits_2_naming_it(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, needle: str
) -> None:
    monkeypatch.setenv(variable, value)
    for args in (["workspaces", "list"], ["purge"], ["backfill", "status"], ["run"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == exit_codes.BAD_INPUT, (args, result.output)
        assert needle in result.output and "Traceback" not in result.output
