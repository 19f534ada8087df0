"""The HTTP side: a threaded server that turns requests into `Emulator.handle` calls.

Also accepts GitHub Enterprise style paths (`/api/v3/...`, `/api/graphql`), so loaders can
point their API base URL at either form.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from .core import Emulator
from .ratelimit import Limits
from .world.world import World


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse connections, as with GitHub
    # Headers and body go out in separate writes; with Nagle on, keep-alive clients wait
    # for a delayed ACK (~40 ms) on every answer.
    disable_nagle_algorithm = True
    server: _Server

    def date_time_string(self, timestamp: float | None = None) -> str:
        # `Date` follows the virtual clock, consistent with `x-ratelimit-reset`.
        now = self.server.emulator.world.now if timestamp is None else timestamp
        return formatdate(now, usegmt=True)

    def log_message(self, format: str, *args: object) -> None:
        # Silent: request lines are not interesting and headers (tokens) must never leak.
        return

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        url = urlsplit(self.path)
        path, prefix = url.path, ""
        if path.startswith("/api/v3"):
            path, prefix = path[len("/api/v3") :] or "/", "/api/v3"
        elif path == "/api/graphql":
            path = "/graphql"
        path = path.rstrip("/") or "/"
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in self.headers.items()}
        length = int(headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        base = f"http://{headers.get('host') or self.server.host_port}{prefix}"
        out = self.server.emulator.handle(method, path, query, headers, body, base)
        if out.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        try:
            self.send_response(out.status)
            for k, v in out.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(out.body)))
            self.end_headers()
            if out.body:
                self.wfile.write(out.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. its own timeout)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, addr: tuple[str, int], emulator: Emulator) -> None:
        super().__init__(addr, _Handler)
        self.emulator = emulator
        self.host_port = f"{addr[0]}:{self.server_address[1]}"


class EmulatorServer:
    """An emulator bound to a socket. `serve_forever()` blocks; `start()` runs it in a
    background thread (what tests use)."""

    def __init__(self, emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> None:
        self.state = emulator
        self._httpd = _Server((host, port), emulator)
        self.host, self.port = host, self._httpd.server_address[1]
        self._thread: threading.Thread | None = None

    @classmethod
    def create(
        cls,
        world: str = "small",
        seed: int = 1,
        host: str = "127.0.0.1",
        port: int = 0,
        anchor: int | None = None,
        limits: Limits | None = None,
        tokens: tuple[str, ...] = (),
        prewarm: bool = False,
    ) -> EmulatorServer:
        """`prewarm=True` generates every repository before listening (see World.prewarm)."""
        w = World(world, seed, anchor)
        if prewarm:
            w.prewarm()
        return cls(Emulator(w, seed=seed, limits=limits, tokens=tokens), host, port)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.05)

    def start(self) -> EmulatorServer:
        self._thread = threading.Thread(
            target=self.serve_forever, name="github-emulator", daemon=True
        )
        self._thread.start()
        return self

    def shutdown(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()
