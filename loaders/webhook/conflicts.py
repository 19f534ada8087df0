"""Concurrent deliveries that collide in the database: recognise the collision, try again.

Two deliveries applied at the same time can touch the same rows (the add-on of a workspace,
its backfill claim, a replayed `webhook-id`). PostgreSQL makes the later one wait for the
earlier one's row locks, or fails it with a unique violation once the earlier commits;
DuckDB fails it at once ("Conflict on update", a duplicate key). Either way the loser's
transaction changed nothing, so running the whole delivery again is safe, and the second
time it sees what the winner committed (the job, the recorded `webhook-id`).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger("loaders.webhook")

T = TypeVar("T")
#: PostgreSQL SQLSTATEs of a lost race: unique_violation, serialization_failure, deadlock.
_PG_RACE_CODES = frozenset({"23505", "40001", "40P01"})


def is_write_conflict(error: BaseException) -> bool:
    """Whether `error` is another transaction winning a race, not a bug or bad data."""
    if getattr(error, "pgcode", None) in _PG_RACE_CODES:
        return True
    kind = type(error).__name__
    text = str(error)
    if kind == "TransactionException":
        # duckdb: "Conflict on update!", or at commit "Failed to commit: PRIMARY KEY or
        # UNIQUE constraint violation: duplicate key" (a concurrent insert of the same key).
        return "onflict" in text or "duplicate key" in text
    # duckdb: a concurrent transaction inserted the same key first, seen at insert time.
    return kind == "ConstraintException" and "uplicate key" in text


def retry_on_conflict(
    action: Callable[[], T],
    *,
    attempts: int = 60,
    pause: Callable[[int], float] | None = None,
) -> T:
    """`action()`, run again after a short random pause while it loses races (at most
    `attempts` times: 60 tries with pauses of 5-50 ms give ~2 s to a crowd of deliveries)."""
    pause = pause or (lambda _attempt: random.uniform(0.005, 0.05))
    for attempt in range(1, attempts + 1):
        try:
            return action()
        except Exception as exc:
            if attempt == attempts or not is_write_conflict(exc):
                raise
            log.info("a concurrent delivery won a race (%s); trying again", type(exc).__name__)
            time.sleep(pause(attempt))
    raise AssertionError("unreachable")  # pragma: no cover
