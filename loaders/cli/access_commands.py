"""`warehouse access apply|list`: members' database roles and row-level security (PostgreSQL)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from loaders.access import AccessError, AccessReport, apply_access, check_roles
from loaders.access.names import member_role, role_prefix
from loaders.control.migrations import migrate
from loaders.warehouse import Warehouse, WarehouseSettings, connect
from loaders.workspaces import WorkspacesFile

EXIT_BAD_INPUT = 2


def has_members(warehouse: Warehouse) -> bool:
    """Whether members were ever declared: only then does `workspaces apply` touch roles
    (a warehouse without members needs no CREATEROLE right)."""
    schema = warehouse.settings.control_schema
    return bool(warehouse.scalar(f"select count(*) from {schema}.workspace_members"))


def check_file_roles(warehouse: Warehouse, config: WorkspacesFile) -> None:
    """PostgreSQL: refuse a file whose `db_role`s cannot be used before it changes anything."""
    if warehouse.engine != "postgres":
        return
    prefix = role_prefix()
    wanted = {
        m.db_role or member_role(prefix, m.identity): m.db_role is None
        for w in config.workspaces
        for m in w.members
    }
    try:
        check_roles(warehouse, wanted)
    except AccessError as error:
        click.echo(str(error), err=True)
        sys.exit(EXIT_BAD_INPUT)


def print_access_report(console: Console, report: AccessReport) -> None:
    relations = ", ".join(f"{n} {kind}" for kind, n in sorted(report.relations.items()))
    console.print(f"  access: group role {report.group}; relations secured: {relations or 'none'}")
    for label, items in (
        ("roles created", report.roles_created),
        ("roles granted read", report.roles_granted),
        ("roles revoked", report.roles_revoked),
    ):
        if items:
            console.print(f"  {label} ({len(items)}): {', '.join(items)}")


def apply_and_report(warehouse: Warehouse, console: Console) -> None:
    """Apply access; an impossible request (missing db_role, old server) exits 2."""
    try:
        report = apply_access(warehouse)
    except AccessError as error:
        click.echo(str(error), err=True)
        sys.exit(EXIT_BAD_INPUT)
    print_access_report(console, report)


@click.group()
def access() -> None:
    """Workspace members' read access (PostgreSQL roles and row-level security)."""


@access.command("apply")
def apply_command() -> None:
    """Create a role per member, grant read on the marts, secure every mart.

    Members come from workspaces.yml (`warehouse workspaces apply` records them and runs
    this step too). Idempotent; a removed member's role loses read access. PostgreSQL 15+
    only: DuckDB is a single-user engine (exit 2). See docs/running.md.
    """
    settings = WarehouseSettings.from_env()
    console = Console()
    with connect(settings) as warehouse:
        apply_and_report(warehouse, console)
    console.print(f"Access applied to {settings.describe()}")


@access.command("list")
def list_command() -> None:
    """Show members, their role and the database role they read as."""
    settings = WarehouseSettings.from_env()
    with connect(settings) as warehouse:
        migrate(warehouse)
        schema = settings.control_schema
        rows = warehouse.query(
            f"""
            select m.workspace_slug, m.member, m.role, m.db_role, m.db_role_managed,
                   m.is_active and w.is_active as active
            from {schema}.workspace_members as m
            inner join {schema}.workspaces as w on w.slug = m.workspace_slug
            order by m.workspace_slug, m.member
            """
        )
    table = Table(title=f"Workspace members ({settings.describe()})")
    for column in ("workspace", "member", "role", "database role", "active"):
        table.add_column(column, overflow="fold")
    for row in rows:
        db_role = row["db_role"] + ("" if row["db_role_managed"] else " (from the file)")
        active = "yes" if row["active"] else "no"
        table.add_row(row["workspace_slug"], row["member"], row["role"], db_role, active)
    Console(width=None if sys.stdout.isatty() else 1000).print(table)


@access.command("export")
@click.option("--workspace", "slug", required=True, help="Slug of the workspace to export.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="New DuckDB file to write (must not exist).",
)
def export_command(slug: str, out: Path) -> None:
    """DuckDB: copy one workspace's mart rows into a new DuckDB file to hand its team.

    DuckDB has no roles, so this stands in for row-level security: each mart with a
    workspace or repository key keeps the workspace's rows; marts without one are left
    out. A snapshot: export again after a build.
    """
    from loaders.access.export import export_workspace

    settings = WarehouseSettings.from_env()
    with connect(settings) as warehouse:
        try:
            counts = export_workspace(warehouse, slug, out)
        except AccessError as error:
            click.echo(str(error), err=True)
            sys.exit(EXIT_BAD_INPUT)
    table = Table(title=f"Workspace {slug} exported to {out}")
    table.add_column("mart", overflow="fold")
    table.add_column("rows", justify="right")
    for name, rows in counts.items():
        table.add_row(
            name, "left out (no workspace or repository key)" if rows is None else str(rows)
        )
    Console(width=None if sys.stdout.isatty() else 1000).print(table)
