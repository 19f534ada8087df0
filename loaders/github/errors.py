"""Classified failures of the GitHub client.

Messages name tokens by position only; callers can log `str(exc)` safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class GitHubError(Exception):
    """Base of every error the client raises."""


class BudgetExhausted(GitHubError):
    """Spending the next request would cut into the reserve (or the caller's share) on every
    token. The caller commits what it has, defers the rest and exits cleanly."""

    def __init__(self, resource: str, resets_at: datetime | None, detail: str = "") -> None:
        self.resource = resource
        self.resets_at = resets_at
        when = resets_at.isoformat() if resets_at else "an unknown time"
        message = f"GitHub {resource} budget exhausted down to the reserve; it resets at {when}"
        super().__init__(f"{message} ({detail})" if detail else message)


class BadCredentials(GitHubError):
    """HTTP 401: the token is wrong or revoked. Never retried."""

    def __init__(self, token_position: int, token_label: str) -> None:
        self.token_position = token_position  # 1-based, as a human counts
        super().__init__(f"GitHub rejected {token_label}: 401 Bad credentials")


class NotFound(GitHubError):
    """404/410 from REST or a GraphQL NOT_FOUND with nothing usable in `data`."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(f"not found on GitHub: {what}")


class RepositoryRenamed(GitHubError):
    """A repository answered with a permanent redirect the caller asked not to follow."""

    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new
        super().__init__(f"repository moved: {old} -> {new}")


class TransientError(GitHubError):
    """502/503/504, timeouts, dropped connections or garbled bodies that outlived the retries."""

    def __init__(self, what: str, attempts: int) -> None:
        self.attempts = attempts
        super().__init__(f"{what} (gave up after {attempts} attempts)")


class GraphQLTimeout(TransientError):
    """GitHub gave up on the query (502/504 or a timeout error): retry with a smaller page."""


class SecondaryRateLimited(GitHubError):
    """A secondary (abuse) limit asked for a longer pause than the client may wait."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(f"GitHub secondary rate limit: retry after {retry_after:.0f} s")


class QueryTooLarge(GitHubError):
    """A GraphQL query over GitHub's 500,000-node limit (our count before sending, or
    GitHub's MAX_NODE_LIMIT_EXCEEDED): never retried; the query must ask for less."""

    def __init__(self, what: str, nodes: int | None, limit: int) -> None:
        self.nodes = nodes
        counted = f"up to {nodes:,} nodes" if nodes is not None else "too many nodes"
        super().__init__(
            f"GraphQL {what} asks for {counted}, over GitHub's limit of {limit:,} per query: "
            "use smaller page sizes (first/last) or fewer aliases per query"
        )


class Forbidden(GitHubError):
    """403 that is not a rate limit (e.g. resource not accessible by this token)."""

    def __init__(self, what: str, message: str) -> None:
        self.what = what
        super().__init__(f"forbidden: {what}: {message}")


class UnexpectedStatus(GitHubError):
    """Any other non-success HTTP status (422, 400, ...)."""

    def __init__(self, status: int, what: str, message: str) -> None:
        self.status = status
        super().__init__(f"HTTP {status} for {what}: {message}")


@dataclass(frozen=True)
class GraphQLError:
    """One entry of a GraphQL `errors` list, classified."""

    kind: str  # "rate_limited" | "not_found" | "timeout" | "too_large" | "other"
    type: str | None
    message: str
    path: tuple[str | int, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


class GraphQLErrors(GitHubError):
    """GraphQL answered with errors and no usable data."""

    def __init__(self, errors: list[GraphQLError]) -> None:
        self.errors = errors
        summary = "; ".join(f"{e.type or e.kind}: {e.message}" for e in errors[:3])
        more = f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
        super().__init__(f"GraphQL errors: {summary}{more}")
