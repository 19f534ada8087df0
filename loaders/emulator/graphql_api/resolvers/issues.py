"""`Issue`, its timeline events and `IssueComment`."""

from __future__ import annotations

from typing import Any

from ...world.entities import (
    Issue,
    IssueComment,
    IssueStateEvent,
    PullRequest,
)
from ...world.ids import node_id
from ...world.views import Ordered
from ...world.world import iso
from ..paging import connection, ordered_by_created
from .base import (
    WEB,
    GNode,
    UserNode,
    actor,
    count_only,
    label_node,
    repository_node,
)
from .timeline import comments_connection, subject_node, timeline_connection


def milestone(title: str | None) -> dict | None:
    if title is None:
        return None
    return {
        "id": node_id("Repository", f"ms:{title}"),
        "title": title,
        "number": int(title[1:].split(".")[0]),
    }


# -- issues -------------------------------------------------------------------------------
class IssueNode(GNode):
    __slots__ = ()
    TYPENAME = "Issue"
    o: Issue

    number = property(lambda self: self.o.number)
    title = property(lambda self: self.o.title)
    body = property(lambda self: self.o.body)
    locked = property(lambda self: self.o.locked)
    createdAt = property(lambda self: iso(self.o.created_at))
    updatedAt = property(lambda self: iso(self.o.updated_at(self.c.t)))
    closedAt = property(lambda self: iso(self.o.closed_at(self.c.t)))
    state = property(lambda self: self.o.state(self.c.t).upper())
    stateReason = property(lambda self: self.o.state_reason(self.c.t))
    author = property(lambda self: actor(self.o.author, self.c))
    repository = property(lambda self: repository_node(self.o.repo, self.c))
    url = property(lambda self: f"{WEB}/{self.o.repo.full_name}/issues/{self.o.number}")

    @property
    def milestone(self) -> dict | None:
        return milestone(self.o.milestone_at(self.c.t))

    def assignees(self, info: Any, **page: Any) -> Any:
        people = list(self.o.assignees)
        o = Ordered(people, [(0, u.id) for u in people])
        return connection(o, lambda u: UserNode(u, self.c), **page)

    def labels(self, info: Any, **page: Any) -> Any:
        labels = [label_node(self.o.repo, n, col) for n, col in self.o.labels_at(self.c.t)]
        o = Ordered(labels, [(0, i) for i in range(len(labels))])
        return connection(o, lambda x: x, **page)

    def reactions(self, info: Any, **page: Any) -> Any:
        return count_only(self.o.reactions)

    def comments(self, info: Any, orderBy: dict | None = None, **page: Any) -> Any:
        items = self.o.visible_comments(self.c.t)
        return comments_connection(items, self.c, IssueCommentNode, orderBy, page)

    def closedByPullRequestsReferences(
        self,
        info: Any,
        includeClosedPrs: bool = False,
        orderByState: bool = False,
        userLinkedOnly: bool = False,
        **page: Any,
    ) -> Any:
        from .pulls import PullRequestNode

        t = self.c.t
        pulls = [
            p
            for p in self.o.linked_by
            if any(x.issue is self.o and x.visible(t) for x in p.links)
            and (includeClosedPrs or p.merged_at <= t or p.closed_at > t)
        ]
        return connection(ordered_by_created(pulls), lambda p: PullRequestNode(p, self.c), **page)

    def timelineItems(
        self,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        itemTypes: list[str] | None = None,
        since: str | None = None,
    ) -> Any:
        t = self.c.t
        items = [*self.o.visible_state_events(t), *self.o.visible_events(t)]
        page = {"first": first, "after": after, "last": last, "before": before}
        return timeline_connection(items, self.c, self.o, itemTypes, since, page)


class StateEventNode(GNode):
    __slots__ = ()
    o: IssueStateEvent

    @property
    def TYPENAME(self) -> str:  # type: ignore[override]
        return "ClosedEvent" if self.o.event == "closed" else "ReopenedEvent"

    actor = property(lambda self: actor(self.o.actor, self.c))
    createdAt = property(lambda self: iso(self.o.created_at))
    stateReason = property(lambda self: self.o.reason)


class IssueCommentNode(GNode):
    __slots__ = ()
    TYPENAME = "IssueComment"
    o: IssueComment

    body = property(lambda self: self.o.body)
    createdAt = property(lambda self: iso(self.o.created_at))
    updatedAt = property(lambda self: iso(self.o.updated_at(self.c.t)))
    author = property(lambda self: actor(self.o.author, self.c))

    @property
    def issue(self) -> GNode:
        # A pull request's conversation comment belongs to the PR's issue side.
        return subject_node(self.o.issue, self.c)  # type: ignore[return-value]

    @property
    def pullRequest(self) -> GNode | None:
        return subject_node(self.o.issue, self.c) if isinstance(self.o.issue, PullRequest) else None

    @property
    def url(self) -> str:
        i = self.o.issue
        kind = "pull" if isinstance(i, PullRequest) else "issues"
        return f"{WEB}/{i.repo.full_name}/{kind}/{i.number}#issuecomment-{self.o.id}"

    def reactions(self, info: Any, **page: Any) -> Any:
        return count_only(self.o.reactions)
