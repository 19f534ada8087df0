"""`warehouse run`: apply → plan → load → backfill → purge → dbt build → source freshness.

Every step is timed and reported; the exit code sums them up for a scheduler (see
`exit_codes`). Steps after a failed load still run dbt, so the marts show what did load.
DuckDB connections are closed before dbt starts: the dbt subprocess needs the file.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loaders.dbt_runner import DbtResult, run_dbt
from loaders.run import exit_codes
from loaders.run.lock import RunLockHeld, run_lock
from loaders.run.steps import StepOutcome, default_backfill, default_purge, default_sync
from loaders.warehouse import Warehouse, WarehouseSettings, connect

log = logging.getLogger("loaders.run")

StepFn = Callable[[Warehouse], StepOutcome]
DbtFn = Callable[[list[str], WarehouseSettings], DbtResult]


@dataclass
class RunOptions:
    workspaces_file: Path | None = None
    load: bool = True
    backfill: bool = True
    purge: bool = True
    dbt: bool = True
    freshness: bool = True
    #: Turn stale sources (dbt source freshness errors) into exit code 1.
    fail_on_stale: bool = False


@dataclass
class RunHooks:
    """The pieces a run is made of; tests swap them, the CLI uses the defaults."""

    sync: StepFn = default_sync
    backfill: StepFn = default_backfill
    purge: StepFn | None = default_purge
    # Captured: dbt's own log is long; the step shows its tail when something fails.
    dbt: DbtFn = lambda args, settings: run_dbt(args, settings, capture=True)


@dataclass(frozen=True)
class StepResult:
    name: str
    status: str  # ok | partial | failed | skipped
    detail: str
    seconds: float


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


def _timed(name: str, action: Callable[[], StepOutcome]) -> StepResult:
    started = time.monotonic()
    try:
        outcome = action()
    except Exception as exc:
        # Client and loader errors name tokens by position only, so str(exc) is safe to show.
        log.exception("step %s failed", name)
        return StepResult(
            name, "failed", f"{type(exc).__name__}: {exc}", time.monotonic() - started
        )
    return StepResult(name, outcome.status, outcome.detail, time.monotonic() - started)


def run_pipeline(
    settings: WarehouseSettings,
    options: RunOptions | None = None,
    hooks: RunHooks | None = None,
    *,
    on_step: Callable[[StepResult], None] | None = None,
) -> RunReport:
    options = options or RunOptions()
    hooks = hooks or RunHooks()
    report = RunReport()
    config = _read_workspaces(options.workspaces_file)
    try:
        with run_lock(settings):
            _run_locked(settings, options, hooks, config, report, on_step)
    except RunLockHeld as exc:
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
        record(_timed("load", with_warehouse(hooks.sync)))
    if options.backfill:
        record(_timed("backfill", with_warehouse(hooks.backfill)))
    if options.purge and hooks.purge is not None:
        record(_timed("purge", with_warehouse(hooks.purge)))
    if options.dbt:
        record(_timed("dbt build", lambda: _dbt_step(hooks, ["build"], settings)))
    if options.freshness:
        result = _timed("freshness", lambda: _dbt_step(hooks, ["source", "freshness"], settings))
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


_DBT_PROBLEM = re.compile(
    r"\d+ of \d+ (ERROR|FAIL|WARN)(?: \d+)? (?:creating \S+ \S+ model )?(\S+)"
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def dbt_failure_summary(output: str) -> str:
    """The failing nodes and dbt's closing tally, from a captured dbt log."""
    text = _ANSI.sub("", output)
    problems = [f"{kind} {node}" for kind, node in _DBT_PROBLEM.findall(text) if kind != "WARN"]
    tally = next(
        (
            line.split("Done.", 1)[1].strip()
            for line in reversed(text.splitlines())
            if "Done." in line
        ),
        "",
    )
    if not problems:
        problems = [line.strip() for line in text.strip().splitlines()[-3:]]
    return "; ".join([*dict.fromkeys(problems)][:5] + ([tally] if tally else []))


def _dbt_step(hooks: RunHooks, args: list[str], settings: WarehouseSettings) -> StepOutcome:
    result = hooks.dbt(args, settings)
    if result.ok:
        return StepOutcome("ok", f"dbt {' '.join(args)} passed")
    summary = dbt_failure_summary(result.output)
    return StepOutcome("failed", f"dbt {' '.join(args)} exited {result.returncode}: {summary}")
