"""Shared pieces of the loader benchmarks: an emulator in its own process, fresh warehouses,
a workspace tracking every repository of the world."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from loaders.control.migrations import RESOURCES, migrate
from loaders.warehouse import Warehouse, WarehouseSettings

TOKEN = "emulator-benchmark-token"  # accepted by the emulator; not a real token shape
UNLIMITED = 10**9


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base_url: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{base_url}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read() or b"{}")


@contextmanager
def emulator(world: str, seed: int = 1) -> Iterator[str]:
    """`warehouse emulator serve` in a child process (its own core); yields the base URL."""
    port = _free_port()
    cli = Path(sys.executable).with_name("warehouse")
    child = subprocess.Popen(
        # --prewarm: the world is generated before it listens, so its one-off generation
        # time is not charged to the loader.
        [
            str(cli),
            "emulator",
            "serve",
            "--world",
            world,
            "--seed",
            str(seed),
            "--port",
            str(port),
            "--prewarm",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(6000):  # prewarming `large` takes a while
            try:
                call(base, "/_emulator/now")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("emulator did not start")
        # Benchmarks measure the loader, not rate-limit waits.
        call(
            base,
            "/_emulator/budgets",
            {
                "core": UNLIMITED,
                "graphql": UNLIMITED,
                "core_per_minute": UNLIMITED,
                "graphql_per_minute": UNLIMITED,
            },
        )
        yield base
    finally:
        child.terminate()
        child.wait(timeout=30)


def fresh_settings(engine: str, workdir: Path) -> WarehouseSettings:
    if engine == "duckdb":
        path = workdir / f"bench-{uuid.uuid4().hex[:8]}.duckdb"
        return WarehouseSettings(target="duckdb", duckdb_path=path)
    import psycopg2

    admin = WarehouseSettings.from_env("postgres")
    name = f"bench_{uuid.uuid4().hex[:8]}"
    conn = psycopg2.connect(
        host=admin.pg_host,
        port=admin.pg_port,
        user=admin.pg_user,
        dbname=admin.pg_database,
        password=admin.pg_password.get_secret_value() or None,
    )
    conn.autocommit = True
    conn.cursor().execute(f'create database "{name}"')
    conn.close()
    return admin.model_copy(update={"pg_database": name})


def drop_settings(settings: WarehouseSettings) -> None:
    if settings.target == "duckdb":
        Path(settings.duckdb_path).unlink(missing_ok=True)
        return
    import psycopg2

    conn = psycopg2.connect(
        host=settings.pg_host,
        port=settings.pg_port,
        user=settings.pg_user,
        dbname="postgres",
        password=settings.pg_password.get_secret_value() or None,
    )
    conn.autocommit = True
    conn.cursor().execute(f'drop database if exists "{settings.pg_database}" with (force)')
    conn.close()


def repository_names(world: str, seed: int = 1) -> list[str]:
    """The world's repositories from its catalog (cheap; `/_emulator/truth` generates every
    item of every repository first, which takes minutes on `large`)."""
    from loaders.emulator.world.catalog import world_spec

    return sorted(plan.full_name.lower() for plan in world_spec(world, seed).repos)


def track_all(warehouse: Warehouse, names: list[str]) -> None:
    migrate(warehouse)
    schema = warehouse.settings.control_schema
    with warehouse.transaction():
        warehouse.execute(
            f"insert into {schema}.workspaces (slug, name, tier) values ('bench', 'bench', 'free')"
        )
        for name in names:
            warehouse.execute(
                f"insert into {schema}.repositories (full_name) values (%(n)s)", {"n": name}
            )
            warehouse.execute(
                f"insert into {schema}.workspace_repositories (workspace_slug, full_name) "
                "values ('bench', %(n)s)",
                {"n": name},
            )


ALL_RESOURCES = frozenset(RESOURCES)
# dlt's local pipeline state of a benchmark is throw-away.
os.environ.setdefault("WAREHOUSE_PIPELINES_DIR", tempfile.mkdtemp(prefix="bench-pipelines-"))
