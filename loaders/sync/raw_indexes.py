"""Lookup indexes on the raw tables (PostgreSQL), so dbt's incremental runs stay flat.

An incremental dbt run reads only the rows of new loads (`_dlt_load_id`), checks each
against newer versions of the same key (staging's latest-version rule) and re-ranks the
comments and reviews of changed issues and pull requests. Without indexes each of those
steps hashes a whole raw table, so a run's cost grows with history instead of new data.

The indexes are plain, not unique: the loader turns dlt's own unique indexes off (see
`pipeline.destination`), and merges deduplicate on the primary-key hints regardless.
DuckDB gets none: its hash joins and zone maps serve these reads, and ART indexes would
only slow the loads down.
"""

from __future__ import annotations

from collections.abc import Iterable

from loaders.sources.tables import TABLES, TableSpec
from loaders.warehouse import Warehouse

#: Columns that point at a parent row another model looks children up by.
PARENT_KEYS = ("issue_id", "pull_request_id", "discussion_id")


def index_columns(spec: TableSpec) -> list[tuple[str, ...]]:
    """Column lists to index on one raw table: load id, primary key, parent keys."""
    wanted: list[tuple[str, ...]] = [("_dlt_load_id",), spec.primary_key]
    for column in PARENT_KEYS:
        if column in spec.column_names and spec.primary_key[0] != column:
            wanted.append((column,))
    return wanted


def index_name(table: str, columns: Iterable[str]) -> str:
    return f"{table}__{'__'.join(c.strip('_') for c in columns)}__idx"


def ensure_raw_indexes(warehouse: Warehouse) -> list[str]:
    """Create the missing lookup indexes on existing raw tables; returns those created.

    Cheap when nothing is missing (one catalog query), so it runs after every load.
    """
    if warehouse.settings.target != "postgres":
        return []
    schema = warehouse.settings.raw_schema
    existing_tables = {
        row["table_name"]
        for row in warehouse.query(
            "select table_name from information_schema.tables where table_schema = %(schema)s",
            {"schema": schema},
        )
    }
    existing_indexes = {
        row["indexname"]
        for row in warehouse.query(
            "select indexname from pg_indexes where schemaname = %(schema)s", {"schema": schema}
        )
    }
    created: list[str] = []
    indexed_tables: set[str] = set()
    for spec in TABLES.values():
        if spec.name not in existing_tables:
            continue
        for columns in index_columns(spec):
            name = index_name(spec.name, columns)
            if name in existing_indexes:
                continue
            column_list = ", ".join(f'"{c}"' for c in columns)
            warehouse.execute(
                f'create index if not exists "{name}" on "{schema}"."{spec.name}" ({column_list})'
            )
            created.append(name)
            indexed_tables.add(spec.name)
    # Fresh statistics, so the planner's estimates see the new indexes and rows right away.
    for table in sorted(indexed_tables):
        warehouse.execute(f'analyze "{schema}"."{table}"')
    return created
