"""Resolver plumbing: request context, argument helpers, the base wrapper, actors.

Resolver objects are thin wrappers exposing a world entity under GitHub's field names as
of the request's clock; fields with arguments (connections) are methods."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...rest.paging import BadRequest, parse_time
from ...world.entities import (
    Repo,
    User,
)
from ...world.ids import node_id
from ...world.world import World

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

    isSiteAdmin = property(lambda self: False)  # GitHub staff: nobody in this world

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


def label_node(repo: Repo, name: str, color: str) -> dict:
    """A repository label as GraphQL's `Label` (REST: `serialize.labels`)."""
    path = f"/{repo.full_name}/labels/{name}"
    return {
        "id": node_id("Repository", f"label:{repo.id}:{name}"),
        "name": name,
        "color": color,
        "description": f"Issues and pull requests about {name}",
        "isDefault": False,
        "url": WEB + path,
        "resourcePath": path,
        "createdAt": None,
        "updatedAt": None,
    }


def count_only(n: int) -> dict:
    return {
        "totalCount": n,
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
    }


def repository_node(repo: Repo, c: Ctx) -> GNode:
    from .repository import RepositoryNode  # late: repository.py imports every item type

    return RepositoryNode(repo, c)
