"""`GitHubClient`: REST and GraphQL calls on top of the shared transport.

Resources describe *what* to fetch; everything about *how* (tokens, budgets, retries,
error classification) lives in `transport.py` and here.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from loaders.github.backoff import Backoff
from loaders.github.budget import Budget, epoch_to_datetime
from loaders.github.errors import (
    Forbidden,
    GitHubError,
    NotFound,
    RepositoryRenamed,
    UnexpectedStatus,
)
from loaders.github.graphql_calls import GraphQLCalls
from loaders.github.http_utils import parse_link_header
from loaders.github.responses import RestResponse
from loaders.github.settings import GitHubSettings
from loaders.github.stats import ClientStats, endpoint_key
from loaders.github.throttle import Throttle, shared_throttle
from loaders.github.transport import Transport

log = logging.getLogger("loaders.github")

REDIRECT_STATUSES = frozenset({301, 302, 307, 308})
MAX_REDIRECTS = 3


class GitHubClient(GraphQLCalls):
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
        self._transport.discover_installations()  # a GitHub App: every installation counts
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
