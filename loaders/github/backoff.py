"""Exponential backoff with jitter, deterministic under an injected random source."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Delay before retry number `attempt` (0-based): base * 2**attempt, capped, plus up to
    25% jitter so that parallel jobs hitting the same outage do not retry in lockstep."""

    base_seconds: float
    max_seconds: float
    jitter: float = 0.25
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        raw = min(self.base_seconds * (2**attempt), self.max_seconds)
        return raw * (1 + self.rng.uniform(0, self.jitter))
