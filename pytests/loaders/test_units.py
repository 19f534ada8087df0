"""Small pure pieces: query builders and their cost, probe packing, backoff, resources."""

from __future__ import annotations

from datetime import timedelta

import pytest

from loaders.github.cost import count_requests, estimate_cost
from loaders.sources import queries as q
from loaders.sources.paging import is_before, later, take_while
from loaders.sources.probe import MAX_PER_PROBE, ProbeAnswer, _judge, pack
from loaders.sources.tables import TABLES
from loaders.sync.raw_indexes import index_columns, index_name
from loaders.sync.state import backoff
from loaders.sync.targets import parse_resources

EVERYTHING = frozenset(
    {"issues", "pull_requests", "commits", "stars", "forks", "releases", "discussions"}
)


def _spec(i: int, resources=EVERYTHING) -> q.ProbeSpec:
    return q.ProbeSpec(f"r{i}", "o", f"n{i}", resources, "2024-01-01T00:00:00Z", None)


def test_probe_of_fifty_quiet_repositories_costs_at_most_five_points():
    batches = pack([_spec(i) for i in range(120)])
    assert all(len(b) <= MAX_PER_PROBE for b in batches)
    assert sum(len(b) for b in batches) == 120
    for batch in batches:
        assert estimate_cost(q.build_probe_query(batch)) <= 5
    # Points per repository of a full probe: at most 0.1.
    full = max(batches, key=len)
    assert estimate_cost(q.build_probe_query(full)) / len(full) <= 0.1


def test_probe_escapes_names_and_rejects_empty():
    text = q.build_probe_query([q.ProbeSpec("r0", 'we"ird', "n\\x", frozenset())])
    assert '"we\\"ird"' in text
    with pytest.raises(ValueError):
        q.build_probe_query([])
    with pytest.raises(ValueError):
        q.build_nodes_query("review_comments", 0)
    with pytest.raises(ValueError):
        q.build_nodes_query("unknown", 10)


def test_issue_page_cost_stays_near_four_points_per_hundred():
    assert estimate_cost(q.ISSUES_QUERY, {"first": 100, "childFirst": 50}) <= 4
    assert estimate_cost(q.PULL_REQUESTS_QUERY, {"first": 100, "reviewFirst": 20}) <= 1


def test_pull_request_children_cost_one_point_per_hundred_and_follow_the_flags():
    full = q.build_pull_request_children_query(50, q.PULL_REQUEST_PARTS)
    # 20 reviews x their comments + 6 leaf connections: nodes(ids:) does not multiply.
    assert count_requests(full, {"ids": ["x"] * 100}) == 26
    assert estimate_cost(full, {"ids": ["x"] * 100}) == 1
    details = q.build_pull_request_children_query(50, frozenset({"details"}))
    assert "closingIssuesReferences" in details and "reviews(" not in details
    assert "comments(" not in details
    with pytest.raises(ValueError):
        q.build_pull_request_children_query(50, frozenset())
    with pytest.raises(ValueError):
        q.build_pull_request_children_query(50, frozenset({"stars"}))
    with pytest.raises(ValueError):
        q.build_pull_request_children_query(0, q.PULL_REQUEST_PARTS)


@pytest.mark.parametrize(
    ("flags", "parts"),
    [
        ({"pull_requests"}, {"details"}),
        ({"pull_requests", "comments"}, {"details", "comments", "reviews"}),
        ({"comments"}, {"reviews"}),  # review comments; conversation needs pull_requests too
        ({"reviews"}, {"reviews"}),
        ({"issues"}, set()),
    ],
)
def test_pull_request_parts_follow_the_fetch_flags(flags, parts):
    from loaders.sources.pulls import pull_request_parts

    assert pull_request_parts(frozenset(flags)) == parts


def test_release_news_is_creation_or_publication():
    from loaders.sources.fetch import release_time

    late = {"createdAt": "2024-01-01T00:00:00Z", "publishedAt": "2024-03-01T00:00:00Z"}
    assert release_time(late) == "2024-03-01T00:00:00Z"
    assert release_time({"createdAt": "2024-01-01T00:00:00Z"}) == "2024-01-01T00:00:00Z"
    node = {
        "releases": {
            "totalCount": 2,
            "nodes": [{"createdAt": "2024-02-01T00:00:00Z"}, late],
        }
    }
    spec = q.ProbeSpec("r0", "o", "n", frozenset({"releases"}))
    answer = _judge(node, spec, {"releases": "2024-02-15T00:00:00Z"})
    assert answer.changed["releases"] is True  # the older release was published since


def test_judge_flags_only_newer_items():
    node = {
        "issues": {"totalCount": 0},
        "pullRequests": {"totalCount": 5, "nodes": [{"updatedAt": "2024-01-02T00:00:00Z"}]},
        "stargazers": {"totalCount": 3, "edges": [{"starredAt": "2024-01-01T00:00:00Z"}]},
        "forks": {"totalCount": 0, "nodes": []},
        "releases": {"totalCount": 1, "nodes": [{"createdAt": None}]},
        "discussions": None,
        "defaultBranchRef": {"target": {"history": {"totalCount": 2}}},
    }
    bounds = {"pull_requests": "2024-01-01T00:00:00Z", "stars": "2024-01-01T00:00:00Z"}
    answer: ProbeAnswer = _judge(node, _spec(0), bounds)
    assert answer.changed == {
        "issues": False,
        "pull_requests": True,
        "commits": True,
        "stars": False,  # not strictly newer than the cursor
        "forks": False,
        "releases": True,  # unknown time: fetch, the fetcher stops at the cursor
        "discussions": False,
    }


def test_cursor_helpers():
    assert later(None, "2024-01-01T00:00:00Z") == "2024-01-01T00:00:00Z"
    assert later("2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z") == "2024-01-02T00:00:00Z"
    assert later("2024-01-01T00:00:00Z", None) == "2024-01-01T00:00:00Z"
    assert is_before("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z")
    assert not is_before(None, "2024-01-02T00:00:00Z")
    assert take_while([1, 2, 5, 1], lambda x: x < 3) == ([1, 2], True)
    assert take_while([1, 2], lambda x: x < 3) == ([1, 2], False)


def test_backoff_doubles_and_is_capped_by_the_frequency():
    day = timedelta(hours=24)
    assert backoff(0, day) == timedelta(minutes=15)
    assert backoff(1, day) == timedelta(minutes=30)
    assert backoff(3, day) == timedelta(hours=2)
    assert backoff(10, day) == day
    assert backoff(50, timedelta(hours=1)) == timedelta(hours=1)


def test_parse_resources():
    assert parse_resources("issues, stars") == {"issues", "stars"}
    assert parse_resources(None) is None
    with pytest.raises(ValueError, match="unknown resource"):
        parse_resources("issues,bogus")


def test_raw_index_columns_cover_load_ids_keys_and_parents():
    assert index_columns(TABLES["issue_comments"]) == [("_dlt_load_id",), ("id",), ("issue_id",)]
    assert index_columns(TABLES["commits"]) == [("_dlt_load_id",), ("repository_id", "sha")]
    # A table keyed by its parent needs no second index on that parent.
    assert index_columns(TABLES["issue_labels"]) == [("_dlt_load_id",), ("issue_id", "name")]
    assert index_name("commits", ("repository_id", "sha")) == "commits__repository_id__sha__idx"
    assert index_name("issues", ("_dlt_load_id",)) == "issues__dlt_load_id__idx"
