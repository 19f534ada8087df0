"""The billing webhook over HTTP: a WSGI app served by waitress.

Why waitress (and not cheroot, or the standard library's one-request-at-a-time server):
waitress reads every request on one asyncore loop and hands it to a worker thread only once
its headers and body are complete. A client trickling its headers byte by byte, or a body
slowly, holds a connection slot but never a worker, so valid deliveries keep being answered
at once. cheroot gives each connection a worker thread from the moment it is accepted, so a
few slow clients can take every thread. waitress also refuses a `Content-Length` over the
limit with 413 before reading any of the body, and closes connections idle longer than
`channel_timeout`.

A connection to the warehouse is opened per delivery and closed right after, so the DuckDB
file stays free for `warehouse run` between deliveries. When the warehouse is busy (the
DuckDB file is locked by a run) the answer is 503 and Polar delivers again later.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from waitress.server import create_server

from loaders.warehouse import Warehouse, WarehouseSettings, connect
from loaders.webhook.handler import WebhookHandler, WebhookResponse
from loaders.webhook.polar import WebhookConfig

log = logging.getLogger("loaders.webhook")

MAX_BODY_BYTES = 1024 * 1024  # Polar events are a few kB; refuse anything absurd

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
_REASONS = {200: "OK", 202: "Accepted", 400: "Bad Request", 401: "Unauthorized"}
_REASONS |= {404: "Not Found", 413: "Content Too Large", 500: "Internal Server Error"}
_REASONS |= {503: "Service Unavailable"}


@dataclass(frozen=True)
class ServerLimits:
    """What one hostile or slow client can cost (docs/running.md, "Billing webhook")."""

    #: Worker threads: deliveries verified and applied at the same time.
    threads: int = 8
    #: Open connections at most; beyond it waitress stops accepting until some close.
    connection_limit: int = 100
    #: A connection with no byte received or sent for this long is closed.
    idle_timeout_seconds: int = 30
    max_body_bytes: int = MAX_BODY_BYTES
    max_header_bytes: int = 16 * 1024


def make_app(
    config: WebhookConfig,
    settings: WarehouseSettings,
    *,
    connector: Callable[[WarehouseSettings], Warehouse] = connect,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """The WSGI application: POST `config.path` and GET /healthz."""
    handler = WebhookHandler(config)

    def deliver(environ: dict[str, Any]) -> WebhookResponse:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if method == "GET" and path == "/healthz":
            return WebhookResponse(200, {"status": "ok"})
        if method != "POST" or path != config.path:
            return WebhookResponse(404, {"error": f"POST webhooks to {config.path}"})
        raw_length = environ.get("CONTENT_LENGTH") or "0"
        length = int(raw_length) if raw_length.isdigit() else -1
        if not 0 <= length <= max_body_bytes:  # the server refused larger ones already
            return WebhookResponse(413, {"error": "body missing or too large"})
        body = environ["wsgi.input"].read(length)
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        checked = handler.check(headers, body)
        if isinstance(checked, WebhookResponse):  # refused without touching the warehouse
            return checked
        try:
            warehouse = connector(settings)
        except Exception as exc:
            log.error("warehouse unavailable for a webhook delivery: %s", type(exc).__name__)
            return WebhookResponse(503, {"error": "warehouse busy, deliver again"})
        try:
            return handler.apply(warehouse, checked)
        except Exception:
            log.exception("webhook delivery failed; the provider will deliver it again")
            return WebhookResponse(500, {"error": "internal error, deliver again"})
        finally:
            warehouse.close()

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        response = deliver(environ)
        data = json.dumps(response.body).encode()
        # Request lines only (no headers, so no signatures).
        log.info(
            "%s %s %s -> %d",
            environ.get("REMOTE_ADDR", "-"),
            environ["REQUEST_METHOD"],
            environ.get("PATH_INFO", ""),
            response.status,
        )
        start_response(
            f"{response.status} {_REASONS.get(response.status, 'Unknown')}",
            [("Content-Type", "application/json"), ("Content-Length", str(len(data)))],
        )
        return [data]

    return app


class WebhookServer:
    """waitress bound to `config.host:config.port` (port 0 picks a free one), with the
    `serve_forever`/`shutdown`/`server_close` calls of the standard library's servers."""

    def __init__(self, server: Any) -> None:
        self._server = server
        self._stop = threading.Event()
        self._stopped = threading.Event()

    @property
    def server_address(self) -> tuple[str, int]:
        return self._server.effective_host, int(self._server.effective_port)

    def serve_forever(self) -> None:
        from waitress import wasyncore

        try:
            # Short loop passes so `shutdown` from another thread is seen within 0.2 s.
            while not self._stop.is_set():
                wasyncore.loop(timeout=0.2, map=self._server._map, count=1)
        finally:
            wasyncore.close_all(self._server._map)
            self._server.task_dispatcher.shutdown(timeout=5)
            self._stopped.set()

    def shutdown(self) -> None:
        self._stop.set()
        self._stopped.wait(10)

    def server_close(self) -> None:
        if not self._stopped.is_set():  # never served: close the listening socket only
            self._server.close()
            self._server.task_dispatcher.shutdown(timeout=5)


def make_server(
    config: WebhookConfig,
    settings: WarehouseSettings,
    *,
    connector: Callable[[WarehouseSettings], Warehouse] = connect,
    limits: ServerLimits | None = None,
) -> WebhookServer:
    """The receiver, listening already (an `OSError` when the port is taken)."""
    limits = limits or ServerLimits()
    app = make_app(config, settings, connector=connector, max_body_bytes=limits.max_body_bytes)
    server = create_server(
        app,
        host=config.host,
        port=config.port,
        threads=limits.threads,
        connection_limit=limits.connection_limit,
        channel_timeout=limits.idle_timeout_seconds,
        cleanup_interval=max(1, min(limits.idle_timeout_seconds, 30)),
        # waitress refuses a body of exactly max_request_body_size: one more byte allowed.
        max_request_body_size=limits.max_body_bytes + 1,
        max_request_header_size=limits.max_header_bytes,
        ident="warehouse-webhook",
        clear_untrusted_proxy_headers=True,
    )
    return WebhookServer(server)
