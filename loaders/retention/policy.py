"""How long the warehouse must keep each repository's raw data.

A repository's raw rows are kept for the longest effective retention of any active workspace
tracking it. Effective retention follows the same rule as the dbt view
`int_workspace_repositories__settings`: the repository's own `data_retention_days`, else its
workspace tier's (seeds/tiers.csv), raised by an active add-on (seeds/addons.csv). It is
computed here from the control tables so purging works before dbt has ever run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from loaders.control.tiers import load_addon_retention, load_tiers
from loaders.warehouse import Warehouse

# A tier missing from the seed keeps data as long as the dbt var unknown_tier_retention_days.
UNKNOWN_TIER_RETENTION_DAYS = 30


@dataclass(frozen=True)
class RepositoryRetention:
    repository_id: int
    full_name: str
    retention_days: int

    def cutoff(self, now: datetime) -> datetime:
        """Rows whose activity is older than this are outside every workspace's window."""
        return now - timedelta(days=self.retention_days)


def retained_repositories(warehouse: Warehouse) -> list[RepositoryRetention]:
    """Every repository some active workspace tracks and whose GitHub id is known.

    The id comes from control.repositories.github_id, or, before the loaders recorded it,
    from the raw repositories table by (case-insensitive) full name.
    """
    control, raw = warehouse.settings.control_schema, warehouse.settings.raw_schema
    tiers = load_tiers()
    addon_days = load_addon_retention()
    rows = warehouse.query(
        f"""
        select
            lower(wr.full_name) as full_name,
            r.github_id,
            wr.data_retention_days,
            w.tier,
            w.slug
        from {control}.workspace_repositories as wr
        inner join {control}.workspaces as w on w.slug = wr.workspace_slug
        inner join {control}.repositories as r on r.full_name = wr.full_name
        where wr.is_active and w.is_active
        """
    )
    addons: dict[str, int] = {}
    for row in warehouse.query(
        f"select workspace_slug, addon from {control}.workspace_addons where status = 'active'"
    ):
        days = addon_days.get(row["addon"])
        if days is not None:
            addons[row["workspace_slug"]] = max(addons.get(row["workspace_slug"], 0), days)
    raw_ids: dict[str, int] = {}
    if warehouse.table_exists(raw, "repositories"):
        raw_ids = {
            row["full_name"]: int(row["id"])
            for row in warehouse.query(
                f"select lower(full_name) as full_name, id from {raw}.repositories"
            )
        }
    longest: dict[int, RepositoryRetention] = {}
    for row in rows:
        repository_id = row["github_id"] or raw_ids.get(row["full_name"])
        if repository_id is None:
            continue  # never loaded: nothing to keep or purge
        tier = tiers.get(row["tier"])
        days = row["data_retention_days"] or (
            tier.retention_days if tier else UNKNOWN_TIER_RETENTION_DAYS
        )
        days = max(days, addons.get(row["slug"], 0))
        current = longest.get(int(repository_id))
        if current is None or days > current.retention_days:
            longest[int(repository_id)] = RepositoryRetention(
                int(repository_id), row["full_name"], days
            )
    return sorted(longest.values(), key=lambda r: r.repository_id)
