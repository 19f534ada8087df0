"""This project's loader (`loaders.sync.load_repositories`) against the emulator, into a
throw-away DuckDB file: the streams the peers load, whole history."""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks._common import fresh_settings, track_all
from loaders.github import GitHubClient, GitHubSettings
from loaders.sync import RepositoryTarget, load_repositories
from loaders.warehouse import Warehouse, WarehouseSettings

from .rows import Rows, epoch

NAME = "this project"
RESOURCES = frozenset(
    {
        "repositories",
        "issues",
        "pull_requests",
        "reviews",
        "comments",
        "commits",
        "events",
        "stars",
        "forks",
        "releases",
        "discussions",
    }
)
HISTORY_DAYS = 3650  # every world's history fits: peers are given start_date 2000-01-01
# raw table -> the benchmark's stream
TABLES = {
    "issues": "issues",
    "issue_comments": "comments",
    "pull_request_comments": "comments",
    "pull_requests": "pull_requests",
    "pull_request_reviews": "reviews",
    "commits": "commits",
    "stargazers": "stargazers",
    "forks": "forks",
    "releases": "releases",
    "events": "events",
    "discussions": "discussions",
    "discussion_comments": "discussion_comments",
}
_KEYS = {
    "commits": "sha",
    "stargazers": "cast(repository_id as varchar) || ':' || cast(user_id as varchar)",
}
_UPDATED = {"issues", "issue_comments", "pull_request_comments", "pull_requests", "discussions"}


def settings(workdir: Path) -> WarehouseSettings:
    return fresh_settings("duckdb", workdir)


def prepare(warehouse: Warehouse, names: list[str]) -> None:
    track_all(warehouse, names)


def run(
    warehouse: Warehouse, base: str, token: str, names: list[str]
) -> tuple[Rows, dict[str, int], float, str | None]:
    """(the tables after the run, rows written per stream, seconds, error)."""
    targets = [RepositoryTarget(n, RESOURCES, HISTORY_DAYS, 1) for n in names]
    client = GitHubClient(GitHubSettings(api_url=base, tokens=[token], reserve=0))
    started = time.perf_counter()
    report = load_repositories(warehouse, targets, client=client)
    seconds = time.perf_counter() - started
    emitted: dict[str, int] = {}
    for outcome in report.outcomes.values():
        for table, n in outcome.rows.items():
            if table in TABLES:
                emitted[TABLES[table]] = emitted.get(TABLES[table], 0) + n
    failed = [
        f"{n}: {o.error or o.status}" for n, o in report.outcomes.items() if o.status != "success"
    ]
    return tables(warehouse), emitted, seconds, "; ".join(failed) or None


def tables(warehouse: Warehouse) -> Rows:
    raw = warehouse.settings.raw_schema
    out: Rows = {s: {} for s in set(TABLES.values())}
    for table, stream in TABLES.items():
        if not warehouse.table_exists(raw, table):
            continue
        key = _KEYS.get(table, "cast(id as varchar)")
        updated = "updated_at" if table in _UPDATED else "null"
        for row in warehouse.query(f"select {key} as k, {updated} as u from {raw}.{table}"):
            out[stream][str(row["k"])] = epoch(row["u"])
    return out
