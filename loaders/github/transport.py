"""The single place where HTTP requests to GitHub are sent.

Owns auth headers (tokens or GitHub App installation tokens), token choice by remaining
budget (`token_choice.py`), the reserve check before every request, rate-limit header
accounting, retries with backoff, `retry-after`, secondary limits (the shared `Throttle`)
and 401 handling. Higher layers (`client.py`) only say what to fetch.
Single-threaded: one request at a time, so budget bookkeeping needs no locks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from loaders.github.app_auth import AppInstallations
from loaders.github.backoff import Backoff
from loaders.github.budget import Budget, epoch_to_datetime
from loaders.github.errors import (
    BadCredentials,
    BudgetExhausted,
    GitHubError,
    GraphQLTimeout,
    SecondaryRateLimited,
    TransientError,
)
from loaders.github.http_utils import (
    parse_rate_limit_headers,
    parse_retry_after,
)
from loaders.github.settings import GitHubSettings
from loaders.github.stats import ClientStats
from loaders.github.throttle import Throttle
from loaders.github.token_choice import TokenChoice

log = logging.getLogger("loaders.github")

Kind = Literal["rest", "graphql", "free"]

RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})
GRAPHQL_TIMEOUT_STATUSES = frozenset({502, 504})
# Dropped connections, read/connect timeouts, truncated chunked bodies.
NETWORK_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


@dataclass(frozen=True)
class Reply:
    """A final (non-retried) answer: the response, its JSON body if any, the token used."""

    response: requests.Response
    body: Any
    token: int


class Transport(TokenChoice):
    def __init__(
        self,
        settings: GitHubSettings,
        *,
        budget: Budget,
        stats: ClientStats,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        backoff: Backoff,
        throttle: Throttle,
        session: requests.Session | None = None,
    ) -> None:
        self.settings = settings
        self.throttle = throttle
        self.budget = budget
        self.stats = stats
        self._sleep = sleep
        self._clock = clock
        self._backoff = backoff
        #: GitHub App mode: installations stand in for tokens (slot k = installation #k+1).
        self.app = AppInstallations(settings) if settings.uses_app else None
        self._secrets = [] if self.app else [t.get_secret_value() for t in settings.tokens]
        origin = urlsplit(settings.api_url)
        self._origins = {(origin.scheme, origin.netloc)}
        gql = urlsplit(settings.endpoint_graphql)
        self._origins.add((gql.scheme, gql.netloc))
        self._session = session or requests.Session()
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=8, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    def __repr__(self) -> str:
        return f"Transport(api_url={self.settings.api_url!r}, tokens={len(self._secrets)})"

    def close(self) -> None:
        self._session.close()

    # --- clocks, labels, redaction ---------------------------------------------------------

    def now(self) -> float:
        """Epoch seconds on the injected clock (the emulator's virtual clock in its tests)."""
        return self._clock()

    def token_label(self, token: int) -> str:
        return self.settings.token_label(token)

    def redact(self, text: str) -> str:
        """Scrub token values (and the app's key, JWT and installation tokens) from text
        that came from outside (server messages)."""
        for secret in [*self._secrets, *(self.app.secrets() if self.app else ())]:
            if secret:
                text = text.replace(secret, "***")
        return text

    def is_trusted(self, url: str) -> bool:
        """Tokens are only ever sent to the configured API host."""
        parts = urlsplit(url)
        return (parts.scheme, parts.netloc) in self._origins

    # --- sending ---------------------------------------------------------------------------

    def send(
        self,
        method: str,
        url: str,
        *,
        kind: Kind,
        endpoint: str,
        resource: str | None,
        points: int = 1,
        token: int | None = None,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """Send until a final answer: 2xx/3xx/4xx other than rate limits and 401.

        `resource=None` skips the budget check (the free `/rate_limit`); `token` pins the token.
        """
        if not self.is_trusted(url):
            raise GitHubError(
                f"refusing to send credentials to a foreign host: {urlsplit(url).netloc}"
            )
        attempt = 0
        exhausted_bounces = 0
        renewed = False  # GitHub App: one fresh installation token per request after a 401
        timeout_retries = self.settings.graphql_timeout_retries
        only = None
        if self.app is not None:
            self.discover_installations()
            if kind == "rest" and token is None:
                only = self.app.index_for_url(url, self.send_app)
                self.budget.ensure_tokens(len(self.app.installations))
        while True:
            chosen = token if token is not None else self.choose_token(resource, points, only)
            self._count_call(kind, endpoint)
            response = self._request(method, url, chosen, params, json_body, headers, kind)
            if not isinstance(response, requests.Response):
                is_timeout = kind == "graphql" and issubclass(response, requests.Timeout)
                attempt = self.retry_or_raise(
                    attempt,
                    f"{endpoint}: {response.__name__}",
                    endpoint,
                    timeout=is_timeout,
                    limit=timeout_retries if is_timeout else None,
                )
                continue
            self._observe(chosen, response, resource)
            status = response.status_code
            if status == 401:
                if self.app is not None and not renewed:
                    # Expired or revoked mid-run: mint a new one and send again.
                    log.info("GitHub answered 401 on %s; renewing it", self.token_label(chosen))
                    self.app.invalidate(chosen)
                    renewed = True
                    continue
                raise BadCredentials(chosen + 1, self.token_label(chosen))
            if status in (403, 429):
                verdict = self._rate_limit_verdict(chosen, response, resource, attempt, endpoint)
                if verdict == "exhausted":
                    exhausted_bounces += 1
                    if token is not None or exhausted_bounces > self.budget.token_count + 1:
                        reset = self.budget.earliest_reset(resource or "core")
                        raise BudgetExhausted(resource or "core", epoch_to_datetime(reset))
                    continue
                if verdict == "waited":
                    attempt += 1
                    continue
            if status in RETRYABLE_STATUSES:
                is_timeout = kind == "graphql" and status in GRAPHQL_TIMEOUT_STATUSES
                wait = parse_retry_after(response.headers.get("retry-after"), self.now())
                attempt = self.retry_or_raise(
                    attempt,
                    f"{endpoint}: HTTP {status}",
                    endpoint,
                    timeout=is_timeout,
                    limit=timeout_retries if is_timeout else None,
                    wait=wait,
                )
                continue
            if status == 304 or not response.content:
                return Reply(response, None, chosen)
            try:
                body = response.json()
            except ValueError:
                if 200 <= status < 300:  # a truncated/garbled success is worth another try
                    attempt = self.retry_or_raise(attempt, f"{endpoint}: malformed JSON", endpoint)
                    continue
                body = None
            return Reply(response, body, chosen)

    def _request(
        self,
        method: str,
        url: str,
        token: int,
        params: Mapping[str, Any] | None,
        json_body: Any,
        headers: Mapping[str, str] | None,
        kind: Kind,
    ) -> requests.Response | type[Exception]:
        """The response, or the class of the network failure. Only the class escapes:
        requests' exception holds the prepared request, Authorization header included.
        `kind` picks the per-minute budget of the shared throttle ("free": none)."""
        prepared = self._headers(token, headers)  # may mint an app token: outside the slot
        try:
            with self.throttle.slot(kind):
                return self._session.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    headers=prepared,
                    timeout=self.settings.timeout_seconds,
                    allow_redirects=False,
                )
        except NETWORK_ERRORS as exc:
            return type(exc)

    def retry_or_raise(
        self,
        attempt: int,
        what: str,
        endpoint: str,
        *,
        timeout: bool = False,
        limit: int | None = None,
        wait: float | None = None,
    ) -> int:
        """Sleep before retry `attempt` (backoff, or the server's `retry-after`) and return the
        next attempt number; raise once the retries are used up."""
        limit = self.settings.max_retries if limit is None else limit
        if attempt >= limit:
            error = GraphQLTimeout if timeout else TransientError
            raise error(self.redact(what), attempt + 1)
        delay = self._backoff.delay(attempt)
        if wait is not None and wait <= self.settings.max_wait_seconds:
            delay = max(delay, wait)
        log.warning("GitHub %s; retry %d/%d in %.1f s", what, attempt + 1, limit, delay)
        self.stats.retries += 1
        self.stats.endpoint(endpoint).retries += 1
        self._sleep(delay)
        return attempt + 1

    def discover_installations(self) -> None:
        """GitHub App: one budget slot per installation (listed once); no-op with tokens."""
        if self.app is not None:
            self.budget.ensure_tokens(self.app.discover(self.send_app))

    def send_app(self, method: str, path: str) -> Reply:
        """One request authenticated as the GitHub App itself (its JWT), for the app
        endpoints; retried like any request on network errors and 5xx, never budgeted."""
        url = f"{self.settings.api_url}/{path}"
        what = "app:" + path.split("?", 1)[0]
        attempt = 0
        while True:
            assert self.app is not None
            headers = {**self._base_headers(), "Authorization": f"Bearer {self.app.jwt()}"}
            self.stats.app_requests += 1
            try:
                with self.throttle.slot("rest"):
                    response = self._session.request(
                        method,
                        url,
                        headers=headers,
                        timeout=self.settings.timeout_seconds,
                        allow_redirects=False,
                    )
            except NETWORK_ERRORS as exc:  # only the class: the request holds the JWT
                attempt = self.retry_or_raise(attempt, f"{what}: {type(exc).__name__}", what)
                continue
            if response.status_code in RETRYABLE_STATUSES:
                attempt = self.retry_or_raise(attempt, f"{what}: HTTP {response.status_code}", what)
                continue
            try:
                body = response.json() if response.content else None
            except ValueError:
                body = None
            return Reply(response, body, -1)

    # --- internals -------------------------------------------------------------------------

    def _base_headers(self) -> dict[str, str]:
        return {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": self.settings.user_agent,
        }

    def _headers(self, token: int, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = self._base_headers()
        if self.app is not None:
            headers["Authorization"] = f"Bearer {self.app.token(token, self.send_app)}"
        elif self._secrets:
            headers["Authorization"] = f"Bearer {self._secrets[token]}"
        if extra:
            headers.update(extra)
        return headers

    def _count_call(self, kind: Kind, endpoint: str) -> None:
        if kind == "free":
            self.stats.rate_limit_checks += 1
            return
        if kind == "graphql":
            self.stats.graphql_calls += 1
        else:
            self.stats.rest_calls += 1
        self.stats.endpoint(endpoint).calls += 1

    def _observe(self, token: int, response: requests.Response, resource: str | None) -> None:
        headers = parse_rate_limit_headers(response.headers)
        if headers is not None:
            name = headers.resource or resource or "core"
            self.budget.observe(token, name, headers.limit, headers.remaining, headers.reset_at)

    def _rate_limit_verdict(
        self,
        token: int,
        response: requests.Response,
        resource: str | None,
        attempt: int,
        endpoint: str,
    ) -> Literal["exhausted", "waited", "forbidden"]:
        """Tell a primary-limit hit (budget gone), a secondary limit (wait) and a plain 403."""
        headers = parse_rate_limit_headers(response.headers)
        message = _message(response).lower()
        if (headers is not None and headers.remaining == 0) or "api rate limit exceeded" in message:
            name = (headers.resource if headers else None) or resource or "core"
            self.budget.mark_exhausted(token, name, headers.reset_at if headers else None)
            log.info("GitHub %s budget exhausted on %s", name, self.token_label(token))
            return "exhausted"
        retry_after = parse_retry_after(response.headers.get("retry-after"), self.now())
        secondary = "secondary rate limit" in message or response.status_code == 429
        if retry_after is None and not secondary:
            return "forbidden"
        wait = retry_after
        if wait is None:  # GitHub: wait at least a minute, longer on repeats
            wait = self.settings.secondary_limit_wait_seconds * (2**attempt)
        if wait > self.settings.max_wait_seconds or attempt >= self.settings.max_retries:
            raise SecondaryRateLimited(wait)
        log.warning("GitHub secondary rate limit on %s; waiting %.0f s", endpoint, wait)
        self.stats.retries += 1
        self.stats.endpoint(endpoint).retries += 1
        self._sleep(wait)
        return "waited"


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        return str(body.get("message", ""))
    return ""
