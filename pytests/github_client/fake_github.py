"""A tiny scripted GitHub for the client tests: http.server on 127.0.0.1.

Each (method, path) gets a queue of scripted answers; `/rate_limit` answers from a per-token
budget model that scripted answers also draw down, so `x-ratelimit-*` headers stay coherent.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

START = 1_800_000_000.0  # a fixed epoch so reset times are predictable


class FakeClock:
    """Shared by the client (clock + sleep) and the server (`Date`), so waits are instant."""

    def __init__(self, now: float = START) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class Answer:
    status: int = 200
    body: Any = None  # JSON-serialisable, or bytes sent verbatim
    headers: dict[str, str] = field(default_factory=dict)
    #: Budget points this answer consumes (None: 1, or 0 for 304 / error statuses >= 500).
    cost: int | None = None
    #: Emit `x-ratelimit-*` headers from the budget model.
    rate_headers: bool = True
    drop: bool = False  # close the connection without answering
    delay: float = 0.0  # real seconds before answering (client timeouts)


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any

    @property
    def token(self) -> str | None:
        auth = self.headers.get("authorization", "")
        return auth.split(" ", 1)[1] if " " in auth else None


Script = Answer | Callable[[Seen], Answer]


@dataclass
class Window:
    limit: int = 5000
    remaining: int = 5000
    reset: float = START + 3600


class FakeGitHub:
    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.seen: list[Seen] = []
        self._scripts: dict[tuple[str, str], deque[Script]] = defaultdict(deque)
        self._repeat: dict[tuple[str, str], Script] = {}
        self.budgets: dict[tuple[str | None, str], Window] = {}
        self.rate_limit_status = 200
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # --- set-up ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeGitHub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def script(self, method: str, path: str, *answers: Script) -> None:
        self._scripts[(method, path)].extend(answers)

    def always(self, method: str, path: str, answer: Script) -> None:
        self._repeat[(method, path)] = answer

    def budget(self, token: str | None, resource: str, **values: float) -> Window:
        window = self.budgets.setdefault((token, resource), Window())
        while self.clock.now >= window.reset:  # the hourly window rolls over, like GitHub's
            window.remaining, window.reset = window.limit, window.reset + 3600
        for key, value in values.items():
            setattr(window, key, value)
        return window

    def requests_to(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    # --- serving --------------------------------------------------------------------------

    def _answer(self, seen: Seen) -> tuple[Answer, str]:
        key = (seen.method, seen.path)
        resource = "graphql" if seen.path.endswith("/graphql") else "core"
        if self._scripts[key]:
            script = self._scripts[key].popleft()
        elif key in self._repeat:
            script = self._repeat[key]
        elif seen.path.endswith("/rate_limit"):
            return self._rate_limit(seen.token), "free"
        else:
            return Answer(599, {"message": f"unscripted {seen.method} {seen.path}"}), resource
        answer = script(seen) if callable(script) else script
        return answer, resource

    def _rate_limit(self, token: str | None) -> Answer:
        if self.rate_limit_status != 200:
            return Answer(self.rate_limit_status, {"message": "Not Found"}, rate_headers=False)
        resources = {}
        for resource in ("core", "graphql"):
            w = self.budget(token, resource)
            resources[resource] = {
                "limit": w.limit,
                "remaining": w.remaining,
                "reset": int(w.reset),
                "used": w.limit - w.remaining,
            }
        return Answer(200, {"resources": resources, "rate": resources["core"]}, cost=0)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

            def date_time_string(self, timestamp: float | None = None) -> str:
                return formatdate(fake.clock.now, usegmt=True)

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                seen = Seen(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=json.loads(raw) if raw else None,
                )
                fake.seen.append(seen)
                answer, resource = fake._answer(seen)
                if answer.delay:
                    time.sleep(answer.delay)
                if answer.drop:
                    self.close_connection = True
                    return
                self._send(answer, resource, seen.token)

            def _send(self, answer: Answer, resource: str, token: str | None) -> None:
                payload = (
                    answer.body
                    if isinstance(answer.body, bytes)
                    else json.dumps(answer.body).encode()
                    if answer.body is not None
                    else b""
                )
                self.send_response(answer.status)
                window = fake.budget(token, resource)
                cost = answer.cost
                if cost is None:
                    cost = 0 if answer.status == 304 or answer.status >= 500 else 1
                if resource != "free":
                    window.remaining = max(window.remaining - cost, 0)
                if answer.rate_headers and resource != "free":
                    self.send_header("x-ratelimit-limit", str(window.limit))
                    self.send_header("x-ratelimit-remaining", str(window.remaining))
                    self.send_header("x-ratelimit-reset", str(int(window.reset)))
                    self.send_header("x-ratelimit-resource", resource)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _handle
            do_POST = _handle

        return Handler
