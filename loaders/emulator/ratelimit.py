"""Per-token budgets (REST `core` and `graphql` separately) and secondary limits.

Primary windows run on the world's virtual clock: a budget resets one virtual hour after
its window opened, so a test exhausts a budget and then `advance(1)`s instead of sleeping.
Secondary limits (concurrency, points per minute) are about bursts, so they use the
wall clock.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

WINDOW = 3_600


@dataclass
class Limits:
    core: int = 5_000
    graphql: int = 5_000
    max_concurrent: int = 100
    # GitHub: 900 points/min for REST, 2,000 for GraphQL (a REST GET is 1 point).
    core_per_minute: int = 900
    graphql_per_minute: int = 2_000
    retry_after: int = 60  # seconds announced on a secondary-limit answer
    rest_exhausted_status: int = 403  # GitHub answers 403 or 429 when `core` is spent


@dataclass
class Bucket:
    limit: int
    used: int = 0
    reset: int = 0  # virtual epoch seconds; 0: window not opened yet


@dataclass
class TokenState:
    buckets: dict[str, Bucket]
    in_flight: int = 0
    # Points spent in the last wall-clock minute: (time, points) entries and their sum.
    recent: dict[str, deque] = field(default_factory=lambda: {"core": deque(), "graphql": deque()})
    recent_sum: dict[str, int] = field(default_factory=lambda: {"core": 0, "graphql": 0})


@dataclass(frozen=True)
class Verdict:
    ok: bool
    bucket: Bucket
    reason: str = ""  # "" | "primary" | "secondary"


class RateLimiter:
    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._tokens: dict[str, TokenState] = {}
        self._lock = threading.Lock()

    def configure(self, **changes: int) -> None:
        """Change limits; existing buckets take the new primary limits at once."""
        with self._lock:
            for key, value in changes.items():
                if not hasattr(self.limits, key):
                    raise ValueError(f"unknown budget setting {key!r}")
                setattr(self.limits, key, int(value))
            for st in self._tokens.values():
                st.buckets["core"].limit = self.limits.core
                st.buckets["graphql"].limit = self.limits.graphql

    def reset(self) -> None:
        with self._lock:
            self._tokens.clear()

    def _state(self, token: str) -> TokenState:
        st = self._tokens.get(token)
        if st is None:
            st = TokenState(
                {"core": Bucket(self.limits.core), "graphql": Bucket(self.limits.graphql)}
            )
            self._tokens[token] = st
        return st

    def _bucket(self, st: TokenState, resource: str, now: int) -> Bucket:
        b = st.buckets[resource]
        if b.reset == 0 or now >= b.reset:
            b.used, b.reset = 0, now + WINDOW
        return b

    def peek(self, token: str, resource: str, now: int) -> Bucket:
        with self._lock:
            b = self._bucket(self._state(token), resource, now)
            return Bucket(b.limit, b.used, b.reset)

    def enter(self, token: str) -> bool:
        """Count an in-flight request; False when over the concurrency limit."""
        with self._lock:
            st = self._state(token)
            st.in_flight += 1
            return st.in_flight <= self.limits.max_concurrent

    def leave(self, token: str) -> None:
        with self._lock:
            self._state(token).in_flight -= 1

    def charge(self, token: str, resource: str, points: int, now: int) -> Verdict:
        """Charge `points` if the budget allows; primary exhaustion charges nothing."""
        with self._lock:
            st = self._state(token)
            b = self._bucket(st, resource, now)
            if b.used + points > b.limit:
                return Verdict(False, Bucket(b.limit, b.used, b.reset), "primary")
            per_minute = (
                self.limits.core_per_minute
                if resource == "core"
                else self.limits.graphql_per_minute
            )
            recent, wall = st.recent[resource], time.monotonic()
            while recent and recent[0][0] < wall - 60:
                st.recent_sum[resource] -= recent.popleft()[1]
            if st.recent_sum[resource] + points > per_minute:
                return Verdict(False, Bucket(b.limit, b.used, b.reset), "secondary")
            recent.append((wall, points))
            st.recent_sum[resource] += points
            b.used += points
            return Verdict(True, Bucket(b.limit, b.used, b.reset))
