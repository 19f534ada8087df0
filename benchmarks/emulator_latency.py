"""Is the emulator ever the bottleneck? Latency, start-up and memory on the `large` world.

    .venv/bin/python benchmarks/emulator_latency.py [--requests 60] [--skip-count] [--json]

Reports (over real HTTP on 127.0.0.1, keep-alive session, after one warm-up call):
- start-up time of `large` (world catalog + server listening) and the cold generation time
  of its busiest repository (repositories are generated on first use);
- median / p95 latency of a 100-item GraphQL page and a 100-item REST page, walking
  different pages of the busiest repository (target: <= 10 ms each), and the emulator's
  own CPU time per such page (thread CPU time, in-process: robust to a busy machine);
- resident memory after the run; and, unless --skip-count, the total item count of the
  world and the time and memory of generating all of it (`World.prewarm`, what
  `serve --prewarm` does); asserts >= 1,000 repositories and >= 1,000,000 items.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loaders.emulator.core import Emulator
from loaders.emulator.ratelimit import Limits
from loaders.emulator.server import EmulatorServer
from loaders.emulator.world.world import World

GRAPHQL_PAGE = """
query($owner: String!, $name: String!, $after: String) {
  rateLimit { cost remaining }
  repository(owner: $owner, name: $name) {
    issues(first: 100, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id databaseId number title body state stateReason locked createdAt updatedAt closedAt
        author { __typename login ... on User { databaseId } ... on Bot { databaseId } }
        assignees(first: 5) { nodes { login } }
        milestone { title }
        labels(first: 10) { totalCount nodes { name color } }
        reactions { totalCount }
        comments { totalCount }
      }
    }
  }
}"""


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_cpu_ms(emulator: Emulator, full_name: str, n: int) -> tuple[float, float]:
    """Median CPU time the emulator itself spends per 100-item page (no HTTP, no client):
    unlike wall-clock latency, it does not grow when other processes share the CPU."""
    owner, name = full_name.split("/")
    headers = {"authorization": "bearer ghp_emulator_bench"}
    gql, rest = [], []
    after = None
    for i in range(n):
        body = json.dumps(
            {"query": GRAPHQL_PAGE, "variables": {"owner": owner, "name": name, "after": after}}
        )
        t0 = time.thread_time()
        out = emulator.handle("POST", "/graphql", {}, headers, body.encode(), "http://bench")
        gql.append((time.thread_time() - t0) * 1000)
        page = json.loads(out.body)["data"]["repository"]["issues"]["pageInfo"]
        after = page["endCursor"] if page["hasNextPage"] else None
        query = {
            "state": "all",
            "per_page": "100",
            "page": str(i % 50 + 1),
            "sort": "updated",
            "direction": "desc",
        }
        t0 = time.thread_time()
        emulator.handle("GET", f"/repos/{full_name}/issues", query, headers, b"", "http://b")
        rest.append((time.thread_time() - t0) * 1000)
    return statistics.median(gql), statistics.median(rest)


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t0) * 1000, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--world", default="large")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--requests", type=int, default=60, help="measured calls per API")
    ap.add_argument("--skip-count", action="store_true", help="do not generate every repo")
    ap.add_argument("--json", action="store_true", help="print one JSON object only")
    args = ap.parse_args()

    # Budgets out of the way: this measures the emulator, not its rate limiting.
    limits = Limits(core=10**9, graphql=10**9, core_per_minute=10**9, graphql_per_minute=10**9)
    rss0 = rss_mb()
    startup_ms, server = timed(
        lambda: EmulatorServer(
            Emulator(World(args.world, args.seed), seed=args.seed, limits=limits)
        ).start()
    )
    world = server.state.world
    busiest = max(world.repos, key=lambda r: r.rate)
    owner, name = busiest.full_name.split("/")
    cold_ms, data = timed(lambda: world.data(busiest))
    view = world.view(busiest)

    s = requests.Session()
    s.headers["Authorization"] = "bearer ghp_emulator_bench"
    gql_url, base = f"{server.base_url}/graphql", server.base_url

    # Timed: request sent -> whole body received. The client's JSON decoding is not the
    # emulator's cost, so it happens outside the timer (in `check_*`).
    def gql(after: str | None) -> requests.Response:
        return s.post(
            gql_url,
            json={
                "query": GRAPHQL_PAGE,
                "variables": {"owner": owner, "name": name, "after": after},
            },
        )

    def rest(page: int) -> requests.Response:
        return s.get(
            f"{base}/repos/{busiest.full_name}/issues",
            params={
                "state": "all",
                "per_page": 100,
                "page": page,
                "sort": "updated",
                "direction": "desc",
            },
        )

    def check_gql(r: requests.Response) -> dict:
        r.raise_for_status()
        body = r.json()
        assert "errors" not in body, body["errors"]
        return body["data"]["repository"]["issues"]

    def check_rest(r: requests.Response) -> None:
        r.raise_for_status()
        assert len(r.json()) == 100

    check_gql(gql(None))  # warm-up: builds the UPDATED_AT order, parses the query once
    check_rest(rest(1))
    gql_ms: list[float] = []
    after = None
    while len(gql_ms) < args.requests:
        ms, reply = timed(lambda a=after: gql(a))
        conn = check_gql(reply)
        if len(conn["nodes"]) == 100:  # the walk's last, partial page is not a 100-item page
            gql_ms.append(ms)
        after = conn["pageInfo"]["endCursor"] if conn["pageInfo"]["hasNextPage"] else None
    pages = max(1, len(view.visible("issuelike")) // 100)
    rest_ms: list[float] = []
    for i in range(args.requests):
        ms, reply = timed(lambda p=i % pages + 1: rest(p))
        check_rest(reply)
        rest_ms.append(ms)
    server.shutdown()
    gql_cpu, rest_cpu = server_cpu_ms(server.state, busiest.full_name, args.requests)

    report = {
        "world": args.world,
        "seed": args.seed,
        "repositories": len(world.repos),
        "startup_ms": round(startup_ms, 1),
        "busiest_repository": busiest.full_name,
        "busiest_items": data.count_items(),
        "busiest_cold_generation_ms": round(cold_ms, 1),
        "graphql_page_100_median_ms": round(statistics.median(gql_ms), 2),
        "graphql_page_100_min_ms": round(min(gql_ms), 2),
        "graphql_page_100_p95_ms": round(sorted(gql_ms)[int(0.95 * len(gql_ms)) - 1], 2),
        "rest_page_100_median_ms": round(statistics.median(rest_ms), 2),
        "rest_page_100_min_ms": round(min(rest_ms), 2),
        "rest_page_100_p95_ms": round(sorted(rest_ms)[int(0.95 * len(rest_ms)) - 1], 2),
        "graphql_page_100_server_cpu_ms": round(gql_cpu, 2),
        "rest_page_100_server_cpu_ms": round(rest_cpu, 2),
        "rss_mb_before": round(rss0, 1),
        "rss_mb_after_requests": round(rss_mb(), 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    if not args.skip_count:
        count_ms, total = timed(world.prewarm)  # what `serve --prewarm` does
        report.update(
            {
                "world_items_total": total,
                "generate_all_ms": round(count_ms, 1),
                "rss_mb_after_generating_all": round(rss_mb(), 1),
            }
        )
    if args.json:
        print(json.dumps(report))
    else:
        width = max(map(len, report))
        for k, v in report.items():
            print(f"{k:<{width}}  {v}")
    ok = report["graphql_page_100_median_ms"] <= 10 and report["rest_page_100_median_ms"] <= 10
    if args.world == "large" and not args.skip_count:
        ok = ok and report["repositories"] >= 1000 and report["world_items_total"] >= 10**6
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
