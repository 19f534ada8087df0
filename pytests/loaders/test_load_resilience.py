"""Budget reserve, injected faults and fetch-flag scoping, against the emulator."""

from __future__ import annotations

import pytest

from loaders.emulator.testing import run_emulator
from loaders.sync import load_repositories
from loaders.warehouse import Warehouse

from .helpers import (
    ALL,
    FLAG_TABLES,
    client_for,
    duplicates,
    raw_counts,
    targets,
    track,
    world_counts,
)

DELETED = "quietco/deleted-repo"


@pytest.fixture
def github():
    with run_emulator("small", seed=1) as gh:
        yield gh


def _names(gh) -> list[str]:
    return sorted(r.full_name.lower() for r in gh.world.repos)


def _statuses(warehouse: Warehouse) -> dict[str, int]:
    control = warehouse.settings.control_schema
    rows = warehouse.query(
        f"select last_status, count(*) as n from {control}.sync_state group by last_status"
    )
    return {r["last_status"]: int(r["n"]) for r in rows}


def test_budget_reserve_defers_then_next_run_finishes(github, warehouse: Warehouse):
    names = _names(github)
    track(warehouse, names)
    reserve, limit = 20, 70
    github.set_budgets(graphql=limit)
    client = client_for(github, reserve=reserve)

    first = load_repositories(warehouse, targets(names), client=client)

    assert first.deferred, "a 70-point budget cannot load the small world"
    assert first.budget_resets_at is not None
    assert len(first.deferred) < len(names)  # something was loaded before the stop
    spent = github.stats()["graphql_points"]
    assert spent <= limit - reserve  # the reserve was never touched
    assert _statuses(warehouse).get("deferred", 0) > 0
    assert "failed" not in _statuses(warehouse)
    loaded_before = raw_counts(warehouse)
    assert loaded_before  # committed despite the stop

    # The window resets: the next run picks up the deferred repositories and completes.
    github.set_budgets(reset=True, graphql=5000)
    second = load_repositories(warehouse, targets(names), client=client_for(github))
    assert second.deferred == []
    assert set(_statuses(warehouse)) == {"success"}
    assert raw_counts(warehouse) == world_counts(github, names, ALL)
    assert duplicates(warehouse) == {}


def test_faults_do_not_change_the_result(github, warehouse: Warehouse):
    names = _names(github)
    track(warehouse, [*names, DELETED])
    github.set_budgets(retry_after=1, graphql_per_minute=400)
    github.inject_faults(
        rate={"kinds": ["502", "504", "500", "drop", "malformed", "slow"], "rate": 0.15},
        delay_ms=1500,
    )
    client = client_for(github, timeout_seconds=1.0, max_retries=8)

    report = load_repositories(warehouse, targets([*names, DELETED]), client=client)

    github.clear_faults()
    faults = github.stats()["faults_total"]
    assert faults >= 8, "the fault rate should have hit many requests"
    assert report.outcomes[DELETED].status == "not_found"
    failed = {n: o.error for n, o in report.outcomes.items() if o.status == "failed"}
    assert failed == {}
    assert raw_counts(warehouse) == world_counts(github, names, ALL)
    assert duplicates(warehouse) == {}


@pytest.mark.parametrize(
    "flags",
    [
        frozenset({"issues"}),
        frozenset({"comments"}),
        frozenset({"pull_requests", "reviews"}),
        frozenset({"commits", "stars", "forks", "releases"}),
        frozenset({"discussions", "events"}),
    ],
    ids=lambda f: "+".join(sorted(f)),
)
def test_only_requested_resources_are_loaded(github, warehouse: Warehouse, flags):
    if warehouse.engine == "postgres" and flags != frozenset({"comments"}):
        pytest.skip("flag scoping is engine-independent; one combination runs on postgres")
    names = _names(github)[:6]
    track(warehouse, names)
    load_repositories(warehouse, targets(names, flags), client=client_for(github))
    assert raw_counts(warehouse) == world_counts(github, names, flags)
    # Nothing outside the flags: those tables are absent or empty.
    unwanted = {t for f, tables in FLAG_TABLES.items() if f not in flags for t in tables}
    unwanted -= {t for f in flags for t in FLAG_TABLES[f]}
    got = {t for counts in raw_counts(warehouse).values() for t in counts}
    assert not got & unwanted


def test_parallel_workers_load_the_same_and_respect_the_reserve(github, warehouse: Warehouse):
    if warehouse.engine == "postgres":
        pytest.skip("worker threads only fetch; the engine-specific part is covered above")
    names = _names(github)
    track(warehouse, names)
    report = load_repositories(warehouse, targets(names), client=client_for(github), workers=3)
    assert report.deferred == []
    assert raw_counts(warehouse) == world_counts(github, names, ALL)
    assert duplicates(warehouse) == {}
    assert report.graphql_points == github.stats()["graphql_points"]

    # A tight budget with three workers: they stop together, short of the reserve.
    github.advance(48)
    github.set_budgets(reset=True, graphql=30)
    github.reset_stats()
    reserve = 12
    stopped = load_repositories(
        warehouse, targets(names), client=client_for(github, reserve=reserve), workers=3
    )
    assert stopped.deferred
    assert github.stats()["graphql_points"] <= 30 - reserve
    github.set_budgets(reset=True, graphql=5000)
    load_repositories(warehouse, targets(names), client=client_for(github), workers=3)
    got = raw_counts(warehouse)
    want = world_counts(github, names, ALL)
    for counts in (*got.values(), *want.values()):
        counts.pop("events", None)  # the feed forgets events older than 30 days; we keep them
    assert got == want
