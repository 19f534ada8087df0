"""The dlt pipeline that writes `github_raw`, on the warehouse's engine.

Local pipeline state (pending packages, cursors) lives in a directory specific to the
warehouse, so two warehouses never share cursors; dlt restores it from the destination when
the directory is gone.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import dlt

from loaders import PROJECT_DIR
from loaders.sync.kill_recovery import drop_interrupted_saves
from loaders.warehouse import Warehouse

# Arrow items skip dlt's row normalizer; the load id column still has to be added.
os.environ.setdefault("NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID", "true")


def pipelines_dir(warehouse: Warehouse) -> Path:
    """WAREHOUSE_PIPELINES_DIR, else `.dlt/pipelines/<warehouse key>` in the project
    (git-ignored)."""
    root = Path(os.environ.get("WAREHOUSE_PIPELINES_DIR", PROJECT_DIR / ".dlt" / "pipelines"))
    s = warehouse.settings
    where = (
        str(Path(s.duckdb_path).resolve())
        if s.target == "duckdb"
        else f"{s.pg_host}:{s.pg_port}/{s.pg_database}"
    )
    key = hashlib.sha256(f"{s.target}:{where}".encode()).hexdigest()[:16]
    return root / f"{s.target}-{key}"


def destination(warehouse: Warehouse) -> Any:
    s = warehouse.settings
    if s.target == "duckdb":
        # DuckDB lives in our process and by default caches up to 80% of RAM in its buffer
        # pool, which a large initial load fills with table blocks it never needs again
        # (peak RSS ~950 MB on the large world vs ~300 MB for Postgres). A cap makes it evict
        # (the blocks are on disk already) or spill merge temporaries.
        limit = os.environ.get("WAREHOUSE_DUCKDB_MEMORY_LIMIT", "200MB")
        if limit:
            warehouse.raw_connection.execute(f"SET memory_limit = '{limit}'")
        # One writer per DuckDB file: dlt borrows our open connection.
        return dlt.destinations.duckdb(credentials=warehouse.raw_connection)
    from dlt.destinations.impl.postgres.configuration import PostgresCredentials

    credentials = PostgresCredentials(
        {
            "host": s.pg_host,
            "port": s.pg_port,
            "username": s.pg_user,
            "password": s.pg_password.get_secret_value() or None,
            "database": s.pg_database,
        }
    )
    # Resolved up front: a passwordless (trust/peer) server is legitimate, while dlt's
    # config resolution would insist on finding a password somewhere.
    credentials.resolve()
    # No unique constraints: a load killed after Postgres committed a job but before dlt
    # recorded it retries that job, and the retried append of `_dlt_pipeline_state` would
    # then violate `_dlt_id`'s unique index forever (found by the SIGKILL test). Merges
    # deduplicate on the primary-key hints themselves; they do not need the indexes.
    return dlt.destinations.postgres(credentials=credentials, create_indexes=False)


def make_pipeline(warehouse: Warehouse, name: str = "github") -> dlt.Pipeline:
    drop_interrupted_saves(pipelines_dir(warehouse) / name)
    return dlt.pipeline(
        pipeline_name=name,
        destination=destination(warehouse),
        dataset_name=warehouse.settings.raw_schema,
        pipelines_dir=str(pipelines_dir(warehouse)),
        progress=None,
    )
