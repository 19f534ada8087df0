"""What the last successful dbt build (and source freshness check) saw, kept in the warehouse.

`warehouse run` skips `dbt build` when nothing dbt reads changed since the last successful
build. What dbt reads, each summed up as one digest:
  project  dbt_project.yml, profiles.example.yml, models/, macros/, seeds/, tests/,
           snapshots/, analyses/, and the dbt and adapter versions;
  control  every row of every control table (workspaces, per-repository settings, add-ons,
           sync state, backfill jobs, notifications, webhook events, migrations);
  raw      the row count of every raw table and dlt's newest load id (a load adds a load
           id, a purge lowers a count);
  day      the UTC date: the marts' windows ("last 7 days", "1y") are whole UTC days
           counted back from the build's day, so they move at midnight;
and, after the build, which relations dbt left in the analytics schemas (a dropped mart
is rebuilt). The state lives in `control.dbt_state` so it travels with the warehouse (a
copied DuckDB file, a CI runner without local files); this table is left out of `control`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from loaders import PROJECT_DIR
from loaders.warehouse import Warehouse

STATE_TABLE = "dbt_state"
#: Files and folders of the dbt project whose content changes what a build writes.
PROJECT_PATHS = (
    "dbt_project.yml",
    "packages.yml",
    "profiles.example.yml",
    "models",
    "macros",
    "seeds",
    "tests",
    "snapshots",
    "analyses",
)
DBT_PACKAGES = ("dbt-core", "dbt-duckdb", "dbt-postgres")
#: Words for each digest, used to say why a build runs.
CHANGED = {
    "project": "dbt project files changed",
    "control": "control tables changed",
    "raw": "raw data changed",
    "day": "a new UTC day",
    "outputs": "dbt's relations changed",
    "target": "another warehouse",
}


@dataclass(frozen=True)
class Recorded:
    """A stored state row: the digests it was taken from and when."""

    parts: dict[str, Any]
    recorded_at: datetime


def _digest(value: Any) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:20]


def project_digest(root: Path = PROJECT_DIR) -> str:
    """Content of every project file dbt reads, and the dbt versions that read them."""
    hasher = hashlib.sha256()
    for name in PROJECT_PATHS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if not file.is_file() or "__pycache__" in file.parts:
                continue
            hasher.update(str(file.relative_to(root)).encode() + b"\0")
            hasher.update(file.read_bytes() + b"\0")
    for package in DBT_PACKAGES:
        try:
            hasher.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            continue
    return hasher.hexdigest()[:20]


def control_digest(wh: Warehouse) -> str:
    """Every row of the control tables (small: a few rows per repository)."""
    schema = wh.settings.control_schema
    content = []
    for table in wh.base_tables(schema):
        if table == STATE_TABLE:
            continue
        rows = wh.query(f'select * from {schema}."{table}"')
        content.append((table, sorted(repr(tuple(r.values())) for r in rows)))
    return _digest(content)


def raw_digest(wh: Warehouse) -> str:
    """Row counts of the raw tables and dlt's newest load id: any load or purge moves it."""
    schema = wh.settings.raw_schema
    tables = wh.base_tables(schema)
    if not tables:
        return _digest(())
    counts = wh.query(
        " union all ".join(
            f"select '{t}' as name, count(*) as n from {schema}.\"{t}\"" for t in tables
        )
    )
    newest = None
    if "_dlt_loads" in tables:
        newest = wh.scalar(f"select max(load_id) from {schema}._dlt_loads")
    return _digest((sorted((r["name"], int(r["n"])) for r in counts), newest))


def outputs_digest(wh: Warehouse) -> str:
    """The relations in the analytics schema (and dbt's `analytics_*` custom schemas)."""
    analytics = wh.settings.analytics_schema
    rows = wh.query(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema not in ('information_schema', 'pg_catalog')"
    )
    names = sorted(
        f"{r['table_schema']}.{r['table_name']}"
        for r in rows
        if r["table_schema"] == analytics or r["table_schema"].startswith(analytics + "_")
    )
    return _digest(names)


def target_digest(wh: Warehouse) -> str:
    s = wh.settings
    return _digest((s.target, s.control_schema, s.raw_schema, s.analytics_schema))


def build_inputs(wh: Warehouse, now: datetime) -> dict[str, Any]:
    """The digests a build depends on, taken before it starts (a change made while dbt runs
    is then seen by the next run, never hidden by it)."""
    return {
        "target": target_digest(wh),
        "project": project_digest(),
        "control": control_digest(wh),
        "raw": raw_digest(wh),
        "day": now.astimezone(UTC).date().isoformat(),
    }


def ensure_table(wh: Warehouse) -> None:
    wh.execute(f"create schema if not exists {wh.settings.control_schema}")
    wh.execute(
        f"""
        create table if not exists {wh.settings.control_schema}.{STATE_TABLE} (
            kind text primary key,
            parts_json text not null,
            recorded_at timestamptz not null
        )
        """
    )


def load(wh: Warehouse, kind: str) -> Recorded | None:
    schema = wh.settings.control_schema
    if not wh.table_exists(schema, STATE_TABLE):
        return None
    rows = wh.query(
        f"select parts_json, recorded_at from {schema}.{STATE_TABLE} where kind = %(k)s",
        {"k": kind},
    )
    if not rows:
        return None
    recorded_at = rows[0]["recorded_at"]
    if recorded_at.tzinfo is None:
        recorded_at = recorded_at.replace(tzinfo=UTC)
    return Recorded(json.loads(rows[0]["parts_json"]), recorded_at)


def save(wh: Warehouse, kind: str, parts: dict[str, Any], recorded_at: datetime) -> None:
    ensure_table(wh)
    schema = wh.settings.control_schema
    with wh.transaction():
        wh.execute(f"delete from {schema}.{STATE_TABLE} where kind = %(k)s", {"k": kind})
        wh.execute(
            f"insert into {schema}.{STATE_TABLE} (kind, parts_json, recorded_at) "
            "values (%(k)s, %(p)s, %(t)s)",
            {"k": kind, "p": json.dumps(parts, sort_keys=True), "t": recorded_at},
        )


def forget(wh: Warehouse, kind: str) -> None:
    schema = wh.settings.control_schema
    if wh.table_exists(schema, STATE_TABLE):
        wh.execute(f"delete from {schema}.{STATE_TABLE} where kind = %(k)s", {"k": kind})


def changes(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """Why a build is due, in words; empty when nothing changed."""
    return [CHANGED.get(k, k) for k in now if before.get(k) != now[k]]
