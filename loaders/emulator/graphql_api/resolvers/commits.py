"""`Commit` (with `history`) and `Release`."""

from __future__ import annotations

from typing import Any

from ...world.entities import (
    Commit,
    Release,
)
from ...world.views import Ordered
from ...world.world import iso
from ..paging import connection
from .base import (
    WEB,
    GNode,
    _since,
    count_only,
    user_only,
)


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
    isDraft = property(lambda self: self.o.draft_at(self.c.t))
    isPrerelease = property(lambda self: self.o.is_prerelease)
    author = property(lambda self: user_only(self.o.author, self.c))
    createdAt = property(lambda self: iso(self.o.created_at))
    url = property(lambda self: f"{WEB}/{self.o.repo.full_name}/releases/tag/{self.o.tag}")

    @property
    def publishedAt(self) -> str | None:
        p = self.o.published_at
        return iso(p) if p is not None and p <= self.c.t else None

    # The REST body's text (`Changes in <tag>`); no release has assets, reactions, mentions
    # or a resolvable tag commit in this world.
    description = property(lambda self: f"Changes in {self.o.tag}")
    descriptionHTML = property(lambda self: f"<p>Changes in {self.o.tag}</p>")
    tagCommit = property(lambda self: None)

    @property
    def updatedAt(self) -> str:
        return self.publishedAt or self.createdAt

    @property
    def reactionGroups(self) -> list[dict]:
        # GitHub lists every reaction kind, with zero reactors where nobody reacted.
        return [
            {"content": kind, "createdAt": None, "reactors": {"totalCount": 0}}
            for kind in REACTION_KINDS
        ]

    def releaseAssets(self, info: Any, **page: Any) -> dict:
        return {**count_only(0), "nodes": []}

    def mentions(self, info: Any, **page: Any) -> dict:
        return {**count_only(0), "nodes": [], "edges": []}


REACTION_KINDS = (
    "THUMBS_UP",
    "THUMBS_DOWN",
    "LAUGH",
    "HOORAY",
    "CONFUSED",
    "HEART",
    "ROCKET",
    "EYES",
)
