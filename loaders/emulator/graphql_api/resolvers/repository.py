"""`Repository` (and forks, which are repositories of their own)."""

from __future__ import annotations

from typing import Any

from ...world.entities import (
    Fork,
    Issue,
    PullRequest,
    Repo,
)
from ...world.ids import node_id
from ...world.languages import COLORS
from ...world.views import Ordered
from ...world.world import iso
from ..paging import Connection, connection, page_of
from .base import (
    WEB,
    GNode,
    UserNode,
    _order,
    _since,
    actor,
)
from .commits import CommitNode, ReleaseNode
from .discussions import CategoryNode, DiscussionNode
from .issues import IssueNode
from .pulls import PullRequestNode


def _language(name: str) -> dict:
    color = COLORS.get(name)
    return {"id": node_id("Repository", f"lang:{name}"), "name": name, "color": color}


class LanguageConnection(Connection):
    """`Repository.languages`: a connection that also carries the bytes of all languages."""

    __slots__ = ("totalSize",)

    def __init__(self, page: Any, wrap: Any, edge_extra: Any, total_size: int) -> None:
        super().__init__(page, wrap, edge_extra)
        self.totalSize = total_size


# -- repository -------------------------------------------------------------------------
class RepositoryNode(GNode):
    __slots__ = ()
    TYPENAME = "Repository"
    o: Repo

    @property
    def name(self) -> str:
        return self.o.name

    @property
    def nameWithOwner(self) -> str:
        return self.o.full_name

    def discussion(self, info: Any, number: int) -> DiscussionNode | None:
        found = [d for d in self.c.world.view(self.o).visible("discussions") if d.number == number]
        return DiscussionNode(found[0], self.c) if found else None

    def pullRequest(self, info: Any, number: int) -> PullRequestNode | None:
        x = self.c.world.data(self.o).by_number.get(number)
        if not isinstance(x, PullRequest) or x.created_at > self.c.t:
            return None
        return PullRequestNode(x, self.c)

    @property
    def url(self) -> str:
        return f"{WEB}/{self.o.full_name}"

    @property
    def description(self) -> str:
        return self.o.description

    @property
    def homepageUrl(self) -> str | None:
        return self.o.homepage

    @property
    def owner(self) -> UserNode | None:
        return actor(self.o.owner, self.c)

    @property
    def primaryLanguage(self) -> dict | None:
        lang = self.o.language
        return None if lang is None else _language(lang)

    def languages(self, info: Any, orderBy: dict | None = None, **page: Any) -> Any:
        sizes = self._view().languages()
        _, direction = _order(orderBy, "SIZE")
        ordered = sizes if direction == "DESC" else sizes[::-1]
        o = Ordered(ordered, [(i, i) for i in range(len(ordered))])
        window = page_of(o, *(page.get(k) for k in ("first", "after", "last", "before")))
        total = sum(size for _, size in sizes)
        return LanguageConnection(
            window, lambda x: _language(x[0]), lambda x: {"size": x[1]}, total
        )

    def repositoryTopics(self, info: Any, **page: Any) -> Any:
        topics = [
            {
                "id": node_id("Repository", f"topic:{n}"),
                "url": f"{WEB}/topics/{n}",
                "topic": {"id": node_id("Repository", f"t:{n}"), "name": n},
            }
            for n in self.o.topics
        ]
        o = Ordered(topics, [(i, i) for i in range(len(topics))])
        return connection(o, lambda x: x, **page)

    def _view(self):
        return self.c.world.view(self.o)

    @property
    def stargazerCount(self) -> int:
        return len(self._view().visible("stars"))

    @property
    def forkCount(self) -> int:
        return len(self._view().visible("forks"))

    def watchers(self, info: Any, **page: Any) -> Any:
        stars = self._view().visible("stars")[: max(1, self.stargazerCount // 10)]
        o = Ordered(stars, [(s.starred_at, s.user.id) for s in stars])
        return connection(o, lambda s: UserNode(s.user, self.c), **page)

    isFork = False
    isPrivate = False

    @property
    def isArchived(self) -> bool:
        return self.o.is_archived

    @property
    def hasDiscussionsEnabled(self) -> bool:
        return self.o.has_discussions

    @property
    def createdAt(self) -> str | None:
        return iso(self.o.created_at)

    @property
    def pushedAt(self) -> str | None:
        commits = self._view().visible("commits")
        return iso(commits[-1].committed_at if commits else self.o.created_at)

    @property
    def updatedAt(self) -> str | None:
        v = self._view()
        commits, stars = v.visible("commits"), v.visible("stars")
        return iso(
            max(
                commits[-1].committed_at if commits else self.o.created_at,
                stars[-1].starred_at if stars else 0,
            )
        )

    @property
    def defaultBranchRef(self) -> dict:
        commits = self._view().visible("commits")
        head = CommitNode(commits[-1], self.c) if commits else None
        return {
            "id": node_id("Repository", f"ref:{self.o.id}"),
            "name": self.o.default_branch,
            "prefix": "refs/heads/",
            "target": head,
        }

    def issues(
        self,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filterBy: dict | None = None,
        orderBy: dict | None = None,
        states: list[str] | None = None,
    ) -> Any:
        t = self.c.t
        field, direction = _order(orderBy)
        since = _since((filterBy or {}).get("since"))
        wanted = set(states or ()) | set((filterBy or {}).get("states") or ())

        def keep(i: Issue) -> bool:
            if since is not None and i.updated_at(t) < since:
                return False
            return not wanted or i.state(t).upper() in wanted

        key = ("since", since, tuple(sorted(wanted))) if since is not None or wanted else ()
        o = self._view().select("issues", field, direction, key, keep if key else None)
        return connection(o, lambda i: IssueNode(i, self.c), first, after, last, before)

    def pullRequests(
        self,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        orderBy: dict | None = None,
        states: list[str] | None = None,
    ) -> Any:
        t = self.c.t
        field, direction = _order(orderBy)
        wanted = set(states or ())
        key = (("states", tuple(sorted(wanted))),) if wanted else ()
        o = self._view().select(
            "pulls", field, direction, key, (lambda p: p.state(t) in wanted) if wanted else None
        )
        return connection(o, lambda p: PullRequestNode(p, self.c), first, after, last, before)

    def stargazers(
        self,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        orderBy: dict | None = None,
    ) -> Any:
        _, direction = _order(orderBy, "STARRED_AT")
        o = self._view().ordered("stars", "CREATED_AT", direction)
        return connection(
            o,
            lambda s: UserNode(s.user, self.c),
            first,
            after,
            last,
            before,
            edge_extra=lambda s: {"starredAt": iso(s.starred_at)},
        )

    def forks(
        self,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        orderBy: dict | None = None,
    ) -> Any:
        _, direction = _order(orderBy)
        o = self._view().ordered("forks", "CREATED_AT", direction)
        return connection(o, lambda f: ForkNode(f, self.c), first, after, last, before)

    def releases(
        self,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        orderBy: dict | None = None,
    ) -> Any:
        _, direction = _order(orderBy)
        o = self._view().ordered("releases", "CREATED_AT", direction)
        return connection(o, lambda r: ReleaseNode(r, self.c), first, after, last, before)

    def discussions(
        self,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        orderBy: dict | None = None,
    ) -> Any:
        # GitHub's default order for discussions is UPDATED_AT DESC.
        field, direction = _order(orderBy, "UPDATED_AT", "DESC")
        o = self._view().ordered("discussions", field, direction)
        return connection(o, lambda d: DiscussionNode(d, self.c), first, after, last, before)

    def discussionCategories(self, info: Any, **page: Any) -> Any:
        cats = self.c.world.data(self.o).categories
        o = Ordered(cats, [(0, c.id) for c in cats])
        return connection(o, lambda x: CategoryNode(x, self.c), **page)


class ForkNode(RepositoryNode):
    """A fork: a repository of its own, of which the world only tracks the basics."""

    __slots__ = ()
    o: Fork  # type: ignore[assignment]

    @property
    def name(self) -> str:
        return self.o.name

    @property
    def nameWithOwner(self) -> str:
        return f"{self.o.owner.login}/{self.o.name}"

    @property
    def url(self) -> str:
        return f"{WEB}/{self.nameWithOwner}"

    @property
    def owner(self) -> UserNode | None:
        return actor(self.o.owner, self.c)

    description = None
    homepageUrl = None
    primaryLanguage = None
    languages = None  # a fork's languages are not in the subset the loaders read
    isFork = True
    isArchived = False
    hasDiscussionsEnabled = False
    stargazerCount = 0
    forkCount = 0

    @property
    def createdAt(self) -> str | None:
        return iso(self.o.created_at)

    pushedAt = createdAt
    updatedAt = createdAt
    defaultBranchRef = None

    def _empty(self, info: Any, **kwargs: Any) -> Any:
        return connection(
            Ordered([], []), lambda x: x, kwargs.get("first"), None, kwargs.get("last")
        )

    issues = pullRequests = stargazers = forks = releases = discussions = _empty
    watchers = repositoryTopics = discussionCategories = _empty
