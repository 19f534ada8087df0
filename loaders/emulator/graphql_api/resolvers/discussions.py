"""`DiscussionCategory`, `Discussion`, `DiscussionComment`."""

from __future__ import annotations

from typing import Any

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
    repository_node,
)


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
    repository = property(lambda self: repository_node(self.o.repo, self.c))
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
