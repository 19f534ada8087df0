"""Issue-13 raw rows for the synthetic scenario, and their independent oracles.

PR conversation comments, PR labels, review requests (some withdrawn, some to teams),
issue-to-PR links (some to repositories nobody tracks) and issue timeline events
(labeled, assigned, unlabeled). Each parent row draws from its own `random.Random(id)`, so
adding these never shifts the main scenario's random sequence. The oracles compute, in
plain Python from the raw state, what int_pull_request_first_responses,
int_review_request_turnarounds and issue_pull_request_links must hold (docs/metrics.md).
"""

from __future__ import annotations

import random
import statistics
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

Row = dict[str, Any]
HUMANS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace"]
BOTS = ["dependabot[bot]", "renovate[bot]"]
UNTRACKED = "outside/lib"  # a repository no workspace tracks


class RawState(Protocol):
    def new_id(self) -> int: ...
    def rows(self, table: str) -> list[Row]: ...


def _hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


def _human(login: str | None, is_bot: bool | None) -> bool:
    return login is not None and login != "ghost" and not is_bot and "[bot]" not in login


def issue_timeline(batch: dict, issue: Row, today: date) -> None:
    """Labeled / unlabeled / assigned events of one new issue."""
    rng = random.Random(issue["id"])
    created: datetime = issue["created_at"]
    for n in range(rng.randint(0, 3)):
        when = created + timedelta(hours=rng.randint(0, 48), minutes=n)
        if when.date() > today:
            continue
        event = rng.choice(["labeled", "labeled", "assigned", "unlabeled"])
        actor = rng.choice(HUMANS + BOTS + [None])
        batch["issue_events"].append(
            {
                "id": f"TE_{issue['id']}_{n}",
                "issue_id": issue["id"],
                "repository_id": issue["repository_id"],
                "event": event,
                "actor_login": actor,
                "actor_is_bot": actor in BOTS,
                "created_at": when,
                "label_name": rng.choice(["bug", "docs"]) if "label" in event else None,
                "assignee_login": rng.choice(HUMANS) if event == "assigned" else None,
            }
        )


def pull_request_extras(s: RawState, batch: dict, pr: Row, full_name: str, today: date) -> None:
    """Conversation comments, labels, review requests and closing links of one new PR."""
    rng = random.Random(pr["id"])
    pid, rid, created = pr["id"], pr["repository_id"], pr["created_at"]
    for _ in range(rng.randint(0, 3)):
        when = created + timedelta(hours=rng.randint(0, 40), minutes=rng.randint(0, 59))
        if when.date() > today:
            continue
        login = rng.choice(HUMANS + BOTS + [pr["author_login"], None])
        batch["pull_request_comments"].append(
            {
                "id": s.new_id(),
                "repository_id": rid,
                "pull_request_id": pid,
                "author_login": login,
                "author_is_bot": login in BOTS,
                "created_at": when,
                "updated_at": when,
            }
        )
    for label in rng.sample(["bug", "dependencies"], rng.randint(0, 2)):
        batch["pull_request_labels"].append(
            {"pull_request_id": pid, "repository_id": rid, "name": label}
        )
    for n, reviewer in enumerate(rng.sample(HUMANS, rng.randint(0, 2))):
        asked = created + timedelta(minutes=10 + n)
        if asked.date() > today:
            continue
        team = rng.random() < 0.2
        batch["pull_request_review_requests"].append(
            _request(f"RR_{pid}_{n}", pr, "review_requested", "acme/core" if team else reviewer,
                     asked, team)
        )  # fmt: skip
        if rng.random() < 0.2:  # withdrawn, sometimes before the reviewer answered
            removed = asked + timedelta(hours=rng.randint(1, 20))
            if removed.date() <= today:
                batch["pull_request_review_requests"].append(
                    _request(f"RX_{pid}_{n}", pr, "review_request_removed",
                             "acme/core" if team else reviewer, removed, team)
                )  # fmt: skip
        if rng.random() < 0.7 and not team:
            when = asked + timedelta(hours=rng.randint(0, 30), minutes=rng.randint(1, 59))
            if when.date() <= today:
                batch["pull_request_reviews"].append(
                    {
                        "id": s.new_id(),
                        "repository_id": rid,
                        "pull_request_id": pid,
                        "author_login": reviewer,
                        "author_is_bot": False,
                        "state": "COMMENTED",
                        "created_at": when,
                        "submitted_at": when,
                    }
                )
    same_repo = [i for i in batch.get("issues", []) if i["repository_id"] == rid]
    if same_repo and rng.random() < 0.5:
        batch["issue_pull_request_links"].append(link(pr, rng.choice(same_repo), full_name))
    if rng.random() < 0.15:
        batch["issue_pull_request_links"].append(
            link(pr, {"node_id": f"I_ext_{pid}", "id": None, "number": 7}, UNTRACKED)
        )


def _request(event_id: str, pr: Row, event: str, reviewer: str, when: datetime, team: bool) -> Row:
    return {
        "id": event_id,
        "repository_id": pr["repository_id"],
        "pull_request_id": pr["id"],
        "event": event,
        "reviewer_type": "team" if team else "user",
        "reviewer_login": reviewer,
        "actor_login": pr["author_login"],
        "actor_is_bot": pr["author_login"] in BOTS,
        "created_at": when,
    }


def link(pr: Row, issue: Row, issue_repository: str) -> Row:
    return {
        "repository_id": pr["repository_id"],
        "pull_request_id": pr["id"],
        "pull_request_node_id": f"PR_{pr['id']}",
        "pull_request_number": pr["number"],
        "issue_node_id": issue["node_id"],
        "issue_id": issue["id"],
        "issue_number": issue["number"],
        "issue_repository_full_name": issue_repository,
    }


