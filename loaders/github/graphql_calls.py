"""The GraphQL half of `GitHubClient`: cost checks before sending, GitHub's error shapes,
partial answers, and what GitHub charged against what was estimated."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from loaders.github.budget import Budget, epoch_to_datetime
from loaders.github.cost import MAX_NODES, count_nodes, estimate_cost
from loaders.github.errors import (
    BudgetExhausted,
    Forbidden,
    GraphQLErrors,
    GraphQLTimeout,
    NotFound,
    QueryTooLarge,
    UnexpectedStatus,
)
from loaders.github.graphql_errors import (
    NOT_FOUND,
    RATE_LIMITED,
    TIMEOUT,
    TOO_LARGE,
    classify_errors,
    find_rate_limit_block,
    has_usable_data,
)
from loaders.github.query_shape import RATE_LIMIT_ALIAS, only_fields, with_rate_limit
from loaders.github.responses import GraphQLResult
from loaders.github.settings import GitHubSettings
from loaders.github.stats import ClientStats, graphql_key
from loaders.github.transport import Transport

log = logging.getLogger("loaders.github")


class GraphQLCalls:
    """Mixed into `GitHubClient`, which provides the attributes below."""

    settings: GitHubSettings
    stats: ClientStats
    budget: Budget
    _transport: Transport
    _cost_ratio: dict[str, float]

    def graphql_result(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        estimated_cost: int | None = None,
    ) -> GraphQLResult:
        """Run a query; return `data` together with classified partial errors.

        Raises only for rate limits (`BudgetExhausted`), timeouts (`GraphQLTimeout`), queries
        over GitHub's node limit (`QueryTooLarge`, checked before sending), transport
        failures and HTTP errors; NOT_FOUND on some aliases is left to the caller. Top-level
        fields that timed out while others answered are asked again on their own.
        `estimated_cost` defaults to GitHub's documented formula applied to the query, times
        what GitHub has charged above that formula for this operation so far.
        """
        result = self._graphql_once(query, variables, estimated_cost)
        return self._retry_failed_fields(query, variables, result)

    def _graphql_once(
        self,
        query: str,
        variables: Mapping[str, Any] | None,
        estimated_cost: int | None,
    ) -> GraphQLResult:
        key = graphql_key(query)
        nodes = count_nodes(query, variables)
        if nodes > MAX_NODES:  # GitHub would refuse it: do not spend a request on it
            raise QueryTooLarge(key, nodes, MAX_NODES)
        formula = estimate_cost(query, variables)
        if estimated_cost is None:
            estimated_cost = math.ceil(formula * self.cost_ratio(key))
        sent, added = with_rate_limit(query)  # GitHub states what it charged
        payload = {"query": sent, "variables": dict(variables or {})}
        attempt = 0
        bounces = 0
        while True:
            reply = self._transport.send(
                "POST",
                self.settings.endpoint_graphql,
                kind="graphql",
                endpoint=key,
                resource="graphql",
                points=estimated_cost,
                json_body=payload,
            )
            body = reply.body
            status = reply.response.status_code
            if status != 200 or not isinstance(body, dict):
                message = body.get("message", "") if isinstance(body, dict) else ""
                message = self._transport.redact(str(message))
                if status == 403:
                    raise Forbidden(key, message)
                if status == 404:
                    raise NotFound(f"GraphQL endpoint {self.settings.endpoint_graphql}")
                raise UnexpectedStatus(status, key, message or "response is not a JSON object")
            data = body.get("data") if isinstance(body.get("data"), dict) else None
            errors = classify_errors(body.get("errors"))
            if any(e.kind == RATE_LIMITED for e in errors):
                # Mark this token spent and let the transport pick another or stop cleanly.
                self.budget.mark_exhausted(reply.token, "graphql")
                bounces += 1
                if bounces > self.budget.token_count:  # the server disagrees with /rate_limit
                    reset = epoch_to_datetime(self.budget.earliest_reset("graphql"))
                    raise BudgetExhausted("graphql", reset, "GraphQL answered RATE_LIMITED")
                continue
            if any(e.kind == TOO_LARGE for e in errors):
                raise QueryTooLarge(key, None, MAX_NODES)
            block = find_rate_limit_block(data)
            charged = self._account(
                reply.token, key, estimated_cost, formula, block[1] if block else None
            )
            if added and data is not None:
                data.pop(RATE_LIMIT_ALIAS, None)  # callers see the data they asked for
            if any(e.kind == TIMEOUT for e in errors) and not has_usable_data(data):
                attempt = self._transport.retry_or_raise(
                    attempt,
                    f"{key}: query timed out",
                    key,
                    timeout=True,
                    limit=self.settings.graphql_timeout_retries,
                )
                continue
            return GraphQLResult(
                data=data,
                errors=errors,
                rate_limit=block[1] if block else None,
                cost=charged,
            )

    def _retry_failed_fields(
        self, query: str, variables: Mapping[str, Any] | None, result: GraphQLResult
    ) -> GraphQLResult:
        """`data` and `errors` together: keep what came back, ask again (once, retrying as
        usual) for the top-level fields that timed out or hit a resource limit."""
        failed = {str(e.path[0]) for e in result.errors if e.kind == TIMEOUT and e.path}
        if not failed or result.data is None:
            return result
        again = only_fields(query, failed)
        if again is None:
            return result
        log.info("GitHub answered part of %s; asking again for %s", graphql_key(query), failed)
        self.stats.retries += 1
        try:
            retry = self._graphql_once(again, variables, None)
        except GraphQLTimeout:
            return result  # the caller gets the good part and the errors
        data = {**result.data, **{k: v for k, v in (retry.data or {}).items() if k in failed}}
        errors = [e for e in result.errors if not (e.path and str(e.path[0]) in failed)]
        return replace(
            result, data=data, errors=errors + retry.errors, cost=result.cost + retry.cost
        )

    def graphql(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        estimated_cost: int | None = None,
    ) -> dict[str, Any]:
        """`data` of a query; raises `NotFound`/`GraphQLErrors` only when nothing is usable."""
        result = self.graphql_result(query, variables, estimated_cost=estimated_cost)
        raise_if_unusable(result)
        assert result.data is not None
        return result.data

    def graphql_adaptive(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        page_size: int,
        page_size_variable: str = "first",
        min_page_size: int = 1,
    ) -> GraphQLResult:
        """Run a paged query, halving `variables[page_size_variable]` whenever GitHub times
        out; `result.page_size` is the size that worked, for the caller's next pages."""
        size = page_size
        while True:
            current = {**(variables or {}), page_size_variable: size}
            try:
                result = self.graphql_result(query, current)
            except GraphQLTimeout:
                if size <= min_page_size:
                    raise
                size = max(min_page_size, size // 2)
                log.warning(
                    "GraphQL %s timed out; page size halved to %d", graphql_key(query), size
                )
                continue
            raise_if_unusable(result)
            return replace(result, page_size=size)

    def cost_ratio(self, key: str) -> float:
        """How much more than the documented formula GitHub has charged for the operation
        `key` ("graphql:Probe") in this client's life: 1.0 until a charge exceeds it."""
        return self._cost_ratio.get(key, 1.0)

    def batch_size(self, key: str, planned: int) -> int:
        """`planned` items per query, shrunk by `cost_ratio(key)`: when GitHub charges more
        than estimated, smaller probes and batches keep each query's surprise small."""
        return max(1, math.floor(planned / self.cost_ratio(key)))

    def _account(
        self, token: int, key: str, fallback: int, estimate: int, block: dict[str, Any] | None
    ) -> int:
        """Book the points a query cost: GitHub's own `rateLimit` block, else `fallback`. A
        charge above the formula's `estimate` raises the operation's `cost_ratio`."""
        charged = fallback
        if block is not None:
            try:
                charged = int(block.get("cost", fallback))
                reset = datetime.fromisoformat(str(block["resetAt"]).replace("Z", "+00:00"))
                self.budget.observe(
                    token,
                    "graphql",
                    int(block.get("limit") or 0) or self._known_limit(token),
                    int(block["remaining"]),
                    reset.timestamp(),
                )
            except (KeyError, TypeError, ValueError):
                log.debug("ignoring a malformed rateLimit block")
        self.budget.record_spend(token, "graphql", charged)
        self.stats.graphql_points += charged
        endpoint = self.stats.endpoint(key)
        endpoint.points += charged
        endpoint.estimated_points += estimate
        if charged > estimate > 0 and charged / estimate > self.cost_ratio(key):
            self._cost_ratio[key] = charged / estimate
            log.warning(
                "GitHub charged %d points for %s where %d were estimated: its batches shrink "
                "by %.1fx for the rest of this run",
                charged,
                key,
                estimate,
                charged / estimate,
            )
        return charged

    def _known_limit(self, token: int) -> int:
        entry = self.budget.entry(token, "graphql")
        return entry.limit if entry else 0


def raise_if_unusable(result: GraphQLResult) -> None:
    """Raise the most specific error when a result carries errors and no usable data."""
    if result.usable:
        return
    if result.errors and all(e.kind == NOT_FOUND for e in result.errors):
        raise NotFound("; ".join(e.message for e in result.errors))
    if result.errors or result.data is None:
        raise GraphQLErrors(result.errors)
