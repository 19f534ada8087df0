"""This project vs the tools people use today, against one emulator world: API cost and
correctness of an initial load and a quiet re-sync.

    .venv/bin/python benchmarks/peers.py --world small          # or: make peers
    .venv/bin/python benchmarks/peers.py --world demo --json out.json

Each peer (meltanolabs-tap-github, airbyte-source-github) runs from its own virtual
environment under `.peers/` (created on first use; only the package registry is asked),
configured with a GitHub Enterprise style API URL on 127.0.0.1 and confined to loopback
(`benchmarks/peers/sitecustomize.py`). Tools run one after another on the same emulator,
so the emulator's counters, reset before each run, are that run's alone.

Per tool: an initial load of the world's repositories (whole history; the streams issues,
comments, pull requests, reviews, commits, stargazers, forks, releases, events,
discussions, discussion comments where the tool has them), then a quiet re-sync resuming
from its state (nothing changed upstream).
Reported: REST calls (charged; 304s and /rate_limit are free), GraphQL points, wall time,
rows per stream, and rows that differ from the emulator's truth (missing, extra, stale).
Derived: API cost per repository per quiet sync, and how many repositories one
credential (5,000 REST calls and 5,000 GraphQL points an hour, GitHub's standard budget)
keeps fresh hourly.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

from benchmarks._common import call, emulator, repository_names
from benchmarks.peers import airbyte, ours, singer, venvs
from benchmarks.peers.rows import STREAMS, Run, compare, merge
from benchmarks.peers.truth import truth_rows
from loaders.emulator.world.world import World
from loaders.warehouse import connect

HOURLY_BUDGET = (
    5000  # https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
)
TOKENS = {
    "this project": "emulator-peers-ours",
    "tap-github": "emulator-peers-tap",
    "airbyte-github": "emulator-peers-airbyte",
}
PEER_MODULES = {"tap-github": singer, "airbyte-github": airbyte}


def _stats(base: str) -> dict:
    s = call(base, "/_emulator/stats")
    return {
        "rest_calls": s["rest_calls"],
        "graphql_points": s["graphql_points"],
        "graphql_queries": s["graphql_queries"],
        "requests": s["requests_total"],
        "not_modified": s["not_modified"],
        # GraphQL queries and points per operation name: where a tool's points go.
        "graphql_operations": s["graphql_operations"],
        "errors": {k: v for k, v in s["statuses"].items() if int(k) >= 400},
    }


def run_ours(base: str, names: list[str], workdir: Path) -> list[Run]:
    runs = []
    with connect(ours.settings(workdir)) as warehouse:
        ours.prepare(warehouse, names)
        for phase in ("initial", "quiet"):
            call(base, "/_emulator/stats/reset", {})
            table, emitted, seconds, error = ours.run(warehouse, base, TOKENS[ours.NAME], names)
            runs.append(Run(ours.NAME, phase, seconds, emitted, table, _stats(base), error))
    return runs


def run_peer(name: str, base: str, names: list[str], ids: dict, workdir: Path) -> list[Run]:
    module = PEER_MODULES[name]
    script = venvs.ensure(name)
    api = f"{base}/api/v3"
    config = module.configure(workdir, api, TOKENS[name], names)
    cat = module.catalog(script, config, api, workdir)
    runs: list[Run] = []
    table: dict = {}
    state = None
    for phase in ("initial", "quiet"):
        call(base, "/_emulator/stats/reset", {})
        records, emitted, state, seconds, error = module.run(
            script, config, cat, api, workdir, state, ids
        )
        table = merge(table, records)
        runs.append(Run(name, phase, seconds, emitted, table, _stats(base), error, state))
    return runs


def summarise(runs: list[Run], truth: dict, repos: int) -> dict:
    out: dict = {}
    for r in runs:
        diff = compare(truth, r.table)
        entry = out.setdefault(r.tool, {})
        entry[r.phase] = {
            "seconds": round(r.seconds, 1),
            **r.stats,
            "rows_emitted": r.emitted,
            "rows_differing": sum(d.differing for d in diff.values()),
            "streams": {s: vars(d) for s, d in diff.items()},
            "error": r.error,
        }
    for entry in out.values():
        quiet = entry["quiet"]
        rest, points = quiet["rest_calls"] / repos, quiet["graphql_points"] / repos
        entry["quiet_per_repository"] = {
            "rest_calls": round(rest, 2),
            "graphql_points": round(points, 2),
        }
        # REST and GraphQL are separate hourly budgets; the one a tool spends faster binds.
        fresh = [HOURLY_BUDGET / x for x in (rest, points) if x > 0]
        entry["repositories_fresh_hourly_per_credential"] = (
            math.floor(min(fresh)) if fresh else None
        )
    return out


def table(summary: dict, world: str, repos: int) -> str:
    lines = [
        f"world `{world}`, {repos} repositories; quiet = re-sync with nothing changed upstream",
        "",
        "| tool | initial: REST calls / GraphQL points / s | rows | differing from truth "
        "| quiet re-sync: REST / points / s | differing after | per repository per quiet sync "
        "| repositories fresh hourly per credential |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for tool, e in summary.items():
        i, q, per = e["initial"], e["quiet"], e["quiet_per_repository"]
        rows = sum(i["rows_emitted"].values())
        fresh = e["repositories_fresh_hourly_per_credential"]
        lines.append(
            f"| {tool} | {i['rest_calls']} / {i['graphql_points']} / {i['seconds']} | {rows} "
            f"| {i['rows_differing']} | {q['rest_calls']} / {q['graphql_points']} / {q['seconds']} "
            f"| {q['rows_differing']} | {per['rest_calls']} REST + {per['graphql_points']} points "
            f"| {'unbounded' if fresh is None else f'{fresh:,}'} |"
        )
    lines += [
        "",
        "rows loaded / truth per stream after the quiet re-sync (missing, extra, stale):",
        "",
    ]
    lines.append("| stream | " + " | ".join(summary) + " |")
    lines.append("|---|" + "---|" * len(summary))
    for stream in STREAMS:
        cells = []
        for e in summary.values():
            d = e["quiet"]["streams"].get(stream)
            cells.append(
                "no such stream"
                if d is None
                else f"{d['rows']}/{d['truth']} ({d['missing']}, {d['extra']}, {d['stale']})"
            )
        lines.append(f"| {stream} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", default="small", choices=["small", "demo", "large"])
    parser.add_argument("--peers", default="tap-github,airbyte-github")
    parser.add_argument("--json", type=Path, help="also write the full result here")
    args = parser.parse_args()
    peers = [p for p in args.peers.split(",") if p]
    unknown = set(peers) - set(PEER_MODULES)
    if unknown:
        parser.error(f"unknown peer(s) {sorted(unknown)}; choose from {sorted(PEER_MODULES)}")
    names = repository_names(args.world)
    with emulator(args.world) as base, tempfile.TemporaryDirectory() as tmp:
        now = call(base, "/_emulator/now")
        world = World(args.world, now["seed"], now["epoch"])  # the served world, item for item
        truth = truth_rows(world, names)
        ids = {r.full_name.lower(): r.id for r in world.repos}
        runs = run_ours(base, names, Path(tmp))
        for peer in peers:
            runs += run_peer(peer, base, names, ids, Path(tmp))
    summary = summarise(runs, truth, len(names))
    result = {"world": args.world, "repositories": names, "tools": summary}
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    print(table(summary, args.world, len(names)))
    for tool, e in summary.items():
        for phase in ("initial", "quiet"):
            if e[phase]["error"]:
                print(f"{tool} {phase}: {e[phase]['error']}")


if __name__ == "__main__":
    main()
