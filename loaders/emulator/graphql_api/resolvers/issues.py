"""`Issue`, its timeline events and `IssueComment`."""

from __future__ import annotations

from typing import Any

from ...world.entities import (
    Issue,
    IssueComment,
    IssueStateEvent,
)
from ...world.ids import node_id
from ...world.views import Ordered
from ...world.world import iso
from ..paging import connection, ordered_by_created
from .base import (
    WEB,
    GNode,
    UserNode,
    _since,
    actor,
    count_only,
    repository_node,
)


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
        m = self.o.milestone
        return (
            None
            if m is None
            else {
                "id": node_id("Repository", f"ms:{m}"),
                "title": m,
                "number": int(m[1:].split(".")[0]),
            }
        )

    def assignees(self, info: Any, **page: Any) -> Any:
        people = list(self.o.assignees)
        o = Ordered(people, [(0, u.id) for u in people])
        return connection(o, lambda u: UserNode(u, self.c), **page)

    def labels(self, info: Any, **page: Any) -> Any:
        labels = [
            {"id": node_id("Repository", f"label:{self.o.repo.id}:{n}"), "name": n, "color": col}
            for n, col in self.o.labels_at(self.c.t)
        ]
        o = Ordered(labels, [(0, i) for i in range(len(labels))])
        return connection(o, lambda x: x, **page)

    def reactions(self, info: Any, **page: Any) -> Any:
        return count_only(self.o.reactions)

    def comments(self, info: Any, **page: Any) -> Any:
        o = ordered_by_created(self.o.visible_comments(self.c.t))
        return connection(o, lambda x: IssueCommentNode(x, self.c), **page)

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
        events = self.o.visible_state_events(self.c.t)
        if itemTypes:
            kinds = {"closed" if k == "CLOSED_EVENT" else "reopened" for k in itemTypes}
            events = [e for e in events if e.event in kinds]
        s = _since(since)
        if s is not None:
            events = [e for e in events if e.created_at >= s]
        return connection(
            ordered_by_created(events),
            lambda e: StateEventNode(e, self.c),
            first,
            after,
            last,
            before,
        )


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
    updatedAt = createdAt
    author = property(lambda self: actor(self.o.author, self.c))
    issue = property(lambda self: IssueNode(self.o.issue, self.c))

    @property
    def url(self) -> str:
        i = self.o.issue
        return f"{WEB}/{i.repo.full_name}/issues/{i.number}#issuecomment-{self.o.id}"

    def reactions(self, info: Any, **page: Any) -> Any:
        return count_only(self.o.reactions)
