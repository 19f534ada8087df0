"""Declarative, idempotent apply of workspaces.yml to the control schema.

Adds and updates what the file says; a repository or workspace missing from the file is
marked inactive. A repository no active workspace tracks any more keeps its raw data for
the grace period (`WAREHOUSE_UNTRACKED_GRACE_DAYS`, default 7 days), then the purge deletes
it; tracked again within the grace period it loses nothing, later it is reloaded whole.
Everything happens in one transaction, and only after the whole file validated, so an
invalid file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from loaders.access.names import member_role, role_prefix
from loaders.control.coverage import mark_tracking, read_coverage
from loaders.control.migrations import migrate
from loaders.retention.grace import kept_until, untracked_grace_days
from loaders.warehouse import Warehouse
from loaders.workspaces.config import FETCH_FLAGS, RepositoryEntry, WorkspaceConfig, WorkspacesFile


@dataclass
class ApplyReport:
    workspaces_added: list[str] = field(default_factory=list)
    workspaces_updated: list[str] = field(default_factory=list)
    workspaces_deactivated: list[str] = field(default_factory=list)
    repositories_added: list[tuple[str, str]] = field(default_factory=list)
    repositories_updated: list[tuple[str, str]] = field(default_factory=list)
    repositories_deactivated: list[tuple[str, str]] = field(default_factory=list)
    #: (repository, raw data kept until) for repositories no active workspace tracks now
    repositories_untracked: list[tuple[str, datetime]] = field(default_factory=list)
    #: (repository, data kept) for repositories tracked again after being untracked;
    #: data kept False: its grace period was over, it is reloaded whole
    repositories_tracked_again: list[tuple[str, bool]] = field(default_factory=list)
    #: (workspace, member) pairs
    members_added: list[tuple[str, str]] = field(default_factory=list)
    members_updated: list[tuple[str, str]] = field(default_factory=list)
    members_removed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(vars(self).values())


def _workspace_row(workspace: WorkspaceConfig) -> dict[str, object]:
    return {
        "slug": workspace.slug,
        "name": workspace.name,
        "tier": workspace.tier,
        "billing_customer_id": workspace.billing_customer_id,
    }


def _membership_row(slug: str, entry: RepositoryEntry) -> dict[str, object]:
    row: dict[str, object] = {
        "workspace_slug": slug,
        "full_name": entry.repo,
        "sync_frequency_hours": entry.sync_frequency_hours,
        "data_retention_days": entry.data_retention_days,
    }
    row.update({f"fetch_{flag}": getattr(entry.fetch, flag) for flag in FETCH_FLAGS})
    return row


_MEMBERSHIP_COLUMNS = ["sync_frequency_hours", "data_retention_days"] + [
    f"fetch_{flag}" for flag in FETCH_FLAGS
]


def _apply_workspaces(
    wh: Warehouse, schema: str, config: WorkspacesFile, report: ApplyReport
) -> None:
    existing = {
        row["slug"]: row
        for row in wh.query(
            f"select slug, name, tier, billing_customer_id, is_active from {schema}.workspaces"
        )
    }
    wanted = {w.slug for w in config.workspaces}
    for workspace in config.workspaces:
        row = _workspace_row(workspace)
        current = existing.get(workspace.slug)
        if current is None:
            wh.execute(
                f"insert into {schema}.workspaces (slug, name, tier, billing_customer_id) "
                "values (%(slug)s, %(name)s, %(tier)s, %(billing_customer_id)s)",
                row,
            )
            report.workspaces_added.append(workspace.slug)
        elif any(current[k] != v for k, v in row.items()) or not current["is_active"]:
            wh.execute(
                f"update {schema}.workspaces set name = %(name)s, tier = %(tier)s, "
                "billing_customer_id = %(billing_customer_id)s, is_active = true, "
                "updated_at = current_timestamp where slug = %(slug)s",
                row,
            )
            report.workspaces_updated.append(workspace.slug)
    for slug, current in existing.items():
        if slug not in wanted and current["is_active"]:
            wh.execute(
                f"update {schema}.workspaces set is_active = false, updated_at = current_timestamp "
                "where slug = %(slug)s",
                {"slug": slug},
            )
            report.workspaces_deactivated.append(slug)


def _apply_repositories(
    wh: Warehouse, schema: str, config: WorkspacesFile, report: ApplyReport
) -> None:
    known = {r["full_name"] for r in wh.query(f"select full_name from {schema}.repositories")}
    memberships = {
        (row["workspace_slug"], row["full_name"]): row
        for row in wh.query(
            f"select workspace_slug, full_name, is_active, {', '.join(_MEMBERSHIP_COLUMNS)} "
            f"from {schema}.workspace_repositories"
        )
    }
    wanted: set[tuple[str, str]] = set()
    for workspace in config.workspaces:
        for entry in workspace.repositories:
            key = (workspace.slug, entry.repo)
            wanted.add(key)
            if entry.repo not in known:
                wh.execute(
                    f"insert into {schema}.repositories (full_name) values (%(full_name)s)",
                    {"full_name": entry.repo},
                )
                known.add(entry.repo)
            row = _membership_row(workspace.slug, entry)
            current = memberships.get(key)
            if current is None:
                columns = ", ".join(row)
                values = ", ".join(f"%({c})s" for c in row)
                wh.execute(
                    f"insert into {schema}.workspace_repositories ({columns}) values ({values})",
                    row,
                )
                report.repositories_added.append(key)
            elif not current["is_active"] or any(current[c] != row[c] for c in _MEMBERSHIP_COLUMNS):
                assignments = ", ".join(f"{c} = %({c})s" for c in _MEMBERSHIP_COLUMNS)
                # Re-activation keeps the original added_at: history was retained meanwhile.
                wh.execute(
                    f"update {schema}.workspace_repositories set {assignments}, is_active = true, "
                    "removed_at = null, updated_at = current_timestamp "
                    "where workspace_slug = %(workspace_slug)s and full_name = %(full_name)s",
                    row,
                )
                report.repositories_updated.append(key)
    for key, current in memberships.items():
        if key not in wanted and current["is_active"]:
            wh.execute(
                f"update {schema}.workspace_repositories set is_active = false, "
                "removed_at = current_timestamp, updated_at = current_timestamp "
                "where workspace_slug = %(workspace_slug)s and full_name = %(full_name)s",
                {"workspace_slug": key[0], "full_name": key[1]},
            )
            report.repositories_deactivated.append(key)


def _apply_addons(wh: Warehouse, schema: str, config: WorkspacesFile) -> None:
    """Add-ons declared in the file; billing-sourced add-ons are the webhook's, never touched."""
    current = {
        (row["workspace_slug"], row["addon"]): row
        for row in wh.query(
            f"select workspace_slug, addon, source, status from {schema}.workspace_addons"
        )
    }
    declared = {(w.slug, addon) for w in config.workspaces for addon in w.addons}
    for key in declared:
        row = current.get(key)
        params = {"workspace_slug": key[0], "addon": key[1]}
        if row is None:
            wh.execute(
                f"insert into {schema}.workspace_addons (workspace_slug, addon, source, status) "
                "values (%(workspace_slug)s, %(addon)s, 'config', 'active')",
                params,
            )
        elif row["source"] == "config" and row["status"] != "active":
            wh.execute(
                f"update {schema}.workspace_addons set status = 'active', "
                "updated_at = current_timestamp "
                "where workspace_slug = %(workspace_slug)s and addon = %(addon)s",
                params,
            )
    for key, row in current.items():
        if key not in declared and row["source"] == "config" and row["status"] == "active":
            wh.execute(
                f"update {schema}.workspace_addons set status = 'canceled', "
                "updated_at = current_timestamp "
                "where workspace_slug = %(workspace_slug)s and addon = %(addon)s",
                {"workspace_slug": key[0], "addon": key[1]},
            )


