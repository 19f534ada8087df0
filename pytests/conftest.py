"""Shared fixtures: a fresh warehouse on each engine.

PostgreSQL tests use the server named by WAREHOUSE_PG_* (started by `make test` through
scripts/with_postgres.sh) and get a database of their own. Without that server they skip,
unless WAREHOUSE_REQUIRE_POSTGRES=1 (set by `make test`), where a missing server is an error.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from loaders.warehouse import Warehouse, WarehouseSettings, connect

ENGINES = ["duckdb", "postgres"]


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist, each worker's dbt runs get their own target and log folders:
    two dbt processes writing one `target/` (partial parse, manifest) corrupt each other."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        from loaders import PROJECT_DIR

        os.environ["DBT_TARGET_PATH"] = str(PROJECT_DIR / "target" / f"pytest-{worker}")
        os.environ["DBT_LOG_PATH"] = str(PROJECT_DIR / "logs" / f"pytest-{worker}")


def _pg_admin_settings() -> WarehouseSettings | None:
    if "WAREHOUSE_PG_PORT" not in os.environ:
        if os.environ.get("WAREHOUSE_REQUIRE_POSTGRES") == "1":
            pytest.fail("WAREHOUSE_REQUIRE_POSTGRES=1 but WAREHOUSE_PG_PORT is not set")
        return None
    return WarehouseSettings.from_env("postgres")


def make_settings(engine: str, tmp_path: Path) -> Iterator[WarehouseSettings]:
    """Settings for a brand-new, empty warehouse on `engine`; dropped afterwards."""
    if engine == "duckdb":
        yield WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "warehouse.duckdb")
        return
    admin = _pg_admin_settings()
    if admin is None:
        pytest.skip("no PostgreSQL (run through `make test` or scripts/with_postgres.sh)")
    import psycopg2

    name = f"test_{uuid.uuid4().hex[:12]}"
    conn = psycopg2.connect(
        host=admin.pg_host,
        port=admin.pg_port,
        user=admin.pg_user,
        dbname=admin.pg_database,
        password=admin.pg_password.get_secret_value() or None,
    )
    conn.autocommit = True
    conn.cursor().execute(f'create database "{name}"')
    try:
        yield admin.model_copy(update={"pg_database": name})
    finally:
        conn.cursor().execute(f'drop database if exists "{name}" with (force)')
        conn.close()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def warehouse_settings(engine: str, tmp_path: Path) -> Iterator[WarehouseSettings]:
    yield from make_settings(engine, tmp_path)


@pytest.fixture
def warehouse(warehouse_settings: WarehouseSettings) -> Iterator[Warehouse]:
    conn = connect(warehouse_settings)
    try:
        yield conn
    finally:
        conn.close()
