"""A small, deterministic GitHub history in raw-schema rows, plus an independent oracle.

`Scenario` keeps the raw state the way dlt's merge leaves it (one row per key, later loads
replace rows) and computes the expected `daily_activity_metrics` straight from those rows
with the definitions of docs/metrics.md, in plain Python: the dbt models must agree.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pytests.dbt import synthetic_conversations as conversations
from pytests.dbt.raw_tables import MERGE_KEYS

Row = dict[str, Any]
METRICS = (
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
    "active_contributors",
    "new_contributors",
)
# Tables whose rows are replaced whole per parent (merge key), with their row keys.
REPLACED_WHOLE = {
    "issue_labels": ("issue_id", "name"),
    "pull_request_labels": ("pull_request_id", "name"),
    "issue_pull_request_links": ("pull_request_id", "issue_node_id"),
}
HUMANS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace"]
BOTS = ["dependabot[bot]", "renovate[bot]"]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


class Scenario:
    """Raw state + oracle. Ids are unique across repositories, like GitHub's."""

    def __init__(self) -> None:
        self.state: dict[str, dict[tuple, Row]] = defaultdict(dict)
        self._next_id = 1000

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def merge(self, batch: dict[str, list[Row]]) -> None:
        for table, rows in batch.items():
            keys = MERGE_KEYS[table]
            if table in REPLACED_WHOLE:  # a parent's rows are replaced whole
                parent, keys = keys[0], REPLACED_WHOLE[table]
                parents = {r[parent] for r in rows}
                self.state[table] = {
                    k: v for k, v in self.state[table].items() if v[parent] not in parents
                }
            for row in rows:
                self.state[table][tuple(row[k] for k in keys)] = dict(row)

    def rows(self, table: str) -> list[Row]:
        return list(self.state[table].values())

    # -- oracle --------------------------------------------------------------------------
    def expected_daily(self, repo_ids: set[int], first: date, last: date) -> dict:
        """{(repository_id, date): {metric: value}} for every day first..last, zeros included."""
        days: dict[tuple[int, date], dict[str, Any]] = {}
        for rid in repo_ids:
            d = first
            while d <= last:
                days[(rid, d)] = dict.fromkeys(METRICS, 0)
                d += timedelta(days=1)
        sets: dict[tuple[str, int, date], set] = defaultdict(set)
        merge_hours: dict[tuple[int, date], list[float]] = defaultdict(list)
        close_hours: dict[tuple[int, date], list[float]] = defaultdict(list)
        contributions: list[tuple[int, date, str]] = []

        def bump(rid: int, when: datetime | None, metric: str, by: int = 1) -> None:
            if when is not None and (rid, when.date()) in days:
                days[(rid, when.date())][metric] += by

        def human(login: str | None, is_bot: bool | None) -> bool:
            return login is not None and login != "ghost" and not is_bot and "[bot]" not in login

        for c in self.rows("commits"):
            rid, t = c["repository_id"], c["committed_at"]
            bump(rid, t, "commits_count")
            bump(rid, t, "additions", c["additions"] or 0)
            bump(rid, t, "deletions", c["deletions"] or 0)
            bump(rid, t, "files_changed", c["changed_files"] or 0)
            if human(c["author_login"], c["author_is_bot"]):
                sets[("unique_authors", rid, t.date())].add(c["author_login"])
                contributions.append((rid, t.date(), c["author_login"]))
        prs = {p["id"]: p for p in self.rows("pull_requests")}
        for p in prs.values():
            rid = p["repository_id"]
            bump(rid, p["created_at"], "prs_opened")
            if p["merged_at"] is not None:
                bump(rid, p["merged_at"], "prs_merged")
                merge_hours[(rid, p["merged_at"].date())].append(
                    (p["merged_at"] - p["created_at"]).total_seconds() / 3600
                )
            elif p["closed_at"] is not None:
                bump(rid, p["closed_at"], "prs_closed")
            if human(p["author_login"], p["author_is_bot"]):
                contributions.append((rid, p["created_at"].date(), p["author_login"]))
        for r in self.rows("pull_request_reviews"):
            if r["submitted_at"] is None or r["state"] == "PENDING":
                continue
            sets[("prs_reviewed", r["repository_id"], r["submitted_at"].date())].add(
                r["pull_request_id"]
            )
            if human(r["author_login"], r["author_is_bot"]):
                contributions.append(
                    (r["repository_id"], r["submitted_at"].date(), r["author_login"])
                )
        for pc in self.rows("pull_request_comments"):
            sets[("prs_commented", pc["repository_id"], pc["created_at"].date())].add(
                pc["pull_request_id"]
            )
            if human(pc["author_login"], pc["author_is_bot"]):
                contributions.append(
                    (pc["repository_id"], pc["created_at"].date(), pc["author_login"])
                )
        for rc in self.rows("pull_request_review_comments"):
            if human(rc["author_login"], rc["author_is_bot"]):
                contributions.append(
                    (rc["repository_id"], rc["created_at"].date(), rc["author_login"])
                )
        for i in self.rows("issues"):
            rid = i["repository_id"]
            bump(rid, i["created_at"], "issues_opened")
            if i["state"] == "closed" and i["closed_at"] is not None:
                bump(rid, i["closed_at"], "issues_closed")
                close_hours[(rid, i["closed_at"].date())].append(
                    (i["closed_at"] - i["created_at"]).total_seconds() / 3600
                )
            if human(i["author_login"], i["author_is_bot"]):
                contributions.append((rid, i["created_at"].date(), i["author_login"]))
        for c in self.rows("issue_comments"):
            sets[("issues_commented", c["repository_id"], c["created_at"].date())].add(
                c["issue_id"]
            )
            if human(c["author_login"], c["author_is_bot"]):
                contributions.append(
                    (c["repository_id"], c["created_at"].date(), c["author_login"])
                )
        for s in self.rows("stargazers"):
            bump(s["repository_id"], s["starred_at"], "stars")
        for f in self.rows("forks"):
            bump(f["repository_id"], f["created_at"], "forks")
        for r in self.rows("releases"):
            if not r["is_draft"] and r["published_at"] is not None:
                bump(r["repository_id"], r["published_at"], "releases")

        first_day: dict[tuple[int, str], date] = {}
        for rid, d, login in contributions:
            key = (rid, login)
            first_day[key] = min(first_day.get(key, d), d)
            sets[("active_contributors", rid, d)].add(login)
        for (metric, rid, d), members in sets.items():
            if (rid, d) not in days:
                continue
            days[(rid, d)][metric] = len(members)
            if metric == "active_contributors":
                days[(rid, d)]["new_contributors"] = sum(
                    1 for login in members if first_day[(rid, login)] == d
                )
        for key, values in days.items():
            hours = merge_hours.get(key)
            values["avg_pr_merge_time_hours"] = sum(hours) / len(hours) if hours else None
            hours = close_hours.get(key)
            values["avg_issue_close_time_hours"] = sum(hours) / len(hours) if hours else None
        return days


