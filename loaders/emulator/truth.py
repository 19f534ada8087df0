"""Ground truth as of the virtual clock, with exactly the definitions of docs/metrics.md.

Per repository: row counts per raw table (docs/raw_schema.md names) that a complete load
would hold now, and per-day metrics. Only days with some activity are listed. Averages are
floats (hours), null on days without merged PRs / closed issues.
"""

from __future__ import annotations

import time
from collections import defaultdict

from .world.entities import Repo, User
from .world.views import RepoView
from .world.world import World

DAY = 86_400
DAILY_METRICS = (
    "commits_count",
    "additions",
    "deletions",
    "files_changed",
    "unique_authors",
    "prs_opened",
    "prs_merged",
    "prs_closed",
    "prs_reviewed",
    "prs_commented",
    "issues_opened",
    "issues_closed",
    "issues_commented",
    "stars",
    "forks",
    "releases",
)


CONTRIBUTOR_METRICS = ("active_contributors", "new_contributors")
AVERAGE_METRICS = ("avg_pr_merge_time_hours", "avg_issue_close_time_hours")
ALL_METRICS = DAILY_METRICS + CONTRIBUTOR_METRICS + AVERAGE_METRICS


def _day(t: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(t))


def repo_truth(world: World, repo: Repo) -> dict:
    view = world.view(repo)
    t = view.t
    issues = view.visible("issues")
    pulls = view.visible("pulls")
    commits = view.visible("commits")
    stars = view.visible("stars")
    forks = view.visible("forks")
    releases = view.visible("releases")
    discussions = view.visible("discussions")
    reviews = [r for p in pulls for r in p.visible_reviews(t)]
    disc_comments = sum(1 for d in discussions for c in d.comments if c.created_at <= t) + sum(
        1 for d in discussions for c in d.comments for r in c.replies if r.created_at <= t
    )
    counts = {
        "repositories": 1,
        "repository_languages": len(view.languages()),
        "issues": len(issues),
        "issue_labels": sum(len(i.labels_at(t)) for i in issues),
        "issue_events": sum(
            len(i.visible_state_events(t)) + len(i.visible_events(t)) for i in issues
        ),
        "issue_comments": len(view.visible("issue_comments")),
        "pull_requests": len(pulls),
        "pull_request_reviews": len(reviews),
        "pull_request_labels": sum(len(p.labels_at(t)) for p in pulls),
        "pull_request_comments": sum(len(p.visible_comments(t)) for p in pulls),
        "pull_request_review_requests": sum(len(p.visible_events(t)) for p in pulls),
        "issue_pull_request_links": sum(len(p.visible_links(t)) for p in pulls),
        "pull_request_review_comments": len(view.visible("review_comments")),
        "commits": len(commits),
        "stargazers": len(stars),
        "forks": len(forks),
        "releases": len(releases),
        "events": len(view.events()),
        "discussion_categories": len(view.data.categories),
        "discussions": len(discussions),
        "discussion_comments": disc_comments,
    }

    days: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(DAILY_METRICS + CONTRIBUTOR_METRICS, 0)
    )
    authors: dict[int, set[str]] = defaultdict(set)
    for c in commits:
        d = days[c.committed_at // DAY]
        d["commits_count"] += 1
        d["additions"] += c.additions
        d["deletions"] += c.deletions
        d["files_changed"] += c.changed_files
        if c.author is not None and not c.author.is_bot:
            authors[c.committed_at // DAY].add(c.author.login)
    for k, logins in authors.items():
        days[k]["unique_authors"] = len(logins)
    reviewed: dict[int, set[int]] = defaultdict(set)
    for p in pulls:
        days[p.created_at // DAY]["prs_opened"] += 1
        if p.merged_at <= t:
            days[p.merged_at // DAY]["prs_merged"] += 1
        elif p.closed_at <= t:
            days[p.closed_at // DAY]["prs_closed"] += 1
        for r in p.visible_reviews(t):  # never PENDING here
            reviewed[r.submitted_at // DAY].add(p.id)
    for k, ids in reviewed.items():
        days[k]["prs_reviewed"] = len(ids)
    pr_commented: dict[int, set[int]] = defaultdict(set)
    for p in pulls:
        for c in p.visible_comments(t):
            pr_commented[c.created_at // DAY].add(p.id)
    for k, ids in pr_commented.items():
        days[k]["prs_commented"] = len(ids)
    commented: dict[int, set[int]] = defaultdict(set)
    for i in issues:
        days[i.created_at // DAY]["issues_opened"] += 1
        closed_at = i.closed_at(t)
        if closed_at is not None:
            days[closed_at // DAY]["issues_closed"] += 1
        for c in i.visible_comments(t):
            commented[c.created_at // DAY].add(i.id)
    for k, ids in commented.items():
        days[k]["issues_commented"] = len(ids)
    for s in stars:
        days[s.starred_at // DAY]["stars"] += 1
    for f in forks:
        days[f.created_at // DAY]["forks"] += 1
    for r in releases:
        if not r.draft_at(t):
            days[r.published_at // DAY]["releases"] += 1
    _contributors(view, days)
    _averages(view, days)
    daily = {_day(k * DAY): v for k, v in sorted(days.items()) if any(v.values())}
    return {"repository_id": repo.id, "node_id": repo.node_id, "counts": counts, "daily": daily}


def repo_keys(world: World, repo: Repo) -> dict[str, set]:
    """Primary keys of the issue-13 raw tables a complete load holds now (as loaded:
    database ids for comments, node ids for events and links)."""
    view = world.view(repo)
    t = view.t
    issues, pulls = view.visible("issues"), view.visible("pulls")
    return {
        "issue_events": {
            e.node_id for i in issues for e in (*i.visible_state_events(t), *i.visible_events(t))
        },
        "pull_request_labels": {(p.id, name) for p in pulls for name, _ in p.labels_at(t)},
        "pull_request_comments": {c.id for p in pulls for c in p.visible_comments(t)},
        "pull_request_review_requests": {e.node_id for p in pulls for e in p.visible_events(t)},
        "issue_pull_request_links": {
            (p.id, x.issue.node_id) for p in pulls for x in p.visible_links(t)
        },
    }


def _contributions(view: RepoView) -> list[tuple[User | None, int]]:
    """(actor, time) of every contribution: commit author, issue or PR opened, issue comment,
    review, review comment, PR conversation comment, discussion opened, discussion comment
    (stars/forks are not)."""
    t = view.t
    out: list[tuple[User | None, int]] = [
        (c.author, c.committed_at) for c in view.visible("commits")
    ]
    out += [(i.author, i.created_at) for i in view.visible("issues")]
    out += [(c.author, c.created_at) for c in view.visible("issue_comments")]
    out += [(c.author, c.created_at) for c in view.visible("review_comments")]
    for p in view.visible("pulls"):
        out.append((p.author, p.created_at))
        out += [(r.author, r.submitted_at) for r in p.visible_reviews(t)]
        out += [(c.author, c.created_at) for c in p.visible_comments(t)]
    for d in view.visible("discussions"):
        out.append((d.author, d.created_at))
        for c in d.comments:
            out += [(x.author, x.created_at) for x in (c, *c.replies) if x.created_at <= t]
    return out


def _contributors(view: RepoView, days: dict[int, dict]) -> None:
    active: dict[int, set[str]] = defaultdict(set)
    first: dict[str, int] = {}
    for who, at in _contributions(view):
        if who is None or who.is_bot:  # ghosts and bots are never contributors
            continue
        k = at // DAY
        active[k].add(who.login)
        if k < first.get(who.login, k + 1):
            first[who.login] = k
    for k, logins in active.items():
        days[k]["active_contributors"] = len(logins)
    for k in set(first.values()):
        days[k]["new_contributors"] = sum(1 for f in first.values() if f == k)


def _averages(view: RepoView, days: dict[int, dict]) -> None:
    t = view.t
    merge: dict[int, list[float]] = defaultdict(list)
    close: dict[int, list[float]] = defaultdict(list)
    for p in view.visible("pulls"):
        if p.merged_at <= t:
            merge[p.merged_at // DAY].append((p.merged_at - p.created_at) / 3600)
    for i in view.visible("issues"):
        closed_at = i.closed_at(t)
        if closed_at is not None:
            close[closed_at // DAY].append((closed_at - i.created_at) / 3600)
    for k in days:
        days[k]["avg_pr_merge_time_hours"] = _mean(merge.get(k))
        days[k]["avg_issue_close_time_hours"] = _mean(close.get(k))


def _mean(values: list[float] | None) -> float | None:
    return sum(values) / len(values) if values else None


def truth(world: World, repo: str | None = None) -> dict:
    if repo:
        status, r = world.resolve(repo)
        if r is None:
            raise KeyError(f"no repository {repo!r} in this world ({status})")
        repos = [r]
    else:
        repos = world.repos
    return {
        "now": world.now_iso(),
        "world": world.name,
        "seed": world.seed,
        "metrics": list(DAILY_METRICS),
        "repositories": {r.full_name: repo_truth(world, r) for r in repos},
    }


RANGE_COUNTS = (
    "prs_opened",
    "prs_merged",
    "issues_opened",
    "issues_closed",
    "commits_count",
    "stars",
    "forks",
)


def current_state(world: World, repo: Repo, since: int = 0) -> dict[str, int]:
    """The repository now, as the workspace page shows it: open issues and pull requests
    (drafts among them) whose latest activity (updated, else created) is at or after
    `since` (a workspace's retention window start), and GitHub's absolute totals."""
    view = world.view(repo)
    t = view.t

    def recent(item) -> bool:
        return (item.updated_at(t) or item.created_at) >= since

    issues = [i for i in view.visible("issues") if i.state(t) == "open" and recent(i)]
    pulls = [p for p in view.visible("pulls") if p.state(t) == "OPEN" and recent(p)]
    stars = view.visible("stars")
    return {
        "open_issues": len(issues),
        "open_prs": len(pulls),
        "draft_prs": sum(1 for p in pulls if p.is_draft(t)),
        "stargazers_total": len(stars),
        "forks_total": len(view.visible("forks")),
        # GraphQL watchers.totalCount: this world's watchers are the first tenth of the
        # stargazers (at least one), as the emulator's repository resolver serves them.
        "watchers_total": len(stars[: max(1, len(stars) // 10)]),
    }


def avatar_url(user: User) -> str:
    """The avatar GitHub (and the emulator, REST and GraphQL alike) reports for a user."""
    return f"https://avatars.githubusercontent.com/u/{user.id}?v=4"


def avatars(world: World) -> dict[str, str]:
    """login -> avatar of every user of the world."""
    return {u.login: avatar_url(u) for u in world.users}


def languages(world: World, repo: Repo) -> dict[str, int]:
    """The repository's languages now, name -> bytes (GitHub's `languages` connection)."""
    return dict(world.view(repo).languages())


def range_figures(world: World, repo: Repo, first_day: str, last_day: str) -> dict[str, int]:
    """The repository's activity over whole UTC days first_day..last_day (ISO dates): the
    RANGE_COUNTS summed from the daily truth, and distinct contributors over the range
    (never a sum of daily distincts)."""
    daily = repo_truth(world, repo)["daily"]
    figures = {
        k: sum(v[k] for day, v in daily.items() if first_day <= day <= last_day)
        for k in RANGE_COUNTS
    }
    figures["contributors"] = len(contributor_logins(world, repo, first_day, last_day))
    return figures


def contributor_logins(world: World, repo: Repo, first_day: str, last_day: str) -> set[str]:
    """Who contributed to the repository over whole UTC days first_day..last_day (non-bot,
    non-ghost): a workspace's active contributors are the union over its repositories."""
    return {
        who.login
        for who, at in _contributions(world.view(repo))
        if who is not None
        and not who.is_bot
        and not who.is_deleted
        and first_day <= _day(at) <= last_day
    }


def contributor_credits(world: World, repo: Repo) -> list[tuple[str, str, int]]:
    """(kind, login, time) of everything the contributor marts credit, by their columns:
    the contributions of docs/metrics.md (PR conversation comments count as `comments`,
    like issue, review and discussion comments) plus 'prs_merged', a merged PR credited to
    its author when it merged. Bots and deleted accounts are never credited."""
    view = world.view(repo)
    t = view.t
    out: list[tuple[str, User | None, int]] = [
        ("commits_count", c.author, c.committed_at) for c in view.visible("commits")
    ]
    out += [("issues_opened", i.author, i.created_at) for i in view.visible("issues")]
    for kind in ("issue_comments", "review_comments"):
        out += [("comments", c.author, c.created_at) for c in view.visible(kind)]
    for p in view.visible("pulls"):
        out.append(("prs_opened", p.author, p.created_at))
        out += [("reviews", r.author, r.submitted_at) for r in p.visible_reviews(t)]
        out += [("comments", c.author, c.created_at) for c in p.visible_comments(t)]
        if p.merged_at <= t:
            out.append(("prs_merged", p.author, p.merged_at))
    for d in view.visible("discussions"):
        out.append(("discussions_opened", d.author, d.created_at))
        for c in d.comments:
            out += [
                ("comments", x.author, x.created_at) for x in (c, *c.replies) if x.created_at <= t
            ]
    return [
        (kind, who.login, at)
        for kind, who, at in out
        if who is not None and not who.is_bot and not who.is_deleted
    ]
