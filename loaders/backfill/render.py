"""Rich renderables for `warehouse backfill status` (and the live view of `backfill start`)."""

from __future__ import annotations

from datetime import timedelta

from rich.console import Group, RenderableType
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from loaders.backfill.jobs import Job
from loaders.backfill.progress import JobProgress

STATUS_STYLE = {
    "pending": "yellow",
    "in_progress": "cyan",
    "completed": "green",
    "failed": "red",
    "canceled": "dim",
}


def format_eta(eta: timedelta | None) -> str:
    if eta is None:
        return "unknown"
    seconds = int(eta.total_seconds())
    if seconds == 0:
        return "done" if eta == timedelta(0) else "<1s"
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"


def _bar(fraction: float) -> RenderableType:
    return ProgressBar(total=100, completed=round(fraction * 100), width=24)


def _status(status: str) -> Text:
    return Text(status, style=STATUS_STYLE.get(status, ""))


def job_detail(progress: JobProgress) -> RenderableType:
    job = progress.job
    header = Text.assemble(
        (f"Backfill job {job.id}", "bold"),
        f"  workspace {job.workspace_slug}  {job.retention_days} days  ",
        _status(job.status),
        f"  trigger {job.trigger}",
    )
    overall = Table.grid(padding=(0, 1))
    overall.add_row(
        "overall",
        _bar(progress.fraction),
        f"{progress.fraction:6.1%}",
        f"{progress.repositories_done}/{len(progress.repositories)} repositories",
        f"{progress.items_loaded} items",
        f"ETA {format_eta(progress.eta)}",
    )
    repos = Table(show_edge=False, pad_edge=False)
    for column in ("repository", "status", "progress", "%", "items", "chunks", "error"):
        repos.add_column(column)
    for repo in progress.repositories:
        total = "?" if repo.items_total is None else str(repo.items_total)
        repos.add_row(
            repo.full_name,
            _status(repo.status),
            _bar(repo.fraction),
            f"{repo.fraction:.0%}",
            f"{repo.items_loaded}/{total}",
            f"{repo.chunks_done}/{repo.chunks_total}",
            Text(repo.error or "", style="red"),
        )
    by_type = Table(title="items loaded per data type", show_edge=False, pad_edge=False)
    by_type.add_column("data type")
    by_type.add_column("items", justify="right")
    for data_type, items in progress.loaded_by_type.items():
        by_type.add_row(data_type, str(items))
    parts: list[RenderableType] = [header, overall, repos]
    if progress.loaded_by_type:
        parts.append(by_type)
    if job.error:
        parts.append(Text(f"error: {job.error}", style="red"))
    return Group(*parts)


def job_list(jobs: list[tuple[Job, JobProgress]]) -> RenderableType:
    table = Table(title="backfill jobs")
    for column in (
        "job",
        "workspace",
        "days",
        "status",
        "progress",
        "%",
        "repositories",
        "items",
        "ETA",
        "created",
    ):
        table.add_column(column)
    for job, progress in jobs:
        table.add_row(
            str(job.id),
            job.workspace_slug,
            str(job.retention_days),
            _status(job.status),
            _bar(progress.fraction),
            f"{progress.fraction:.0%}",
            f"{progress.repositories_done}/{len(progress.repositories)}",
            str(progress.items_loaded),
            format_eta(progress.eta),
            job.created_at.strftime("%Y-%m-%d %H:%M"),
        )
    return table
