"""Small parsers for GitHub's HTTP headers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")
_REL = re.compile(r'rel\s*=\s*"?([^";]+)"?')


def parse_link_header(value: str | None) -> dict[str, str]:
    """RFC 5988 `Link` -> {rel: url}; several rels in one entry ("next last") all map."""
    links: dict[str, str] = {}
    if not value:
        return links
    for match in _LINK.finditer(value):
        url, params = match.group(1), match.group(2)
        rel = _REL.search(params)
        if rel:
            for name in rel.group(1).split():
                links[name] = url
    return links


def parse_retry_after(value: str | None, now: float) -> float | None:
    """`retry-after` as seconds to wait (delta-seconds or an HTTP date); None if absent/bad."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max(parsedate_to_datetime(value).timestamp() - now, 0.0)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class RateLimitHeaders:
    limit: int
    remaining: int
    reset_at: float
    resource: str | None


def parse_rate_limit_headers(headers: Mapping[str, str]) -> RateLimitHeaders | None:
    """The `x-ratelimit-*` headers, or None when the answer carries none (or garbage)."""
    try:
        limit = int(headers["x-ratelimit-limit"])
        remaining = int(headers["x-ratelimit-remaining"])
        reset_at = float(headers["x-ratelimit-reset"])
    except (KeyError, TypeError, ValueError):
        return None
    return RateLimitHeaders(limit, remaining, reset_at, headers.get("x-ratelimit-resource"))
