"""workspace_open_issues and the contributors-by-range marts against the emulator's world,
on both engines: the `small` world loaded through the real loaders, one enterprise
workspace (365 days) over every repository and one free workspace (30 days) over two, the
marts built as of the world's clock, every row compared with what the world itself says
(issue states, labels, assignees; who authored, reviewed, commented and when).
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date, timedelta

from loaders.emulator.testing import run_emulator
from loaders.warehouse import WarehouseSettings, connect
from pytests.dbt import control_rows
from pytests.dbt.helpers import dbt, live_repository_names, query
from pytests.loaders.helpers import load_everything

DELETED = "quietco/deleted-repo"  # 404 in the small world: never loaded
FREE_REPOS = ("acme/api-server", "nebula/orbit")
RETENTION = {"everything": 365, "small-team": 30}
RANGES = {"7d": 7, "30d": 30, "90d": 90, "1y": 365}
KINDS = (
    "commits_count", "prs_opened", "reviews", "issues_opened", "comments",
    "discussions_opened", "prs_merged",
)  # fmt: skip


def _day(epoch: int) -> date:
    return date(*time.gmtime(epoch)[:3])


def _login(user) -> str | None:
    """A contributor as the warehouse sees one: bots and deleted accounts are not."""
    return None if user is None or user.is_bot or user.is_deleted else user.login


def _workspaces(names: list[str]) -> dict[str, list[str]]:
    return {"everything": names, "small-team": list(FREE_REPOS)}


def _expected_open_issues(gh, workspaces: dict[str, list[str]]) -> dict[tuple, dict]:
    now, today = gh.now, _day(gh.now)
    repos = {r.full_name.lower(): r for r in gh.world.repos}
    want = {}
    for slug, names in workspaces.items():
        window_start = today - timedelta(days=RETENTION[slug] - 1)
        for name in names:
            for issue in gh.world.view(repos[name]).visible("issues"):
                latest = issue.updated_at(now) or issue.created_at
                if issue.state(now) != "open" or _day(latest) < window_start:
                    continue
                author = issue.author
                labels = {label for label, _ in issue.labels_at(now)}
                assignees = [a.login for a in issue.assignees if not a.is_deleted]
                want[(slug, name, issue.number)] = {
                    "author_login": None if author is None or author.is_deleted else author.login,
                    "assignees": ", ".join(assignees) or None,
                    "labels": labels,
                    "labels_count": len(labels),
                    "days_open": (today - _day(issue.created_at)).days,
                }
    return want


def _credits(view) -> list[tuple[str, str | None, int]]:
    """(kind, login, time) of everything the contributors mart counts, straight from the
    world: docs/metrics.md's contributions, plus merged PRs credited to their author."""
    t = view.t
    out = [("commits_count", _login(c.author), c.committed_at) for c in view.visible("commits")]
    out += [("issues_opened", _login(i.author), i.created_at) for i in view.visible("issues")]
    for kind in ("issue_comments", "review_comments"):
        out += [("comments", _login(c.author), c.created_at) for c in view.visible(kind)]
    for pull in view.visible("pulls"):
        out.append(("prs_opened", _login(pull.author), pull.created_at))
        out += [("reviews", _login(r.author), r.submitted_at) for r in pull.visible_reviews(t)]
        # the pull request's conversation (issue-style) comments
        out += [("comments", _login(c.author), c.created_at) for c in pull.visible_comments(t)]
        if pull.merged_at <= t:
            out.append(("prs_merged", _login(pull.author), pull.merged_at))
    for discussion in view.visible("discussions"):
        out.append(("discussions_opened", _login(discussion.author), discussion.created_at))
        for comment in discussion.comments:
            out += [
                ("comments", _login(c.author), c.created_at)
                for c in (comment, *comment.replies)
                if c.created_at <= t
            ]
    return [(kind, login, at) for kind, login, at in out if login is not None]


