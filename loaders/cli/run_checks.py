"""Checks before `warehouse run` does anything: is the warehouse free (exit 3), are the
settings usable (exit 2)? Both are cheap and change nothing."""

from __future__ import annotations

import os

from loaders.run import exit_codes
from loaders.run.lock import run_lock
from loaders.run.pipeline import RunOptions, RunReport
from loaders.warehouse import WarehouseBusy, WarehouseSettings, connect


def warehouse_busy(settings: WarehouseSettings) -> RunReport | None:
    """A LOCKED report when another process holds the warehouse, before any step runs.

    The pipeline takes the run lock itself; on DuckDB the file can also be held by a process
    that is no run (a `workspaces list`, an analyst's DuckDB shell), which the first step's
    connect would report as a failure (exit 1) instead of "busy, nothing done" (exit 3).
    """
    if settings.target != "duckdb":
        return None
    try:
        with run_lock(settings), connect(settings):
            return None
    except WarehouseBusy as exc:
        return RunReport(exit_code=exit_codes.LOCKED, message=str(exc))


def settings_problem(options: RunOptions) -> str | None:
    """Settings problems found before anything runs (exit 2): the workspaces file first, then
    GitHub (token, API URL) when the run loads."""
    if options.workspaces_file is not None:
        from loaders.workspaces import WorkspacesConfigError, load_workspaces_file

        try:
            load_workspaces_file(options.workspaces_file)
        except (WorkspacesConfigError, OSError) as exc:
            return str(exc)
    if options.backfill:
        from loaders.backfill.execute import backfill_share

        try:
            backfill_share()  # names WAREHOUSE_BACKFILL_SHARE and its range
        except ValueError as exc:
            return str(exc)
    workers = os.environ.get("WAREHOUSE_LOAD_WORKERS", "1")
    if options.load and not (workers.isdigit() and int(workers) >= 1):
        return f"WAREHOUSE_LOAD_WORKERS={workers!r} is not a number of workers (1 or more)"
    if options.load:
        from loaders.github.preflight import GitHubSettingsProblem, check_github

        try:
            check_github()
        except GitHubSettingsProblem as exc:
            return str(exc)
    return None
