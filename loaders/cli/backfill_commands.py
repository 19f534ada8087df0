"""`warehouse backfill start|status|retry|cancel`."""

from __future__ import annotations

import sys
import time

import click
from rich.console import Console
from rich.live import Live

from loaders.backfill.execute import backfill_share, run_backfills
from loaders.backfill.jobs import BackfillError, Job, JobStore
from loaders.backfill.progress import (
    BudgetView,
    JobProgress,
    budget_view_from_client,
    job_progress,
)
from loaders.backfill.render import job_detail, job_list
from loaders.control.migrations import migrate
from loaders.run import exit_codes
from loaders.run.lock import run_lock
from loaders.warehouse import Warehouse, WarehouseBusy, WarehouseSettings, connect

# Logs and pipes (cron, CI) get wide lines instead of rich's 80-column default.
console = Console(width=None if sys.stdout.isatty() else 160)


def current_budget() -> BudgetView | None:
    """The backfill's budget now (free `/rate_limit`), for the ETA; None if GitHub is away."""
    from loaders.github import GitHubClient, GitHubSettings

    try:
        settings = GitHubSettings.from_env(max_retries=0)
        with GitHubClient(settings, budget_share=backfill_share(), sleep=lambda _s: None) as gh:
            return budget_view_from_client(gh)
    except ValueError:
        return None


def _progress(store: JobStore, job: Job, budget: BudgetView | None = None) -> JobProgress:
    repos = store.repositories(job.id)
    chunks = {r.full_name: len(store.resources_for(job, r.full_name)) for r in repos}
    return job_progress(job, repos, chunks, budget=budget)


def _fail(message: str, code: int) -> None:
    console.print(f"[red]{message}[/red]")
    sys.exit(code)


def queued_message(job: Job) -> str:
    """What happens to a job that could not run now, without promising what we cannot know:
    a run picks up pending jobs when its backfill step starts, and we cannot tell from here
    whether the run holding the lock has already passed that step."""
    return (
        f"Job {job.id} stays queued (pending). A `warehouse run` works pending jobs when its "
        "backfill step starts: the run holding the warehouse picks it up only if it has not "
        "reached that step yet; otherwise the next `warehouse run` does, or run "
        f"`warehouse backfill start --workspace {job.workspace_slug} --days "
        f"{job.retention_days}` once it has finished (it resumes job {job.id})."
    )


def _run_job(settings: WarehouseSettings, job: Job) -> int:
    """Work one job under the run lock, with live progress bars; returns the exit code."""
    job_id = job.id
    try:
        with run_lock(settings), connect(settings) as wh:
            store = JobStore(wh)
            budget = current_budget()  # read once: the bars must not cost requests
            with Live(
                job_detail(_progress(store, store.get(job_id), budget)),
                console=console,
                auto_refresh=False,
            ) as live:

                def refresh(_repo: object, _chunk: tuple[str, ...]) -> None:
                    progress = _progress(store, store.get(job_id), budget)
                    live.update(job_detail(progress), refresh=True)

                result = run_backfills(wh, job_ids=[job_id], on_chunk=refresh)
                live.update(job_detail(_progress(store, store.get(job_id))), refresh=True)
    except WarehouseBusy as exc:
        console.print(f"[yellow]{exc}[/yellow]")
        console.print(queued_message(job))
        return exit_codes.LOCKED
    for outcome in result.outcomes:
        if outcome.deferred:
            when = outcome.resets_at.isoformat() if outcome.resets_at else "the next hour"
            console.print(
                f"Budget share spent; job {outcome.job_id} continues on the next "
                f"`warehouse run` (budget resets at {when})."
            )
    return result.exit_code


def _open(settings: WarehouseSettings) -> Warehouse:
    """Connect, or explain why not. Another process holding the warehouse is `WarehouseBusy`,
    left to the CLI group (exit 3, naming the holder)."""
    try:
        return connect(settings)
    except WarehouseBusy:
        raise
    except Exception as exc:
        hint = (
            "check WAREHOUSE_DUCKDB_PATH (or --duckdb-path)"
            if settings.target == "duckdb"
            else "check the WAREHOUSE_PG_* settings"
        )
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _fail(f"cannot open {settings.describe()}: {first_line} ({hint})", exit_codes.FAILURE)
        raise  # not reached: _fail exits


