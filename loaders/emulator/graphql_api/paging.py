"""Relay connections over `Ordered` lists with key-based cursors."""

from __future__ import annotations

from collections.abc import Callable

from graphql import GraphQLError

from ..world.views import Ordered, Page, decode_cursor, encode_cursor, slice_page

MAX_PAGE = 100


def ordered_by_created(items: list) -> Ordered:
    return Ordered(items, [(x.created_at, x.id) for x in items])


def page_of(
    o: Ordered, first: int | None, after: str | None, last: int | None, before: str | None
) -> Page:
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE:
            # Normally caught before execution (see cost.py); kept for direct callers.
            raise GraphQLError(
                f"Requesting {value} records on the connection exceeds the "
                f"`{name}` limit of {MAX_PAGE} records."
            )
    a = b = None
    if after is not None:
        a = decode_cursor(after)
        if a is None:
            raise GraphQLError(f"`{after}` does not appear to be a valid cursor.")
    if before is not None:
        b = decode_cursor(before)
        if b is None:
            raise GraphQLError(f"`{before}` does not appear to be a valid cursor.")
    return slice_page(o, first, a, last, b)


class Connection:
    """Lazily wraps only what the query selects (totalCount alone costs nothing)."""

    __slots__ = ("_edge_extra", "_nodes", "_page", "_wrap")

    def __init__(
        self,
        page: Page,
        wrap: Callable[[object], object],
        edge_extra: Callable[[object], dict] | None = None,
    ) -> None:
        self._page, self._wrap, self._edge_extra = page, wrap, edge_extra
        self._nodes: list | None = None

    @property
    def totalCount(self) -> int:
        return self._page.total

    @property
    def pageInfo(self) -> dict:
        p = self._page
        return {
            "hasNextPage": p.has_next,
            "hasPreviousPage": p.has_previous,
            "startCursor": encode_cursor(p.keys[0]) if p.keys else None,
            "endCursor": encode_cursor(p.keys[-1]) if p.keys else None,
        }

    @property
    def nodes(self) -> list:
        if self._nodes is None:
            self._nodes = [self._wrap(x) for x in self._page.items]
        return self._nodes

    @property
    def edges(self) -> list[dict]:
        extra = self._edge_extra
        return [
            {"cursor": encode_cursor(k), "node": n, **(extra(x) if extra else {})}
            for k, n, x in zip(self._page.keys, self.nodes, self._page.items, strict=True)
        ]


def connection(
    o: Ordered,
    wrap: Callable[[object], object],
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    edge_extra: Callable[[object], dict] | None = None,
) -> Connection:
    return Connection(page_of(o, first, after, last, before), wrap, edge_extra)
