"""The loading steps of `warehouse run`, wired to the other rooms (sync, backfill, retention).

Each step takes an open warehouse and returns a `StepOutcome`; the pipeline times them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from loaders.github.stats import describe_graphql_costs, describe_rest_calls
from loaders.run import exit_codes
from loaders.warehouse import Warehouse

if TYPE_CHECKING:
    from loaders.sync import LoadReport


@dataclass(frozen=True)
class StepOutcome:
    status: str  # ok | partial | failed | skipped | warning
    detail: str
    #: The step changed rows the dbt build's digests do not see (loaders/run/build_state.py).
    data_changed: bool = False


def default_sync(wh: Warehouse) -> StepOutcome:
    """Scheduled sync of the due repositories; it runs before backfills and may use the whole
    budget above the reserve (backfills are capped at their share)."""
    from loaders.github import GitHubClient, GitHubSettings
    from loaders.sync import load_repositories, targets_from_queue

    targets = targets_from_queue(wh)
    if not targets:
        return StepOutcome("ok", "no repository is due")
    with GitHubClient(GitHubSettings.from_env()) as client:
        report = load_repositories(wh, targets, client=client)
    return summarise_load(report, len(targets))


def summarise_load(report: LoadReport, planned: int) -> StepOutcome:
    """ok when every repository loaded; partial when some were deferred (budget) or failed
    (the next run retries them); failed when nothing at all could be loaded."""
    deferred = sorted(report.deferred)
    failed = sorted({*report.by_status("failed"), *report.by_status("not_found")})
    detail = (
        f"{planned} repositories planned, {len(deferred)} deferred, {len(failed)} failed; "
        f"{report.rows_total} rows, {report.graphql_points} GraphQL points, "
        f"{describe_rest_calls(report.rest_calls, report.rest_not_modified)}"
    )
    if over := describe_graphql_costs(report.graphql_costs):
        detail += f"; {over}"
    if failed:
        errors = sorted({o.error for n, o in report.outcomes.items() if n in failed and o.error})
        detail += f"; failed: {', '.join(failed[:5])} ({'; '.join(errors[:2])})"
    if deferred and report.budget_resets_at is not None:
        detail += f"; budget resets at {report.budget_resets_at.isoformat()}"
    if failed and len(failed) == planned:
        return StepOutcome("failed", detail)
    return StepOutcome("partial" if deferred or failed else "ok", detail)


def default_backfill(wh: Warehouse) -> StepOutcome:
    """Pending and interrupted backfill jobs, after the scheduled sync, within their share;
    first the window jobs for history a repository is entitled to but does not have."""
    from loaders.backfill.execute import run_backfills
    from loaders.backfill.jobs import JobStore
    from loaders.backfill.window import schedule_window_jobs

    scheduled = [
        f"job {job.id} queued to fill the history of "
        f"{len(JobStore(wh).repositories(job.id))} repositories ({job.workspace_slug} window)"
        for job in schedule_window_jobs(wh)
    ]
    result = run_backfills(wh)
    if not result.outcomes:
        return StepOutcome("ok", "; ".join(scheduled) or "no backfill job waiting")
    parts = [
        *scheduled,
        *(
            f"job {o.job_id}: {o.status}"
            + (" (budget spent, continues next run)" if o.deferred else "")
            for o in result.outcomes
        ),
    ]
    status = "partial" if result.exit_code == exit_codes.PARTIAL else "ok"
    return StepOutcome(status, "; ".join(parts))


def default_purge(wh: Warehouse) -> StepOutcome:
    """Delete raw rows older than each repository's effective retention (after backfills, so
    a purchase's longer retention is already in force)."""
    from loaders.retention import purge

    report = purge(wh, apply=True)
    # It also rewrites dbt's incremental tables (loaders/retention/derived.py): rebuild.
    return StepOutcome("ok", str(report), data_changed=report.total > 0)


def lake_export(target: str) -> Callable[[Warehouse], StepOutcome]:
    """`warehouse lake export --to target` as a run step: the loads this run committed, and
    the purge's deletions, reach the Parquet lake Spark builds from (docs/spark.md)."""

    def step(wh: Warehouse) -> StepOutcome:
        from loaders.lake import export_lake

        report = export_lake(wh, target)
        detail = f"{report.new_loads} new loads, {report.total_rows} rows to {report.bucket_url}"
        if report.replaced:
            detail += f"; rewritten after deletions: {', '.join(report.replaced)}"
        return StepOutcome("ok", detail)

    return step
