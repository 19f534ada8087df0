"""A DuckDB warehouse with one workspace and a served receiver, per test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from loaders.warehouse import WarehouseSettings, connect
from pytests.backfill.helpers import seed_workspace
from pytests.webhook.served import Served


@pytest.fixture(scope="module")
def duckdb_served(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Served, WarehouseSettings]]:
    """One DuckDB warehouse and server for the hostile-client tests (and the fuzz test)."""
    path: Path = tmp_path_factory.mktemp("webhook") / "w.duckdb"
    settings = WarehouseSettings(target="duckdb", duckdb_path=path)
    with connect(settings) as wh:
        seed_workspace(wh, "acme", ("acme/api",), customer="cus_1")
    with Served(settings) as served:
        yield served, settings
