"""`load_repositories` against the emulator's `small` world, on DuckDB and PostgreSQL:
first load equals the truth, a quiet rerun costs (almost) nothing, a day later only what
changed is fetched and late updates land."""

from __future__ import annotations

import pytest

from loaders.emulator.testing import run_emulator
from loaders.sync import load_repositories
from loaders.sync.raw_indexes import ensure_raw_indexes
from loaders.warehouse import Warehouse

from .helpers import ALL, client_for, duplicates, raw_counts, targets, track, world_counts

RENAMED_OLD, RENAMED_NEW = "nebula/old-orbit", "nebula/orbit"
DELETED = "quietco/deleted-repo"


@pytest.fixture
def github():
    with run_emulator("small", seed=1) as gh:
        yield gh


def _diff(got: dict, want: dict) -> dict:
    """{(repo, table): (got, want)} where they differ; readable in assertion output."""
    keys = {(r, t) for side in (got, want) for r, tables in side.items() for t in tables}
    return {
        (r, t): (got.get(r, {}).get(t), want.get(r, {}).get(t))
        for r, t in sorted(keys)
        if got.get(r, {}).get(t) != want.get(r, {}).get(t)
    }


def _event_ids(warehouse: Warehouse) -> set[str]:
    raw = warehouse.settings.raw_schema
    return {r["id"] for r in warehouse.query(f"select id from {raw}.events")}


def _world_event_ids(gh, names: list[str]) -> set[str]:
    world = gh.world
    return {str(e.id) for n in names for e in world.view(world.resolve(n)[1]).events()}


def _names(gh) -> list[str]:
    return sorted(r.full_name.lower() for r in gh.world.repos)


def _closed_and_merged(warehouse: Warehouse) -> tuple[set, set, set]:
    raw = warehouse.settings.raw_schema
    issues = {
        (r["id"], r["state"], r["closed_at"].timestamp() if r["closed_at"] else None)
        for r in warehouse.query(f"select id, state, closed_at from {raw}.issues")
    }
    prs = {
        (r["id"], r["merged_at"].timestamp() if r["merged_at"] else None)
        for r in warehouse.query(f"select id, merged_at from {raw}.pull_requests")
    }
    stars = {
        (r["user_id"], r["repository_id"], r["starred_at"].timestamp())
        for r in warehouse.query(f"select user_id, repository_id, starred_at from {raw}.stargazers")
    }
    return issues, prs, stars


def _world_closed_and_merged(gh, names: list[str]) -> tuple[set, set, set]:
    world, t = gh.world, gh.world.now
    issues, prs, stars = set(), set(), set()
    for name in names:
        repo = world.resolve(name)[1]
        view = world.view(repo)
        for i in view.visible("issues"):
            issues.add((i.id, i.state(t), i.closed_at(t)))
        for p in view.visible("pulls"):
            prs.add((p.id, p.merged_at if p.merged_at <= t else None))
        for s in view.visible("stars"):
            stars.add((s.user.id, repo.id, s.starred_at))
    return issues, prs, stars


def test_small_world_first_load_rerun_and_next_day(github, warehouse: Warehouse):
    names = _names(github)
    tracked = [*names, RENAMED_OLD, DELETED]
    track(warehouse, tracked)
    client = client_for(github)

    first = load_repositories(warehouse, targets(tracked), client=client)

    assert first.outcomes[DELETED].status == "not_found"
    assert first.outcomes[RENAMED_OLD].renamed_to == RENAMED_NEW
    assert {n for n, o in first.outcomes.items() if o.status != "success"} == {DELETED}
    assert _diff(raw_counts(warehouse), world_counts(github, names, ALL)) == {}
    assert _closed_and_merged(warehouse) == _world_closed_and_merged(github, names)
    assert duplicates(warehouse) == {}
    control = warehouse.settings.control_schema
    statuses = warehouse.query(
        f"select last_status, count(*) as n from {control}.sync_state group by last_status"
    )
    assert {r["last_status"]: r["n"] for r in statuses} == {
        "success": (len(names) + 1) * len(ALL),
        "not_found": len(ALL),
    }
    repos = {r["full_name"]: r for r in warehouse.query(f"select * from {control}.repositories")}
    assert repos[DELETED]["status"] == "not_found"
    assert repos[RENAMED_OLD]["status"] == "renamed"
    assert repos[RENAMED_OLD]["renamed_to"] == RENAMED_NEW
    assert all(repos[n]["node_id"] for n in names)
    if warehouse.engine == "postgres":  # DuckDB cannot update a referenced unique column
        assert all(repos[n]["github_id"] for n in names)
        # The load indexed the raw tables it created, for dbt's incremental lookups.
        indexes = {
            r["indexname"]
            for r in warehouse.query(
                "select indexname from pg_indexes where schemaname = %(s)s",
                {"s": warehouse.settings.raw_schema},
            )
        }
        assert {"issues__dlt_load_id__idx", "issues__id__idx", "issue_comments__issue_id__idx",
                "commits__repository_id__sha__idx"} <= indexes  # fmt: skip
        assert ensure_raw_indexes(warehouse) == []

    # A rerun with nothing changed: one probe query, ETag'd events (free), no new rows.
    github.reset_stats()
    before = raw_counts(warehouse)
    second = load_repositories(warehouse, targets(tracked), client=client)
    stats = github.stats()
    assert raw_counts(warehouse) == before
    changed = {
        t: n
        for o in second.outcomes.values()
        for t, n in o.rows.items()
        if t not in ("repositories", "repository_languages", "discussion_categories")
    }
    assert changed == {}
    assert stats["graphql_points"] <= 1
    assert stats["rest_calls"] == 0  # every events feed answered 304
    assert stats["not_modified"] == len(names) + 1

    # A day later: only changed items are fetched, late closes/merges/comments land.
    events_before = _event_ids(warehouse)
    github.advance(24)
    github.reset_stats()
    third = load_repositories(warehouse, targets(tracked), client=client)
    want = world_counts(github, names, ALL)
    for counts in want.values():
        counts.pop("events", None)  # the feed forgets events older than 30 days; we keep them
    got = raw_counts(warehouse)
    for counts in got.values():
        counts.pop("events", None)
    assert _diff(got, want) == {}
    assert _event_ids(warehouse) == events_before | _world_event_ids(github, names)
    assert _closed_and_merged(warehouse) == _world_closed_and_merged(github, names)
    assert duplicates(warehouse) == {}
    issues_written = sum(o.rows.get("issues", 0) for o in third.outcomes.values())
    total_issues = sum(c.get("issues", 0) for c in raw_counts(warehouse).values())
    assert 0 < issues_written < total_issues / 4
    assert github.stats()["graphql_points"] <= 40
