"""Transport-independent request handling: auth, faults, budgets, ETags, accounting.

`Emulator.handle` takes a parsed request and returns an `Outcome`; `server.py` only moves
bytes. Tokens never appear in answers, stats or logs: a token is identified by a short
digest wherever one is needed.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import dataclass, field

from .app import AppAuth
from .embeddings_api import EmbeddingsApi
from .fault_shapes import REST_DOCS, SECONDARY_MESSAGE, break_first_field, graphql_errors, html_page
from .faults import FaultInjector
from .graphql_api import GraphQLApi
from .graphql_api.cost import check_pricing
from .ratelimit import Bucket, Limits, RateLimiter
from .rest.routes import DOCS, Reply, RestApi
from .stats import Stats
from .truth import truth
from .world.world import World, iso

DEFAULT_TOKEN_PREFIXES = ("ghp_emulator", "emulator-")
JSON = "application/json; charset=utf-8"


@dataclass
class Outcome:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without answering


def _json(status: int, payload: object, headers: dict[str, str] | None = None) -> Outcome:
    h = {"Content-Type": JSON}
    h.update(headers or {})
    return Outcome(status, json.dumps(payload, separators=(",", ":")).encode(), h)


def token_key(token: str) -> str:
    return "token-" + hashlib.sha256(token.encode()).hexdigest()[:20]


def token_user_id(token: str) -> int:
    return int(hashlib.sha256(token.encode()).hexdigest()[:6], 16)


def parse_token(headers: dict[str, str]) -> str | None:
    auth = headers.get("authorization", "").strip()
    scheme, _, value = auth.partition(" ")
    if scheme.lower() in ("bearer", "token") and value.strip():
        return value.strip()
    return None


def rate_headers(bucket: Bucket, resource: str) -> dict[str, str]:
    return {
        "x-ratelimit-limit": str(bucket.limit),
        "x-ratelimit-remaining": str(max(0, bucket.limit - bucket.used)),
        "x-ratelimit-used": str(bucket.used),
        "x-ratelimit-reset": str(bucket.reset),
        "x-ratelimit-resource": resource,
    }


class Emulator:
    def __init__(
        self,
        world: str | World = "small",
        seed: int = 1,
        anchor: int | None = None,
        limits: Limits | None = None,
        tokens: tuple[str, ...] = (),
    ) -> None:
        self.world = world if isinstance(world, World) else World(world, seed, anchor)
        self.counters = Stats()
        self.limiter = RateLimiter(limits)
        self.faults = FaultInjector(seed)
        self.rest = RestApi(self.world)
        self.graphql = GraphQLApi(self.world)
        self.tokens: set[str] = set(tokens)
        self.app = AppAuth(self.world)  # GitHub App endpoints; off until `configure_app`
        # Not GitHub: an OpenAI-compatible embeddings endpoint for the embedding provider.
        self.embeddings = EmbeddingsApi()
        self.token_prefixes: tuple[str, ...] = DEFAULT_TOKEN_PREFIXES

    # -- entry point ------------------------------------------------------------------
    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
        base: str,
    ) -> Outcome:
        if path.startswith("/_emulator/") or path == "/_emulator":
            return self.control(method, path, query, body)
        if path == "/v1/embeddings":
            answer = self.embeddings.handle(method, headers, body)
            self.counters.record("POST /v1/embeddings", answer.status)
            return _json(answer.status, answer.payload, answer.headers)
        if path == "/graphql":
            endpoint = "POST /graphql"
        elif method == "POST" and path.startswith("/app/installations/"):
            endpoint = "POST /app/installations/{id}/access_tokens"
        else:
            endpoint = f"{method} {self.rest.endpoint_name(path)}"
        try:
            out = self._github(method, path, query, headers, body, base, endpoint)
        except Exception as exc:
            # Only the exception type goes out: messages could quote request data.
            sys.stderr.write(f"emulator: {endpoint} failed: {type(exc).__name__}\n")
            out = _json(500, {"message": "Internal Server Error", "documentation_url": DOCS})
        self.counters.record(endpoint, out.status)
        return out

    def _accepts(self, token: str | None) -> bool:
        return token is not None and (token in self.tokens or token.startswith(self.token_prefixes))

    def _github(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
        base: str,
        endpoint: str,
    ) -> Outcome:
        fault = self.faults.draw(path)
        delay = 0.0
        if fault is not None:
            self.counters.fault(fault.kind)
            if fault.kind == "drop":
                return Outcome(0, drop=True)
            if fault.kind in ("502", "504", "500"):
                code = int(fault.kind)
                msg = {
                    502: "Server Error",
                    504: "We couldn't respond to your request in time.",
                    500: "Internal Server Error",
                }[code]
                return _json(code, {"message": msg, "documentation_url": DOCS})
            if fault.kind == "malformed":
                return Outcome(
                    200,
                    b'{"data": {"repository": {"issues": {"nodes": [{"id": ',
                    {"Content-Type": JSON},
                )
            if fault.kind == "slow":
                delay = fault.delay_ms / 1000.0
            shaped = self._shaped_fault(fault.kind, path, headers)
            if shaped is not None:
                return shaped
        raw_token = parse_token(headers)
        if self.app.handles(method, path):  # authenticated by the app's JWT, not a token
            reply = self.app.handle(method, path, raw_token)
            if reply.status == 201:
                self.counters.add("app_tokens_issued")
            return _json(reply.status, reply.body)
        installation = self.app.installation_of(raw_token)
        if (fault is not None and fault.kind == "401") or (
            installation is None and not self._accepts(raw_token)
        ):
            if raw_token is not None and raw_token.startswith("ghs_"):
                self.counters.add("app_tokens_rejected")  # expired or revoked
            return _json(401, {"message": "Bad credentials", "documentation_url": DOCS})
        assert raw_token is not None
        # Budgets are kept under a digest, never the secret; an installation's tokens share
        # the installation's budget, as on GitHub.
        token = f"installation-{installation}" if installation else token_key(raw_token)
        if not self.limiter.enter(token):
            self.limiter.leave(token)
            return self._secondary(token, "graphql" if path == "/graphql" else "core")
        try:
            if delay:
                time.sleep(delay)  # inside the in-flight window: slow requests pile up
            if path == "/rate_limit" and method == "GET":
                out = self._rate_limit(token)
            elif path == "/graphql" and method == "POST":
                out = self._graphql(
                    token, body, partial=fault is not None and fault.kind == "partial"
                )
            elif method == "GET":
                out = self._rest(token, path, query, headers, base)
            else:
                out = _json(404, {"message": "Not Found", "documentation_url": DOCS})
        finally:
            self.limiter.leave(token)
        return out

    def _secondary(self, token: str, resource: str) -> Outcome:
        self.counters.add("secondary_limited")
        bucket = self.limiter.peek(token, resource, self.world.now)
        return _json(
            403,
            {
                "message": "You have exceeded a secondary rate limit. Please wait a few minutes "
                "before you try again.",
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
            },
            {**rate_headers(bucket, resource), "retry-after": str(self.limiter.limits.retry_after)},
        )

    def _rate_limit(self, token: str) -> Outcome:
        now = self.world.now
        res = {}
        for name in ("core", "graphql"):
            b = self.limiter.peek(token, name, now)
            res[name] = {
                "limit": b.limit,
                "used": b.used,
                "remaining": max(0, b.limit - b.used),
                "reset": b.reset,
            }
        core = self.limiter.peek(token, "core", now)
        return _json(200, {"resources": res, "rate": res["core"]}, rate_headers(core, "core"))

    def _rest(
        self, token: str, path: str, query: dict[str, str], headers: dict[str, str], base: str
    ) -> Outcome:
        reply: Reply = self.rest.handle(path, query, headers, base)
        payload = json.dumps(reply.body, separators=(",", ":")).encode()
        etag = None
        if reply.status == 200:
            etag = 'W/"' + hashlib.md5(payload, usedforsecurity=False).hexdigest() + '"'
            if headers.get("if-none-match") == etag:
                self.counters.add("not_modified")  # free, as on GitHub
                bucket = self.limiter.peek(token, "core", self.world.now)
                return Outcome(304, b"", {**rate_headers(bucket, "core"), "ETag": etag})
        verdict = self.limiter.charge(token, "core", 1, self.world.now)
        if not verdict.ok:
            if verdict.reason == "secondary":
                return self._secondary(token, "core")
            self.counters.add("rate_limited")
            return _json(
                self.limiter.limits.rest_exhausted_status,
                {
                    "message": f"API rate limit exceeded for user ID {token_user_id(token)}.",
                    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
                },
                rate_headers(verdict.bucket, "core"),
            )
        self.counters.add("rest_calls")
        h = {"Content-Type": JSON, **rate_headers(verdict.bucket, "core"), **reply.headers}
        if etag:
            h["ETag"] = etag
        return Outcome(reply.status, payload, h)

    def _shaped_fault(self, kind: str, path: str, headers: dict[str, str]) -> Outcome | None:
        """Answers for the fault kinds that imitate GitHub's failure shapes (fault_shapes.py);
        None for the kinds handled elsewhere."""
        if kind in ("502_html", "504_html"):
            code = int(kind[:3])
            return Outcome(code, html_page(code), {"Content-Type": "text/html; charset=utf-8"})
        if kind in ("secondary", "secondary_429"):
            self.counters.add("secondary_limited")
            status = 429 if kind == "secondary_429" else 403
            return _json(status, {"message": SECONDARY_MESSAGE, "documentation_url": REST_DOCS})
        if path == "/graphql" and kind in (
            "rate_limited",
            "max_node_limit",
            "resource_limits",
            "timeout_200",
        ):
            user = token_user_id(parse_token(headers) or "")
            return _json(200, {"data": None, "errors": graphql_errors(kind, user)})
        return None

    def _graphql(self, token: str, body: bytes, partial: bool = False) -> Outcome:
        try:
            req = json.loads(body or b"{}")
            query = req["query"]
            variables = req.get("variables") or {}
            if not isinstance(query, str) or not isinstance(variables, dict):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            return _json(400, {"message": "Problems parsing JSON", "documentation_url": DOCS})
        now = self.world.now
        prepared = self.graphql.prepare(query, variables, req.get("operationName"))
        if prepared.errors:
            bucket = self.limiter.peek(token, "graphql", now)
            return _json(200, {"errors": prepared.errors}, rate_headers(bucket, "graphql"))
        charge = 0 if prepared.dry_run else prepared.cost
        verdict = self.limiter.charge(token, "graphql", charge, now)
        if not verdict.ok:
            if verdict.reason == "secondary":
                return self._secondary(token, "graphql")
            self.counters.add("rate_limited")
            return _json(
                200,
                {
                    "errors": [
                        {
                            "type": "RATE_LIMITED",
                            "code": "graphql_rate_limit",
                            "message": f"API rate limit already exceeded for user ID "
                            f"{token_user_id(token)}.",
                        }
                    ]
                },
                rate_headers(verdict.bucket, "graphql"),
            )
        op = prepared.operation
        self.counters.graphql(op.name.value if op and op.name else "(anonymous)", charge)
        b = verdict.bucket
        result = self.graphql.execute(
            prepared,
            {
                "limit": b.limit,
                "cost": prepared.cost,
                "remaining": max(0, b.limit - b.used),
                "used": b.used,
                "resetAt": iso(b.reset),
                "nodeCount": prepared.node_count,
            },
        )
        if partial:
            result = break_first_field(result)
        return _json(200, result, rate_headers(b, "graphql"))

    # -- control plane (not GitHub) -----------------------------------------------------
    def control(self, method: str, path: str, query: dict[str, str], body: bytes) -> Outcome:
        try:
            data = json.loads(body) if body else {}
        except ValueError:
            return _json(400, {"message": "body must be JSON"})
        try:
            if path == "/_emulator/now" and method == "GET":
                return _json(200, self.now_info())
            if path == "/_emulator/advance" and method == "POST":
                self.advance(float(data.get("hours", 0)))
                return _json(200, self.now_info())
            if path == "/_emulator/stats" and method == "GET":
                return _json(200, self.stats())
            if path == "/_emulator/stats/reset" and method == "POST":
                self.counters.reset()
                return _json(200, self.stats())
            if path == "/_emulator/truth" and method == "GET":
                return _json(200, self.truth(query.get("repo")))
            if path == "/_emulator/faults" and method == "POST":
                self.faults.configure(data)
                return _json(200, {"ok": True})
            if path == "/_emulator/pricing" and method == "POST":
                self.set_pricing(str(data.get("pricing", "documented")))
                return _json(200, {"ok": True, "pricing": self.graphql.pricing})
            if path == "/_emulator/app" and method == "POST":
                if data.pop("revoke", False):
                    self.app.revoke_all()
                else:
                    self.configure_app(**data)
                return _json(200, {"ok": True, "app_id": self.app.app_id})
            if path == "/_emulator/embeddings" and method == "POST":
                self.embeddings.configure(data.get("script"), data.get("dimension"))
                return _json(200, {"ok": True, "dimension": self.embeddings.dimension})
            if path == "/_emulator/embeddings" and method == "GET":
                return _json(200, self.embeddings.log())
            if path == "/_emulator/budgets" and method == "POST":
                self.set_budgets(**data)
                return _json(200, {"ok": True, "limits": vars(self.limiter.limits)})
        except (ValueError, KeyError, TypeError) as exc:
            return _json(400, {"message": str(exc)})
        return _json(404, {"message": "Not Found"})

    def now_info(self) -> dict:
        w = self.world
        return {
            "now": w.now_iso(),
            "epoch": w.now,
            "anchor": iso(w.anchor),
            "world": w.name,
            "seed": w.seed,
        }

    def advance(self, hours: float) -> int:
        return self.world.advance(hours)

    def stats(self) -> dict:
        return {**self.counters.snapshot(), "now": self.world.now_iso()}

    def truth(self, repo: str | None = None) -> dict:
        return truth(self.world, repo)

    def set_pricing(self, pricing: str) -> None:
        """Which reading of GitHub's cost rules charges queries (graphql_api/cost.py)."""
        self.graphql.pricing = check_pricing(pricing)

    def configure_app(
        self,
        app_id: int,
        public_key: str,
        token_ttl_seconds: float = 3600.0,
        accounts: list[str] | None = None,
    ) -> None:
        """Register a GitHub App (its public key verifies JWTs), installed on `accounts`
        (default: every owner of the world); its tokens live `token_ttl_seconds` (wall clock)."""
        self.app.configure(app_id, public_key, token_ttl_seconds, accounts)

    def set_budgets(self, reset: bool = False, **limits: int) -> None:
        """Change limits (`core`, `graphql`, `max_concurrent`, `core_per_minute`,
        `graphql_per_minute`, `retry_after`); `reset=True` forgets every token's usage."""
        if reset:
            self.limiter.reset()
        self.limiter.configure(**limits)
