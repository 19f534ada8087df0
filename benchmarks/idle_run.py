"""Idle `warehouse run`s on the demo warehouse: nothing due, no new data.

    .venv/bin/python benchmarks/idle_run.py                    # builds a fresh demo warehouse
    .venv/bin/python benchmarks/idle_run.py --runs 10 --duckdb-path /tmp/demo.duckdb --reuse

Builds the demo warehouse (`warehouse demo --fresh`: the emulator's demo world through one
full `warehouse run`) unless `--reuse` finds the file, starts the emulator in a process of
its own for GITHUB_API_URL, then times `--runs` idle `warehouse run --workspaces
workspaces.example.yml` exactly as cron starts them (a new process each) and prints, per run
and as median / max: the wall time, the CPU time (user + system, children included: what
a run costs on an otherwise idle machine), each step's time as the run reports it, and the
rest (interpreter start-up and imports, the lock, the summary). With `--reference` one more
run with `--force-build` shows what the skipped build would cost. Extra arguments after
`--` go to every idle run: while the purge rewrites rows of dbt's incremental tables on
every run (issue 20, item 5: `int_repository_first_contributions`), every run must build,
and `-- --no-purge` shows the idle path without it.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import TOKEN, emulator
from loaders import PROJECT_DIR

STEPS = ("migrate", "load", "backfill", "purge", "dbt build", "freshness")
_STEP_LINE = re.compile(
    r"^\s*(ok|partial|warning|failed|skipped)\s+(" + "|".join(STEPS) + r")\s+([\d.]+)s\s+(.*)$"
)
TARGET_SECONDS = 5.0
CLI = str(Path(sys.executable).with_name("warehouse"))


def build_demo(path: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [CLI, "demo", "--fresh", "--duckdb-path", str(path)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


@dataclass
class Timing:
    wall: float
    #: user + system CPU of the run and its children: what it costs on an idle machine,
    #: whatever else the machine is doing.
    cpu: float
    steps: dict[str, float]
    details: dict[str, str]

    @property
    def rest(self) -> float:
        return self.wall - sum(self.steps.values())


def timed_run(env: dict[str, str], extra: list[str]) -> Timing:
    """One `warehouse run` in a new process: wall time and the steps it printed."""
    command = [CLI, "run", "--workspaces", str(PROJECT_DIR / "workspaces.example.yml"), *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"warehouse run exited {done.returncode}:\n{done.stdout}{done.stderr}")
    steps: dict[str, float] = {}
    details: dict[str, str] = {}
    for line in done.stdout.splitlines():
        match = _STEP_LINE.match(line)
        if match:
            steps[match.group(2)] = float(match.group(3))
            details[match.group(2)] = f"{match.group(1)}: {match.group(4)}"
    return Timing(wall, cpu, steps, details)


def _row(label: str, values: list[float]) -> str:
    return f"{label:<22}{statistics.median(values):>8.2f}{max(values):>8.2f}  " + " ".join(
        f"{v:6.2f}" for v in values
    )


def report(runs: list[Timing]) -> None:
    walls = [r.wall for r in runs]
    print(f"\n{'seconds':<22}{'median':>8}{'max':>8}  per run")
    print(_row("wall (whole process)", walls))
    print(_row("cpu (user + system)", [r.cpu for r in runs]))
    for step in STEPS:
        if all(step in r.steps for r in runs):
            print(_row(f"  {step}", [r.steps[step] for r in runs]))
    print(_row("  start-up, lock, exit", [r.rest for r in runs]))
    print("\nwhat the last run said:")
    for step, detail in runs[-1].details.items():
        print(f"  {step:<10} {detail}")
    verdict = "met" if max(walls) <= TARGET_SECONDS else "NOT met"
    print(
        f"\nidle run: median {statistics.median(walls):.2f} s, max {max(walls):.2f} s "
        f"(cpu median {statistics.median(r.cpu for r in runs):.2f} s); "
        f"target <= {TARGET_SECONDS:.0f} s {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duckdb-path", type=Path)
    parser.add_argument("--reuse", action="store_true", help="Keep an existing file.")
    parser.add_argument("--reference", action="store_true", help="Time one --force-build run.")
    parser.add_argument("extra", nargs="*", help="Arguments for every idle run (after --).")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="idle-run-"))
    path = args.duckdb_path or workdir / "demo.duckdb"
    env = {
        **os.environ,
        "WAREHOUSE_TARGET": "duckdb",
        "WAREHOUSE_DUCKDB_PATH": str(path),
        "WAREHOUSE_PIPELINES_DIR": str(workdir / "pipelines"),
    }
    env.pop("GITHUB_TOKENS", None)
    if args.reuse and path.exists():
        print(f"reusing {path}")
    else:
        print(f"building the demo warehouse in {path} ...", flush=True)
        print(f"  warehouse demo --fresh: {build_demo(path, env):.1f} s")
    with emulator("demo") as base_url:
        env.update({"GITHUB_API_URL": base_url, "GITHUB_TOKEN": TOKEN})
        runs = []
        for number in range(1, args.runs + 1):
            runs.append(timed_run(env, args.extra))
            print(f"  idle run {number}: {runs[-1].wall:.2f} s", flush=True)
        report(runs)
        if args.reference:
            forced = timed_run(env, [*args.extra, "--force-build"])
            print(
                f"\nreference, --force-build: {forced.wall:.2f} s, cpu {forced.cpu:.2f} s "
                f"(dbt build {forced.steps.get('dbt build', 0):.2f} s)"
            )
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
