"""The dbt steps of `warehouse run`: `dbt build` when something it reads changed, and source
freshness, re-evaluated without starting dbt when no load happened since the last check.

Both used to start dbt on every run: ~2 s of start-up and parsing before any work, and a
build of every model (10-30 s on the demo warehouse) when nothing had changed. The rules
(docs/running.md, "Idle runs"):
  - build when a digest of build_state changed (project files, control rows, raw counts
    and load ids, the UTC day, dbt's relations), when a step reports a change digests cannot
    see (the purge also rewrites dbt's incremental tables), when no successful build is
    recorded, or when forced;
  - freshness is dbt's rule (age of the newest `loaded_at` against warn/error thresholds),
    and only the age moves while no load happens: the newest `loaded_at` and thresholds of
    the last real check are kept, and re-evaluated against the clock until the raw data or
    the project changes.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from loaders.dbt_runner import DbtResult
from loaders.run import build_state
from loaders.run.steps import StepOutcome
from loaders.warehouse import WarehouseSettings, connect

DbtFn = Callable[[list[str], WarehouseSettings], DbtResult]

_DBT_PROBLEM = re.compile(
    r"\d+ of \d+ (ERROR|FAIL|WARN)(?: \d+)? (?:creating \S+ \S+ model )?(\S+)"
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: dbt's threshold periods, as timedelta keywords.
_PERIODS = {"minute": "minutes", "hour": "hours", "day": "days"}


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


def _failed(args: list[str], result: DbtResult) -> StepOutcome:
    summary = dbt_failure_summary(result.output)
    return StepOutcome("failed", f"dbt {' '.join(args)} exited {result.returncode}: {summary}")


def _clock(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def build_step(
    settings: WarehouseSettings,
    dbt: DbtFn,
    *,
    force: bool = False,
    changed_by: tuple[str, ...] = (),
    now: datetime | None = None,
) -> StepOutcome:
    """`dbt build`, or a skip saying since when nothing changed. `changed_by` names earlier
    steps that changed data the digests do not cover."""
    started = now or datetime.now(UTC)
    with connect(settings) as wh:
        inputs = build_state.build_inputs(wh, started)
        current = {**inputs, "outputs": build_state.outputs_digest(wh)}
        last = build_state.load(wh, "build")
    reasons = ["--force-build"] if force else []
    reasons += [f"the {name} step changed rows" for name in changed_by]
    if last is None:
        reasons.append("no successful build on record")
    else:
        reasons += build_state.changes(last.parts, current)
    if not reasons and last is not None:
        return StepOutcome(
            "skipped",
            f"nothing changed since the build at {_clock(last.recorded_at)} "
            "(--force-build rebuilds)",
        )
    result = dbt(["build"], settings)
    if not result.ok:
        # The marts may be half built, or a data test failed: the next run builds (and
        # reports) again rather than skipping on the last good build's digests.
        with connect(settings) as wh:
            build_state.forget(wh, "build")
        return _failed(["build"], result)
    # DuckDB: dbt has exited and released the file; the outputs are what this build left.
    with connect(settings) as wh:
        outputs = build_state.outputs_digest(wh)
        build_state.save(wh, "build", {**inputs, "outputs": outputs}, started)
    return StepOutcome("ok", f"dbt build passed ({'; '.join(reasons)})")


def _freshness_key(settings: WarehouseSettings) -> dict[str, str]:
    with connect(settings) as wh:
        return {"raw": build_state.raw_digest(wh), "project": build_state.project_digest()}


def _threshold(rule: dict[str, Any] | None) -> timedelta | None:
    if not rule or rule.get("count") is None or rule.get("period") not in _PERIODS:
        return None
    return timedelta(**{_PERIODS[rule["period"]]: rule["count"]})


def freshness_status(source: dict[str, Any], now: datetime) -> str:
    """dbt's rule: error when older than error_after, warn when older than warn_after."""
    loaded_at = datetime.fromisoformat(source["max_loaded_at"])
    if loaded_at.tzinfo is None:  # dbt reports UTC
        loaded_at = loaded_at.replace(tzinfo=UTC)
    age = now - loaded_at
    for status, rule in (("error", source["error_after"]), ("warn", source["warn_after"])):
        limit = _threshold(rule)
        if limit is not None and age > limit:
            return status
    return "pass"


def _report(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text())["results"] if path.exists() else []


def _cacheable(results: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """What re-evaluating needs from dbt's freshness report; None when some source could not
    be checked (a runtime error) or a filter makes its newest row depend on the clock."""
    sources = []
    for result in results:
        criteria = result.get("criteria") or {}
        if result.get("status") not in ("pass", "warn", "error") or criteria.get("filter"):
            return None
        sources.append(
            {
                "source": result["unique_id"].split(".", 2)[-1],
                "max_loaded_at": result["max_loaded_at"],
                "warn_after": criteria.get("warn_after"),
                "error_after": criteria.get("error_after"),
            }
        )
    return sources


def _tally(statuses: Counter[str]) -> str:
    return ", ".join(f"{statuses[s]} {s}" for s in ("pass", "warn", "error") if statuses[s])


def freshness_step(
    settings: WarehouseSettings, dbt: DbtFn, *, now: datetime | None = None
) -> StepOutcome:
    """`dbt source freshness`, or the last check's result re-evaluated at `now` when neither
    the raw data nor the project changed since (the newest loaded_at cannot have moved)."""
    key = _freshness_key(settings)
    with connect(settings) as wh:
        cached = build_state.load(wh, "freshness")
    if cached is not None and cached.parts.get("key") == key:
        moment = now or datetime.now(UTC)
        sources = cached.parts["sources"]
        statuses = Counter(freshness_status(s, moment) for s in sources)
        late = [s["source"] for s in sources if freshness_status(s, moment) != "pass"]
        detail = (
            f"{_tally(statuses) or 'no sources'}, re-evaluated from the check at "
            f"{_clock(cached.recorded_at)} (no load since; dbt not started)"
        )
        if late:
            detail += f"; late: {', '.join(late[:5])}"
        return StepOutcome("failed" if statuses["error"] else "ok", detail)
    checked_at = now or datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="warehouse-freshness-") as tmp:
        report = Path(tmp) / "sources.json"
        args = ["source", "freshness", "--output", str(report)]
        result = dbt(args, settings)
        results = _report(report)
    sources = _cacheable(results) if results else None
    if sources is not None:
        with connect(settings) as wh:
            build_state.save(wh, "freshness", {"key": key, "sources": sources}, checked_at)
    if not result.ok:
        return _failed(["source", "freshness"], result)
    tally = _tally(Counter(str(r.get("status")) for r in results))
    return StepOutcome("ok", f"dbt source freshness passed{f' ({tally})' if tally else ''}")
