"""Throughput of an initial load: every repository of an emulator world, all resources.

    .venv/bin/python benchmarks/load_throughput.py --world large --engines duckdb,postgres

Per engine, a child process loads the world into a fresh warehouse and reports rows written,
wall time, rows/s and its peak RSS (the emulator runs in a process of its own). Postgres comes
from WAREHOUSE_PG_* (e.g. WAREHOUSE_PG_HOST=127.0.0.1 WAREHOUSE_PG_PORT=55432).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import (
    TOKEN,
    drop_settings,
    emulator,
    fresh_settings,
    repository_names,
    track_all,
)
from loaders.github import GitHubClient, GitHubSettings
from loaders.sync import RepositoryTarget, load_repositories
from loaders.warehouse import WarehouseSettings, connect


def child(settings_json: str, base_url: str, world: str, chunk: int) -> None:
    from benchmarks._common import ALL_RESOURCES

    settings = WarehouseSettings.model_validate_json(settings_json)
    names = repository_names(world)
    with connect(settings) as warehouse:
        track_all(warehouse, names)
        targets = [RepositoryTarget(n, ALL_RESOURCES, 365, 24) for n in names]
        client = GitHubClient(GitHubSettings(api_url=base_url, tokens=[TOKEN], reserve=0))
        started = time.perf_counter()
        report = load_repositories(warehouse, targets, client=client, chunk_size=chunk)
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    statuses: dict[str, int] = {}
    for outcome in report.outcomes.values():
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
    print(
        json.dumps(
            {
                "engine": settings.target,
                "workers": int(os.environ.get("WAREHOUSE_LOAD_WORKERS", "1")),
                "chunk": chunk,
                "repositories": len(names),
                "rows": report.rows_total,
                "seconds": round(seconds, 1),
                "rows_per_second": round(report.rows_total / seconds),
                "peak_rss_mb": round(peak_mb),
                "graphql_points": report.graphql_points,
                "rest_calls": report.rest_calls,
                "statuses": statuses,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", default="large")
    parser.add_argument("--engines", default="duckdb,postgres")
    parser.add_argument("--workers", default="3", help="WAREHOUSE_LOAD_WORKERS for the load")
    parser.add_argument("--chunk", type=int, default=250, help="repositories per dlt load")
    parser.add_argument("--child", nargs=3, metavar=("SETTINGS_JSON", "BASE_URL", "WORLD"))
    args = parser.parse_args()
    if args.child:
        child(*args.child, chunk=args.chunk)
        return
    results = []
    with emulator(args.world) as base_url, tempfile.TemporaryDirectory() as workdir:
        for engine in args.engines.split(","):
            settings = fresh_settings(engine, Path(workdir))
            try:
                out = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--chunk",
                        str(args.chunk),
                        "--child",
                        settings.model_dump_json(),
                        base_url,
                        args.world,
                    ],
                    check=True,
                    capture_output=True,
                    env={**os.environ, "WAREHOUSE_LOAD_WORKERS": args.workers},
                    text=True,
                )
            except subprocess.CalledProcessError as exc:
                print(exc.stderr[-3000:], file=sys.stderr)
                raise
            finally:
                drop_settings(settings)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(result)
            print(json.dumps(result), flush=True)
    for r in results:
        print(
            f"{r['engine']:>8}: {r['rows']:,} rows in {r['seconds']} s "
            f"({r['rows_per_second']:,} rows/s), peak RSS {r['peak_rss_mb']} MB, "
            f"{r['graphql_points']} GraphQL points, {r['rest_calls']} REST calls"
        )


if __name__ == "__main__":
    main()
