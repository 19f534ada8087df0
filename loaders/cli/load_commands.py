"""`warehouse load`: load the due repositories (or a chosen subset) into `github_raw`."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table

from loaders.control.migrations import RESOURCES, migrate
from loaders.github import BadCredentials, GitHubClient, GitHubSettings
from loaders.github.preflight import TOKEN_HINT, GitHubSettingsProblem, check_github
from loaders.github.stats import describe_graphql_costs, describe_rest_calls
from loaders.sync import LoadReport, load_repositories, targets_from_queue
from loaders.warehouse import WarehouseSettings, connect

console = Console()

STATUS_STYLE = {
    "success": "green",
    "partial": "yellow",
    "deferred": "yellow",
    "failed": "red",
    "not_found": "magenta",
}


def _print_report(report: LoadReport) -> None:
    table = Table(title="warehouse load", show_lines=False)
    for column in ("repository", "status", "rows", "note"):
        table.add_column(column)
    for name, outcome in sorted(report.outcomes.items()):
        style = STATUS_STYLE.get(outcome.status, "")
        note = outcome.error or (f"renamed to {outcome.renamed_to}" if outcome.renamed_to else "")
        table.add_row(
            name,
            f"[{style}]{outcome.status}[/{style}]",
            str(sum(outcome.rows.values())),
            note[:120],
        )
    console.print(table)
    console.print(
        f"{report.rows_total} rows, {report.graphql_points} GraphQL points, "
        f"{describe_rest_calls(report.rest_calls, report.rest_not_modified)}"
    )
    if over := describe_graphql_costs(report.graphql_costs):
        console.print(f"[yellow]{over}: later batches were sent smaller.[/yellow]")
    if report.deferred:
        when = report.budget_resets_at.isoformat() if report.budget_resets_at else "unknown"
        console.print(
            f"[yellow]{len(report.deferred)} repositories deferred: the GitHub budget reached "
            f"its reserve. It resets at {when}; the next run picks them up first.[/yellow]"
        )


@click.command("load")
@click.option("--workspace", "workspace", metavar="SLUG", help="Only this workspace's repos.")
@click.option("--repo", "repo", metavar="OWNER/NAME", help="Only this repository.")
@click.option(
    "--resources",
    metavar="A,B",
    help=f"Only these resources (of: {', '.join(RESOURCES)}).",
)
@click.option(
    "--all", "load_all", is_flag=True, help="Ignore next_sync_at: load every selected repo."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=None,
    help="Repositories fetched at once (default WAREHOUSE_LOAD_WORKERS, else 3).",
)
def load(
    workspace: str | None,
    repo: str | None,
    resources: str | None,
    load_all: bool,
    workers: int | None,
) -> None:
    """Load GitHub data for the repositories that are due (deferred ones first).

    Exits 0 when everything selected was loaded or deferred by the budget reserve
    (the next run continues), 1 when a repository failed, 2 on bad input or settings (no
    token, a rejected token, nothing answering at GITHUB_API_URL), 3 when another process
    holds the warehouse.
    """
    if repo is not None and repo.count("/") != 1:
        console.print(f"[red]--repo expects OWNER/NAME, got {repo!r}[/red]")
        sys.exit(2)
    try:
        settings = WarehouseSettings.from_env()
        github = GitHubSettings.from_env()
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(2)
    warehouse = connect(settings)
    try:
        migrate(warehouse)
        try:  # token and API URL at once (exit 2), not after the queue build and retries
            check_github()
        except GitHubSettingsProblem as exc:
            console.print(f"[red]{exc}[/red]")
            sys.exit(2)
        try:
            targets = targets_from_queue(
                warehouse,
                workspace=workspace,
                repo=repo,
                resources=resources,
                due_only=not (load_all or repo),
            )
        except (ValueError, LookupError) as exc:
            console.print(f"[red]{exc}[/red]")
            sys.exit(2)
        if not targets:
            console.print("nothing is due: every tracked repository is up to date")
            return
        console.print(f"loading {len(targets)} repositories into {settings.describe()}")
        try:
            with GitHubClient(github) as client:
                report = load_repositories(warehouse, targets, client=client, workers=workers)
        except BadCredentials as exc:  # a settings problem: exit 2, as the docs promise
            console.print(f"[red]{exc}: {TOKEN_HINT} with a valid token[/red]")
            sys.exit(2)
        _print_report(report)
        if report.by_status("failed"):
            sys.exit(1)
    finally:
        warehouse.close()
