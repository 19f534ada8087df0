"""`warehouse purge`: delete raw rows no active workspace retains (dry run unless --apply)."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table

from loaders.control.migrations import migrate
from loaders.retention import PurgeReport, untracked_grace_days
from loaders.retention import purge as purge_raw
from loaders.warehouse import WarehouseBusy, WarehouseSettings, connect

console = Console()


def _print(report: PurgeReport) -> None:
    title = "deleted" if report.applied else "would delete (dry run: pass --apply to delete)"
    table = Table(title=f"warehouse purge — {title}")
    table.add_column("raw table")
    table.add_column("rows", justify="right")
    for name, rows in sorted(report.rows.items()):
        table.add_row(name, str(rows))
    table.add_row("[bold]total[/bold]", f"[bold]{report.total}[/bold]")
    console.print(table)
    if report.analytics:
        copies = ", ".join(f"{t} {n}" for t, n in sorted(report.analytics.items()))
        console.print(f"dbt's copies of those rows (intermediate schema): {copies}")
    console.print(
        f"{report.repositories_retained} repositories retained by active workspaces "
        f"(cut-offs as of {report.now:%Y-%m-%d %H:%M} UTC)."
    )
    for line in report.grace_lines():
        console.print(line)


@click.command("purge")
@click.option(
    "--apply", is_flag=True, help="Delete the rows (one transaction). Without it: only count."
)
@click.option("--dry-run", is_flag=True, help="Only count (the default).")
def purge(apply: bool, dry_run: bool) -> None:
    """Delete raw rows older than every tracking workspace's retention, or of repositories
    no active workspace tracks once their grace period (WAREHOUSE_UNTRACKED_GRACE_DAYS,
    default 7) is over. `warehouse run` applies this on every scheduled run."""
    if apply and dry_run:
        raise click.UsageError("--apply and --dry-run exclude each other")
    try:
        settings = WarehouseSettings.from_env()
        untracked_grace_days()
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    try:
        with connect(settings) as warehouse:
            migrate(warehouse)
            report = purge_raw(warehouse, apply=apply)
    except WarehouseBusy:
        raise  # the CLI group says who holds it (exit 3)
    except Exception as error:  # the message names the warehouse, never its password
        console.print(f"[red]purge failed on {settings.describe()}:[/red] {error}")
        sys.exit(1)
    _print(report)
