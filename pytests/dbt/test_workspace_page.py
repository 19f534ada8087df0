"""The workspace page's marts against the emulator's world, on both engines: current state
per repository and workspace (open issues, open and draft PRs, star/fork/watcher totals),
the repository list per range including 'all', the top ten contributors, the languages and the cache
freshness rule. Same scenario as test_catalog_marts: the `small` world through the real
loaders, an enterprise workspace (365 days) over every repository and a free one (30 days)
over two, built as of the world's clock; every figure comes from loaders/emulator/truth.py.
"""

from __future__ import annotations

import calendar
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone

from loaders.emulator import truth
from loaders.emulator.testing import run_emulator
from loaders.warehouse import WarehouseSettings, connect
from pytests.dbt import control_rows
from pytests.dbt.helpers import dbt, live_repository_names, query
from pytests.dbt.test_catalog_marts import (
    DELETED,
    FREE_REPOS,
    RANGES,
    RETENTION,
    _workspaces,
)
from pytests.loaders.helpers import load_everything
from pytests.world_hours import latest_hour_where

STATE = (
    "open_issues",
    "open_prs",
    "draft_prs",
    "stargazers_total",
    "forks_total",
    "watchers_total",
)
STATS = (*truth.RANGE_COUNTS, "contributors")
TOP = ("prs_opened", "prs_merged", "issues_opened", "commits_count", "reviews", "comments")
PAGE = (
    "workspace_repository_state", "workspace_current_state", "workspace_repository_stats",
    "workspace_top_contributors", "workspace_cache_status", "workspace_languages",
    "workspace_metrics_cache",
)  # fmt: skip
MODELS = (
    "+workspace_repository_stats", "+workspace_current_state", "+workspace_top_contributors",
    "+workspace_cache_status", "+workspace_languages", "+workspace_metrics_cache",
)  # fmt: skip


def _day(epoch: int) -> date:
    return date(*time.gmtime(epoch)[:3])


def _expected(gh, workspaces: dict[str, list[str]]) -> tuple[dict, dict]:
    """(workspace, repository) -> current state; (workspace, range, repository) -> stats."""
    today = _day(gh.now)
    repos = {r.full_name.lower(): r for r in gh.world.repos}
    state, stats = {}, {}
    for slug, names in workspaces.items():
        window_start = today - timedelta(days=RETENTION[slug] - 1)
        since = calendar.timegm(window_start.timetuple())
        for name in names:
            state[(slug, name)] = truth.current_state(gh.world, repos[name], since=since)
            for time_range, days in {**RANGES, "all": RETENTION[slug]}.items():
                start = max(today - timedelta(days=days - 1), window_start)
                figures = truth.range_figures(
                    gh.world, repos[name], start.isoformat(), today.isoformat()
                )
                stats[(slug, time_range, name)] = figures
    return state, stats


def _expected_top(gh, workspaces: dict[str, list[str]]) -> dict[tuple, dict]:
    """(workspace, range, rank) -> login and counts: the first ten by contributions, then
    merged PRs, then login, over the range's days inside the workspace's window."""
    today = _day(gh.now)
    repos = {r.full_name.lower(): r for r in gh.world.repos}
    credits = {n: truth.contributor_credits(gh.world, repos[n]) for n in repos if n != DELETED}
    top = {}
    for slug, names in workspaces.items():
        for time_range, days in {**RANGES, "all": RETENTION[slug]}.items():
            start = today - timedelta(days=min(days, RETENTION[slug]) - 1)
            counts: dict[str, Counter] = defaultdict(Counter)
            for name in names:
                for kind, login, at in credits[name]:
                    if start <= _day(at) <= today:
                        counts[login][kind] += 1
            ranked = sorted(
                counts.items(),
                key=lambda c: (-(c[1].total() - c[1]["prs_merged"]), -c[1]["prs_merged"], c[0]),
            )
            for rank, (login, c) in enumerate(ranked[:10], start=1):
                top[(slug, time_range, rank)] = {
                    "contributor_login": login,
                    **{k: c[k] for k in TOP},
                    "contributions_total": c.total() - c["prs_merged"],
                }
    return top


def _expected_all(gh, workspaces: dict[str, list[str]], stats: dict) -> dict[str, dict]:
    """workspace -> its 'all' figures: the repositories' 'all' counts summed, and distinct
    contributors over all of them (a union, never a sum)."""
    today = _day(gh.now).isoformat()
    repos = {r.full_name.lower(): r for r in gh.world.repos}
    out = {}
    for slug, names in workspaces.items():
        start = (_day(gh.now) - timedelta(days=RETENTION[slug] - 1)).isoformat()
        figures = {k: sum(stats[(slug, "all", n)][k] for n in names) for k in truth.RANGE_COUNTS}
        logins = set().union(
            *(truth.contributor_logins(gh.world, repos[n], start, today) for n in names)
        )
        out[slug] = {**figures, "active_contributors": len(logins), "new_contributors": len(logins)}
    return out


