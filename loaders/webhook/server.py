"""A small HTTP receiver for the billing webhook (standard library server, one request at a time).

Requests are handled one after another so the warehouse sees one writer; a connection is
opened per delivery and closed right after, so the DuckDB file stays free for `warehouse run`
between deliveries. When the warehouse is busy (the DuckDB file is locked by a run) the
answer is 503 and Polar delivers again later.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from loaders.warehouse import Warehouse, WarehouseSettings, connect
from loaders.webhook.handler import WebhookHandler, WebhookResponse
from loaders.webhook.polar import WebhookConfig

log = logging.getLogger("loaders.webhook")

MAX_BODY_BYTES = 1024 * 1024  # Polar events are a few kB; refuse anything absurd


def make_server(
    config: WebhookConfig,
    settings: WarehouseSettings,
    *,
    connector: Callable[[WarehouseSettings], Warehouse] = connect,
) -> HTTPServer:
    """An HTTP server bound to `config.host:config.port` (port 0 picks a free one)."""
    handler = WebhookHandler(config)

    class RequestHandler(BaseHTTPRequestHandler):
        server_version = "warehouse-webhook"

        def do_GET(self) -> None:
            if self.path == "/healthz":
                self._reply(WebhookResponse(200, {"status": "ok"}))
            else:
                self._reply(WebhookResponse(404, {"error": "not found"}))

        def do_POST(self) -> None:
            if self.path.split("?", 1)[0] != config.path:
                self._reply(WebhookResponse(404, {"error": f"POST webhooks to {config.path}"}))
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BODY_BYTES:
                self._reply(WebhookResponse(413, {"error": "body missing or too large"}))
                return
            body = self.rfile.read(length)
            headers = {k: v for k, v in self.headers.items()}
            try:
                warehouse = connector(settings)
            except Exception as exc:
                log.error("warehouse unavailable for a webhook delivery: %s", type(exc).__name__)
                self._reply(WebhookResponse(503, {"error": "warehouse busy, deliver again"}))
                return
            try:
                response = handler.handle(warehouse, headers, body)
            except Exception:
                log.exception("webhook delivery failed; the provider will deliver it again")
                response = WebhookResponse(500, {"error": "internal error, deliver again"})
            finally:
                warehouse.close()
            self._reply(response)

        def _reply(self, response: WebhookResponse) -> None:
            data = json.dumps(response.body).encode()
            self.send_response(response.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            # Request lines only (no headers, so no signatures) and through logging.
            log.info("%s %s", self.address_string(), format % args)

    return HTTPServer((config.host, config.port), RequestHandler)