def first_batch(s: Scenario, repos: dict[int, str], today: date, seed: int = 7) -> dict:
    """About 60 days of history for each repository, written as one load."""
    rng = random.Random(seed)
    batch: dict[str, list[Row]] = defaultdict(list)
    for rid, full_name in repos.items():
        batch["repositories"].append(
            {
                "id": rid,
                "full_name": full_name,
                "owner_login": full_name.split("/")[0],
                "name": full_name.split("/")[1],
                "stargazers_count": 0,
                "owner_avatar_url": f"https://avatars.example/{full_name.split('/')[0]}.png",
                "default_branch": "main",
            }
        )
        for back in range(60, -1, -1):
            day = today - timedelta(days=back)
            for _ in range(rng.randint(0, 4)):
                login = rng.choice(HUMANS + BOTS + [None])  # None: commit without a user
                batch["commits"].append(
                    {
                        "repository_id": rid,
                        "sha": f"{s.new_id():040x}",
                        "author_login": login,
                        "author_is_bot": login in BOTS,
                        "author_name": login or "someone",
                        "committed_at": at(day, rng.randint(0, 23), rng.randint(0, 59)),
                        "authored_at": at(day, 0),
                        "additions": rng.randint(0, 50),
                        "deletions": rng.randint(0, 20),
                        "changed_files": rng.randint(1, 5),
                    }
                )
            if rng.random() < 0.6:
                _issue(s, batch, rng, rid, day, today)
            if rng.random() < 0.5:
                _pull_request(s, batch, rng, rid, day, today)
                conversations.pull_request_extras(
                    s, batch, batch["pull_requests"][-1], full_name, today
                )
            if rng.random() < 0.4:
                batch["stargazers"].append(
                    {
                        "repository_id": rid,
                        "user_id": s.new_id(),
                        "user_login": rng.choice(HUMANS),
                        "starred_at": at(day, rng.randint(0, 23)),
                    }
                )
            if rng.random() < 0.15:
                batch["forks"].append(
                    {
                        "id": s.new_id(),
                        "repository_id": rid,
                        "full_name": f"fork/{s._next_id}",
                        "owner_login": rng.choice(HUMANS),
                        "created_at": at(day, 12),
                    }
                )
            if rng.random() < 0.1:
                draft = rng.random() < 0.3
                batch["releases"].append(
                    {
                        "id": s.new_id(),
                        "repository_id": rid,
                        "tag_name": f"v{s._next_id}",
                        "is_draft": draft,
                        "is_prerelease": False,
                        "author_login": "alice",
                        "created_at": at(day, 9),
                        "published_at": None if draft else at(day, 10),
                    }
                )
    return dict(batch)


