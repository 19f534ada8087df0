"""Classify GraphQL `errors` entries and decide whether `data` is still worth returning."""

from __future__ import annotations

from typing import Any

from loaders.github.errors import GraphQLError

RATE_LIMITED = "rate_limited"
NOT_FOUND = "not_found"
TIMEOUT = "timeout"
TOO_LARGE = "too_large"
OTHER = "other"

# GitHub reports an execution timeout with HTTP 200 and this kind of message, no `type`.
_TIMEOUT_HINTS = ("timeout", "timed out", "something went wrong while executing your query")


def classify_error(error: Any) -> GraphQLError:
    if not isinstance(error, dict):
        return GraphQLError(kind=OTHER, type=None, message=str(error))
    extensions = error.get("extensions") if isinstance(error.get("extensions"), dict) else {}
    error_type = error.get("type") or extensions.get("code")
    message = str(error.get("message", ""))
    lowered = message.lower()
    path = tuple(p for p in error.get("path") or () if isinstance(p, (str, int)))
    if error_type == "RATE_LIMITED" or "api rate limit exceeded" in lowered:
        kind = RATE_LIMITED
    elif error_type == "NOT_FOUND":
        kind = NOT_FOUND
    elif error_type == "MAX_NODE_LIMIT_EXCEEDED":
        kind = TOO_LARGE
    elif error_type == "RESOURCE_LIMITS_EXCEEDED" or any(h in lowered for h in _TIMEOUT_HINTS):
        # Too heavy for GitHub this time: retried, then a smaller page (like a timeout).
        kind = TIMEOUT
    else:
        kind = OTHER
    return GraphQLError(kind=kind, type=error_type, message=message, path=path, raw=error)


def classify_errors(errors: Any) -> list[GraphQLError]:
    if not errors:
        return []
    if not isinstance(errors, list):
        errors = [errors]
    return [classify_error(e) for e in errors]


def find_rate_limit_block(data: Any) -> tuple[str, dict[str, Any]] | None:
    """The `rateLimit { ... }` selection (under any alias), if the query asked for it."""
    if not isinstance(data, dict):
        return None
    for key, value in data.items():
        if isinstance(value, dict) and "remaining" in value and "resetAt" in value:
            return key, value
    return None


def has_usable_data(data: Any) -> bool:
    """True when some top-level field besides `rateLimit` came back non-null."""
    if not isinstance(data, dict):
        return False
    block = find_rate_limit_block(data)
    skip = block[0] if block else None
    return any(value is not None for key, value in data.items() if key != skip)