def _check_metrics_all(settings: WarehouseSettings, want: dict[str, dict], today: date) -> None:
    """The cache's 'all' row: the truth over what the workspace retains, labelled with the
    retention, no previous period and so no trend."""
    rows = query(settings, "select * from analytics.workspace_metrics_cache")
    alls = {r["workspace_slug"]: r for r in rows if r["time_range"] == "all"}
    assert {slug: {k: r[k] for k in want[slug]} for slug, r in alls.items()} == want
    for slug, r in alls.items():
        assert r["range_days"] == RETENTION[slug]
        assert str(r["period_start"]) == (today - timedelta(RETENTION[slug] - 1)).isoformat()
        assert r["previous_period_start"] is None and r["prs_opened_previous"] is None
        assert r["prs_opened_trend_pct"] is None
        assert abs(r["pr_velocity_per_day"] - r["prs_merged"] / RETENTION[slug]) < 1e-9
    assert len(rows) == 5 * len(RETENTION)
    assert all(v["prs_opened"] and v["active_contributors"] for v in want.values())


def _expected_languages(gh, workspaces: dict[str, list[str]]) -> dict[tuple, int]:
    """(workspace, language) -> bytes over the workspace's repositories, now."""
    repos = {r.full_name.lower(): r for r in gh.world.repos}
    sizes: Counter = Counter()
    for slug, names in workspaces.items():
        for name in names:
            for language, size in truth.languages(gh.world, repos[name]).items():
                sizes[(slug, language)] += size
    return dict(sizes)


def _check_languages(settings: WarehouseSettings, want: dict[tuple, int]) -> None:
    rows = query(settings, "select * from analytics.workspace_languages")
    assert {(r["workspace_slug"], r["language_name"]): r["size_bytes"] for r in rows} == want
    for slug in {k[0] for k in want}:
        mine = sorted(
            (r for r in rows if r["workspace_slug"] == slug), key=lambda r: r["language_rank"]
        )
        total = sum(v for k, v in want.items() if k[0] == slug)
        assert [r["language_rank"] for r in mine] == list(range(1, len(mine) + 1))
        assert [r["size_bytes"] for r in mine] == sorted(r["size_bytes"] for r in mine)[::-1]
        for r in mine:
            assert r["workspace_bytes"] == total
            assert abs(float(r["share"]) - r["size_bytes"] / total) < 1e-9
            assert r["language_color"] and r["language_color"].startswith("#")
        assert abs(sum(float(r["share"]) for r in mine) - 1) < 1e-9
    # The scenario has workspaces of several languages, one shared by several repositories.
    assert len(want) > len({k[0] for k in want})
    assert max(r["repositories_count"] for r in rows) > 1


def _load(settings: WarehouseSettings, gh, names: list[str]) -> None:
    with connect(settings) as warehouse:
        control_rows.track(
            warehouse,
            control_rows.one_workspace("everything", names)
            + control_rows.one_workspace("small-team", FREE_REPOS, tier="free"),
        )
        load_everything(warehouse, gh, names)


def _exercised(state: dict, stats: dict) -> bool:
    """Whether the world gives every figure of the page something to show: drafts,
    watchers, open items outside the free window, and an 'all' range that differs from
    90 days (in about one hour in four the small world has no open draft)."""
    free_open = {
        slug: sum(state[(slug, n)]["open_issues"] for n in FREE_REPOS)
        for slug in ("everything", "small-team")
    }
    return (
        sum(v["draft_prs"] for v in state.values()) > 0
        and sum(v["watchers_total"] for v in state.values()) > 0
        and free_open["everything"] > free_open["small-team"]
        and any(v != stats[(k[0], "90d", k[2])] for k, v in stats.items() if k[1] == "all")
    )