def _issue(s: Scenario, batch: dict, rng: random.Random, rid: int, day: date, today: date) -> None:
    iid = s.new_id()
    author = rng.choice(HUMANS + BOTS + ["ghost"])
    created = at(day, rng.randint(0, 20))
    closed = created + timedelta(hours=rng.randint(1, 24 * 10))
    is_closed = rng.random() < 0.6 and closed.date() <= today
    batch["issues"].append(
        {
            "id": iid,
            "node_id": f"I_{iid}",
            "repository_id": rid,
            "number": iid,
            "title": f"Issue {iid}",
            "state": "closed" if is_closed else "open",
            "author_login": author,
            "author_is_bot": author in BOTS,
            "comments_count": 0,
            "reactions_count": rng.randint(0, 3),
            "created_at": created,
            "updated_at": closed if is_closed else created,
            "closed_at": closed if is_closed else None,
        }
    )
    if is_closed:
        batch["issue_events"].append(
            {
                "id": f"CE_{iid}",
                "issue_id": iid,
                "repository_id": rid,
                "event": "closed",
                "actor_login": "bob",
                "actor_is_bot": False,
                "created_at": closed,
            }
        )
    conversations.issue_timeline(batch, batch["issues"][-1], today)
    for label in rng.sample(["bug", "docs", "feature"], rng.randint(0, 2)):
        batch["issue_labels"].append({"issue_id": iid, "repository_id": rid, "name": label})
    for _ in range(rng.randint(0, 3)):
        when = created + timedelta(hours=rng.randint(1, 72))
        if when.date() > today:
            continue
        login = rng.choice(HUMANS + BOTS)
        batch["issue_comments"].append(
            {
                "id": s.new_id(),
                "repository_id": rid,
                "issue_id": iid,
                "author_login": login,
                "author_is_bot": login in BOTS,
                "created_at": when,
                "updated_at": when,
            }
        )


def _pull_request(
    s: Scenario, batch: dict, rng: random.Random, rid: int, day: date, today: date
) -> None:
    pid = s.new_id()
    author = rng.choice(HUMANS + BOTS)
    created = at(day, rng.randint(0, 20))
    outcome = rng.choice(["open", "merged", "closed"])
    end = created + timedelta(hours=rng.randint(1, 24 * 5))
    if end.date() > today:
        outcome = "open"
    batch["pull_requests"].append(
        {
            "id": pid,
            "repository_id": rid,
            "number": pid,
            "title": f"PR {pid}",
            # state is informational; a merged PR reads CLOSED here on purpose.
            "state": "OPEN" if outcome == "open" else "CLOSED",
            "author_login": author,
            "author_is_bot": author in BOTS,
            "created_at": created,
            "updated_at": end,
            "closed_at": None if outcome == "open" else end,
            "merged_at": end if outcome == "merged" else None,
            "merged_by_login": "alice" if outcome == "merged" else None,
        }
    )
    for _ in range(rng.randint(0, 2)):
        when = created + timedelta(hours=rng.randint(1, 30))
        if when.date() > today:
            continue
        login = rng.choice(HUMANS + BOTS)
        state = rng.choice(["APPROVED", "COMMENTED", "PENDING"])
        batch["pull_request_reviews"].append(
            {
                "id": s.new_id(),
                "repository_id": rid,
                "pull_request_id": pid,
                "author_login": login,
                "author_is_bot": login in BOTS,
                "state": state,
                "created_at": when,
                "submitted_at": None if state == "PENDING" else when,
            }
        )
        if rng.random() < 0.5:
            batch["pull_request_review_comments"].append(
                {
                    "id": s.new_id(),
                    "repository_id": rid,
                    "pull_request_id": pid,
                    "author_login": login,
                    "author_is_bot": login in BOTS,
                    "path": "a.py",
                    "created_at": when,
                    "updated_at": when,
                }
            )


