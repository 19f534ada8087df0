"""Resolver objects: thin wrappers that expose a world entity under GitHub's field names,
as of the request's clock. graphql-core's default resolver reads attributes and calls
methods with the field arguments, so connection fields are methods."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..rest.paging import BadRequest, parse_time
from ..world.entities import (
    Category,
    Commit,
    Discussion,
    DiscussionComment,
    Fork,
    Issue,
    IssueComment,
    IssueStateEvent,
    PullRequest,
    Release,
    Repo,
    Review,
    ReviewComment,
    User,
)
from ..world.ids import node_id
from ..world.views import Ordered
from ..world.world import World, iso
from .paging import connection, ordered_by_created

WEB = "https://github.com"


@dataclass
class Ctx:
    world: World
    t: int
    rate: dict


def _since(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return parse_time(str(value))
    except BadRequest as exc:
        raise ValueError(str(exc)) from exc


def _order(
    order: dict | None, default: str = "CREATED_AT", default_dir: str = "ASC"
) -> tuple[str, str]:
    if not order:
        return default, default_dir
    return str(order.get("field") or default), str(order.get("direction") or default_dir)


class GNode:
    __slots__ = ("c", "o")
    TYPENAME = ""

    def __init__(self, o: Any, c: Ctx) -> None:
        self.o, self.c = o, c

    @property
    def id(self) -> str:
        return self.o.node_id

    @property
    def databaseId(self) -> int:
        return self.o.id


# -- actors ---------------------------------------------------------------------------
class UserNode(GNode):
    __slots__ = ()
    TYPENAME = "User"

    @property
    def login(self) -> str:
        return self.o.login

    @property
    def name(self) -> str:
        return self.o.login.replace("-", " ").title()

    @property
    def url(self) -> str:
        return f"{WEB}/{self.o.login}"

    def avatarUrl(self, info: Any, size: int | None = None) -> str:
        extra = f"&s={size}" if size else ""
        return f"https://avatars.githubusercontent.com/u/{self.o.id}?v=4{extra}"


class BotNode(UserNode):
    __slots__ = ()
    TYPENAME = "Bot"

    @property
    def url(self) -> str:
        return f"{WEB}/apps/{self.o.login.removesuffix('[bot]')}"


class OrgNode(UserNode):
    __slots__ = ()
    TYPENAME = "Organization"


def actor(u: User | None, c: Ctx) -> UserNode | None:
    if u is None or u.is_deleted:
        return None  # deleted accounts: GraphQL answers null (REST shows `ghost`)
    if u.is_bot:
        return BotNode(u, c)
    return OrgNode(u, c) if u.is_org else UserNode(u, c)


def user_only(u: User | None, c: Ctx) -> UserNode | None:
    """Fields typed `User` (not `Actor`): bots and orgs do not fit, GitHub returns null."""
    return UserNode(u, c) if u is not None and not (u.is_deleted or u.is_bot or u.is_org) else None


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
        return (
            None
            if lang is None
            else {"id": node_id("Repository", f"lang:{lang}"), "name": lang, "color": "#3572A5"}
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
        if field == "COMMENTS":
            field = "CREATED_AT"
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
        if field == "COMMENTS":
            field = "CREATED_AT"
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
    repository = property(lambda self: RepositoryNode(self.o.repo, self.c))
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
        return _count_only(self.o.reactions)

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


def _count_only(n: int) -> dict:
    return {
        "totalCount": n,
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
    }


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
        return _count_only(self.o.reactions)


# -- pull requests ------------------------------------------------------------------------
class PullRequestNode(GNode):
    __slots__ = ()
    TYPENAME = "PullRequest"
    o: PullRequest

    number = property(lambda self: self.o.number)
    title = property(lambda self: self.o.title)
    body = property(lambda self: self.o.body)
    createdAt = property(lambda self: iso(self.o.created_at))
    updatedAt = property(lambda self: iso(self.o.updated_at(self.c.t)))
    state = property(lambda self: self.o.state(self.c.t))
    isDraft = property(lambda self: self.o.is_draft(self.c.t))
    additions = property(lambda self: self.o.additions)
    deletions = property(lambda self: self.o.deletions)
    changedFiles = property(lambda self: self.o.changed_files)
    headRefName = property(lambda self: self.o.head_ref)
    baseRefName = property(lambda self: self.o.repo.default_branch)
    author = property(lambda self: actor(self.o.author, self.c))
    repository = property(lambda self: RepositoryNode(self.o.repo, self.c))
    url = property(lambda self: f"{WEB}/{self.o.repo.full_name}/pull/{self.o.number}")

    @property
    def closedAt(self) -> str | None:
        return iso(self.o.closed_at) if self.o.closed_at <= self.c.t else None

    @property
    def mergedAt(self) -> str | None:
        return iso(self.o.merged_at) if self.o.merged_at <= self.c.t else None

    @property
    def mergedBy(self) -> UserNode | None:
        return actor(self.o.merged_by, self.c) if self.o.merged_at <= self.c.t else None

    @property
    def headRepository(self) -> RepositoryNode | dict | None:
        head = self.o.head_repo
        if head == self.o.repo.full_name:
            return RepositoryNode(self.o.repo, self.c)
        return {"nameWithOwner": head, "name": head.split("/")[1]} if head else None

    def commits(self, info: Any, **page: Any) -> Any:
        return _count_only(self.o.commits)

    def comments(self, info: Any, **page: Any) -> Any:
        return connection(Ordered([], []), lambda x: x, **page)

    def reviews(
        self,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        states: list[str] | None = None,
    ) -> Any:
        reviews = self.o.visible_reviews(self.c.t)
        if states:
            reviews = [r for r in reviews if r.state in states]
        o = Ordered(reviews, [(r.submitted_at, r.id) for r in reviews])
        return connection(o, lambda r: ReviewNode(r, self.c), first, after, last, before)


class ReviewNode(GNode):
    __slots__ = ()
    TYPENAME = "PullRequestReview"
    o: Review

    state = property(lambda self: self.o.state)
    body = property(lambda self: self.o.body)
    submittedAt = property(lambda self: iso(self.o.submitted_at))
    createdAt = submittedAt
    author = property(lambda self: actor(self.o.author, self.c))
    pullRequest = property(lambda self: PullRequestNode(self.o.pull, self.c))

    @property
    def url(self) -> str:
        p = self.o.pull
        return f"{WEB}/{p.repo.full_name}/pull/{p.number}#pullrequestreview-{self.o.id}"

    def comments(self, info: Any, **page: Any) -> Any:
        o = ordered_by_created(self.o.comments)
        return connection(o, lambda x: ReviewCommentNode(x, self.c), **page)


class ReviewCommentNode(GNode):
    __slots__ = ()
    TYPENAME = "PullRequestReviewComment"
    o: ReviewComment

    body = property(lambda self: self.o.body)
    path = property(lambda self: self.o.path)
    createdAt = property(lambda self: iso(self.o.created_at))
    updatedAt = createdAt
    author = property(lambda self: actor(self.o.author, self.c))
    pullRequestReview = property(lambda self: ReviewNode(self.o.review, self.c))
    pullRequest = property(lambda self: PullRequestNode(self.o.review.pull, self.c))

    @property
    def url(self) -> str:
        p = self.o.review.pull
        return f"{WEB}/{p.repo.full_name}/pull/{p.number}#discussion_r{self.o.id}"


# -- commits, releases ----------------------------------------------------------------------
class CommitNode(GNode):
    __slots__ = ()
    TYPENAME = "Commit"
    o: Commit

    oid = property(lambda self: self.o.sha)
    abbreviatedOid = property(lambda self: self.o.sha[:7])
    message = property(lambda self: self.o.message)
    messageHeadline = property(lambda self: self.o.message)
    authoredDate = property(lambda self: iso(self.o.authored_at))
    committedDate = property(lambda self: iso(self.o.committed_at))
    additions = property(lambda self: self.o.additions)
    deletions = property(lambda self: self.o.deletions)
    changedFilesIfAvailable = property(lambda self: self.o.changed_files)
    url = property(lambda self: f"{WEB}/{self.o.repo.full_name}/commit/{self.o.sha}")

    @property
    def author(self) -> dict:
        c = self.o
        return {
            "name": c.author_name,
            "email": c.author_email,
            "date": iso(c.authored_at),
            "user": user_only(c.author, self.c),
            "avatarUrl": "https://avatars.githubusercontent.com/u/0?v=4",
        }

    @property
    def committer(self) -> dict:
        return {
            "name": "GitHub",
            "email": "noreply@github.com",
            "date": iso(self.o.committed_at),
            "user": None,
            "avatarUrl": "https://avatars.githubusercontent.com/u/0?v=4",
        }

    def parents(self, info: Any, **page: Any) -> Any:
        parent = self.o.parent
        data = self.c.world.data(self.o.repo)
        items = [data.commit_by_sha[parent]] if parent else []
        o = Ordered(items, [(0, 0)] * len(items))
        return connection(o, lambda x: CommitNode(x, self.c), **page)

    def history(
        self,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Any:
        view = self.c.world.view(self.o.repo)
        lo, hi = _since(since), _since(until)
        head = self.o.committed_at
        key = ("history", head, lo, hi)

        def keep(x: Commit) -> bool:
            return (
                x.committed_at <= head
                and (lo is None or x.committed_at >= lo)
                and (hi is None or x.committed_at <= hi)
            )

        o = view.select("commits", "CREATED_AT", "DESC", key, keep)
        return connection(o, lambda x: CommitNode(x, self.c), first, after, last, before)


class ReleaseNode(GNode):
    __slots__ = ()
    TYPENAME = "Release"
    o: Release

    tagName = property(lambda self: self.o.tag)
    name = property(lambda self: self.o.name)
    isDraft = property(lambda self: self.o.is_draft)
    isPrerelease = property(lambda self: self.o.is_prerelease)
    author = property(lambda self: user_only(self.o.author, self.c))
    createdAt = property(lambda self: iso(self.o.created_at))
    url = property(lambda self: f"{WEB}/{self.o.repo.full_name}/releases/tag/{self.o.tag}")

    @property
    def publishedAt(self) -> str | None:
        p = self.o.published_at
        return iso(p) if p is not None and p <= self.c.t else None


# -- discussions ------------------------------------------------------------------------------
class CategoryNode(GNode):
    __slots__ = ()
    TYPENAME = "DiscussionCategory"
    o: Category

    name = property(lambda self: self.o.name)
    slug = property(lambda self: self.o.slug)
    emoji = property(lambda self: self.o.emoji)
    isAnswerable = property(lambda self: self.o.is_answerable)
    description = property(lambda self: f"{self.o.name} discussions")
    createdAt = property(lambda self: iso(0))


class DiscussionNode(GNode):
    __slots__ = ()
    TYPENAME = "Discussion"
    o: Discussion

    number = property(lambda self: self.o.number)
    title = property(lambda self: self.o.title)
    body = property(lambda self: self.o.body)
    createdAt = property(lambda self: iso(self.o.created_at))
    updatedAt = property(lambda self: iso(self.o.updated_at(self.c.t)))
    upvoteCount = property(lambda self: self.o.upvotes)
    closed = property(lambda self: self.o.closed_at <= self.c.t)
    category = property(lambda self: CategoryNode(self.o.category, self.c))
    author = property(lambda self: actor(self.o.author, self.c))
    repository = property(lambda self: RepositoryNode(self.o.repo, self.c))
    url = property(lambda self: f"{WEB}/{self.o.repo.full_name}/discussions/{self.o.number}")

    @property
    def closedAt(self) -> str | None:
        return iso(self.o.closed_at) if self.o.closed_at <= self.c.t else None

    @property
    def answer(self) -> DiscussionCommentNode | None:
        a = self.o.answer_at(self.c.t)
        return DiscussionCommentNode(a, self.c) if a is not None else None

    @property
    def answerChosenAt(self) -> str | None:
        return iso(self.o.answer_chosen_at) if self.o.answer_chosen_at <= self.c.t else None

    def comments(self, info: Any, **page: Any) -> Any:
        items = [x for x in self.o.comments if x.created_at <= self.c.t]
        return connection(
            ordered_by_created(items), lambda x: DiscussionCommentNode(x, self.c), **page
        )


class DiscussionCommentNode(GNode):
    __slots__ = ()
    TYPENAME = "DiscussionComment"
    o: DiscussionComment

    body = property(lambda self: self.o.body)
    createdAt = property(lambda self: iso(self.o.created_at))
    updatedAt = createdAt
    upvoteCount = property(lambda self: self.o.upvotes)
    author = property(lambda self: actor(self.o.author, self.c))
    discussion = property(lambda self: DiscussionNode(self.o.discussion, self.c))

    @property
    def url(self) -> str:
        d = self.o.discussion
        return f"{WEB}/{d.repo.full_name}/discussions/{d.number}#discussioncomment-{self.o.id}"

    @property
    def isAnswer(self) -> bool:
        return self.o.discussion.answer_at(self.c.t) is self.o

    @property
    def replyTo(self) -> DiscussionCommentNode | None:
        p = self.o.reply_to
        return DiscussionCommentNode(p, self.c) if p is not None else None

    def replies(self, info: Any, **page: Any) -> Any:
        items = [x for x in self.o.replies if x.created_at <= self.c.t]
        return connection(
            ordered_by_created(items), lambda x: DiscussionCommentNode(x, self.c), **page
        )


WRAPPERS: dict[type, type[GNode]] = {
    Issue: IssueNode,
    PullRequest: PullRequestNode,
    IssueComment: IssueCommentNode,
    Review: ReviewNode,
    ReviewComment: ReviewCommentNode,
    Release: ReleaseNode,
    Discussion: DiscussionNode,
    DiscussionComment: DiscussionCommentNode,
    Category: CategoryNode,
    IssueStateEvent: StateEventNode,
    Fork: ForkNode,
}
