"""Write control-plane rows (workspaces, tracked repositories, sync state) for dbt tests.

The real path is `warehouse workspaces apply`; these tests only need the rows the dbt
models read, so they insert them directly after running the migrations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from loaders.control.migrations import migrate
from loaders.warehouse import Warehouse


@dataclass(frozen=True)
class Tracked:
    workspace: str
    full_name: str
    github_id: int | None
    tier: str = "free"
    retention_days: int | None = None
    added_at: datetime | None = None
    flags: dict[str, bool] = field(default_factory=dict)


def one_workspace(slug: str, names: Iterable[str], tier: str = "enterprise") -> list[Tracked]:
    """`names` tracked by the workspace `slug` (no retention override, no fetch flags)."""
    return [Tracked(slug, name, None, tier=tier) for name in names]


def track(warehouse: Warehouse, rows: Iterable[Tracked]) -> None:
    schema = warehouse.settings.control_schema
    migrate(warehouse)
    with warehouse.transaction():
        for row in rows:
            warehouse.execute(
                f"insert into {schema}.workspaces (slug, name, tier) "
                "select %(slug)s, %(slug)s, %(tier)s where not exists "
                f"(select 1 from {schema}.workspaces where slug = %(slug)s)",
                {"slug": row.workspace, "tier": row.tier},
            )
            warehouse.execute(
                f"insert into {schema}.repositories (full_name, github_id) "
                "select %(name)s, %(id)s where not exists "
                f"(select 1 from {schema}.repositories where full_name = %(name)s)",
                {"name": row.full_name, "id": row.github_id},
            )
            columns = ["workspace_slug", "full_name", "data_retention_days"]
            values = {"w": row.workspace, "n": row.full_name, "r": row.retention_days}
            placeholders = ["%(w)s", "%(n)s", "%(r)s"]
            if row.added_at is not None:
                columns.append("added_at")
                placeholders.append("%(a)s")
                values["a"] = row.added_at
            for flag, enabled in row.flags.items():
                columns.append(f"fetch_{flag}")
                placeholders.append(f"%(f_{flag})s")
                values[f"f_{flag}"] = enabled
            warehouse.execute(
                f"insert into {schema}.workspace_repositories ({', '.join(columns)}) "
                f"values ({', '.join(placeholders)})",
                values,
            )


def mark_synced(
    warehouse: Warehouse, full_name: str, at: datetime, resources: Iterable[str]
) -> None:
    """Record a successful sync of `resources` for `full_name` at `at`."""
    schema = warehouse.settings.control_schema
    with warehouse.transaction():
        for resource in resources:
            warehouse.execute(
                f"delete from {schema}.sync_state where full_name = %(n)s and resource = %(r)s",
                {"n": full_name, "r": resource},
            )
            warehouse.execute(
                f"insert into {schema}.sync_state (full_name, resource, last_sync_at, "
                "last_success_at, last_status) values (%(n)s, %(r)s, %(t)s, %(t)s, 'success')",
                {"n": full_name, "r": resource, "t": at},
            )
