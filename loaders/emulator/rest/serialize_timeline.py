"""REST shapes of timelines: `/issues/{n}/timeline` entries and `/issues/{n}/events`-style
event objects, as GitHub renders them (REST spells events lower case, e.g. `labeled`)."""

from __future__ import annotations

from ..world.entities import (
    ForeignIssue,
    Issue,
    IssueComment,
    IssueStateEvent,
    PullRequest,
    Team,
    TimelineEvent,
)
from ..world.world import iso
from .serialize import issue, issue_comment, pull_as_issue, team, user


def _subject(x: object, t: int, api: str) -> dict | None:
    if isinstance(x, Issue):
        return issue(x, t, api)
    if isinstance(x, PullRequest):
        return pull_as_issue(x, t, api)
    if isinstance(x, ForeignIssue):
        return {
            "id": x.id,
            "node_id": x.node_id,
            "number": x.number,
            "repository": {"full_name": x.repo_full_name},
            "html_url": f"https://github.com/{x.repo_full_name}/issues/{x.number}",
        }
    return None


def timeline_entry(x: object, t: int, api: str) -> dict:
    if isinstance(x, IssueComment):
        return {**issue_comment(x, api, t), "event": "commented", "actor": user(x.author, api)}
    if isinstance(x, IssueStateEvent):
        return {
            "id": x.id,
            "node_id": x.node_id,
            "event": x.event,
            "actor": user(x.actor, api),
            "created_at": iso(x.created_at),
            "state_reason": x.reason.lower() if x.reason else None,
        }
    assert isinstance(x, TimelineEvent)
    out: dict = {
        "id": x.id,
        "node_id": x.node_id,
        "event": x.kind,
        "actor": user(x.actor, api),
        "created_at": iso(x.created_at),
    }
    if x.label is not None:
        out["label"] = {"name": x.label[0], "color": x.label[1]}
    if x.kind in ("assigned", "unassigned"):
        out["assignee"] = user(x.assignee, api)
    if x.milestone is not None:
        out["milestone"] = {"title": x.milestone}
    if x.kind == "cross-referenced":
        out["source"] = {"type": "issue", "issue": _subject(x.subject, t, api)}
        out["updated_at"] = out["created_at"]
    if x.kind in ("review_requested", "review_request_removed"):
        out["review_requester"] = user(x.actor, api)
        if isinstance(x.reviewer, Team):
            out["requested_team"] = team(x.reviewer, api)
        else:
            out["requested_reviewer"] = user(x.reviewer, api)
    return out


def timeline(item: Issue | PullRequest, t: int) -> list:
    """Everything on the item's timeline as of `t`, oldest first."""
    parts: list = [*item.visible_comments(t), *item.visible_events(t)]
    if isinstance(item, Issue):
        parts += item.visible_state_events(t)
    return sorted(parts, key=lambda x: (x.created_at, x.id))
