"""Counters of what the client spent, for benchmarks and the CLI summary."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_REPO_PREFIX = re.compile(r"^/repos/[^/]+/[^/]+")
_SHA = re.compile(r"^[0-9a-f]{7,40}$")
_OPERATION = re.compile(r"^\s*(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)")


def endpoint_key(path: str) -> str:
    """Group REST paths by shape: `/repos/a/b/issues/7` -> `/repos/{owner}/{repo}/issues/{n}`."""
    path = path.split("?", 1)[0]
    path = _REPO_PREFIX.sub("/repos/{owner}/{repo}", path)
    parts = []
    for part in path.split("/"):
        if part.isdigit():
            part = "{n}"
        elif _SHA.match(part) and any(c.isdigit() for c in part):
            part = "{sha}"
        parts.append(part)
    return "/".join(parts)


def graphql_key(query: str) -> str:
    """`graphql:<operation name>` when the query is named, else `graphql`."""
    match = _OPERATION.match(query)
    return f"graphql:{match.group(1)}" if match else "graphql"


@dataclass
class EndpointStats:
    calls: int = 0
    #: Charged (GitHub's `rateLimit.cost` when it says so) and estimated by the formula.
    points: int = 0
    estimated_points: int = 0
    retries: int = 0
    not_modified: int = 0


def describe_rest_calls(sent: int, not_modified: int) -> str:
    """REST traffic as GitHub bills it: `N REST calls, M free revalidations (304)`.

    A conditional request answered `304 Not Modified` does not count against the rate limit,
    so it is reported apart from the calls that do."""
    return f"{sent - not_modified} REST calls, {not_modified} free revalidations (304)"


def describe_graphql_costs(costs: dict[str, dict[str, int]]) -> str:
    """`GraphQL charged 120 points where 30 were estimated (Probe: 92 for 5)`, naming the
    operations GitHub charged above the estimate; `` when every charge matched."""
    charged = sum(c["charged"] for c in costs.values())
    estimated = sum(c["estimated"] for c in costs.values())
    over = sorted(
        ((op, c) for op, c in costs.items() if c["charged"] > c["estimated"]),
        key=lambda item: item[1]["estimated"] - item[1]["charged"],
    )
    if not over:
        return ""
    detail = ", ".join(f"{op}: {c['charged']} for {c['estimated']}" for op, c in over[:3])
    return f"GraphQL charged {charged} points where {estimated} were estimated ({detail})"


@dataclass
class ClientStats:
    """Totals plus a per-endpoint breakdown. `/rate_limit` checks are free and kept apart.

    `rest_calls` counts every REST request sent, `rest_not_modified` those of them answered
    304 (free); `rest_calls_counted` is what GitHub charges."""

    rest_calls: int = 0
    rest_not_modified: int = 0
    graphql_calls: int = 0
    graphql_points: int = 0
    retries: int = 0
    rate_limit_checks: int = 0
    #: GitHub App requests signed with the JWT (installations, token minting): not budgeted.
    app_requests: int = 0
    by_endpoint: dict[str, EndpointStats] = field(default_factory=dict)

    @property
    def rest_calls_counted(self) -> int:
        return self.rest_calls - self.rest_not_modified

    def endpoint(self, key: str) -> EndpointStats:
        return self.by_endpoint.setdefault(key, EndpointStats())

    def graphql_costs(self) -> dict[str, dict[str, int]]:
        """Per GraphQL operation (name without `graphql:`): queries, points estimated by the
        documented formula, points GitHub charged (its `rateLimit.cost`)."""
        return {
            key.partition(":")[2] or "(anonymous)": {
                "queries": e.calls,
                "estimated": e.estimated_points,
                "charged": e.points,
            }
            for key, e in self.by_endpoint.items()
            if key.startswith("graphql")
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "rest_calls": self.rest_calls,
            "rest_not_modified": self.rest_not_modified,
            "graphql_calls": self.graphql_calls,
            "graphql_points": self.graphql_points,
            "retries": self.retries,
            "rate_limit_checks": self.rate_limit_checks,
            "app_requests": self.app_requests,
            "by_endpoint": {k: vars(v).copy() for k, v in sorted(self.by_endpoint.items())},
        }
