"""Notifications: a row always; a JSON POST when configured, retried, never blocking."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from loaders.control.migrations import migrate
from loaders.notifications import Notifier, NotifierSettings
from loaders.warehouse import Warehouse


class Endpoint:
    """A Slack-like receiver on loopback that fails the first `failures` posts."""

    def __init__(self, failures: int = 0, delay: float = 0.0) -> None:
        self.failures = failures
        self.delay = delay
        self.received: list[dict] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                time.sleep(endpoint.delay)
                endpoint.received.append(body)
                status = 500 if len(endpoint.received) <= endpoint.failures else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T000/SECRETPATH"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    ep = Endpoint(failures=2)
    yield ep
    ep.close()


def _rows(wh: Warehouse) -> list[dict]:
    return wh.query(
        "select kind, workspace_slug, job_id, message, delivery_status, delivery_attempts, "
        "delivery_error from control.notifications order by id"
    )


def test_row_without_url(warehouse: Warehouse) -> None:
    migrate(warehouse)
    notifier = Notifier(warehouse)
    notifier.notify("job_started", "Backfill job 1 started", workspace_slug="acme", job_id=1)
    assert notifier.drain() == 0
    [row] = _rows(warehouse)
    assert row["delivery_status"] == "not_configured" and row["kind"] == "job_started"


def test_delivery_retries_with_backoff(warehouse: Warehouse, endpoint: Endpoint) -> None:
    migrate(warehouse)
    pauses: list[float] = []
    notifier = Notifier(
        warehouse, NotifierSettings(url=endpoint.url, attempts=4), sleep=pauses.append
    )
    notifier.notify("job_completed", "Backfill job 7 completed", workspace_slug="acme", job_id=7)
    assert notifier.drain(timeout=10) == 1
    [row] = _rows(warehouse)
    assert row["delivery_status"] == "delivered" and row["delivery_attempts"] == 3
    assert pauses == [1.0, 2.0]
    assert endpoint.received[-1]["text"] == "Backfill job 7 completed"
    assert endpoint.received[-1]["job_id"] == 7


def test_failed_delivery_is_recorded_without_the_url(warehouse: Warehouse) -> None:
    migrate(warehouse)
    ep = Endpoint(failures=99)
    try:
        notifier = Notifier(
            warehouse, NotifierSettings(url=ep.url, attempts=2), sleep=lambda _s: None
        )
        notifier.notify("job_failed", "Backfill job 3 failed", job_id=3)
        notifier.drain(timeout=10)
    finally:
        ep.close()
    [row] = _rows(warehouse)
    assert row["delivery_status"] == "failed" and row["delivery_attempts"] == 2
    assert "HTTP 500" in row["delivery_error"] and "SECRETPATH" not in row["delivery_error"]


def test_slow_endpoint_never_blocks_and_is_delivered_later(warehouse: Warehouse) -> None:
    migrate(warehouse)
    ep = Endpoint(delay=1.0)
    try:
        notifier = Notifier(warehouse, NotifierSettings(url=ep.url))
        started = time.monotonic()
        notifier.notify("job_started", "started", job_id=1)
        assert time.monotonic() - started < 0.5
        assert notifier.drain(timeout=0) == 0  # still in flight: left pending
        assert _rows(warehouse)[0]["delivery_status"] == "pending"
        # a later process (the next run) finds the pending row and delivers it
        later = Notifier(warehouse, NotifierSettings(url=ep.url))
        assert later.drain(timeout=10) == 1
        assert _rows(warehouse)[0]["delivery_status"] == "delivered"
    finally:
        ep.close()


def test_settings_from_env_validate() -> None:
    assert NotifierSettings.from_env({}).url is None
    assert NotifierSettings.from_env({"WAREHOUSE_NOTIFY_URL": "https://hooks.example/x"}).url
    with pytest.raises(ValueError, match="http"):
        NotifierSettings.from_env({"WAREHOUSE_NOTIFY_URL": "ftp://x"})
    with pytest.raises(ValueError, match="at least 1"):
        NotifierSettings.from_env({"WAREHOUSE_NOTIFY_ATTEMPTS": "0"})
    with pytest.raises(ValueError, match="unknown notification kind"):
        Notifier(warehouse=None).notify("job_exploded", "x")  # type: ignore[arg-type]
