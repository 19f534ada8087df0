"""`warehouse access export`: one workspace's mart rows in a DuckDB file of their own.

DuckDB has no roles: whoever opens the warehouse file reads every row. To hand a team its
data, copy the rows it would read on PostgreSQL into a new file: each mart with a
`workspace_slug` column keeps that workspace's rows, each with a `full_name` column (and no
`workspace_slug`) the rows of the repositories it tracks; a mart with neither key is left
out. Views are copied as tables of their rows. The copy is a snapshot: export again after a
build.
"""

from __future__ import annotations

from pathlib import Path

from loaders.access.apply import AccessError
from loaders.access.policy_sql import KEY_COLUMNS
from loaders.warehouse import Warehouse

_ALIAS = "workspace_export"


def _keyed_relations(wh: Warehouse) -> dict[str, str | None]:
    """Relation in the analytics schema → its key column (None: no key)."""
    rows = wh.query(
        """
        select table_name, column_name from information_schema.columns
        where table_schema = %(schema)s and table_catalog = current_database()
        """,
        {"schema": wh.settings.analytics_schema},
    )
    keys: dict[str, str | None] = {}
    for row in rows:
        keys.setdefault(row["table_name"], None)
        if row["column_name"] in KEY_COLUMNS:
            current = keys[row["table_name"]]
            if current is None or KEY_COLUMNS.index(row["column_name"]) < KEY_COLUMNS.index(
                current
            ):
                keys[row["table_name"]] = row["column_name"]
    return keys


def export_workspace(wh: Warehouse, slug: str, out: Path) -> dict[str, int | None]:
    """Copy `slug`'s rows of every keyed mart into the new DuckDB file `out`; returns rows
    per mart (None: left out, no key)."""
    if wh.engine != "duckdb":
        raise AccessError(
            "exports are for DuckDB: on PostgreSQL members read the warehouse itself through "
            "their roles (`warehouse access apply`)"
        )
    if out.exists():
        raise AccessError(f"{out} already exists: name a new file; nothing was written")
    control, analytics = wh.settings.control_schema, wh.settings.analytics_schema
    params = {"slug": slug}
    if not wh.scalar(
        f"select count(*) from {control}.workspaces where slug = %(slug)s and is_active", params
    ):
        raise AccessError(f"no active workspace {slug!r} (see `warehouse workspaces list`)")
    repositories = f"""
        select full_name from {control}.workspace_repositories
        where workspace_slug = %(slug)s and is_active
    """
    keys = _keyed_relations(wh)
    counts: dict[str, int | None] = {}
    path = str(out.absolute()).replace("'", "''")
    wh.execute(f"attach '{path}' as {_ALIAS}")
    try:
        wh.execute(f"create schema {_ALIAS}.{analytics}")
        for name, key in sorted(keys.items()):
            if key is None:
                counts[name] = None
                continue
            allowed = "%(slug)s" if key == "workspace_slug" else f"({repositories})"
            wh.execute(
                f'create table {_ALIAS}.{analytics}."{name}" as '
                f'select * from {analytics}."{name}" where {key} in {allowed}',
                params,
            )
            counts[name] = wh.scalar(f'select count(*) from {_ALIAS}.{analytics}."{name}"')
    except BaseException:
        wh.execute(f"detach {_ALIAS}")
        out.unlink(missing_ok=True)  # no half-written export left behind
        raise
    wh.execute(f"detach {_ALIAS}")
    return counts
