"""As-of-time views of one repository: visible items in the orders clients ask for.

Orders are lists of items plus parallel ascending sort keys `(k, id)` (negated for
descending orders), so both REST offsets and GraphQL key-based cursors slice in O(page)
after one O(n log n) sort per (repository, clock tick, order).
"""

from __future__ import annotations

import base64
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from .feed import feed
from .languages import repository_languages
from .repodata import RepoData

Key = tuple[int, int]


@dataclass(slots=True)
class Ordered:
    items: list
    keys: list[Key]

    def filtered(self, keep: Callable[[object], bool]) -> Ordered:
        pairs = [(i, k) for i, k in zip(self.items, self.keys, strict=True) if keep(i)]
        return Ordered([p[0] for p in pairs], [p[1] for p in pairs])


def encode_cursor(key: Key) -> str:
    return base64.b64encode(f"cursor:v2:{key[0]},{key[1]}".encode()).decode()


def decode_cursor(cursor: str) -> Key | None:
    try:
        raw = base64.b64decode(cursor.encode(), validate=True).decode()
        a, b = raw.removeprefix("cursor:v2:").split(",")
        return int(a), int(b)
    except (ValueError, UnicodeDecodeError):
        return None


@dataclass(slots=True)
class Page:
    items: list
    keys: list[Key]
    total: int
    has_next: bool
    has_previous: bool


def slice_page(
    o: Ordered, first: int | None, after: Key | None, last: int | None, before: Key | None
) -> Page:
    lo = bisect_right(o.keys, after) if after is not None else 0
    hi = bisect_left(o.keys, before) if before is not None else len(o.keys)
    hi = max(hi, lo)
    a, b = lo, hi
    if first is not None:
        b = min(hi, lo + first)
    if last is not None:
        a = max(a, b - last)
    has_next = b < hi if first is not None else hi < len(o.keys)
    has_previous = a > lo if last is not None else lo > 0
    return Page(o.items[a:b], o.keys[a:b], len(o.keys), has_next, has_previous)


class RepoView:
    def __init__(self, data: RepoData, t: int) -> None:
        self.data, self.t = data, t
        self._orders: dict[tuple, Ordered] = {}
        self._languages: list[tuple[str, int]] | None = None

    def languages(self) -> list[tuple[str, int]]:
        """(language, bytes) largest first, as of the clock (see languages.py)."""
        if self._languages is None:
            self._languages = repository_languages(self.data.repo, self.visible("commits"))
        return self._languages

    def visible(self, kind: str) -> list:
        return self.data.visible(kind, self.t)

    def ordered(self, kind: str, field: str = "CREATED_AT", direction: str = "ASC") -> Ordered:
        """Visible items of `kind` ordered by CREATED_AT | UPDATED_AT | COMMENTS."""
        cache_key = (kind, field, direction)
        o = self._orders.get(cache_key)
        if o is not None:
            return o
        t = self.t
        items = self.visible(kind)
        if field in ("UPDATED_AT", "COMMENTS"):
            if field == "UPDATED_AT":
                keyed = sorted(((it.updated_at(t), it.id), it) for it in items)
            else:  # issues by visible comment count (pull requests carry none here)
                keyed = sorted(((_comment_count(it, t), it.id), it) for it in items)
            keys = [k for k, _ in keyed]
            items = [it for _, it in keyed]
        else:
            # Generation order is time order, but ties within a second need the identity
            # tiebreak too (bisect needs sorted keys); timsort is linear on sorted input.
            keys = [(_created(it), _ident(it)) for it in items]
            order = sorted(range(len(keys)), key=keys.__getitem__)
            keys = [keys[i] for i in order]
            items = [items[i] for i in order]
        if direction == "DESC":
            items = items[::-1]
            keys = [(-a, -b) for a, b in reversed(keys)]
        o = Ordered(items, keys)
        if len(self._orders) > 256:
            self._orders.clear()
        self._orders[cache_key] = o
        return o

    def select(
        self,
        kind: str,
        field: str,
        direction: str,
        filter_key: tuple = (),
        keep: Callable[[object], bool] | None = None,
    ) -> Ordered:
        """`ordered(...)` narrowed by `keep`; cached under `filter_key` (e.g. ("since", t))."""
        base = self.ordered(kind, field, direction)
        if keep is None or not filter_key:
            return base
        cache_key = (kind, field, direction, *filter_key)
        o = self._orders.get(cache_key)
        if o is None:
            o = base.filtered(keep)
            if len(self._orders) > 256:
                self._orders.clear()
            self._orders[cache_key] = o
        return o

    def events(self, window: int = 30 * 86_400, limit: int = 300) -> list:
        """REST events feed: newest first, last `window` seconds, at most `limit`."""
        key = ("events", window, limit)
        cached = self._orders.get(key)
        if cached is None:
            cached = Ordered(feed(self.data, self.t, window, limit), [])
            self._orders[key] = cached
        return cached.items


def _comment_count(it: object, t: int) -> int:
    visible = getattr(it, "visible_comments", None)
    return len(visible(t)) if visible is not None else 0


def _created(it: object) -> int:
    for attr in ("created_at", "starred_at", "committed_at"):
        v = getattr(it, attr, None)
        if v is not None:
            return v
    raise TypeError(type(it).__name__)


def _ident(it: object) -> int:
    v = getattr(it, "id", None)
    if isinstance(v, int):
        return v
    u = getattr(it, "user", None)  # stars
    if u is not None:
        return u.id
    return int(it.sha[:12], 16)  # commits
