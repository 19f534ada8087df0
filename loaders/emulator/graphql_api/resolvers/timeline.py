"""Timeline events (labels, assignees, milestones, references, duplicates, review requests),
teams, issues outside the world, and the connections issues and pull requests share
(conversation comments in either order, timelines filtered by item type)."""

from __future__ import annotations

import re
from typing import Any

from ...world.entities import ForeignIssue, Issue, IssueComment, PullRequest, Team, TimelineEvent
from ...world.timelines import type_name
from ...world.views import Ordered
from ...world.world import iso
from ..paging import connection
from .base import WEB, Ctx, GNode, OrgNode, _since, actor


def item_type(typename: str) -> str:
    """`LabeledEvent` -> `LABELED_EVENT` (the `itemTypes` enum value of a timeline type)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", typename).upper()


def comments_connection(
    items: list[IssueComment], c: Ctx, wrap: Any, order: dict | None, page: dict
) -> Any:
    """Conversation comments by creation, or by `orderBy: {field: UPDATED_AT}` (edits move
    a comment to the end, so a reader can stop at its cursor)."""
    t = c.t
    if order:
        sign = -1 if str(order.get("direction", "ASC")) == "DESC" else 1
        ranked = sorted(items, key=lambda x: (sign * x.updated_at(t), sign * x.id))
        o = Ordered(ranked, [(sign * x.updated_at(t), sign * x.id) for x in ranked])
    else:
        o = Ordered(items, [(x.created_at, x.id) for x in items])
    return connection(o, lambda x: wrap(x, c), **page)


def timeline_connection(
    items: list, c: Ctx, owner: Any, item_types: list[str] | None, since: str | None, page: dict
) -> Any:
    from .issues import StateEventNode  # late: issues.py imports this module

    def wrap(x: Any) -> GNode:
        return EventNode(x, c, owner) if isinstance(x, TimelineEvent) else StateEventNode(x, c)

    nodes = [(x, wrap(x)) for x in items]
    if item_types:
        wanted = set(item_types)
        nodes = [(x, n) for x, n in nodes if item_type(n.TYPENAME) in wanted]
    s = _since(since)
    if s is not None:
        nodes = [(x, n) for x, n in nodes if x.created_at >= s]
    nodes.sort(key=lambda p: (p[0].created_at, p[0].id))
    by_item = {id(x): n for x, n in nodes}
    o = Ordered([x for x, _ in nodes], [(x.created_at, x.id) for x, _ in nodes])
    return connection(o, lambda x: by_item[id(x)], **page)


def subject_node(x: object, c: Ctx) -> GNode | None:
    from .issues import IssueNode
    from .pulls import PullRequestNode

    if isinstance(x, Issue):
        return IssueNode(x, c)
    if isinstance(x, PullRequest):
        return PullRequestNode(x, c)
    if isinstance(x, ForeignIssue):
        return ForeignIssueNode(x, c)
    return None


class EventNode(GNode):
    """Any `TimelineEvent`; `owner` is the issue or pull request whose timeline lists it."""

    __slots__ = ("owner",)
    o: TimelineEvent

    def __init__(self, o: TimelineEvent, c: Ctx, owner: Any = None) -> None:
        super().__init__(o, c)
        self.owner = owner

    @property
    def TYPENAME(self) -> str:  # type: ignore[override]
        return type_name(self.o.kind)

    actor = property(lambda self: actor(self.o.actor, self.c))
    createdAt = property(lambda self: iso(self.o.created_at))
    referencedAt = createdAt
    milestoneTitle = property(lambda self: self.o.milestone)
    assignee = property(lambda self: actor(self.o.assignee, self.c))
    willCloseTarget = property(lambda self: self.o.kind == "cross-referenced")
    source = property(lambda self: subject_node(self.o.subject, self.c))
    subject = property(lambda self: subject_node(self._owner, self.c))
    target = subject
    canonical = source
    duplicate = subject
    pullRequest = subject

    @property
    def _owner(self) -> object:
        return self.o.target if self.o.target is not None else self.owner

    @property
    def label(self) -> dict | None:
        if self.o.label is None:
            return None
        name, color = self.o.label
        return {"id": f"LA_{name}", "name": name, "color": color}

    @property
    def isCrossRepository(self) -> bool:
        a, b = self.o.subject, self._owner
        ra = getattr(getattr(a, "repo", None), "id", None)
        rb = getattr(getattr(b, "repo", None), "id", None)
        return ra != rb

    @property
    def requestedReviewer(self) -> GNode | None:
        who = self.o.reviewer
        if isinstance(who, Team):
            return TeamNode(who, self.c)
        return actor(who, self.c)


class TeamNode(GNode):
    __slots__ = ()
    TYPENAME = "Team"
    o: Team

    slug = property(lambda self: self.o.slug)
    name = property(lambda self: self.o.slug.title())
    combinedSlug = property(lambda self: f"{self.o.org}/{self.o.slug}")

    @property
    def organization(self) -> GNode:
        org = self.c.world.orgs.get(self.o.org)
        return OrgNode(org, self.c) if org is not None else {"login": self.o.org}  # type: ignore[return-value]


class ForeignIssueNode(GNode):
    """An issue of a repository outside the world: what a reference to it shows."""

    __slots__ = ()
    TYPENAME = "Issue"
    o: ForeignIssue

    number = property(lambda self: self.o.number)
    title = property(lambda self: f"Upstream issue {self.o.number}")
    state = property(lambda self: "OPEN")
    createdAt = property(lambda self: iso(self.o.created_at))
    url = property(lambda self: f"{WEB}/{self.o.repo_full_name}/issues/{self.o.number}")

    @property
    def repository(self) -> dict:
        owner, name = self.o.repo_full_name.split("/", 1)
        return {"nameWithOwner": self.o.repo_full_name, "name": name, "owner": {"login": owner}}