# -- oracles ------------------------------------------------------------------------------
def expected_first_responses(s: RawState) -> dict[int, tuple[str | None, float | None]]:
    """{pull_request_id: (first_response_kind, hours)}: the earliest review, conversation
    comment or review comment by a non-bot, non-ghost login other than the PR's author."""
    prs = {p["id"]: p for p in s.rows("pull_requests")}
    responses: dict[int, list[tuple[datetime, int, str]]] = {pid: [] for pid in prs}
    sources = [
        ("pull_request_reviews", "submitted_at", 0, "review"),
        ("pull_request_comments", "created_at", 1, "comment"),
        ("pull_request_review_comments", "created_at", 2, "review_comment"),
    ]
    for table, at, rank, kind in sources:
        for r in s.rows(table):
            pr = prs.get(r["pull_request_id"])
            if pr is None or r[at] is None or r.get("state") == "PENDING":
                continue
            author = pr["author_login"] if pr["author_login"] != "ghost" else None
            if _human(r["author_login"], r["author_is_bot"]) and r["author_login"] != author:
                responses[pr["id"]].append((r[at], rank, kind))
    out: dict[int, tuple[str | None, float | None]] = {}
    for pid, found in responses.items():
        if not found:
            out[pid] = (None, None)
            continue
        when, _, kind = min(found)
        out[pid] = (kind, _hours(prs[pid]["created_at"], when))
    return out


def expected_turnarounds(s: RawState) -> dict[str, float | None]:
    """{review_requested event id: hours to the reviewer's answering review, or None}."""
    events = sorted(
        (e for e in s.rows("pull_request_review_requests") if e["reviewer_type"] == "user"),
        key=lambda e: (e["created_at"], e["id"]),
    )
    reviews = [
        r for r in s.rows("pull_request_reviews")
        if r["submitted_at"] is not None and r["state"] != "PENDING" and r["author_login"]
    ]  # fmt: skip
    out: dict[str, float | None] = {}
    for i, e in enumerate(events):
        if e["event"] != "review_requested":
            continue
        pair = (e["pull_request_id"], e["reviewer_login"].lower())
        later = [x["created_at"] for x in events[i + 1 :]
                 if (x["pull_request_id"], x["reviewer_login"].lower()) == pair]  # fmt: skip
        end = min(later) if later else None
        answers = [
            r["submitted_at"] for r in reviews
            if (r["pull_request_id"], r["author_login"].lower()) == pair
            and r["submitted_at"] >= e["created_at"] and (end is None or r["submitted_at"] < end)
        ]  # fmt: skip
        out[e["id"]] = _hours(e["created_at"], min(answers)) if answers else None
    return out


def expected_links(s: RawState) -> dict[tuple[int, str], tuple[bool, float | None]]:
    """{(pull_request_id, issue_node_id): (is_issue_loaded, hours from open to merge)}."""
    issues = {i["node_id"]: i for i in s.rows("issues")}
    prs = {p["id"]: p for p in s.rows("pull_requests")}
    out = {}
    for row in s.rows("issue_pull_request_links"):
        issue, pr = issues.get(row["issue_node_id"]), prs.get(row["pull_request_id"])
        hours = None
        if issue is not None and pr is not None and pr["merged_at"] is not None:
            hours = _hours(issue["created_at"], pr["merged_at"])
        out[(row["pull_request_id"], row["issue_node_id"])] = (issue is not None, hours)
    return out


def median_or_none(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def late_changes(s: RawState, batch: dict, rid: int, full_name: str, today: date) -> None:
    """A day later: a newcomer's conversation comment on an old PR, a label added to an old
    issue, a review requested and answered today, a link added to an old PR."""
    noon = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
    prs = sorted((p for p in s.rows("pull_requests") if p["repository_id"] == rid),
                 key=lambda p: p["id"])  # fmt: skip
    issues = sorted((i for i in s.rows("issues") if i["repository_id"] == rid),
                    key=lambda i: i["id"])  # fmt: skip
    old_pr, old_issue = prs[0], issues[0]
    batch["pull_request_comments"].append(
        {
            "id": s.new_id(),
            "repository_id": rid,
            "pull_request_id": old_pr["id"],
            "author_login": "pr_newcomer",
            "author_is_bot": False,
            "created_at": noon,
            "updated_at": noon,
        }
    )
    batch["issue_events"].append(
        {
            "id": f"LATE_LABEL_{old_issue['id']}",
            "issue_id": old_issue["id"],
            "repository_id": rid,
            "event": "labeled",
            "actor_login": "bob",
            "actor_is_bot": False,
            "created_at": noon,
            "label_name": "regression",
        }
    )
    reviewer = "grace" if old_pr["author_login"] != "grace" else "frank"
    batch["pull_request_review_requests"].append(
        _request(f"LATE_RR_{old_pr['id']}", old_pr, "review_requested", reviewer, noon, False)
    )
    batch["pull_request_reviews"].append(
        {
            "id": s.new_id(),
            "repository_id": rid,
            "pull_request_id": old_pr["id"],
            "author_login": reviewer,
            "author_is_bot": False,
            "state": "APPROVED",
            "created_at": noon + timedelta(hours=2, minutes=30),
            "submitted_at": noon + timedelta(hours=2, minutes=30),
        }
    )
    # Links are replaced whole per PR: the old ones plus the new one.
    kept = [r for r in s.rows("issue_pull_request_links") if r["pull_request_id"] == old_pr["id"]]
    new = link(old_pr, issues[-1], full_name)
    batch["issue_pull_request_links"] += [
        *(r for r in kept if r["issue_node_id"] != new["issue_node_id"]),
        new,
    ]