def _with_store(action):  # type: ignore[no-untyped-def]
    settings = WarehouseSettings.from_env()
    with _open(settings) as wh:
        migrate(wh)
        try:
            return action(JobStore(wh), wh)
        except BackfillError as exc:
            _fail(str(exc), exit_codes.BAD_INPUT)


@click.group()
def backfill() -> None:
    """Backfill jobs: load a workspace's whole purchased history."""


@backfill.command()
@click.option(
    "--workspace", required=True, help="Workspace slug (see `warehouse workspaces list`)."
)
@click.option(
    "--days",
    required=True,
    type=click.IntRange(1, 3650),
    help="How far back to load, e.g. 365 for Extended Data Retention.",
)
@click.option(
    "--no-run", is_flag=True, help="Only queue the job; the next `warehouse run` works it."
)
def start(workspace: str, days: int, no_run: bool) -> None:
    """Create a job for every repository of WORKSPACE and run it now (resumes an unfinished one).

    Exit codes: 0 completed; 2 bad input; 3 another run holds the lock (the job stays
    queued); 4 partial (budget spent or repositories failed: see `backfill status`).
    """

    def create(store: JobStore, _wh: Warehouse) -> Job:
        job, created = store.create(workspace, days)
        if created:
            console.print(f"Created backfill job {job.id} for {workspace} ({days} days).")
        else:
            console.print(
                f"Job {job.id} for {workspace} is already {job.status}; resuming it "
                f"({job.retention_days} days)."
            )
        return job

    job = _with_store(create)
    if no_run:
        return
    sys.exit(_run_job(WarehouseSettings.from_env(), job))


@backfill.command()
@click.argument("job_id", type=int, required=False)
@click.option("--watch", is_flag=True, help="Refresh until the job finishes (PostgreSQL).")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between refreshes.")
def status(job_id: int | None, watch: bool, interval: float) -> None:
    """Progress of one job (bars per repository, items per data type, ETA) or of recent jobs."""

    def show(store: JobStore, _wh: Warehouse) -> None:
        jobs = store.list() if job_id is None else [store.get(job_id)]
        if not jobs:
            console.print("No backfill jobs yet: `warehouse backfill start --workspace ...`.")
            return
        running = any(j.status in ("pending", "in_progress") for j in jobs)
        budget = current_budget() if running else None
        if job_id is None:
            console.print(job_list([(j, _progress(store, j, budget)) for j in jobs]))
            return
        job = jobs[0]
        if not watch:
            console.print(job_detail(_progress(store, job, budget)))
            return
        with Live(
            job_detail(_progress(store, job, budget)), console=console, auto_refresh=False
        ) as live:
            while job.status in ("pending", "in_progress"):
                time.sleep(interval)
                job = store.get(job_id)
                live.update(job_detail(_progress(store, job, current_budget())), refresh=True)

    _with_store(show)


@backfill.command()
@click.argument("job_id", type=int)
@click.option("--no-run", is_flag=True, help="Only requeue; the next `warehouse run` works it.")
def retry(job_id: int, no_run: bool) -> None:
    """Requeue the failed repositories of a failed job (completed ones are kept) and run it."""
    job = _with_store(lambda store, _wh: store.retry(job_id))
    console.print(f"Job {job.id} requeued: its failed repositories will load again.")
    if not no_run:
        sys.exit(_run_job(WarehouseSettings.from_env(), job))


@backfill.command()
@click.argument("job_id", type=int)
def cancel(job_id: int) -> None:
    """Cancel a pending or running job (data already loaded stays)."""
    job = _with_store(lambda store, _wh: store.cancel(job_id))
    console.print(f"Job {job.id} canceled.")
