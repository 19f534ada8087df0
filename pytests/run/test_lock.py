"""The run lock: one holder at a time, released on exit and on SIGKILL, on both engines."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loaders.run import exit_codes
from loaders.run.lock import RunLockHeld, run_lock
from loaders.warehouse import WarehouseSettings
from pytests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import sys, time
from loaders.run.lock import run_lock
from loaders.warehouse import WarehouseSettings
settings = WarehouseSettings.from_env()
with run_lock(settings):
    print("locked", flush=True)
    time.sleep(60)
"""


def _env(settings: WarehouseSettings) -> dict[str, str]:
    return {**os.environ, **settings.dbt_env(), "PYTHONPATH": str(ROOT)}


def _hold_in_subprocess(settings: WarehouseSettings) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(settings),
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_holder_is_refused_then_admitted(warehouse_settings: WarehouseSettings) -> None:
    held = "another `warehouse run` is already running"
    with (
        run_lock(warehouse_settings),
        pytest.raises(RunLockHeld, match=held),
        run_lock(warehouse_settings),
    ):
        pass
    with run_lock(warehouse_settings):
        pass  # released on exit


def test_lock_dies_with_a_killed_process(warehouse_settings: WarehouseSettings) -> None:
    proc = _hold_in_subprocess(warehouse_settings)
    try:
        # Both engines name the holder's OS pid (PostgreSQL: from its application_name).
        held = rf"held by pid {proc.pid}\b"
        with pytest.raises(RunLockHeld, match=held), run_lock(warehouse_settings):
            pass
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    deadline = time.monotonic() + 10
    while True:  # PostgreSQL notices the dead backend within moments
        try:
            with run_lock(warehouse_settings):
                break
        except RunLockHeld:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_refusal_names_the_holder_of_this_warehouse(tmp_path: Path) -> None:
    """Two PostgreSQL warehouses on one server, each locked by its own run: each refusal
    names its own holder (advisory locks share a key across databases)."""
    first_settings = make_settings("postgres", tmp_path / "first")
    second_settings = make_settings("postgres", tmp_path / "second")
    warehouses = [next(first_settings), next(second_settings)]
    holders = [_hold_in_subprocess(settings) for settings in warehouses]
    try:
        for settings, holder in zip(warehouses, holders, strict=True):
            held = rf"held by pid {holder.pid}\b"
            with pytest.raises(RunLockHeld, match=held), run_lock(settings):
                pass
    finally:
        for holder in holders:
            holder.send_signal(signal.SIGKILL)
            holder.wait(10)
        first_settings.close()
        second_settings.close()


def test_second_warehouse_run_exits_3_at_once(warehouse_settings: WarehouseSettings) -> None:
    proc = _hold_in_subprocess(warehouse_settings)
    try:
        started = time.monotonic()
        result = subprocess.run(
            [str(Path(sys.executable).with_name("warehouse")), "run", "--no-load", "--no-dbt"],
            capture_output=True,
            text=True,
            env=_env(warehouse_settings),
            timeout=60,
        )
        assert result.returncode == exit_codes.LOCKED, result.stdout + result.stderr
        assert "another `warehouse run` is already running" in result.stdout
        assert time.monotonic() - started < 20
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)


def test_two_real_runs_at_once_one_runs_one_exits(tmp_path: Path) -> None:
    """Two `warehouse run` processes on one DuckDB file: the second exits 3 at once, the first
    finishes normally (its dbt source freshness step keeps it busy for seconds)."""
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    warehouse = str(Path(sys.executable).with_name("warehouse"))
    args = [warehouse, "run", "--no-load", "--no-backfill", "--no-purge", "--no-dbt"]
    first = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_env(settings)
    )
    try:
        assert first.stdout is not None
        assert "warehouse run against" in first.stdout.readline()
        time.sleep(1.0)  # past the migrate step: the first run is inside dbt now
        second = subprocess.run(
            args, capture_output=True, text=True, env=_env(settings), timeout=60
        )
        assert second.returncode == exit_codes.LOCKED, second.stdout + second.stderr
        assert "another `warehouse run` is already running" in second.stdout
        rest = first.communicate(timeout=120)[0]
        assert first.returncode == exit_codes.OK, rest
        assert "freshness" in rest
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(10)
