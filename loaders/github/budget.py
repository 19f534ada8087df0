"""Rate-limit bookkeeping per token and resource (`core`, `graphql`, ...).

Single-threaded by design: the client issues one request at a time, so no locks.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any


@dataclass
class ResourceBudget:
    """What GitHub last told us about one token's budget for one resource."""

    limit: int
    remaining: int
    reset_at: float  # epoch seconds, as in `x-ratelimit-reset`
    observed_at: float  # our (server-adjusted) clock when we learnt it
    #: Points this client spent in the current window; only used for `budget_share`.
    spent_by_client: int = 0

    @property
    def resets_at(self) -> datetime:
        return datetime.fromtimestamp(self.reset_at, tz=timezone.utc)


def epoch_to_datetime(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, tz=timezone.utc)


class Budget:
    """Remaining points per (token, resource) and the spending rules: a reserve that is never
    spent and an optional cap on the share of each hourly limit this client may use."""

    def __init__(
        self,
        token_count: int,
        *,
        reserve: int,
        share: float | None = None,
        now: Callable[[], float],
    ) -> None:
        self.token_count = max(token_count, 1)  # anonymous access still has a budget
        self.reserve = reserve
        self.share = share
        self._now = now
        self._entries: list[dict[str, ResourceBudget]] = [{} for _ in range(self.token_count)]
        #: (token, resource) pairs the server does not rate-limit (GHE with limits disabled).
        self._unlimited: set[tuple[int, str]] = set()
        #: Set by the client: re-reads every token's budget from the free `/rate_limit`.
        self.refresher: Callable[[], None] | None = None

    def ensure_tokens(self, count: int) -> None:
        """Grow to `count` slots (GitHub App installations are discovered at run time)."""
        while len(self._entries) < count:
            self._entries.append({})
        self.token_count = max(self.token_count, count)

    # --- learning -------------------------------------------------------------------------

    def observe(
        self, token: int, resource: str, limit: int, remaining: int, reset_at: float
    ) -> None:
        """Record a budget reading; a later reset time means a new window (share restarts)."""
        self._unlimited.discard((token, resource))
        previous = self._entries[token].get(resource)
        spent = 0
        if previous is not None and reset_at <= previous.reset_at + 1:
            spent = previous.spent_by_client  # same window (GitHub's reset may jitter by 1 s)
        self._entries[token][resource] = ResourceBudget(
            limit=limit,
            remaining=remaining,
            reset_at=reset_at,
            observed_at=self._now(),
            spent_by_client=spent,
        )

    def mark_unlimited(self, token: int, resource: str) -> None:
        self._entries[token].pop(resource, None)
        self._unlimited.add((token, resource))

    def mark_exhausted(self, token: int, resource: str, reset_at: float | None = None) -> None:
        """GitHub said the budget is gone (403/429 remaining 0, GraphQL RATE_LIMITED)."""
        entry = self._entries[token].get(resource)
        if reset_at is None:
            reset_at = entry.reset_at if entry else self._now() + 3600
        limit = entry.limit if entry else 0
        self.observe(token, resource, limit=limit, remaining=0, reset_at=reset_at)

    def record_spend(self, token: int, resource: str, points: int) -> None:
        entry = self._entries[token].get(resource)
        if entry is not None:
            entry.spent_by_client += points

    # --- questions ------------------------------------------------------------------------

    def entry(self, token: int, resource: str) -> ResourceBudget | None:
        return self._entries[token].get(resource)

    def is_known(self, token: int, resource: str) -> bool:
        """False when we never heard about this budget or its window has since reset."""
        if (token, resource) in self._unlimited:
            return True
        entry = self._entries[token].get(resource)
        if entry is None:
            return False
        now = self._now()
        # Only judge staleness when the reading's reset lay in the future when we took it;
        # otherwise our clock and the server's disagree and the reading is all we have.
        return not (entry.reset_at > entry.observed_at and now >= entry.reset_at)

    def unknown_tokens(self, resource: str) -> list[int]:
        return [t for t in range(self.token_count) if not self.is_known(t, resource)]

    def spendable(self, token: int, resource: str) -> float:
        """Points this token may still spend on the resource (inf when not rate-limited)."""
        if (token, resource) in self._unlimited:
            return math.inf
        entry = self._entries[token].get(resource)
        if entry is None or not self.is_known(token, resource):
            return 0
        allowed = float(entry.remaining - self.reserve)
        if self.share is not None:
            allowed = min(allowed, math.floor(self.share * entry.limit) - entry.spent_by_client)
        return max(allowed, 0.0)

    def can_spend(self, resource: str, points: int = 1, token: int | None = None) -> bool:
        """Whether `points` more can be spent without touching the reserve (or the share)."""
        tokens = range(self.token_count) if token is None else [token]
        return any(self.spendable(t, resource) >= points for t in tokens)

    def pick_token(self, resource: str, points: int, only: int | None = None) -> int | None:
        """The token with the most spendable budget that can afford `points`, if any
        (`only`: that token or none, e.g. the installation of a repository's owner)."""
        best: int | None = None
        best_room = -1.0
        for token in range(self.token_count) if only is None else [only]:
            room = self.spendable(token, resource)
            if room >= points and room > best_room:
                best, best_room = token, room
        return best

    def earliest_reset(self, resource: str) -> float | None:
        resets = [e[resource].reset_at for e in self._entries if resource in e]
        return min(resets) if resets else None

    def refresh(self) -> None:
        """Re-read every token's budget from `/rate_limit` (free of charge)."""
        if self.refresher is None:
            raise RuntimeError("this Budget is not attached to a client")
        self.refresher()

    def snapshot(self) -> list[dict[str, Any]]:
        """Per token (by position, never by value): limit, remaining, reset_at per resource."""
        rows: list[dict[str, Any]] = []
        for token, entries in enumerate(self._entries):
            for resource, e in sorted(entries.items()):
                rows.append(
                    {
                        "token": token + 1,
                        "resource": resource,
                        "limit": e.limit,
                        "remaining": e.remaining,
                        "reset_at": e.resets_at.isoformat(),
                        "spent_by_client": e.spent_by_client,
                    }
                )
            for t, resource in sorted(self._unlimited):
                if t == token:
                    rows.append({"token": token + 1, "resource": resource, "limit": None})
        return rows
