"""control.repository_coverage: how far back each repository's raw history is complete.

Written in the same transaction as the bookkeeping of the load that earned it:
  - a sync that loaded every resource of a repository with no known coverage (its first
    load) sets `history_complete_from` to that load's window start (now - retention);
  - a completed backfill of a repository lowers it to the job's window start;
  - the retention purge raises it to the cut-off it trims to, and clears it (with
    `purged_at`) when it deletes an untracked repository after its grace period.
`untracked_since` starts a repository's grace period; `workspaces apply` keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from loaders.warehouse import Warehouse

TABLE = "repository_coverage"


@dataclass(frozen=True)
class Coverage:
    full_name: str
    history_complete_from: datetime | None
    untracked_since: datetime | None
    purged_at: datetime | None


def _utc(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def read_coverage(warehouse: Warehouse) -> dict[str, Coverage]:
    """Every coverage row by (lower-case) full name."""
    schema = warehouse.settings.control_schema
    rows = warehouse.query(
        f"select full_name, history_complete_from, untracked_since, purged_at from {schema}.{TABLE}"
    )
    return {
        r["full_name"]: Coverage(
            r["full_name"],
            _utc(r["history_complete_from"]),
            _utc(r["untracked_since"]),
            _utc(r["purged_at"]),
        )
        for r in rows
    }


def ensure_row(warehouse: Warehouse, full_name: str) -> None:
    schema = warehouse.settings.control_schema
    exists = warehouse.scalar(
        f"select count(*) from {schema}.{TABLE} where full_name = %(f)s", {"f": full_name}
    )
    if not exists:
        warehouse.execute(
            f"insert into {schema}.{TABLE} (full_name) values (%(f)s)", {"f": full_name}
        )


def record_first_load(warehouse: Warehouse, full_name: str, window_start: datetime) -> None:
    """After a sync loaded every resource back to `window_start`: the repository's history
    is complete from there, unless coverage is already known, or its data was purged (its
    cursors then only fetch what changed since: the window job reloads it)."""
    schema = warehouse.settings.control_schema
    ensure_row(warehouse, full_name)
    warehouse.execute(
        f"update {schema}.{TABLE} set history_complete_from = %(start)s, "
        "updated_at = current_timestamp "
        "where full_name = %(f)s and history_complete_from is null and purged_at is null",
        {"f": full_name, "start": window_start},
    )


def record_backfill(warehouse: Warehouse, full_name: str, window_start: datetime) -> None:
    """A backfill loaded the repository from `window_start` up to now: lower its coverage."""
    schema = warehouse.settings.control_schema
    ensure_row(warehouse, full_name)
    warehouse.execute(
        f"update {schema}.{TABLE} set purged_at = null, updated_at = current_timestamp, "
        "history_complete_from = case when history_complete_from is null "
        "or history_complete_from > %(start)s then %(start)s "
        "else history_complete_from end "
        "where full_name = %(f)s",
        {"f": full_name, "start": window_start},
    )


def mark_tracking(warehouse: Warehouse, now: datetime | None = None) -> tuple[list[str], list[str]]:
    """Start the grace period of repositories no active workspace tracks any more, end it
    for those tracked again. Returns (newly untracked, tracked again) full names."""
    schema = warehouse.settings.control_schema
    tracked = {
        r["full_name"]
        for r in warehouse.query(
            f"select distinct wr.full_name from {schema}.workspace_repositories as wr "
            f"inner join {schema}.workspaces as w on w.slug = wr.workspace_slug "
            "where wr.is_active and w.is_active"
        )
    }
    known = {
        r["full_name"] for r in warehouse.query(f"select full_name from {schema}.repositories")
    }
    coverage = read_coverage(warehouse)
    now = now or datetime.now(timezone.utc)
    untracked: list[str] = []
    retracked: list[str] = []
    for full_name in sorted(known):
        row = coverage.get(full_name)
        if full_name not in tracked and (row is None or row.untracked_since is None):
            ensure_row(warehouse, full_name)
            warehouse.execute(
                f"update {schema}.{TABLE} set untracked_since = %(now)s, "
                "updated_at = current_timestamp where full_name = %(f)s",
                {"f": full_name, "now": now},
            )
            untracked.append(full_name)
        elif full_name in tracked and row is not None and row.untracked_since is not None:
            warehouse.execute(
                f"update {schema}.{TABLE} set untracked_since = null, "
                "updated_at = current_timestamp where full_name = %(f)s",
                {"f": full_name},
            )
            retracked.append(full_name)
    return untracked, retracked
