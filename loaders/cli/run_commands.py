"""`warehouse run`, `warehouse plan` and `warehouse demo`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from loaders import PROJECT_DIR
from loaders.cli.run_checks import settings_problem, warehouse_busy
from loaders.run import exit_codes
from loaders.run.pipeline import BadRunInput, RunOptions, RunReport, StepResult, run_pipeline
from loaders.run.progress import RunProgress
from loaders.run.summary import MartSummary, summarise_marts
from loaders.warehouse import WarehouseSettings, connect

# Logs and pipes (cron, CI) get wide lines instead of rich's 80-column default.
console = Console(width=None if sys.stdout.isatty() else 160)

STEP_STYLE = {
    "ok": "green",
    "partial": "yellow",
    "warning": "yellow",
    "failed": "red",
    "skipped": "dim",
}


def _settings() -> WarehouseSettings:
    from loaders.retention.grace import untracked_grace_days

    try:
        settings = WarehouseSettings.from_env()
        untracked_grace_days()  # read by apply and purge: a bad value is bad input (exit 2)
        return settings
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(exit_codes.BAD_INPUT)


def _print_step(step: StepResult) -> None:
    style = STEP_STYLE.get(step.status, "")
    console.print(
        f"[{style}]{step.status:>8}[/{style}]  {step.name:<10} {step.seconds:6.1f}s  {step.detail}"
    )


def _execute(settings: WarehouseSettings, options: RunOptions) -> RunReport:
    console.print(f"warehouse run against {settings.describe()}")
    try:
        busy = warehouse_busy(settings)
        problem = None if busy else settings_problem(options)
        if problem:
            raise BadRunInput(problem)
        # Live bars on a terminal only: cron and CI logs keep one line per step.
        progress = RunProgress.for_console(console)
        report = busy or run_pipeline(settings, options, on_step=_print_step, progress=progress)
    except BadRunInput as exc:
        console.print(f"[red]{exc}[/red]")
        console.print(
            f"exit {exit_codes.BAD_INPUT}: {exit_codes.DESCRIPTIONS[exit_codes.BAD_INPUT]}"
        )
        sys.exit(exit_codes.BAD_INPUT)
    if report.exit_code == exit_codes.LOCKED:
        console.print(f"[yellow]{report.message}[/yellow]")
    else:
        console.print(f"exit {report.exit_code}: {exit_codes.DESCRIPTIONS[report.exit_code]}")
    return report


@click.command(epilog=exit_codes.HELP)
@click.option(
    "--workspaces",
    "workspaces_file",
    type=click.Path(path_type=Path),
    help="Apply this workspaces file first (e.g. workspaces.yml).",
)
@click.option("--no-load", is_flag=True, help="Skip the scheduled sync.")
@click.option("--no-backfill", is_flag=True, help="Skip pending backfill jobs.")
@click.option("--no-purge", is_flag=True, help="Skip the retention purge.")
@click.option("--no-dbt", is_flag=True, help="Skip dbt build.")
@click.option("--no-freshness", is_flag=True, help="Skip dbt source freshness.")
@click.option(
    "--fail-on-stale",
    is_flag=True,
    help="Exit 1 when dbt source freshness reports stale sources (default: warn).",
)
@click.option(
    "--force-build",
    is_flag=True,
    help="Run dbt build even when nothing changed since the last successful build.",
)
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Then write the workspace activity report into this directory (warehouse report).",
)
@click.option(
    "--lake",
    metavar="DIR|URL",
    help="Before dbt build, append the new loads to this Parquet lake for Spark "
    "(warehouse lake export; docs/spark.md).",
)
def run(
    workspaces_file: Path | None,
    no_load: bool,
    no_backfill: bool,
    no_purge: bool,
    no_dbt: bool,
    no_freshness: bool,
    fail_on_stale: bool,
    force_build: bool,
    report_dir: Path | None,
    lake: str | None,
) -> None:
    """Apply workspaces, sync the due repositories, work backfill jobs, purge, dbt build,
    source freshness. One run at a time per warehouse: a second one exits with code 3."""
    if lake is not None:
        from loaders.lake.export import LakeExportError, bucket_url

        try:
            bucket_url(lake)
        except LakeExportError as error:
            raise click.BadParameter(str(error), param_hint="--lake") from None
    options = RunOptions(
        workspaces_file=workspaces_file,
        load=not no_load,
        backfill=not no_backfill,
        purge=not no_purge,
        dbt=not no_dbt,
        freshness=not no_freshness,
        fail_on_stale=fail_on_stale,
        force_build=force_build,
        lake=lake,
    )
    settings = _settings()
    exit_code = _execute(settings, options).exit_code
    if report_dir is not None and exit_code in (exit_codes.OK, exit_codes.PARTIAL):
        from loaders.cli.report_commands import write_report

        write_report(settings, report_dir)
    sys.exit(exit_code)


@click.command()
@click.option("--all", "include_all", is_flag=True, help="Also list repositories not due yet.")
def plan(include_all: bool) -> None:
    """Due repositories in queue order: workspace, repository, priority, last sync,
    estimated GraphQL points, and whether they fit the budget left now."""
    from loaders.dbt_runner import run_dbt
    from loaders.run.plan import build_plan, history_being_filled, spendable_graphql_points

    settings = _settings()
    with connect(settings) as wh:
        from loaders.control.migrations import migrate

        migrate(wh)
        built = wh.table_exists(settings.analytics_schema, "sync_queue")
    if not built:
        # `build` (not `run`): the queue reads the tier seeds, absent from a fresh warehouse.
        result = run_dbt(
            ["build", "--select", "+sync_queue", "--exclude-resource-type", "test"],
            settings,
            capture=True,
        )
        if not result.ok:
            console.print(
                f"[red]dbt could not build the sync queue:[/red]\n{result.output[-2000:]}"
            )
            sys.exit(exit_codes.FAILURE)
    from loaders.github.preflight import GitHubSettingsProblem, check_github

    budget = None
    try:
        check_github()  # fails fast, naming the variable, where the budget read would retry
        budget = spendable_graphql_points()
    except GitHubSettingsProblem as exc:
        console.print(f"[yellow]GitHub budget unknown: {exc}[/yellow]")
    with connect(settings) as wh:
        rows = build_plan(wh, budget_points=budget, include_not_due=include_all)
        filling = history_being_filled(wh)
    table = Table(
        title=f"plan: {len(rows)} rows, GraphQL budget left now: "
        f"{'unknown (GitHub unreachable)' if budget is None else int(budget)}"
    )
    for column in (
        "#",
        "workspace",
        "repository",
        "priority",
        "last sync",
        "est. points",
        "cumulative",
        "fits budget",
        "reason",
    ):
        table.add_column(column)
    for row in rows:
        fits = {True: "[green]yes[/green]", False: "[red]no[/red]", None: "?"}[row.fits_budget]
        table.add_row(
            str(row.rank),
            row.workspace,
            row.repository,
            str(row.priority),
            row.last_sync_at.strftime("%Y-%m-%d %H:%M") if row.last_sync_at else "never",
            str(row.estimated_points),
            str(row.cumulative_points),
            fits,
            row.due_reason,
        )
    console.print(table)
    for gap in filling:
        job = f"backfill job {gap.job_id}" if gap.job_id else "the next run queues its job"
        have = f"complete from {gap.complete_from:%Y-%m-%d}" if gap.complete_from else "none loaded"
        console.print(
            f"history still being filled: {gap.full_name} from {gap.needed_from:%Y-%m-%d} "
            f"({gap.entitled_days} days, {gap.workspace_slug}; {have}): {job}"
        )


def print_summary(summary: MartSummary) -> None:
    tables = Table(title="marts (analytics schema)")
    tables.add_column("table")
    tables.add_column("rows", justify="right")
    for name, count in summary.tables.items():
        tables.add_row(name, str(count))
    console.print(tables)
    if summary.activity_days:
        console.print(
            f"daily_activity_metrics covers {summary.activity_days} days "
            f"({summary.activity_first_day} .. {summary.activity_last_day})"
        )
    if summary.per_repository:
        repos = Table(title="activity per repository (sum over the window)")
        repos.add_column("repository")
        for metric in summary.metric_columns:
            repos.add_column(metric, justify="right")
        for row in summary.per_repository:
            repos.add_row(row["repository"], *(str(row[m] or 0) for m in summary.metric_columns))
        console.print(repos)


@click.command()
@click.option(
    "--duckdb-path",
    type=click.Path(path_type=Path),
    envvar="WAREHOUSE_DUCKDB_PATH",
    default=PROJECT_DIR / "warehouse.duckdb",
    show_default=True,
    help="DuckDB file to load (env WAREHOUSE_DUCKDB_PATH).",
)
@click.option("--fresh", is_flag=True, help="Delete the DuckDB file first.")
@click.option(
    "--purchase",
    is_flag=True,
    help="Also simulate the Extended Data Retention purchase of acme-engineering "
    "(a signed webhook) so the run backfills 365 days.",
)
@click.option("--seed", default=1, show_default=True, help="Emulator world seed.")
def demo(duckdb_path: Path, fresh: bool, purchase: bool, seed: int) -> None:
    """The whole pipeline offline: the emulator's demo world, workspaces.example.yml,
    `warehouse run` into a DuckDB file, and a summary of the marts. Rerunning it is safe
    (loads merge); `--fresh` starts from an empty file."""
    from loaders.emulator.testing import run_emulator

    if fresh:
        for stale in (duckdb_path, duckdb_path.with_name(duckdb_path.name + ".wal")):
            stale.unlink(missing_ok=True)
    settings = WarehouseSettings(target="duckdb", duckdb_path=duckdb_path)
    console.print("starting the GitHub emulator (world 'demo') on 127.0.0.1 ...")
    with run_emulator(world="demo", seed=seed) as github:
        os.environ.update(
            {
                "GITHUB_API_URL": github.base_url,
                "GITHUB_TOKEN": github.token,
                "WAREHOUSE_TARGET": "duckdb",
                "WAREHOUSE_DUCKDB_PATH": str(duckdb_path),
            }
        )
        os.environ.pop("GITHUB_TOKENS", None)
        options = RunOptions(workspaces_file=PROJECT_DIR / "workspaces.example.yml")
        if purchase:
            report = _execute(
                settings,
                RunOptions(
                    workspaces_file=options.workspaces_file,
                    load=False,
                    backfill=False,
                    dbt=False,
                    freshness=False,
                    purge=False,
                ),
            )
            if report.exit_code != exit_codes.OK:
                sys.exit(report.exit_code)
            _simulate_purchase(settings, "cus_acme_001")
        report = _execute(settings, options)
    if report.exit_code in (exit_codes.OK, exit_codes.PARTIAL):
        with connect(settings) as wh:
            print_summary(summarise_marts(wh))
        console.print(
            f"DuckDB file: {duckdb_path} (marts in schema {settings.analytics_schema}, "
            "listed in docs/marts.md); `warehouse backfill status` shows backfill jobs"
        )
        from loaders.cli.report_commands import write_report

        index = write_report(settings, duckdb_path.absolute().parent / "report")
        console.print(f"open the activity report in a browser: {index.absolute().as_uri()}")
    sys.exit(report.exit_code)


def _simulate_purchase(settings: WarehouseSettings, customer: str) -> None:
    """Deliver a signed Polar `subscription.active` to the handler, as `webhook serve` would."""
    import secrets

    from pydantic import SecretStr

    from loaders.webhook import WebhookConfig, WebhookHandler, signed_headers, subscription_event

    secret = secrets.token_urlsafe(24)
    handler = WebhookHandler(WebhookConfig(secret=SecretStr(secret)))
    body = subscription_event("subscription.active", customer_id=customer)
    with connect(settings) as wh:
        response = handler.handle(wh, signed_headers(secret, body), body)
    console.print(f"simulated purchase for {customer}: {response.status} {response.body}")
