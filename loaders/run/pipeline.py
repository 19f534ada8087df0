"""`warehouse run`: apply → plan → load → backfill → purge → embed → dbt build → freshness.

Every step is timed and reported; the exit code sums them up for a scheduler (see
`exit_codes`). Steps after a failed load still run dbt, so the marts show what did load.
The dbt build is skipped when nothing it reads changed, and freshness re-evaluated without
dbt when nothing loaded (`dbt_steps`). DuckDB connections are closed before dbt starts: the
dbt subprocess needs the file.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from loaders.dbt_runner import DbtResult, run_dbt
from loaders.embeddings.step import default_embed
from loaders.run import exit_codes
from loaders.run.dbt_steps import DbtFn, build_step, dbt_failure_summary, freshness_step
from loaders.run.lock import run_lock
from loaders.run.progress import RunProgress
from loaders.run.steps import (
    StepOutcome,
    default_backfill,
    default_purge,
    default_sync,
    lake_export,
)
from loaders.warehouse import Warehouse, WarehouseBusy, WarehouseSettings, connect
from loaders.warehouse.busy import busy_in_chain, busy_in_text

log = logging.getLogger("loaders.run")

StepFn = Callable[[Warehouse], StepOutcome]
__all__ = ["BadRunInput", "RunHooks", "RunOptions", "dbt_failure_summary", "run_pipeline"]


@dataclass
class RunOptions:
    workspaces_file: Path | None = None
    load: bool = True
    backfill: bool = True
    purge: bool = True
    embed: bool = True
    dbt: bool = True
    freshness: bool = True
    #: Turn stale sources (dbt source freshness errors) into exit code 1.
    fail_on_stale: bool = False
    #: Build even when nothing changed since the last successful build.
    force_build: bool = False
    #: Lake root (directory or URL): export the new loads there before the dbt build.
    lake: str | None = None


@dataclass
class RunHooks:
    """The pieces a run is made of; tests swap them, the CLI uses the defaults."""

    sync: StepFn = default_sync
    backfill: StepFn = default_backfill
    purge: StepFn | None = default_purge
    embed: StepFn | None = default_embed
    #: None: the real dbt, captured (its log is long; the step shows the tail on failure).
    dbt: DbtFn | None = None


@dataclass(frozen=True)
class StepResult:
    name: str
    status: str  # ok | partial | failed | skipped
    detail: str
    seconds: float
    data_changed: bool = False


@dataclass
class RunReport:
    steps: list[StepResult] = field(default_factory=list)
    exit_code: int = exit_codes.OK
    message: str = ""

    def add(self, result: StepResult) -> None:
        self.steps.append(result)
        if result.status == "failed":
            self.exit_code = exit_codes.FAILURE
        elif result.status == "partial" and self.exit_code == exit_codes.OK:
            self.exit_code = exit_codes.PARTIAL

    @property
    def failed(self) -> bool:
        return any(s.status == "failed" for s in self.steps)


class BadRunInput(ValueError):
    """The workspaces file or the settings are wrong; nothing was changed."""


class StepBusy(WarehouseBusy):
    """A step found the warehouse held by another process (e.g. a dbt a killed run left
    behind, or an analyst's DuckDB shell): the run stops there with exit code 3."""

    def __init__(self, step: str, busy: WarehouseBusy) -> None:
        held = f" (held by {busy.holder})" if busy.holder else ""
        super().__init__(
            busy.where,
            busy.holder,
            f"step {step} stopped: {busy.where} is in use by another process{held}; the steps "
            "before it finished, the rest did not run. Try again when that process has finished.",
        )


def _timed(name: str, action: Callable[[], StepOutcome]) -> StepResult:
    started = time.monotonic()
    try:
        outcome = action()
    except Exception as exc:
        busy = busy_in_chain(exc)
        if busy is not None:
            raise StepBusy(name, busy) from None
        # Client and loader errors name tokens by position only, so str(exc) is safe to show.
        log.exception("step %s failed", name)
        return StepResult(
            name, "failed", f"{type(exc).__name__}: {exc}", time.monotonic() - started
        )
    seconds = time.monotonic() - started
    return StepResult(name, outcome.status, outcome.detail, seconds, outcome.data_changed)


def run_pipeline(
    settings: WarehouseSettings,
    options: RunOptions | None = None,
    hooks: RunHooks | None = None,
    *,
    on_step: Callable[[StepResult], None] | None = None,
    progress: RunProgress | None = None,
) -> RunReport:
    """Run every step; `progress` draws the load and dbt live (a terminal only)."""
    options = options or RunOptions()
    hooks = hooks or RunHooks()
    report = RunReport()
    config = _read_workspaces(options.workspaces_file)
    try:
        with run_lock(settings):
            _run_locked(settings, options, hooks, config, report, on_step, progress)
    except WarehouseBusy as exc:  # the run lock (RunLockHeld) or a step's StepBusy
        report.exit_code = exit_codes.LOCKED
        report.message = str(exc)
    return report


def _read_workspaces(path: Path | None):  # type: ignore[no-untyped-def]
    if path is None:
        return None
    from loaders.workspaces import WorkspacesConfigError, load_workspaces_file

    try:
        return load_workspaces_file(path)
    except (WorkspacesConfigError, OSError) as exc:
        raise BadRunInput(str(exc)) from None


def _run_locked(
    settings: WarehouseSettings,
    options: RunOptions,
    hooks: RunHooks,
    config: object,
    report: RunReport,
    on_step: Callable[[StepResult], None] | None,
    progress: RunProgress | None,
) -> None:
    def record(result: StepResult) -> None:
        report.add(result)
        if on_step is not None:
            on_step(result)

    def with_warehouse(step: StepFn) -> Callable[[], StepOutcome]:
        def action() -> StepOutcome:
            with connect(settings) as wh:
                return step(wh)

        return action

    record(_timed("migrate", with_warehouse(_migrate_and_apply(config))))
    if report.failed:
        return
    if options.load:
        with progress.load() if progress else nullcontext():
            load = _timed("load", with_warehouse(hooks.sync))
        record(load)  # after the live bar is gone
    if options.backfill:
        record(_timed("backfill", with_warehouse(hooks.backfill)))
    if options.purge and hooks.purge is not None:
        record(_timed("purge", with_warehouse(hooks.purge)))
    if options.embed and hooks.embed is not None:
        record(_timed("embed", with_warehouse(hooks.embed)))
    if options.lake is not None:
        record(_timed("lake export", with_warehouse(lake_export(options.lake))))
    if options.dbt:
        changed_by = tuple(s.name for s in report.steps if s.data_changed)
        build = _dbt(hooks, progress, "dbt build")
        record(
            _timed(
                "dbt build",
                lambda: build_step(
                    settings, build, force=options.force_build, changed_by=changed_by
                ),
            )
        )
    if options.freshness:
        check = _dbt(hooks, progress, "freshness")
        result = _timed("freshness", lambda: freshness_step(settings, check))
        if result.status == "failed" and not options.fail_on_stale:
            result = StepResult(result.name, "warning", result.detail, result.seconds)
        record(result)


def _migrate_and_apply(config: object) -> StepFn:
    def step(wh: Warehouse) -> StepOutcome:
        from loaders.control.migrations import migrate

        applied = migrate(wh)
        detail = f"{len(applied)} migration(s) applied"
        if config is not None:
            from loaders.run.summary import describe_apply
            from loaders.workspaces import apply_workspaces

            apply_report = apply_workspaces(wh, config)  # type: ignore[arg-type]
            detail += f"; workspaces file applied ({describe_apply(apply_report)})"
        return StepOutcome("ok", detail)

    return step


def _dbt(hooks: RunHooks, progress: RunProgress | None, label: str) -> DbtFn:
    """The hook's dbt, or the real one, drawing its nodes live when `progress` is given."""
    if hooks.dbt is not None:
        return hooks.dbt

    def real(args: list[str], settings: WarehouseSettings) -> DbtResult:
        if progress is None:
            result = run_dbt(args, settings, capture=True)
        else:
            with progress.dbt(label) as display:
                result = run_dbt(args, settings, capture=True, on_line=display.line)
        # dbt could not open the DuckDB file: that is "busy" (exit 3), not a failed model.
        busy = None if result.ok else busy_in_text(result.output)
        if busy is not None:
            raise busy
        return result

    return real
