"""`PullRequest`, `PullRequestReview`, `PullRequestReviewComment`."""

from __future__ import annotations

from typing import Any

from ...rest.shapes import association
from ...world.entities import (
    PullRequest,
    Review,
    ReviewComment,
)
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
    repository = property(lambda self: repository_node(self.o.repo, self.c))
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
    def headRepository(self) -> GNode | dict | None:
        head = self.o.head_repo
        if head == self.o.repo.full_name:
            return repository_node(self.o.repo, self.c)
        return {"nameWithOwner": head, "name": head.split("/")[1]} if head else None

    def commits(self, info: Any, **page: Any) -> Any:
        return count_only(self.o.commits)

    def comments(self, info: Any, orderBy: dict | None = None, **page: Any) -> Any:
        from .issues import IssueCommentNode

        items = self.o.visible_comments(self.c.t)
        return comments_connection(items, self.c, IssueCommentNode, orderBy, page)

    @property
    def milestone(self) -> dict | None:
        from .issues import milestone

        return milestone(self.o.milestone)

    def assignees(self, info: Any, **page: Any) -> Any:
        people = [u for u in self.o.assignees if not u.is_deleted]
        o = Ordered(people, [(0, u.id) for u in people])
        return connection(o, lambda u: UserNode(u, self.c), **page)

    def labels(self, info: Any, **page: Any) -> Any:
        labels = [label_node(self.o.repo, n, col) for n, col in self.o.labels_at(self.c.t)]
        o = Ordered(labels, [(0, i) for i in range(len(labels))])
        return connection(o, lambda x: x, **page)

    def timelineItems(
        self,
        info: Any,
        itemTypes: list[str] | None = None,
        since: str | None = None,
        **page: Any,
    ) -> Any:
        items = self.o.visible_events(self.c.t)
        return timeline_connection(items, self.c, self.o, itemTypes, since, page)

    def closingIssuesReferences(
        self, info: Any, orderBy: dict | None = None, userLinkedOnly: bool = False, **page: Any
    ) -> Any:
        links = self.o.visible_links(self.c.t)
        if userLinkedOnly:
            links = [x for x in links if x.linked_at > self.o.created_at]
        o = Ordered([x.issue for x in links], [(x.linked_at, x.issue.id) for x in links])
        return connection(o, lambda i: subject_node(i, self.c), **page)

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
    updatedAt = submittedAt  # reviews are never edited here
    authorAssociation = property(lambda self: association(self.o.author))
    commit = property(lambda self: None)  # this world keeps no branch commits
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
