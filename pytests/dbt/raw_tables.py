"""Create `github_raw` tables exactly as docs/raw_schema.md describes, on either engine.

Column names and types come from models/staging/github/_github__sources.yml (the same
declarations dbt uses to build empty relations), so the tests and the dbt project cannot
drift apart. Rows are written the way dlt's merge leaves them: one row per key, the
`_dlt_load_id` of the load that last wrote it, and a `_dlt_loads` row per load.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import yaml

from loaders import PROJECT_DIR
from loaders.warehouse import Warehouse

SOURCES_YML = PROJECT_DIR / "models" / "staging" / "github" / "_github__sources.yml"

# Merge keys per docs/raw_schema.md: a newer load replaces the rows with the same key.
MERGE_KEYS: dict[str, tuple[str, ...]] = {
    "repositories": ("id",),
    "issues": ("id",),
    "issue_labels": ("issue_id",),
    "issue_events": ("id",),
    "issue_comments": ("id",),
    "pull_requests": ("id",),
    "pull_request_reviews": ("id",),
    "pull_request_review_comments": ("id",),
    "pull_request_labels": ("pull_request_id",),
    "pull_request_comments": ("id",),
    "pull_request_review_requests": ("id",),
    "issue_pull_request_links": ("pull_request_id",),
    "commits": ("repository_id", "sha"),
    "stargazers": ("repository_id", "user_id"),
    "forks": ("id",),
    "releases": ("id",),
    "events": ("id",),
    "discussion_categories": ("id",),
    "discussions": ("id",),
    "discussion_comments": ("id",),
}


@cache
def raw_columns() -> dict[str, tuple[tuple[str, str], ...]]:
    """table -> ((column, data_type), ...) as declared in the source yml."""
    spec = yaml.safe_load(SOURCES_YML.read_text())
    github = next(s for s in spec["sources"] if s["name"] == "github")
    return {
        table["name"]: tuple((c["name"], c["data_type"]) for c in table["columns"])
        for table in github["tables"]
        if table["name"] in MERGE_KEYS
    }


def _ensure_table(warehouse: Warehouse, table: str) -> None:
    schema = warehouse.settings.raw_schema
    warehouse.execute(f"create schema if not exists {schema}")
    columns = ", ".join(f"{name} {data_type}" for name, data_type in raw_columns()[table])
    warehouse.execute(f"create table if not exists {schema}.{table} ({columns})")


def _ensure_loads_table(warehouse: Warehouse) -> None:
    schema = warehouse.settings.raw_schema
    warehouse.execute(f"create schema if not exists {schema}")
    warehouse.execute(
        f"create table if not exists {schema}._dlt_loads (load_id text not null, "
        "schema_name text, status bigint not null, inserted_at timestamptz not null, "
        "schema_version_hash text)"
    )


def load(
    warehouse: Warehouse,
    load_id: str,
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
) -> None:
    """Merge `tables` (name -> rows) into github_raw as one dlt load with id `load_id`."""
    schema = warehouse.settings.raw_schema
    with warehouse.transaction():
        _ensure_loads_table(warehouse)
        for table, rows in tables.items():
            rows = list(rows)
            _ensure_table(warehouse, table)
            columns = [name for name, _ in raw_columns()[table]]
            keys = MERGE_KEYS[table]
            for row in rows:
                unknown = set(row) - set(columns)
                if unknown:
                    raise ValueError(f"{table}: columns not in the raw contract: {unknown}")
            # Labels and links are replaced whole per parent (merge key); others per primary key.
            for key_values in {tuple(row[k] for k in keys) for row in rows}:
                where = " and ".join(f"{k} = %(k{i})s" for i, k in enumerate(keys))
                warehouse.execute(
                    f"delete from {schema}.{table} where {where}",
                    {f"k{i}": v for i, v in enumerate(key_values)},
                )
            placeholders = ", ".join(f"%({c})s" for c in columns)
            warehouse.executemany(
                f"insert into {schema}.{table} ({', '.join(columns)}) values ({placeholders})",
                [{**{c: row.get(c) for c in columns}, "_dlt_load_id": load_id} for row in rows],
            )
        warehouse.execute(
            f"insert into {schema}._dlt_loads (load_id, schema_name, status, inserted_at) "
            "values (%(load_id)s, 'github', 0, to_timestamp(%(epoch)s))",
            {"load_id": load_id, "epoch": float(load_id)},
        )