def test_workspace_page_marts_equal_the_world(warehouse_settings: WarehouseSettings) -> None:
    settings = warehouse_settings
    anchor = latest_hour_where(
        lambda gh: _exercised(*_expected(gh, _workspaces(live_repository_names(gh))))
    )
    with run_emulator("small", seed=1, anchor=anchor) as gh:
        names = live_repository_names(gh)
        workspaces = _workspaces(names)
        _load(settings, gh, names)
        as_of = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(gh.now))
        # Upstream models without their tests (other suites own those), then the data
        # tests of this page's marts (keys, not-null, non-negative, accepted values).
        dbt(settings, "build", "--select", *MODELS, "--exclude", "resource_type:test", as_of=as_of)
        dbt(settings, "test", "--select", *PAGE, "--exclude", "test_type:unit", as_of=as_of)
        want_state, want_stats = _expected(gh, workspaces)
        want_top = _expected_top(gh, workspaces)
        want_languages = _expected_languages(gh, workspaces)
        want_all = _expected_all(gh, workspaces, want_stats)
        avatars = truth.avatars(gh.world)
        today = _day(gh.now)

    rows = query(settings, "select * from analytics.workspace_repository_state")
    got_state = {(r["workspace_slug"], r["full_name"]): {k: r[k] for k in STATE} for r in rows}
    assert got_state == want_state
    assert _exercised(want_state, want_stats)  # the hour chosen above, as loaded
    assert all(r["owner_avatar_url"] for r in rows)

    rows = query(settings, "select * from analytics.workspace_current_state")
    for r in rows:
        mine = [v for k, v in want_state.items() if k[0] == r["workspace_slug"]]
        assert {k: r[k] for k in STATE} == {k: sum(v[k] for v in mine) for k in STATE}
        assert r["repositories_count"] == len(mine)
        assert r["data_fetched_at"] is not None and r["calculated_at"] is not None
    assert {r["workspace_slug"] for r in rows} == set(RETENTION)

    rows = query(settings, "select * from analytics.workspace_repository_stats")
    got_stats = {
        (r["workspace_slug"], r["time_range"], r["full_name"]): {k: r[k] for k in STATS}
        for r in rows
    }
    assert got_stats == want_stats
    for r in rows:
        if r["time_range"] == "all":  # labelled by what the workspace retains
            assert r["range_days"] == RETENTION[r["workspace_slug"]]
            start = today - timedelta(days=RETENTION[r["workspace_slug"]] - 1)
            assert str(r["period_start"]) == start.isoformat()

    rows = query(settings, "select * from analytics.workspace_top_contributors")
    got_top = {
        (r["workspace_slug"], r["time_range"], int(r["contributor_rank"])): {
            "contributor_login": r["contributor_login"],
            **{k: r[k] for k in (*TOP, "contributions_total")},
        }
        for r in rows
    }
    assert got_top == want_top
    # Every listed contributor has the avatar GitHub reports for the login.
    assert {r["contributor_login"]: r["avatar_url"] for r in rows} == {
        r["contributor_login"]: avatars[r["contributor_login"]] for r in rows
    }
    assert {k[1] for k in want_top} == {*RANGES, "all"}
    for r in rows:
        if r["time_range"] == "all":
            assert r["range_days"] == RETENTION[r["workspace_slug"]]
    assert max(k[2] for k in want_top) == 10
    _check_languages(settings, want_languages)
    _check_metrics_all(settings, want_all, today)
    only_everything = next(n for n in workspaces["everything"] if n not in FREE_REPOS)
    _check_freshness(settings, today, only_everything)


def _status(settings: WarehouseSettings) -> set[tuple]:
    rows = query(settings, "select * from analytics.workspace_cache_status")
    return {(r["workspace_slug"], r["is_stale"], r["stale_reason"]) for r in rows}


def _check_freshness(settings: WarehouseSettings, world_day: date, only_everything: str) -> None:
    """Built as of the world's clock: stale for the new day when the world's day is past.
    Rebuilt now: fresh. Then stale once the TTL elapsed (a zero-minute TTL), and stale for
    a newer load in just the workspace whose repository was loaded after the build."""
    past = world_day < datetime.now(timezone.utc).date()
    assert _status(settings) == {(slug, past, "new_day" if past else None) for slug in RETENTION}
    dbt(settings, "run", "--select", "workspace_current_state", "workspace_cache_status")
    assert _status(settings) == {(slug, False, None) for slug in RETENTION}
    rows = query(settings, "select cache_ttl_minutes from analytics.workspace_cache_status")
    assert {r["cache_ttl_minutes"] for r in rows} == {60}

    dbt(
        settings, "run", "--select", "workspace_cache_status",
        dbt_vars={"workspace_cache_ttl_minutes": 0},
    )  # fmt: skip
    time.sleep(0.01)
    assert _status(settings) == {(slug, True, "ttl_elapsed") for slug in RETENTION}

    later = datetime.now(timezone.utc) + timedelta(minutes=1)
    with connect(settings) as warehouse:
        control_rows.mark_synced(warehouse, only_everything, later, ["issues"])
    assert _status(settings) == {
        ("everything", True, "newer_load"), ("small-team", True, "ttl_elapsed"),
    }  # fmt: skip
