"""A hand-made warehouse for the lake tests: dlt-shaped loads without the loaders.

`commit_load` writes rows the way a dlt merge does (a new version replaces the row with the
same primary key and carries the new load id) and then records the load in `_dlt_loads`,
as dlt does once every table of a load is in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from loaders.lake import lake_tables
from loaders.sources.tables import TABLES
from loaders.warehouse import Warehouse

RAW = "github_raw"
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
STAR_COLUMNS = ("repository_id", "user_id", "user_login", "starred_at")


def create_schemas(wh: Warehouse, control: bool = True) -> None:
    """The raw tables (and, unless the migrations made them, two control tables)."""
    wh.execute(f"create schema if not exists {RAW}")
    wh.execute(
        f"create table {RAW}._dlt_loads (load_id text not null, schema_name text,"
        " status bigint not null, inserted_at timestamp with time zone not null,"
        " schema_version_hash text)"
    )
    wh.execute(
        f"create table {RAW}.stargazers (repository_id bigint not null, user_id bigint not null,"
        " user_login text, starred_at timestamp with time zone, _dlt_load_id text not null)"
    )
    if control:
        wh.execute("create schema if not exists control")
        wh.execute("create table control.workspaces (workspace_slug text, tier text)")
        wh.execute("create table control.notifications (id bigint, body text)")  # stays empty
        wh.execute("insert into control.workspaces values ('acme', 'free')")


def stage_rows(wh: Warehouse, load_id: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """The table part of a load: merged on the primary key, not yet committed."""
    key = TABLES["stargazers"].primary_key
    for row in rows:
        values = dict(zip(STAR_COLUMNS, row, strict=True))
        match = " and ".join(f"{k} = %({k})s" for k in key)
        wh.execute(f"delete from {RAW}.stargazers where {match}", {k: values[k] for k in key})
        wh.execute(
            f"insert into {RAW}.stargazers values (%(repository_id)s, %(user_id)s,"
            " %(user_login)s, %(starred_at)s, %(load)s)",
            {**values, "load": load_id},
        )


def commit_load(wh: Warehouse, load_id: str, rows: Sequence[tuple[Any, ...]]) -> None:
    stage_rows(wh, load_id, rows)
    record_load(wh, load_id)


def record_load(wh: Warehouse, load_id: str) -> None:
    # Committed in load-id order, a second apart.
    at = EPOCH + timedelta(seconds=float(load_id))
    wh.execute(
        f"insert into {RAW}._dlt_loads values (%(l)s, 'github', 0, %(at)s, 'h')",
        {"l": load_id, "at": at},
    )


def warehouse_rows(wh: Warehouse) -> set[tuple[Any, ...]]:
    cols = ", ".join((*STAR_COLUMNS, "_dlt_load_id"))
    rows = wh.query(f"select {cols} from {RAW}.stargazers")
    return {tuple(r.values()) for r in rows}


def lake_table(lake: Path, name: str, schema: str = RAW) -> Path:
    (table,) = [t for t in lake_tables(lake) if t.schema == schema and t.name == name]
    return table.path


def lake_versions(lake: Path) -> list[tuple[Any, ...]]:
    """Every stargazer row the lake holds (all versions), sorted."""
    cols = ", ".join((*STAR_COLUMNS, "_dlt_load_id"))
    with duckdb.connect() as con:
        return sorted(
            con.execute(
                f"select {cols} from read_parquet('{lake_table(lake, 'stargazers')}/*.parquet')"
            ).fetchall()
        )


def lake_latest(lake: Path) -> set[tuple[Any, ...]]:
    """The rows the staging models keep: per key, the version of the newest load."""
    cols = ", ".join((*STAR_COLUMNS, "_dlt_load_id"))
    with duckdb.connect() as con:
        return set(
            con.execute(
                f"select {cols} from read_parquet('{lake_table(lake, 'stargazers')}/*.parquet')"
                " qualify row_number() over (partition by repository_id, user_id"
                " order by cast(_dlt_load_id as double) desc) = 1"
            ).fetchall()
        )