def late_batch(s: Scenario, repos: dict[int, str], today: date) -> dict:
    """A day later: late closes, a reopen, late merges, comments on old issues, a backfilled
    earlier contribution, new activity today. Rows are full replacements, like dlt merges."""
    batch: dict[str, list[Row]] = defaultdict(list)
    rid = next(iter(repos))
    issues = sorted(
        (i for i in s.rows("issues") if i["repository_id"] == rid), key=lambda r: r["id"]
    )
    open_issues = [i for i in issues if i["state"] == "open"]
    closed_issues = [i for i in issues if i["state"] == "closed"]
    # 1. An issue opened weeks ago closes today.
    late = dict(open_issues[0], state="closed", closed_at=at(today, 8), updated_at=at(today, 8))
    batch["issues"].append(late)
    batch["issue_events"].append(
        {
            "id": f"CE_{late['id']}",
            "issue_id": late["id"],
            "repository_id": rid,
            "event": "closed",
            "actor_login": "carol",
            "actor_is_bot": False,
            "created_at": at(today, 8),
        }
    )
    # 2. A closed issue is reopened today: its old close day must lose one close.
    reopened = dict(closed_issues[0], state="open", closed_at=None, updated_at=at(today, 9))
    batch["issues"].append(reopened)
    batch["issue_events"].append(
        {
            "id": f"RE_{reopened['id']}",
            "issue_id": reopened["id"],
            "repository_id": rid,
            "event": "reopened",
            "actor_login": "dave",
            "actor_is_bot": False,
            "created_at": at(today, 9),
        }
    )
    # 3. A second closed issue is reopened and closed again today: counts once, today.
    again = dict(closed_issues[1], closed_at=at(today, 11), updated_at=at(today, 11))
    batch["issues"].append(again)
    batch["issue_events"] += [
        {
            "id": f"RE_{again['id']}",
            "issue_id": again["id"],
            "repository_id": rid,
            "event": "reopened",
            "actor_login": "erin",
            "actor_is_bot": False,
            "created_at": at(today, 10),
        },
        {
            "id": f"CE2_{again['id']}",
            "issue_id": again["id"],
            "repository_id": rid,
            "event": "closed",
            "actor_login": "erin",
            "actor_is_bot": False,
            "created_at": at(today, 11),
        },
    ]
    # 4. A comment today on a month-old issue by someone brand new.
    batch["issue_comments"].append(
        {
            "id": s.new_id(),
            "repository_id": rid,
            "issue_id": issues[0]["id"],
            "author_login": "newcomer",
            "author_is_bot": False,
            "created_at": at(today, 13),
            "updated_at": at(today, 13),
        }
    )
    # 5. An open PR from two weeks ago merges today.
    open_prs = sorted(
        (
            p
            for p in s.rows("pull_requests")
            if p["repository_id"] == rid and p["closed_at"] is None
        ),
        key=lambda r: r["id"],
    )
    if open_prs:
        batch["pull_requests"].append(
            dict(open_prs[0], state="MERGED", closed_at=at(today, 14), merged_at=at(today, 14))
        )
    # 5b. Pull requests closed unmerged earlier: one is reopened today (its old close day
    # loses a close), one is reopened and closed again today (the close moves to today).
    closed_unmerged = sorted(
        (
            p
            for p in s.rows("pull_requests")
            if p["repository_id"] == rid and p["closed_at"] is not None and p["merged_at"] is None
        ),
        key=lambda r: r["id"],
    )
    assert len(closed_unmerged) >= 2, "the first batch must close some PRs unmerged"
    batch["pull_requests"] += [
        dict(closed_unmerged[0], state="OPEN", closed_at=None, updated_at=at(today, 14, 30)),
        dict(closed_unmerged[1], closed_at=at(today, 15, 30), updated_at=at(today, 15, 30)),
    ]
    # 6. A backfill reveals grace's commit 50 days ago: her first day moves earlier.
    batch["commits"].append(
        {
            "repository_id": rid,
            "sha": f"{s.new_id():040x}",
            "author_login": "grace",
            "author_is_bot": False,
            "committed_at": at(today - timedelta(days=50), 3),
            "additions": 1,
            "deletions": 1,
            "changed_files": 1,
        }
    )
    # 7. Issue-13 late changes: PR conversation comment, label, review request, link.
    conversations.late_changes(s, batch, rid, repos[rid], today)
    # 8. Ordinary new activity today in every repository.
    for other in repos:
        batch["stargazers"].append(
            {
                "repository_id": other,
                "user_id": s.new_id(),
                "user_login": "zed",
                "starred_at": at(today, 15),
            }
        )
        batch["commits"].append(
            {
                "repository_id": other,
                "sha": f"{s.new_id():040x}",
                "author_login": "alice",
                "author_is_bot": False,
                "committed_at": at(today, 16),
                "additions": 3,
                "deletions": 0,
                "changed_files": 1,
            }
        )
    return dict(batch)
