"""Time helpers and connection paging shared by the resource fetchers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from loaders.github import GitHubClient
from loaders.sources.rows import dig

#: Re-read this much before a cursor: GitHub's search indexes (and `updatedAt`) can lag a
#: little behind writes, so an item updated just before the last sync may surface late.
CURSOR_LAG = timedelta(minutes=5)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def later(a: str | None, b: str | None) -> str | None:
    """The later of two ISO timestamps (None-tolerant): cursors never move backwards."""
    if a is None:
        return b
    if b is None:
        return a
    return a if parse_iso(a) >= parse_iso(b) else b  # type: ignore[operator]


def shift(value: str, delta: timedelta) -> str:
    moment = parse_iso(value)
    assert moment is not None
    return iso(moment + delta)


def is_before(value: str | None, bound: str | None) -> bool:
    """Whether `value` lies strictly before `bound` (unknown values are never 'before')."""
    if value is None or bound is None:
        return False
    return parse_iso(value) < parse_iso(bound)  # type: ignore[operator]


def page_connection(
    client: GitHubClient,
    query: str,
    variables: dict[str, Any],
    path: tuple[str, ...],
    *,
    page_size: int = 100,
    forward: bool = True,
    first_page: dict[str, Any] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every page (the connection object) of `path` in `query`, forwards or from the tail.

    `first_page` is a connection already fetched (e.g. nested in its parent): paging then
    continues from its cursor. Page size halves on GitHub timeouts (`graphql_adaptive`).
    """
    size_var, cursor_var = ("first", "after") if forward else ("last", "before")
    connection = first_page
    if connection is not None:
        yield connection
    while True:
        if connection is not None:
            info = connection.get("pageInfo") or {}
            more = info.get("hasNextPage") if forward else info.get("hasPreviousPage")
            cursor = info.get("endCursor") if forward else info.get("startCursor")
            if not more or not cursor:
                return
            variables = {**variables, cursor_var: cursor}
        result = client.graphql_adaptive(
            query, variables, page_size=page_size, page_size_variable=size_var
        )
        page_size = result.page_size or page_size
        connection = dig(result.data, *path)
        if not isinstance(connection, dict):
            return  # the parent vanished (deleted meanwhile): nothing more to page
        yield connection


def take_while(items: list[Any], keep: Callable[[Any], bool]) -> tuple[list[Any], bool]:
    """Leading items satisfying `keep`, and whether the run stopped early (cursor reached)."""
    for i, item in enumerate(items):
        if not keep(item):
            return items[:i], True
    return items, False