_MEMBER_COLUMNS = ("member_kind", "role", "db_role", "db_role_managed")


def _apply_members(wh: Warehouse, schema: str, config: WorkspacesFile, report: ApplyReport) -> None:
    """Members as the file says; one left out is marked inactive, which the row-level
    security policies read at once (loaders/access): removal needs no other step to hide rows."""
    prefix = role_prefix()
    current = {
        (row["workspace_slug"], row["member"]): row
        for row in wh.query(
            f"select workspace_slug, member, is_active, {', '.join(_MEMBER_COLUMNS)} "
            f"from {schema}.workspace_members"
        )
    }
    wanted: set[tuple[str, str]] = set()
    for workspace in config.workspaces:
        for member in workspace.members:
            key = (workspace.slug, member.identity)
            wanted.add(key)
            row: dict[str, object] = {
                "workspace_slug": workspace.slug,
                "member": member.identity,
                "member_kind": member.kind,
                "role": member.role,
                "db_role": member.db_role or member_role(prefix, member.identity),
                "db_role_managed": member.db_role is None,
            }
            existing = current.get(key)
            if existing is None:
                wh.execute(
                    f"insert into {schema}.workspace_members ({', '.join(row)}) "
                    f"values ({', '.join(f'%({c})s' for c in row)})",
                    row,
                )
                report.members_added.append(key)
            elif not existing["is_active"] or any(existing[c] != row[c] for c in _MEMBER_COLUMNS):
                wh.execute(
                    f"update {schema}.workspace_members set "
                    + ", ".join(f"{c} = %({c})s" for c in _MEMBER_COLUMNS)
                    + ", is_active = true, removed_at = null, updated_at = current_timestamp "
                    "where workspace_slug = %(workspace_slug)s and member = %(member)s",
                    row,
                )
                report.members_updated.append(key)
    for key, existing in current.items():
        if key not in wanted and existing["is_active"]:
            wh.execute(
                f"update {schema}.workspace_members set is_active = false, "
                "removed_at = current_timestamp, updated_at = current_timestamp "
                "where workspace_slug = %(workspace_slug)s and member = %(member)s",
                {"workspace_slug": key[0], "member": key[1]},
            )
            report.members_removed.append(key)


def _mark_tracking(wh: Warehouse, report: ApplyReport, grace_days: int) -> None:
    """Start or end grace periods; report those with loaded data."""
    schema = wh.settings.control_schema
    now = datetime.now(timezone.utc)
    loaded = {
        r["full_name"] for r in wh.query(f"select distinct full_name from {schema}.sync_state")
    }
    before = read_coverage(wh)
    untracked, tracked_again = mark_tracking(wh, now)
    report.repositories_untracked = [
        (name, kept_until(now, grace_days)) for name in untracked if name in loaded
    ]
    for name in tracked_again:
        row = before[name]
        if name in loaded or row.history_complete_from is not None or row.purged_at:
            report.repositories_tracked_again.append((name, row.purged_at is None))


def apply_workspaces(
    warehouse: Warehouse, config: WorkspacesFile, *, grace_days: int | None = None
) -> ApplyReport:
    """Make the control schema say what `config` says; returns what changed."""
    grace_days = untracked_grace_days() if grace_days is None else grace_days
    migrate(warehouse)
    schema = warehouse.settings.control_schema
    report = ApplyReport()
    with warehouse.transaction():
        _apply_workspaces(warehouse, schema, config, report)
        _apply_repositories(warehouse, schema, config, report)
        _apply_addons(warehouse, schema, config)
        _apply_members(warehouse, schema, config, report)
        _mark_tracking(warehouse, report, grace_days)
    return report
