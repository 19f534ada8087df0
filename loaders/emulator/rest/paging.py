"""REST paging: `per_page` (max 100), `page`, and RFC 5988 `Link` headers."""

from __future__ import annotations

import base64
import calendar
import time
from urllib.parse import urlencode


class BadRequest(Exception):
    """Answered as GitHub does for invalid parameters (422 Validation Failed)."""


def parse_time(value: str) -> int:
    """ISO 8601 (`2024-01-02T03:04:05Z`, also a date or an offset-less time) -> epoch."""
    v = value.strip().replace("+00:00", "Z")
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return calendar.timegm(time.strptime(v, fmt))
        except ValueError:
            continue
    raise BadRequest(f"invalid timestamp {value!r}")


def page_params(query: dict[str, str]) -> tuple[int, int]:
    try:
        per_page = int(query.get("per_page", 30))
        page = int(query.get("page", 1))
    except ValueError as exc:
        raise BadRequest("per_page and page must be integers") from exc
    return max(1, min(per_page, 100)), max(1, page)


def paginate(items: list, query: dict[str, str], url: str) -> tuple[list, str | None]:
    """Slice one page and build the `Link` header (None when everything fits in one page)."""
    per_page, page = page_params(query)
    total = len(items)
    last = max(1, -(-total // per_page))
    chunk = items[(page - 1) * per_page : page * per_page]
    if last == 1 and page == 1:
        return chunk, None

    def link(n: int, rel: str) -> str:
        q = {**query, "per_page": str(per_page), "page": str(n)}
        return f'<{url}?{urlencode(q)}>; rel="{rel}"'

    rels = []
    if page < last:
        rels += [link(page + 1, "next"), link(last, "last")]
    if page > 1:
        rels += [link(1, "first"), link(min(page - 1, last), "prev")]
    return chunk, ", ".join(rels) or None


def _cursor(offset: int) -> str:
    return base64.b64encode(f"cursor:v2:{offset}".encode()).decode()


def _offset(cursor: str) -> int:
    try:
        kind, _, number = base64.b64decode(cursor).decode().rpartition(":")
        if kind != "cursor:v2":
            raise ValueError
        return max(0, int(number))
    except ValueError as exc:
        raise BadRequest(f"invalid cursor {cursor!r}") from exc


def paginate_cursor(items: list, query: dict[str, str], url: str) -> tuple[list, str | None]:
    """Cursor paging, as GitHub's repository issue list answers: `Link` carries `after`
    (next) and `before` (prev) cursors instead of page numbers, and no `last`; `page`
    is still accepted for the first pages."""
    per_page, page = page_params(query)
    if "after" in query:
        start = _offset(query["after"])
    elif "before" in query:
        start = max(0, _offset(query["before"]) - per_page)
    else:
        start = (page - 1) * per_page
    end = start + per_page
    chunk = items[start:end]
    base = {k: v for k, v in query.items() if k not in ("page", "after", "before")}
    base["per_page"] = str(per_page)
    rels = []
    if end < len(items):
        rels.append(f'<{url}?{urlencode({**base, "after": _cursor(end)})}>; rel="next"')
    if start > 0:
        rels.append(f'<{url}?{urlencode({**base, "before": _cursor(start)})}>; rel="prev"')
    return chunk, ", ".join(rels) or None
