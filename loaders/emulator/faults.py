"""Faults on demand: by rate (seeded, so runs repeat) or by script (the next N matching
requests). Kinds: `502`, `504`, `500`, `slow` (delay, then a normal answer), `drop`
(connection closed without an answer), `malformed` (HTTP 200 with broken JSON),
`401` (as if the token were bad), and GitHub's other documented failure shapes
(see `core.py`, `_shaped_fault`): `502_html`/`504_html` (an HTML page, not JSON),
`secondary`/`secondary_429` (a secondary limit without `retry-after`), GraphQL answers with
HTTP 200: `rate_limited`, `max_node_limit`, `resource_limits`, `timeout_200` ("Something
went wrong while executing your query...", no data) and `partial` (the real answer with its
first top-level field nulled by that same timeout error)."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

KINDS = frozenset(
    {
        *("502", "504", "500", "slow", "drop", "malformed", "401"),
        *("502_html", "504_html", "secondary", "secondary_429"),
        *("rate_limited", "max_node_limit", "resource_limits", "timeout_200", "partial"),
    }
)


@dataclass
class Fault:
    kind: str
    delay_ms: int = 0


@dataclass
class _Script:
    kind: str
    match: str  # substring of the path ("" matches everything)
    remaining: int
    delay_ms: int


@dataclass
class _Rate:
    kinds: tuple[str, ...]
    rate: float
    match: str
    delay_ms: int


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(KINDS)}")
    return kind


class FaultInjector:
    def __init__(self, seed: int = 0) -> None:
        self._scripts: list[_Script] = []
        self._rates: list[_Rate] = []
        self._rng = random.Random(f"faults:{seed}")
        self._lock = threading.Lock()

    def configure(self, spec: dict) -> None:
        """Spec (JSON of `POST /_emulator/faults`):
        `{"script": [{"kind": "502", "match": "/graphql", "count": 2}],
          "rate": {"kinds": ["502", "504"], "rate": 0.1, "match": ""},
          "delay_ms": 1500, "clear": true}`."""
        with self._lock:
            if spec.get("clear"):
                self._scripts.clear()
                self._rates.clear()
            default_delay = int(spec.get("delay_ms", 1000))
            for s in spec.get("script") or ():
                self._scripts.append(
                    _Script(
                        _check_kind(str(s["kind"])),
                        str(s.get("match", "")),
                        int(s.get("count", 1)),
                        int(s.get("delay_ms", default_delay)),
                    )
                )
            r = spec.get("rate")
            if r:
                kinds = tuple(_check_kind(str(k)) for k in r.get("kinds", ["502"]))
                rate = float(r.get("rate", 0.0))
                if not 0.0 <= rate <= 1.0:
                    raise ValueError("fault rate must be within [0, 1]")
                self._rates.append(
                    _Rate(
                        kinds, rate, str(r.get("match", "")), int(r.get("delay_ms", default_delay))
                    )
                )

    def clear(self) -> None:
        self.configure({"clear": True})

    def draw(self, path: str) -> Fault | None:
        """The fault to apply to this request, if any (scripts first, in order)."""
        with self._lock:
            for s in self._scripts:
                if s.remaining > 0 and s.match in path:
                    s.remaining -= 1
                    if s.remaining == 0:
                        self._scripts.remove(s)
                    return Fault(s.kind, s.delay_ms)
            for r in self._rates:
                if r.match in path and self._rng.random() < r.rate:
                    return Fault(self._rng.choice(r.kinds), r.delay_ms)
        return None
