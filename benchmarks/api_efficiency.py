"""API efficiency of a daily sync: GitHub points per repository-day against a lower bound.

    .venv/bin/python benchmarks/api_efficiency.py --world large

1. Initial load of every repository of the world (DuckDB file in a temp dir), all resources.
2. The emulator advances one simulated day; the sync runs again for every repository.
3. Reported for that sync: GraphQL points and counted REST calls (ETag 304s are free) per
   repository-day, items written per point, points of the change-detection probes per
   quiet repository, and the ratio to a lower bound computed from the emulator's truth:
   sum over repositories and connections of ceil(new items / 100), plus one point per 50
   repositories for change detection. (New items are count differences; items that only
   changed, e.g. a late close, are not in the bound, which makes it conservative.)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import (
    ALL_RESOURCES,
    TOKEN,
    call,
    emulator,
    fresh_settings,
    track_all,
)
from loaders.emulator.graphql_api.cost import PRICINGS
from loaders.github import GitHubClient, GitHubSettings
from loaders.sync import RepositoryTarget, load_repositories
from loaders.warehouse import connect

#: Connections a sync pages, by the raw table their items land in.
CONNECTIONS = (
    "issues",
    "issue_comments",
    "pull_requests",
    "pull_request_comments",
    "pull_request_reviews",
    "pull_request_review_comments",
    "commits",
    "stargazers",
    "forks",
    "releases",
    "discussions",
    "discussion_comments",
)
IGNORED_TABLES = {"repositories", "repository_languages", "actors", "discussion_categories"}
#: The day's busiest repositories, measured on their own.
BUSY = 20


def lower_bound(before: dict, after: dict) -> tuple[int, dict[str, int]]:
    """Points a perfect loader needs for the day, and new items per repository."""
    requests = 0
    changed: dict[str, int] = {}
    for name, entry in after["repositories"].items():
        old = before["repositories"].get(name, {}).get("counts", {})
        new = entry["counts"]
        items = {c: max(new.get(c, 0) - old.get(c, 0), 0) for c in CONNECTIONS}
        changed[name.lower()] = sum(items.values())
        requests += sum(math.ceil(n / 100) for n in items.values())
    detection = math.ceil(len(after["repositories"]) / 50)
    return requests + detection, changed


def _items(report) -> int:
    return sum(
        n for o in report.outcomes.values() for t, n in o.rows.items() if t not in IGNORED_TABLES
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", default="large")
    parser.add_argument("--hours", type=float, default=24)
    parser.add_argument(
        "--busy", type=int, default=BUSY, help="busiest repositories measured on their own"
    )
    parser.add_argument(
        "--pricing",
        choices=PRICINGS,
        default="documented",
        help="the emulator's reading of GitHub's cost rules (EMULATOR_PRICING)",
    )
    args = parser.parse_args()
    os.environ["EMULATOR_PRICING"] = args.pricing  # the emulator child process reads it
    with emulator(args.world) as base, tempfile.TemporaryDirectory() as workdir:
        settings = fresh_settings("duckdb", Path(workdir))
        before = call(base, "/_emulator/truth")
        names = sorted(n.lower() for n in before["repositories"])
        targets = [RepositoryTarget(n, ALL_RESOURCES, 365, 24) for n in names]
        with connect(settings) as warehouse:
            track_all(warehouse, names)
            client = GitHubClient(GitHubSettings(api_url=base, tokens=[TOKEN], reserve=0))
            started = time.perf_counter()
            initial = load_repositories(warehouse, targets, client=client)
            initial_seconds = time.perf_counter() - started

            call(base, "/_emulator/advance", {"hours": args.hours})
            after = call(base, "/_emulator/truth")
            bound, changed = lower_bound(before, after)
            busy = sorted(names, key=lambda n: -changed.get(n, 0))[: args.busy]
            # The busiest repositories first, on their own, so their points are measurable;
            # then all the others (the work of one daily run, split in two).
            parts = []
            started = time.perf_counter()
            for group in (set(busy), set(names) - set(busy)):
                call(base, "/_emulator/stats/reset", {})
                client = GitHubClient(GitHubSettings(api_url=base, tokens=[TOKEN], reserve=0))
                chosen = [t for t in targets if t.full_name in group]
                report = load_repositories(warehouse, chosen, client=client)
                parts.append((report, call(base, "/_emulator/stats"), client))
            sync_seconds = time.perf_counter() - started

    (busy_report, busy_stats, _), (rest_report, rest_stats, rest_client) = parts
    others = len(names) - len(busy)
    quiet = [n for n in names if changed.get(n, 0) == 0]
    probe = rest_client.stats.by_endpoint.get("graphql:Probe")
    points = busy_stats["graphql_points"] + rest_stats["graphql_points"]
    rest_calls = busy_stats["rest_calls"] + rest_stats["rest_calls"]
    items = _items(busy_report) + _items(rest_report)
    outcomes = [*busy_report.outcomes.values(), *rest_report.outcomes.values()]
    result = {
        "world": args.world,
        "pricing": args.pricing,
        "repositories": len(names),
        "initial_load": {
            "items": initial.rows_total,
            "graphql_points": initial.graphql_points,
            "items_per_point": round(initial.rows_total / max(initial.graphql_points, 1), 1),
            "seconds": round(initial_seconds, 1),
        },
        "sync_after_hours": args.hours,
        "sync_seconds": round(sync_seconds, 1),
        "graphql_points": points,
        "graphql_queries": busy_stats["graphql_queries"] + rest_stats["graphql_queries"],
        "rest_calls_counted": rest_calls,
        "rest_not_modified": busy_stats["not_modified"] + rest_stats["not_modified"],
        "points_per_repository_day": round(points / len(names), 4),
        "rest_calls_per_repository_day": round(rest_calls / len(names), 4),
        "items_written": items,
        "items_per_point": round(items / max(points, 1), 1),
        "lower_bound_points": bound,
        "ratio_to_lower_bound": round(points / bound, 2),
        f"busiest_{args.busy}": {
            "items": _items(busy_report),
            "graphql_points": busy_stats["graphql_points"],
            "items_per_point": round(_items(busy_report) / max(busy_stats["graphql_points"], 1), 1),
            # Where the busy repositories' points go, per GraphQL operation name.
            "points_by_operation": busy_stats.get("graphql_operations", {}),
        },
        "other_repositories": {
            "count": others,
            "quiet": len(quiet),
            "graphql_points": rest_stats["graphql_points"],
            "points_per_repository": round(rest_stats["graphql_points"] / max(others, 1), 4),
            "probe_points": probe.points if probe else 0,
            "probe_points_per_repository": round(
                (probe.points if probe else 0) / max(others, 1), 4
            ),
        },
        "statuses": {
            s: sum(1 for o in outcomes if o.status == s) for s in {o.status for o in outcomes}
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
