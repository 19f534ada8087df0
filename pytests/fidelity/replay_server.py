"""A loopback HTTP server that replays recorded GitHub answers.

Loader code pointed at ``ReplayServer.base_url`` talks to what api.github.com really
said (status, headers, body), so its paging, header parsing and row mapping are
exercised against GitHub's real shapes without any network access.

Matching is on method + path + query. Query parameters named in ``ignore_params``
are dropped from both sides before matching: a loader asks for ``per_page=100&state=all``
where the recording asked for ``per_page=3``, and both mean "page 1 of this list".
When several recordings share a key they are served in recorded order and the last
one repeats. Absolute ``https://api.github.com`` URLs in ``Link``/``Location`` headers
are rewritten to the server, so following ``rel="next"`` stays on loopback.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from .recorded import Recorded

# Parameters that select *which slice* of a list a client wants, not *which page*.
DEFAULT_IGNORED_PARAMS = frozenset(
    {"per_page", "state", "since", "sort", "direction", "until", "sha", "anon"}
)

# Transport-level headers we recompute (the body length changes after re-serialising).
_HOP_HEADERS = {"content-length", "connection", "transfer-encoding", "content-encoding"}


@dataclass
class ServedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    matched: str | None  # Recorded.source, or None when nothing matched


@dataclass
class ReplayServer:
    recordings: Iterable[Recorded]
    ignore_params: frozenset[str] = DEFAULT_IGNORED_PARAMS
    host: str = "127.0.0.1"
    #: Answers `POST /graphql` bodies ({"query", "variables"}) -> JSON answer, when set
    #: (e.g. answers synthesised from GitHub's schema); recordings serve everything else.
    graphql: Callable[[dict[str, Any]], Any] | None = None
    graphql_headers: tuple[tuple[str, str], ...] = (
        ("Content-Type", "application/json; charset=utf-8"),
    )
    log: list[ServedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._queues: dict[tuple[str, str], deque[Recorded]] = defaultdict(deque)
        for rec in self.recordings:
            self._queues[(rec.method, self._key_path(rec.path))].append(rec)
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- matching ------------------------------------------------------------------

    def _key_path(self, path: str) -> str:
        parts = urlsplit(path)
        query = sorted((k, v) for k, v in parse_qsl(parts.query) if k not in self.ignore_params)
        route = parts.path.rstrip("/") or "/"
        return f"{route}?{urlencode(query)}" if query else route

    def match(self, method: str, path: str) -> Recorded | None:
        with self._lock:
            queue = self._queues.get((method.upper(), self._key_path(path)))
            if not queue:
                return None
            return queue.popleft() if len(queue) > 1 else queue[0]

    @property
    def unmatched(self) -> list[ServedRequest]:
        return [r for r in self.log if r.matched is None]

    # -- lifecycle -----------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("replay server is not running")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ReplayServer:
        self._httpd = ThreadingHTTPServer((self.host, 0), _handler_for(self))
        self._httpd.daemon_threads = True
        # A short poll interval keeps shutdown() (and so every test) fast.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def rewrite(self, value: str) -> str:
        return value.replace("https://api.github.com", self.base_url)

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def encode_body(body: Any) -> bytes:
    if body is None or body == "":
        return b""
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body).encode()


def _handler_for(server: ReplayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            if server.graphql is not None and self.command == "POST" and self.path == "/graphql":
                answer = server.graphql(json.loads(body or b"{}"))
                server.log.append(
                    ServedRequest(self.command, self.path, dict(self.headers), body, "graphql")
                )
                self._send(200, list(server.graphql_headers), answer)
                return
            rec = server.match(self.command, self.path)
            server.log.append(
                ServedRequest(
                    method=self.command,
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                    matched=rec.source if rec else None,
                )
            )
            if rec is None:
                # GitHub's own 404 shape, so clients take their normal error path.
                self._send(
                    404,
                    [("Content-Type", "application/json; charset=utf-8")],
                    {
                        "message": "Not Found",
                        "documentation_url": "https://docs.github.com/rest",
                    },
                )
                return
            headers = [
                (k, server.rewrite(v) if k.lower() in {"link", "location"} else v)
                for k, v in rec.headers
                if k.lower() not in _HOP_HEADERS and k.lower() != "status"
            ]
            self._send(rec.status, headers, rec.body)

        def _send(self, status: int, headers: list[tuple[str, str]], body: Any) -> None:
            payload = b"" if status in (204, 304) else encode_body(body)
            self.send_response(status)
            for key, value in headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _serve

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep pytest output clean; requests are in server.log

    return Handler


@contextmanager
def replaying(recordings: Iterable[Recorded], **kwargs: Any) -> Iterator[ReplayServer]:
    with ReplayServer(list(recordings), **kwargs) as server:
        yield server
