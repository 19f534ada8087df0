"""GitHub's secondary rate limits, shared by every client of the process on one API host.

GitHub allows no more than 100 concurrent requests (REST and GraphQL together), no more
than 900 points per minute on REST endpoints and 2,000 on the GraphQL endpoint, where a
GET and a GraphQL query without mutations are 1 point each:
https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api
Load workers each own a client (one thread each); this is what they share, so the sum of
their requests stays within those limits instead of each worker's alone.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

#: Defaults from GitHub's page above.
MAX_CONCURRENT = 100
POINTS_PER_MINUTE = {"rest": 900, "graphql": 2000}
WINDOW_SECONDS = 60.0


class Throttle:
    """Concurrency and points-per-minute gate; thread-safe. `clock`/`sleep` are injectable
    so tests never wait a real minute."""

    def __init__(
        self,
        max_concurrent: int = MAX_CONCURRENT,
        per_minute: Mapping[str, int] | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_concurrent < 1:
            raise ValueError("max_concurrent must be at least 1")
        self.max_concurrent = max_concurrent
        self.per_minute = dict(POINTS_PER_MINUTE if per_minute is None else per_minute)
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition()
        self._in_flight = 0
        self._recent: dict[str, deque[float]] = {k: deque() for k in self.per_minute}
        #: How often a request waited for the per-minute window, and the seconds waited.
        self.waits = 0
        self.waited_seconds = 0.0
        self.peak_in_flight = 0

    @contextmanager
    def slot(self, kind: str) -> Iterator[None]:
        """Hold one of the concurrent slots while a request of `kind` ("rest", "graphql";
        anything else: concurrency only) is in flight."""
        self._acquire(kind)
        try:
            yield
        finally:
            with self._cond:
                self._in_flight -= 1
                self._cond.notify()

    def _acquire(self, kind: str) -> None:
        limit = self.per_minute.get(kind)
        while True:
            with self._cond:
                while self._in_flight >= self.max_concurrent:
                    self._cond.wait()
                now = self._clock()
                recent = self._recent.get(kind)
                if recent is not None:
                    while recent and recent[0] <= now - WINDOW_SECONDS:
                        recent.popleft()
                if recent is None or limit is None or len(recent) < limit:
                    if recent is not None:
                        recent.append(now)
                    self._in_flight += 1
                    self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
                    return
                wait = recent[0] + WINDOW_SECONDS - now
                self.waits += 1
                self.waited_seconds += wait
            self._sleep(wait)  # outside the lock: other kinds and releases go on


_SHARED: dict[tuple, Throttle] = {}
_SHARED_LOCK = threading.Lock()


def shared_throttle(api_url: str, max_concurrent: int, per_minute: Mapping[str, int]) -> Throttle:
    """The process-wide throttle of `api_url` and these limits (every client configured
    alike shares one)."""
    key = (api_url, max_concurrent, tuple(sorted(per_minute.items())))
    with _SHARED_LOCK:
        throttle = _SHARED.get(key)
        if throttle is None:
            throttle = _SHARED[key] = Throttle(max_concurrent, per_minute)
        return throttle
