"""`DiscussionCategory`, `Discussion`, `DiscussionComment`."""

from __future__ import annotations

import html
from typing import Any

from ...rest.shapes import association
from ...world.entities import (
    Category,
    Discussion,
    DiscussionComment,
)
from ...world.world import iso
from ..paging import connection, ordered_by_created
from .base import (
    WEB,
    GNode,
    actor,
    count_only,
    repository_node,
)


def _none_yet(info: Any, **page: Any) -> dict:
    """A connection this world never fills (labels and reactions on discussions)."""
    return {**count_only(0), "nodes": [], "edges": []}


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
    updatedAt = createdAt


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
    repository = property(lambda self: repository_node(self.o.repo, self.c))
    url = property(lambda self: f"{WEB}/{self.o.repo.full_name}/discussions/{self.o.number}")
    # Bodies are plain text here; nothing is edited, locked, mailed in or reacted to.
    bodyText = body
    publishedAt = createdAt
    lastEditedAt = property(lambda self: None)
    createdViaEmail = property(lambda self: False)
    locked = property(lambda self: False)
    activeLockReason = property(lambda self: None)
    authorAssociation = property(lambda self: association(self.o.author))

    def labels(self, info: Any, **page: Any) -> dict:
        return _none_yet(info)

    def reactions(self, info: Any, **page: Any) -> dict:
        return _none_yet(info)

    @property
    def isAnswered(self) -> bool | None:
        # GitHub: null outside answerable categories.
        if not self.o.category.is_answerable:
            return None
        return self.o.answer_at(self.c.t) is not None

    @property
    def answerChosenBy(self) -> GNode | None:
        # The discussion's author marks the answer in this world.
        return actor(self.o.author, self.c) if self.answerChosenAt is not None else None

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
    authorAssociation = property(lambda self: association(self.o.author))
    bodyText = body
    bodyHTML = property(lambda self: f"<p>{html.escape(self.o.body)}</p>")
    publishedAt = createdAt
    lastEditedAt = property(lambda self: None)
    deletedAt = property(lambda self: None)
    editor = property(lambda self: None)
    createdViaEmail = property(lambda self: False)
    includesCreatedEdit = property(lambda self: False)
    isMinimized = property(lambda self: False)
    minimizedReason = property(lambda self: None)

    def reactions(self, info: Any, **page: Any) -> dict:
        return _none_yet(info)

    @property
    def resourcePath(self) -> str:
        return self.url.removeprefix(WEB)

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
