"""Call accounting: what clients asked for and what it cost them."""

from __future__ import annotations

import threading
from collections import Counter


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.requests: Counter[str] = Counter()  # "GET /repos/{owner}/{repo}/issues" -> n
        self.faults: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.rest_calls = 0  # REST requests charged against a budget
        self.graphql_queries = 0
        self.graphql_points = 0
        # Per operation name ("(anonymous)" without one): where the points go.
        self.graphql_operations: dict[str, dict[str, int]] = {}
        self.not_modified = 0
        self.rate_limited = 0
        self.secondary_limited = 0
        self.app_tokens_issued = 0  # GitHub App installation tokens minted
        self.app_tokens_rejected = 0  # requests with an expired or revoked one (401)

    def record(self, endpoint: str, status: int) -> None:
        with self._lock:
            self.requests[endpoint] += 1
            self.statuses[str(status)] += 1

    def add(self, name: str, amount: int = 1) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + amount)

    def graphql(self, operation: str, points: int) -> None:
        with self._lock:
            self.graphql_queries += 1
            self.graphql_points += points
            op = self.graphql_operations.setdefault(operation, {"queries": 0, "points": 0})
            op["queries"] += 1
            op["points"] += points

    def fault(self, kind: str) -> None:
        with self._lock:
            self.faults[kind] += 1

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "requests": dict(self.requests),
                "requests_total": sum(self.requests.values()),
                "statuses": dict(self.statuses),
                "rest_calls": self.rest_calls,
                "graphql_queries": self.graphql_queries,
                "graphql_points": self.graphql_points,
                "graphql_operations": {k: dict(v) for k, v in self.graphql_operations.items()},
                "not_modified": self.not_modified,
                "rate_limited": self.rate_limited,
                "secondary_limited": self.secondary_limited,
                "app_tokens_issued": self.app_tokens_issued,
                "app_tokens_rejected": self.app_tokens_rejected,
                "faults": dict(self.faults),
                "faults_total": sum(self.faults.values()),
            }
