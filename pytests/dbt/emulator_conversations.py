"""The issue-13 tables and marts against the emulator's truth (`small` world).

Per repository: row counts of the new staging models equal the truth's raw-table counts,
every PR conversation comment is one `pr_commented` event, and issue_pull_request_links
holds exactly the truth's (pull request, issue) keys, with the hours from the issue's
opening to the merge computed from the world's own timestamps. Needs an emulator that
generates these tables (the truth then lists their counts); with an older one there is
nothing to compare and the function says so by returning 0.
"""

from __future__ import annotations

import math
from typing import Any

from loaders.emulator import truth as emulator_truth
from loaders.warehouse import WarehouseSettings
from pytests.dbt.helpers import query

# raw table (truth counts) -> (schema.model, its repository column)
COUNTED = {
    "pull_request_comments": (
        "analytics_staging.stg_github__pull_request_comments",
        "repository_id",
    ),
    "pull_request_labels": ("analytics_staging.stg_github__pull_request_labels", "repository_id"),
    "pull_request_review_requests": (
        "analytics_staging.stg_github__pull_request_review_requests",
        "repository_id",
    ),
    "issue_events": ("analytics_staging.stg_github__issue_events", "repository_id"),
    "issue_pull_request_links": (
        "analytics.issue_pull_request_links",
        "pull_request_repository_id",
    ),
}


def _per_repository(settings: WarehouseSettings, sql: str) -> dict[int, int]:
    return {int(r["rid"]): int(r["n"]) for r in query(settings, sql)}


def assert_conversations_match_truth(settings: WarehouseSettings, gh: Any, ids: dict) -> int:
    """Assert, and return how many repositories were compared (0: the truth has none)."""
    truth = gh.truth()["repositories"]
    counted = {
        name.lower(): entry["counts"]
        for name, entry in truth.items()
        if name.lower() in ids and "pull_request_comments" in entry["counts"]
    }
    if not counted:
        return 0
    for table, (model, column) in COUNTED.items():
        got = _per_repository(
            settings,
            f"select {column} as rid, count(*) as n from {model} group by {column}",
        )
        want = {ids[name]: counts[table] for name, counts in counted.items()}
        assert {k: got.get(k, 0) for k in want} == want, table
    events = _per_repository(
        settings,
        "select repository_id as rid, count(*) as n "
        "from analytics_intermediate.int_activity_events "
        "where activity_type = 'pr_commented' group by repository_id",
    )
    want = {ids[name]: counts["pull_request_comments"] for name, counts in counted.items()}
    assert {k: events.get(k, 0) for k in want} == want
    _assert_links(settings, gh, set(counted))
    return len(counted)


def _assert_links(settings: WarehouseSettings, gh: Any, names: set[str]) -> None:
    """Link keys equal the truth's; hours from issue opening to merge match the world."""
    world, t = gh.world, gh.now
    repos = [r for r in world.repos if r.full_name.lower() in names]
    want_keys: set[tuple[int, str]] = set()
    for repo in repos:
        want_keys |= emulator_truth.repo_keys(world, repo)["issue_pull_request_links"]
    issues = {
        i.node_id: i for r in repos for i in world.view(r).visible("issues")
    }  # only issues of loaded repositories can have an opening time in the warehouse
    want_hours: dict[tuple[int, str], float | None] = {}
    for repo in repos:
        for pull in world.view(repo).visible("pulls"):
            for link in pull.visible_links(t):
                issue = issues.get(link.issue.node_id)
                merged = pull.merged_at <= t
                hours = (pull.merged_at - issue.created_at) / 3600 if issue and merged else None
                want_hours[(pull.id, link.issue.node_id)] = hours
    rows = query(
        settings,
        "select pull_request_id, issue_node_id, hours_from_issue_open_to_merge as hours "
        "from analytics.issue_pull_request_links",
    )
    got = {(int(r["pull_request_id"]), r["issue_node_id"]): r["hours"] for r in rows}
    assert set(got) == want_keys
    assert any(h is None for h in want_hours.values())  # open PRs, issues outside the world
    for key, hours in want_hours.items():
        if hours is None:
            assert got[key] is None, key
        else:
            assert got[key] is not None and math.isclose(got[key], hours, abs_tol=1e-6), key
