"""How long the warehouse must keep each repository's raw data.

A repository's raw rows are kept for the longest effective retention of any active workspace
tracking it. Effective retention follows the same rule as the dbt view
`int_workspace_repositories__settings`: the repository's own `data_retention_days`, else its
workspace tier's (seeds/tiers.csv), raised by an active add-on (seeds/addons.csv). It is
computed here from the control tables so purging works before dbt has ever run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from loaders.control.coverage import read_coverage
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
        return window_start(now, self.retention_days)


def window_start(now: datetime, retention_days: int) -> datetime:
    """The first instant of an N-day window as the marts count it: UTC midnight of its first
    day, today being day N (dbt's `int_workspace_repository_windows`). Whole days keep the
    purge, the history coverage it records and the window jobs moving once a day, not at
    every hourly run."""
    today = now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=retention_days - 1)


@dataclass(frozen=True)
class Entitlement:
    """The longest effective retention any active workspace grants a repository."""

    full_name: str
    retention_days: int
    workspace_slug: str  # the (first, by slug) workspace granting it


def entitlements(warehouse: Warehouse) -> dict[str, Entitlement]:
    """Every repository some active workspace tracks, by lower-case full name."""
    control = warehouse.settings.control_schema
    tiers = load_tiers()
    addon_days = load_addon_retention()
    rows = warehouse.query(
        f"""
        select lower(wr.full_name) as full_name, wr.data_retention_days, w.tier, w.slug
        from {control}.workspace_repositories as wr
        inner join {control}.workspaces as w on w.slug = wr.workspace_slug
        where wr.is_active and w.is_active
        order by w.slug
        """
    )
    addons: dict[str, int] = {}
    for row in warehouse.query(
        f"select workspace_slug, addon from {control}.workspace_addons where status = 'active'"
    ):
        days = addon_days.get(row["addon"])
        if days is not None:
            addons[row["workspace_slug"]] = max(addons.get(row["workspace_slug"], 0), days)
    longest: dict[str, Entitlement] = {}
    for row in rows:
        tier = tiers.get(row["tier"])
        days = row["data_retention_days"] or (
            tier.retention_days if tier else UNKNOWN_TIER_RETENTION_DAYS
        )
        days = max(days, addons.get(row["slug"], 0))
        current = longest.get(row["full_name"])
        if current is None or days > current.retention_days:
            longest[row["full_name"]] = Entitlement(row["full_name"], days, row["slug"])
    return longest


def _repository_ids(warehouse: Warehouse) -> dict[str, int]:
    """GitHub ids by lower-case name: control.repositories.github_id, or, before the loaders
    recorded it, the raw repositories table's (case-insensitive) name."""
    control, raw = warehouse.settings.control_schema, warehouse.settings.raw_schema
    ids: dict[str, int] = {}
    if warehouse.table_exists(raw, "repositories"):
        ids = {
            row["full_name"]: int(row["id"])
            for row in warehouse.query(
                f"select lower(full_name) as full_name, id from {raw}.repositories"
            )
        }
    for row in warehouse.query(
        f"select lower(full_name) as full_name, github_id from {control}.repositories "
        "where github_id is not null"
    ):
        ids[row["full_name"]] = int(row["github_id"])
    return ids


def retained_repositories(warehouse: Warehouse) -> list[RepositoryRetention]:
    """Every repository some active workspace tracks and whose GitHub id is known."""
    ids = _repository_ids(warehouse)
    longest: dict[int, RepositoryRetention] = {}
    for entitlement in entitlements(warehouse).values():
        repository_id = ids.get(entitlement.full_name)
        if repository_id is None:
            continue  # never loaded: nothing to keep or purge
        current = longest.get(repository_id)
        if current is None or entitlement.retention_days > current.retention_days:
            longest[repository_id] = RepositoryRetention(
                repository_id, entitlement.full_name, entitlement.retention_days
            )
    return sorted(longest.values(), key=lambda r: r.repository_id)


@dataclass(frozen=True)
class UntrackedRepository:
    """A repository no active workspace tracks, and until when its raw data is kept."""

    full_name: str
    repository_id: int | None
    untracked_since: datetime | None  # None: before the warehouse kept track (no grace)
    kept_until: datetime | None

    def in_grace(self, now: datetime) -> bool:
        return self.kept_until is not None and now < self.kept_until


def untracked_repositories(warehouse: Warehouse, grace_days: int) -> list[UntrackedRepository]:
    """Known repositories no active workspace tracks, with their grace period's end."""
    control = warehouse.settings.control_schema
    tracked = set(entitlements(warehouse))
    ids = _repository_ids(warehouse)
    coverage = read_coverage(warehouse)
    untracked = []
    for row in warehouse.query(f"select lower(full_name) as full_name from {control}.repositories"):
        name = row["full_name"]
        if name in tracked:
            continue
        since = coverage[name].untracked_since if name in coverage else None
        untracked.append(
            UntrackedRepository(
                full_name=name,
                repository_id=ids.get(name),
                untracked_since=since,
                kept_until=None if since is None else since + timedelta(days=grace_days),
            )
        )
    return sorted(untracked, key=lambda u: u.full_name)
