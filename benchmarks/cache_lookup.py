"""Workspace page lookups: p50/p95 of the page's queries over 1,000 workspaces.

    .venv/bin/python benchmarks/cache_lookup.py --engine duckdb
    WAREHOUSE_PG_PORT=55432 .venv/bin/python benchmarks/cache_lookup.py --engine postgres

Builds the workspace caches for `--workspaces` enterprise workspaces (one synthetic
repository each, 30 days of activity; benchmarks/dbt_build.py's generator), then times
`--lookups` page reads, each for one workspace and one range (7d, 30d, 90d, 1y, all): the
headline row (workspace_metrics_cache joined with workspace_current_state and the
read-time workspace_cache_status view), the top ten contributors, the repository list and
the languages, each reading only the columns the page shows, as docs/marts.md gives them
(`--select-star` reads every column instead, as this benchmark did before). Prints p50/p95
per query and for the whole page (target: page p95 < 10 ms). Times are client round trips
on one open connection, as a service reading the cache would see them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.activity_rows import AS_OF, create_raw, generate, track
from benchmarks.dbt_build import _dbt, _drop_databases, _settings
from loaders.warehouse import WarehouseSettings, connect

RANGES = ("7d", "30d", "90d", "1y", "all")
MODELS = (
    "+workspace_metrics_cache", "+workspace_current_state", "+workspace_cache_status",
    "+workspace_top_contributors", "+workspace_repository_stats", "+workspace_languages",
)  # fmt: skip
#: The page's queries as docs/marts.md gives them: only the columns the page shows (DuckDB
#: reads and converts every selected column of a row; the cache row has about 90).
PAGE = {
    "headline": (
        "select m.time_range, m.range_days, m.period_start, m.prs_opened, m.prs_merged, "
        "m.issues_opened, m.commits_count, m.active_contributors, m.prs_merged_trend_pct, "
        "m.median_hours_to_merge, s.open_issues, s.open_prs, s.draft_prs, "
        "s.stargazers_total, s.forks_total, s.watchers_total, c.calculated_at, "
        "c.data_fetched_at, c.is_stale, c.stale_reason "
        "from analytics.workspace_metrics_cache as m "
        "inner join analytics.workspace_current_state as s "
        "on m.workspace_slug = s.workspace_slug "
        "inner join analytics.workspace_cache_status as c "
        "on m.workspace_slug = c.workspace_slug "
        "where m.workspace_slug = '{slug}' and m.time_range = '{range}'"
    ),
    "top_contributors": (
        "select contributor_rank, contributor_login, avatar_url, prs_opened, issues_opened, "
        "commits_count, reviews from analytics.workspace_top_contributors "
        "where workspace_slug = '{slug}' and time_range = '{range}' order by contributor_rank"
    ),
    "repositories": (
        "select full_name, owner_avatar_url, prs_opened, issues_opened, stars, contributors, "
        "open_issues, open_prs, stargazers_total, forks_total "
        "from analytics.workspace_repository_stats "
        "where workspace_slug = '{slug}' and time_range = '{range}' order by full_name"
    ),
    "languages": (
        "select language_rank, language_name, language_color, size_bytes, share "
        "from analytics.workspace_languages where workspace_slug = '{slug}' "
        "order by language_rank"
    ),
}
#: Every column of each element (`--select-star`): the benchmark's queries before.
PAGE_STAR = {
    "headline": (
        "select m.*, s.open_issues, s.open_prs, s.draft_prs, s.stargazers_total, "
        "s.forks_total, s.watchers_total, c.calculated_at, c.is_stale, c.stale_reason "
        "from analytics.workspace_metrics_cache as m "
        "inner join analytics.workspace_current_state as s "
        "on m.workspace_slug = s.workspace_slug "
        "inner join analytics.workspace_cache_status as c "
        "on m.workspace_slug = c.workspace_slug "
        "where m.workspace_slug = '{slug}' and m.time_range = '{range}'"
    ),
    "top_contributors": (
        "select * from analytics.workspace_top_contributors "
        "where workspace_slug = '{slug}' and time_range = '{range}' order by contributor_rank"
    ),
    "repositories": (
        "select * from analytics.workspace_repository_stats "
        "where workspace_slug = '{slug}' and time_range = '{range}' order by full_name"
    ),
    "languages": (
        "select * from analytics.workspace_languages where workspace_slug = '{slug}' "
        "order by language_rank"
    ),
}


def _percentiles(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(0.95 * len(samples)) - 1], 3),
    }


def measure(
    settings: WarehouseSettings, workspaces: int, lookups: int, page_queries: dict[str, str]
) -> dict:
    with connect(settings) as wh:
        create_raw(wh)
        track(wh, workspaces, workspaces)
        generate(wh, workspaces, 30, AS_OF - timedelta(days=29), "1782000000.0", 0)
    _dbt(settings, "--select", *MODELS)
    per_query: dict[str, list[float]] = {name: [] for name in page_queries}
    page: list[float] = []
    with connect(settings) as wh:
        if settings.target == "postgres":
            for table in ("workspace_metrics_cache", "workspace_current_state",
                          "workspace_top_contributors", "workspace_repository_stats"):  # fmt: skip
                wh.execute(f"analyze analytics.{table}")
        for k in range(lookups):
            values = {"slug": f"ws{(k * 7919) % workspaces}", "range": RANGES[k % len(RANGES)]}
            page_started = time.perf_counter()
            for name, sql in page_queries.items():
                started = time.perf_counter()
                rows = wh.query(sql.format(**values))
                per_query[name].append((time.perf_counter() - started) * 1000)
                # A quiet range may have no contributor; a synthetic repository no language.
                if name not in ("top_contributors", "languages"):
                    assert rows, f"{name}: no row for {values}"
            page.append((time.perf_counter() - page_started) * 1000)
        cache_rows = wh.scalar("select count(*) from analytics.workspace_metrics_cache")
    return {
        "engine": settings.target,
        "workspaces": workspaces,
        "lookups": lookups,
        "cache_rows": int(cache_rows),
        "page": _percentiles(page),
        **{name: _percentiles(samples) for name, samples in per_query.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["duckdb", "postgres"], default="duckdb")
    parser.add_argument("--workspaces", type=int, default=1000)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--select-star", action="store_true", help="read every column")
    args = parser.parse_args()
    queries = PAGE_STAR if args.select_star else PAGE
    with tempfile.TemporaryDirectory() as tmp:
        settings = _settings(args.engine, Path(tmp))
        result = measure(settings, args.workspaces, args.lookups, queries)
        print(json.dumps({"select_star": args.select_star, **result}, indent=2))


if __name__ == "__main__":
    try:
        main()
    finally:
        _drop_databases()
