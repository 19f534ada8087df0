"""`warehouse workspaces apply|list`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from loaders.cli import access_commands
from loaders.control.migrations import migrate
from loaders.retention.grace import GraceSettingError, untracked_grace_days
from loaders.warehouse import WarehouseSettings, connect
from loaders.workspaces import (
    ApplyReport,
    WorkspacesConfigError,
    apply_workspaces,
    load_workspaces_file,
)

EXIT_BAD_INPUT = 2
_AGAIN = {
    True: "within its grace period: its data was kept",
    False: "its grace period was over and its data purged: the next run reloads its whole window",
}


@click.group()
def workspaces() -> None:
    """Declare which repositories are tracked (workspaces.yml)."""


@workspaces.command("apply")
@click.argument("file", type=click.Path(path_type=Path))
def apply_command(file: Path) -> None:
    """Apply FILE: add/update workspaces and repositories, deactivate removed ones.

    Idempotent. A repository no workspace tracks any more keeps its raw data for
    WAREHOUSE_UNTRACKED_GRACE_DAYS (default 7), then `warehouse run` purges it. On
    PostgreSQL, once members are declared, also applies their roles and row-level security
    (`warehouse access apply`). An invalid file changes nothing (exit 2).
    """
    console = Console()
    try:
        config = load_workspaces_file(file)
    except WorkspacesConfigError as error:
        click.echo(str(error), err=True)
        sys.exit(EXIT_BAD_INPUT)
    settings = WarehouseSettings.from_env()
    try:
        grace_days = untracked_grace_days()
    except GraceSettingError as error:
        click.echo(str(error), err=True)
        sys.exit(EXIT_BAD_INPUT)
    with connect(settings) as warehouse:
        access_commands.check_file_roles(warehouse, config)
        report = apply_workspaces(warehouse, config, grace_days=grace_days)
        console.print(f"Applied [bold]{file}[/] to {settings.describe()}")
        _print_report(console, report, grace_days)
        if settings.target == "postgres" and access_commands.has_members(warehouse):
            access_commands.apply_and_report(warehouse, console)
        elif any(w.members for w in config.workspaces):
            console.print(
                "  members recorded; DuckDB is a single-user engine (no roles, no row-level "
                "security): serve them from PostgreSQL (docs/running.md, Multi-tenant access)"
            )


def _print_report(console: Console, report: ApplyReport, grace_days: int) -> None:
    rows = [
        ("workspaces added", report.workspaces_added),
        ("workspaces updated", report.workspaces_updated),
        ("workspaces deactivated", report.workspaces_deactivated),
        ("repositories added", [f"{w}: {r}" for w, r in report.repositories_added]),
        ("repositories updated", [f"{w}: {r}" for w, r in report.repositories_updated]),
        ("repositories removed", [f"{w}: {r}" for w, r in report.repositories_deactivated]),
        (
            "no longer tracked by any workspace",
            [
                f"{r} (raw data kept until {until:%Y-%m-%d %H:%M} UTC (grace {grace_days} days), "
                "then purged; re-add it before then to keep it)"
                for r, until in report.repositories_untracked
            ],
        ),
        (
            "tracked again",
            [f"{r} ({_AGAIN[kept]})" for r, kept in report.repositories_tracked_again],
        ),
        ("members added", [f"{w}: {m}" for w, m in report.members_added]),
        ("members updated", [f"{w}: {m}" for w, m in report.members_updated]),
        ("members removed", [f"{w}: {m}" for w, m in report.members_removed]),
    ]
    for label, items in rows:
        if items:
            console.print(f"  {label} ({len(items)}): {', '.join(items)}")
    if not report.changed:
        console.print("  no changes")


@workspaces.command("list")
def list_command() -> None:
    """Show workspaces and the repositories they track."""
    settings = WarehouseSettings.from_env()
    with connect(settings) as warehouse:
        migrate(warehouse)
        schema = settings.control_schema
        rows = warehouse.query(
            f"""
            select w.slug, w.tier, w.is_active as workspace_active, wr.full_name,
                   wr.is_active, wr.sync_frequency_hours, wr.data_retention_days,
                   coalesce(a.status = 'active', false) as has_edr
            from {schema}.workspaces as w
            left join {schema}.workspace_repositories as wr on wr.workspace_slug = w.slug
            left join {schema}.workspace_addons as a
                on a.workspace_slug = w.slug and a.addon = 'extended_data_retention'
            order by w.slug, wr.full_name
            """
        )
    table = Table(title=f"Tracked repositories ({settings.describe()})")
    for column in ("workspace", "tier", "repository", "active", "sync h", "retention d"):
        # Names are folded onto more lines on a narrow terminal, never cut short.
        table.add_column(column, overflow="fold")
    for row in rows:
        tier = row["tier"] + (" +EDR" if row["has_edr"] else "")
        active = "yes" if row["is_active"] and row["workspace_active"] else "no"
        table.add_row(
            row["slug"],
            tier,
            row["full_name"] or "-",
            active,
            str(row["sync_frequency_hours"] or "tier"),
            str(row["data_retention_days"] or "tier"),
        )
    # Pipes and files (grep, cron logs) get the table at its full width; rich's default for
    # them is 80 columns, which cut repository names short.
    Console(width=None if sys.stdout.isatty() else 1000).print(table)
