"""Kill the loader with SIGKILL at random moments, rerun: the raw tables equal a clean run's."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loaders import PROJECT_DIR
from loaders.emulator.testing import run_emulator
from loaders.sources import TABLES
from loaders.sync import load_repositories
from loaders.warehouse import Warehouse, WarehouseSettings, connect

from ..conftest import make_settings
from .helpers import client_for, duplicates, targets, track

#: Columns that legitimately differ between two loads of the same data.
VOLATILE = {"_dlt_load_id", "fetched_at"}


def _snapshot(warehouse: Warehouse) -> dict[str, list[tuple]]:
    raw = warehouse.settings.raw_schema
    out = {}
    for table, spec in TABLES.items():
        if not warehouse.table_exists(raw, table):
            continue
        columns = [c for c in spec.column_names if c not in VOLATILE]
        rows = warehouse.query(f"select {', '.join(columns)} from {raw}.{table}")
        out[table] = sorted((tuple(r.values()) for r in rows), key=repr)
    return out


def _child(settings: WarehouseSettings, gh, names: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytests.loaders.crash_child",
            settings.model_dump_json(),
            gh.base_url,
            gh.token,
            *names,
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_sigkill_at_random_points_then_rerun_equals_clean_run(
    engine: str, warehouse_settings: WarehouseSettings, tmp_path: Path
):
    rng = random.Random(int(os.environ.get("CRASH_TEST_SEED", "7")))  # vary to explore
    env = {**os.environ, "WAREHOUSE_PIPELINES_DIR": str(tmp_path / "pipelines")}
    with run_emulator("small", seed=1) as gh:
        names = sorted(r.full_name.lower() for r in gh.world.repos)
        with connect(warehouse_settings) as warehouse:
            track(warehouse, names)

        kills, attempts, high = 0, 0, 3.0
        while kills < 3 and attempts < 12:
            attempts += 1
            child = _child(warehouse_settings, gh, names, env)
            time.sleep(rng.uniform(0.8, high))  # imports take ~1 s; the load a few more
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                kills += 1
            else:
                high = max(1.0, high * 0.7)  # it finished first: aim earlier next time
            child.wait()
        assert kills >= 2, "the child finished too fast to be killed: the test proves nothing"
        final = _child(warehouse_settings, gh, names, env)
        _, err = final.communicate(timeout=300)
        assert final.returncode == 0, err.decode()[-2000:]

        clean_settings = make_settings(engine, tmp_path / "clean")
        settings = next(clean_settings)
        try:
            (tmp_path / "clean").mkdir(exist_ok=True)
            with connect(settings) as clean:
                track(clean, names)
                load_repositories(clean, targets(names), client=client_for(gh))
                expected = _snapshot(clean)
        finally:
            clean_settings.close()

    with connect(warehouse_settings) as warehouse:
        assert duplicates(warehouse) == {}
        got = _snapshot(warehouse)
    assert {t: len(v) for t, v in got.items()} == {t: len(v) for t, v in expected.items()}
    assert got == expected


def test_a_save_interrupted_by_a_kill_does_not_stop_the_next_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kill between dlt's write of a temporary schema file and its rename left
    `schemas/<16 hex digits>` behind, and every later load failed at dlt's `sync` step
    (`InvalidSchemaName`); the next load must remove it and succeed."""
    from loaders.sync.pipeline import pipelines_dir

    monkeypatch.setenv("WAREHOUSE_PIPELINES_DIR", str(tmp_path / "pipelines"))
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    names = ["opentail/lib-00"]
    with run_emulator("small", seed=1) as gh, connect(settings) as warehouse:
        track(warehouse, names)
        first = load_repositories(warehouse, targets(names), client=client_for(gh))
        assert not first.by_status("failed"), first
        working = pipelines_dir(warehouse) / "github"
        schema = next((working / "schemas").glob("*.schema.json")).read_text()
        strays = [working / "schemas" / "09f08bbb69342b9d", working / "5c2e7d1a9b3f4e60"]
        for stray in strays:
            stray.write_text(schema[: len(schema) // 2])  # killed mid-way, as it would be
        gh.advance(24)  # something new to load
        again = load_repositories(warehouse, targets(names), client=client_for(gh))
        assert not again.by_status("failed"), again
        assert [s for s in strays if s.exists()] == []
