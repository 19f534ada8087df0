"""The issue-13 models against the Python oracles of synthetic_conversations.

Called by the daily-metrics scenario after each build (first load, incremental, full
refresh), so every new column is checked on both engines and on both build paths.
"""

from __future__ import annotations

import math
from typing import Any

from loaders.warehouse import WarehouseSettings
from pytests.dbt import synthetic_conversations as conversations
from pytests.dbt.helpers import query
from pytests.dbt.synthetic import Scenario

MODELS = (
    "+int_pull_request_first_responses",
    "+int_review_request_turnarounds",
    "+issue_pull_request_links",
    "+workspace_metrics_cache",
)


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), abs_tol=1e-6)


def _diff(got: dict, want: dict) -> list[str]:
    problems = [f"missing {k}: want {want[k]}" for k in sorted(want.keys() - got.keys(), key=str)]
    problems += [f"extra {k}: {got[k]}" for k in sorted(got.keys() - want.keys(), key=str)]
    for key in want.keys() & got.keys():
        if not all(_close(a, b) if not isinstance(b, str | bool) else a == b
                   for a, b in zip(got[key], want[key], strict=True)):  # fmt: skip
            problems.append(f"{key}: got {got[key]}, want {want[key]}")
    return problems


def assert_conversation_models(settings: WarehouseSettings, scenario: Scenario) -> None:
    responses = {
        int(r["pull_request_id"]): (r["first_response_kind"], r["hours_to_first_response"])
        for r in query(
            settings, "select * from analytics_intermediate.int_pull_request_first_responses"
        )
    }
    want_responses = conversations.expected_first_responses(scenario)
    assert sum(1 for kind, _ in want_responses.values() if kind == "comment") > 5
    assert _diff(responses, want_responses) == []

    turnarounds = {
        r["review_request_event_id"]: (r["hours_to_review"],)
        for r in query(
            settings, "select * from analytics_intermediate.int_review_request_turnarounds"
        )
    }
    want_turnarounds = {k: (v,) for k, v in conversations.expected_turnarounds(scenario).items()}
    assert sum(1 for (v,) in want_turnarounds.values() if v is None) > 3  # withdrawn, unanswered
    assert _diff(turnarounds, want_turnarounds) == []

    links = {
        (int(r["pull_request_id"]), r["issue_node_id"]): (
            bool(r["is_issue_loaded"]),
            r["hours_from_issue_open_to_merge"],
        )
        for r in query(settings, "select * from analytics.issue_pull_request_links")
    }
    want_links = conversations.expected_links(scenario)
    assert any(not loaded for loaded, _ in want_links.values())  # an untracked repository
    assert _diff(links, want_links) == []


def assert_metrics_cache_medians(
    settings: WarehouseSettings, scenario: Scenario, workspace: str, repository_id: int
) -> None:
    """The 1y range of a workspace tracking one repository over all its history holds the
    medians of every first PR response and every answered review request of that repository."""
    prs = {p["id"] for p in scenario.rows("pull_requests") if p["repository_id"] == repository_id}
    responses = [
        hours
        for pid, (_, hours) in conversations.expected_first_responses(scenario).items()
        if pid in prs and hours is not None
    ]
    request_prs = {
        e["id"]: e["pull_request_id"] for e in scenario.rows("pull_request_review_requests")
    }
    turnarounds = [
        hours
        for event_id, hours in conversations.expected_turnarounds(scenario).items()
        if request_prs[event_id] in prs and hours is not None
    ]
    rows = query(
        settings,
        "select median_hours_to_first_pr_response as pr, "
        "median_hours_to_review_after_request as rr from analytics.workspace_metrics_cache "
        f"where workspace_slug = '{workspace}' and time_range = '1y'",
    )
    assert len(rows) == 1
    assert _close(rows[0]["pr"], conversations.median_or_none(responses))
    assert _close(rows[0]["rr"], conversations.median_or_none(turnarounds))
