"""GraphQL points per quiet repository under each reading of GitHub's cost rules.

    .venv/bin/python benchmarks/pricing_readings.py --repositories 100

GitHub's documentation leaves two cases open, and only real GitHub's `rateLimit { cost }`
can settle them (loaders/emulator/graphql_api/cost.py): count-only connections charged per
parent (`count_per_parent`), children under `nodes(ids:)` multiplied by the ids
(`ids_multiply`), both (`pessimistic`), or neither (`documented`). For each reading the
emulator (`large` world, its long tail: quiet repositories) charges that way; the loader
loads the repositories, the clock advances a day, the loader syncs them again. Reported
per reading: the sync's points, its probe queries and points (estimated by the client vs
charged by the emulator), and points per repository that had nothing new (quiet): the
probe is all such a repository costs. The client adapts (smaller probes) after the first
charge above its estimate, so the sync runs with what the initial load learnt.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import ALL_RESOURCES, TOKEN, UNLIMITED, fresh_settings, track_all
from loaders.emulator.graphql_api.cost import PRICINGS
from loaders.emulator.testing import run_emulator
from loaders.github import GitHubClient, GitHubSettings
from loaders.sync import RepositoryTarget, load_repositories
from loaders.warehouse import connect

ANCHOR = 1_767_225_600  # 2026-01-01: the same world every run


def _counts(gh, names: list[str]) -> dict[str, int]:
    out = {}
    for name in names:
        entry = next(iter(gh.truth(name)["repositories"].values()))
        out[name] = sum(entry["counts"].values())
    return out


def measure(pricing: str, count: int, hours: float) -> dict:
    limits = {"core": UNLIMITED, "graphql": UNLIMITED}
    limits |= {"core_per_minute": UNLIMITED, "graphql_per_minute": UNLIMITED}
    with (
        run_emulator("large", seed=1, anchor=ANCHOR, **limits) as gh,
        tempfile.TemporaryDirectory() as tmp,
    ):
        gh.set_pricing(pricing)
        names = sorted(r.full_name.lower() for r in gh.world.repos[-count:])  # the long tail
        targets = [RepositoryTarget(n, ALL_RESOURCES, 365, 24) for n in names]
        settings = GitHubSettings(api_url=gh.base_url, tokens=[TOKEN], reserve=0)
        with (
            connect(fresh_settings("duckdb", Path(tmp))) as warehouse,
            GitHubClient(settings) as client,
        ):
            track_all(warehouse, names)
            started = time.perf_counter()
            initial = load_repositories(warehouse, targets, client=client, workers=1)
            before = _counts(gh, names)
            gh.advance(hours)
            after = _counts(gh, names)
            sync = load_repositories(warehouse, targets, client=client, workers=1)
            seconds = time.perf_counter() - started
            ratio = client.cost_ratio("graphql:Probe")
    quiet = [n for n in names if after[n] == before[n]]
    probe = sync.graphql_costs.get("Probe", {"queries": 0, "estimated": 0, "charged": 0})
    return {
        "pricing": pricing,
        "repositories": len(names),
        "quiet": len(quiet),
        "initial_load_points": initial.graphql_points,
        "initial_probe": initial.graphql_costs.get("Probe"),
        "probe_cost_ratio_learnt": round(ratio, 2),
        "sync_points": sync.graphql_points,
        "sync_probe": probe,
        "sync_rest_calls_counted": sync.rest_calls - sync.rest_not_modified,
        "points_per_quiet_repository": round(probe["charged"] / len(names), 3),
        "sync_points_by_operation": {op: c["charged"] for op, c in sync.graphql_costs.items()},
        "seconds": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repositories", type=int, default=100)
    parser.add_argument("--hours", type=float, default=24)
    parser.add_argument("--pricing", choices=PRICINGS, action="append")
    args = parser.parse_args()
    rows = [measure(p, args.repositories, args.hours) for p in args.pricing or PRICINGS]
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
