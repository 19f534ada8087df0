"""`GitHubClient`: REST and GraphQL calls on top of the shared transport.

Resources describe *what* to fetch; everything about *how* (tokens, budgets, retries,
error classification) lives in `transport.py` and here.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from loaders.github.backoff import Backoff
from loaders.github.budget import Budget, epoch_to_datetime
from loaders.github.cost import MAX_NODES, count_nodes, estimate_cost
from loaders.github.errors import (
    BudgetExhausted,
    Forbidden,
    GitHubError,
    GraphQLErrors,
    GraphQLTimeout,
    NotFound,
    QueryTooLarge,
    RepositoryRenamed,
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
from loaders.github.http_utils import parse_link_header
from loaders.github.query_shape import RATE_LIMIT_ALIAS, only_fields, with_rate_limit
from loaders.github.responses import GraphQLResult, RestResponse
from loaders.github.settings import GitHubSettings
from loaders.github.stats import ClientStats, endpoint_key, graphql_key
from loaders.github.throttle import Throttle, shared_throttle
from loaders.github.transport import Transport

log = logging.getLogger("loaders.github")

REDIRECT_STATUSES = frozenset({301, 302, 307, 308})
MAX_REDIRECTS = 3


class GitHubClient:
    """The one GitHub client. Single-threaded: share one instance per process, not per thread.

    `budget_share` (e.g. 0.6 for a backfill) caps the share of every token's hourly limit this
    client may spend, on top of the reserve; it overrides `settings.budget_share`.
    """

    def __init__(
        self,
        settings: GitHubSettings | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        session: requests.Session | None = None,
        budget_share: float | None = None,
        throttle: Throttle | None = None,
    ) -> None:
        self.settings = settings or GitHubSettings.from_env()
        share = budget_share if budget_share is not None else self.settings.budget_share
        if share is not None and not 0 < share <= 1:
            raise ValueError("budget_share must be in (0, 1]")
        self.stats = ClientStats()
        self.budget = Budget(
            len(self.settings.tokens),
            reserve=self.settings.reserve,
            share=share,
            now=lambda: self._transport.now(),
        )
        backoff = Backoff(
            self.settings.backoff_base_seconds,
            self.settings.backoff_max_seconds,
            rng=rng or random.Random(),
        )
        self._transport = Transport(
            self.settings,
            budget=self.budget,
            stats=self.stats,
            sleep=sleep,
            clock=clock,
            backoff=backoff,
            # Secondary limits are shared by every client of the process on this host.
            throttle=throttle
            or shared_throttle(
                self.settings.api_url,
                self.settings.max_concurrent_requests,
                {
                    "rest": self.settings.rest_points_per_minute,
                    "graphql": self.settings.graphql_points_per_minute,
                },
            ),
            session=session,
        )
        self.budget.refresher = self._transport.refresh_all
        self._cost_ratio: dict[str, float] = {}

    def __repr__(self) -> str:
        return (
            f"GitHubClient(api_url={self.settings.api_url!r}, "
            f"tokens={len(self.settings.tokens)}, reserve={self.settings.reserve})"
        )

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    def can_spend(self, resource: str, points: int = 1) -> bool:
        """Whether `points` can be spent on `resource` ("core", "graphql") without touching
        the reserve; reads `/rate_limit` (free) for tokens not seen yet."""
        for token in self.budget.unknown_tokens(resource):
            self._transport.fetch_rate_limit(token, resource)
        return self.budget.can_spend(resource, points)

    def resets_at(self, resource: str) -> datetime | None:
        """When the first token's budget for `resource` resets (UTC), if known."""
        return epoch_to_datetime(self.budget.earliest_reset(resource))

    # --- REST ------------------------------------------------------------------------------

    def rest(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        etag: str | None = None,
        accept: str | None = None,
        follow_renames: bool = True,
    ) -> RestResponse:
        """GET a REST path (or an absolute URL on the API host, e.g. a `Link: next`).

        304 comes back as `not_modified`; redirects (renamed repositories) are followed and
        reported in `redirected_from`/`renamed_to` (or raise `RepositoryRenamed` when
        `follow_renames=False`); 404/410 raise `NotFound`.
        """
        url = self._url(path)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if accept:
            headers["Accept"] = accept
        redirected_from: str | None = None
        for _ in range(MAX_REDIRECTS + 1):
            reply = self._transport.send(
                "GET",
                url,
                kind="rest",
                endpoint=self._endpoint(url),
                resource="core",
                params=params,
                headers=headers,
            )
            response = reply.response
            endpoint = self.stats.endpoint(self._endpoint(url))
            if response.status_code == 304:  # conditional hit: GitHub does not charge it
                self.stats.rest_not_modified += 1
                endpoint.not_modified += 1
            else:
                self.budget.record_spend(reply.token, "core", 1)
                endpoint.points += 1
            if response.status_code not in REDIRECT_STATUSES:
                break
            location = response.headers.get("Location")
            if not location:
                raise UnexpectedStatus(response.status_code, self._endpoint(url), "no Location")
            target = urljoin(url, location)
            if not follow_renames:
                raise RepositoryRenamed(url, target)
            if not self._transport.is_trusted(target):
                raise GitHubError(f"redirect to a foreign host refused: {urlsplit(target).netloc}")
            log.info("GitHub moved %s -> %s", self._endpoint(url), self._endpoint(target))
            redirected_from = redirected_from or url
            if urlsplit(target).query:
                params = None  # the Location already carries the query
            url = target
        else:
            raise UnexpectedStatus(response.status_code, self._endpoint(url), "too many redirects")
        return self._rest_response(reply.body, response, url, redirected_from)

    def rest_pages(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        accept: str | None = None,
        etag: str | None = None,
    ) -> Iterator[RestResponse]:
        """Every page of a REST listing, following `Link: rel="next"`. With `etag`, the first
        page is conditional: a 304 yields that single `not_modified` page and stops."""
        page = self.rest(path, params, accept=accept, etag=etag)
        seen = {page.url}
        yield page
        while page.next_url and page.next_url not in seen:
            seen.add(page.next_url)
            page = self.rest(page.next_url, accept=accept)
            yield page

    def _rest_response(
        self, body: Any, response: requests.Response, url: str, redirected_from: str | None
    ) -> RestResponse:
        status = response.status_code
        what = self._endpoint(url)
        message = (
            self._transport.redact(str(body.get("message", ""))) if isinstance(body, dict) else ""
        )
        if status in (404, 410):
            raise NotFound(what)
        if status == 403:
            raise Forbidden(what, message)
        if status != 304 and not 200 <= status < 300:
            raise UnexpectedStatus(status, what, message)
        return RestResponse(
            status=status,
            json=body,
            headers=response.headers,
            url=response.url or url,
            etag=response.headers.get("ETag"),
            not_modified=status == 304,
            links=parse_link_header(response.headers.get("Link")),
            redirected_from=redirected_from,
        )

    def _url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            if not self._transport.is_trusted(path):
                raise GitHubError(f"refusing a URL outside the API host: {urlsplit(path).netloc}")
            return path
        return f"{self.settings.api_url}/{path.lstrip('/')}"

    def _endpoint(self, url: str) -> str:
        """Stats key: the path below the API base, grouped by shape."""
        path = urlsplit(url).path
        base_path = urlsplit(self.settings.api_url).path.rstrip("/")
        if base_path and path.startswith(base_path):
            path = path[len(base_path) :]
        return endpoint_key(path or "/")

    # --- GraphQL ---------------------------------------------------------------------------

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