def _expected_contributors(
    gh, workspaces: dict[str, list[str]], *, per_repository: bool
) -> dict[tuple, dict]:
    """(workspace, range, login) -> counts, or (workspace, repository, range, login)."""
    today = _day(gh.now)
    repos = {r.full_name.lower(): r for r in gh.world.repos}
    credits = {name: _credits(gh.world.view(repos[name])) for name in repos if name != DELETED}
    rows: dict[tuple, dict] = defaultdict(
        lambda: {k: 0 for k in KINDS} | {"days": set(), "repos": set()}
    )
    for slug, names in workspaces.items():
        for time_range, days in RANGES.items():
            start = today - timedelta(days=min(days, RETENTION[slug]) - 1)
            for name in names:
                for kind, login, at in credits[name]:
                    if not start <= _day(at) <= today:
                        continue
                    key = (
                        (slug, name, time_range, login)
                        if per_repository
                        else (slug, time_range, login)
                    )
                    row = rows[key]
                    row[kind] += 1
                    row["repos"].add(name)
                    if kind != "prs_merged":
                        row["days"].add(_day(at))
    return {
        key: {
            **{k: row[k] for k in KINDS},
            "contributions_total": sum(row[k] for k in KINDS if k != "prs_merged"),
            "active_days": len(row["days"]),
            **({} if per_repository else {"repositories_count": len(row["repos"])}),
        }
        for key, row in rows.items()
    }


def _check_ranks(rows: list[dict], group_by: tuple[str, ...]) -> None:
    """Ranks are 1..n per group, by contributions then merged PRs."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        groups[tuple(r[c] for c in group_by)].append(r)
    for group in groups.values():
        group.sort(key=lambda r: int(r["contributor_rank"]))
        assert [int(r["contributor_rank"]) for r in group] == list(range(1, len(group) + 1))
        keys = [(int(r["contributions_total"]), int(r["prs_merged"])) for r in group]
        assert keys == sorted(keys, reverse=True)


def test_open_issues_and_contributors_by_range_equal_the_world(
    warehouse_settings: WarehouseSettings,
) -> None:
    settings = warehouse_settings
    with run_emulator("small", seed=1) as gh:
        names = live_repository_names(gh)
        workspaces = _workspaces(names)
        with connect(settings) as warehouse:
            control_rows.track(
                warehouse,
                control_rows.one_workspace("everything", names)
                + control_rows.one_workspace("small-team", FREE_REPOS, tier="free"),
            )
            load_everything(warehouse, gh, names)
        as_of = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(gh.now))
        dbt(
            settings, "build", "--select",
            "+workspace_open_issues", "+workspace_contributors_by_range",
            "+repository_contributors_by_range",
            "--exclude", "test_type:unit", "test_type:singular", as_of=as_of,
        )  # fmt: skip
        want_issues = _expected_open_issues(gh, workspaces)
        want_contributors = _expected_contributors(gh, workspaces, per_repository=False)
        want_by_repository = _expected_contributors(gh, workspaces, per_repository=True)

    issues = query(settings, "select * from analytics.workspace_open_issues")
    got_issues = {
        (r["workspace_slug"], r["full_name"], int(r["issue_number"])): {
            "author_login": r["author_login"],
            "assignees": r["assignees"],
            "labels": set(r["labels"].split(", ")) if r["labels"] else set(),
            "labels_count": int(r["labels_count"]),
            "days_open": int(r["days_open"]),
        }
        for r in issues
    }
    assert got_issues == want_issues
    # The scenario exercises what it claims to: windows, labels, assignees, old issues.
    assert {k[0] for k in want_issues} == set(RETENTION)
    assert sum(1 for v in want_issues.values() if v["assignees"]) > 5
    assert sum(1 for v in want_issues.values() if v["labels_count"] > 1) > 5
    assert max(v["days_open"] for v in want_issues.values()) > RETENTION["small-team"]
    assert all(r["issue_url"].endswith(f"/issues/{r['issue_number']}") for r in issues)

    counts = (*KINDS, "contributions_total", "active_days")
    rows = query(settings, "select * from analytics.workspace_contributors_by_range")
    got = {
        (r["workspace_slug"], r["time_range"], r["contributor_login"]): {
            k: int(r[k]) for k in (*counts, "repositories_count")
        }
        for r in rows
    }
    assert got == want_contributors
    assert len({k[1] for k in want_contributors if k[0] == "small-team"}) == len(RANGES)
    _check_ranks(rows, ("workspace_slug", "time_range"))

    rows = query(settings, "select * from analytics.repository_contributors_by_range")
    got = {
        (r["workspace_slug"], r["full_name"], r["time_range"], r["contributor_login"]): {
            k: int(r[k]) for k in counts
        }
        for r in rows
    }
    assert got == want_by_repository
    _check_ranks(rows, ("workspace_slug", "repository_id", "time_range"))
