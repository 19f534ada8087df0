"""The HTTP receiver end to end on loopback: status codes travel over the wire."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests
from pydantic import SecretStr

from loaders.warehouse import WarehouseSettings, connect
from loaders.webhook import WebhookConfig, make_server, signed_headers, subscription_event
from pytests.backfill.helpers import seed_workspace

SECRET = "server-test-secret"


@pytest.fixture
def base_url(warehouse_settings: WarehouseSettings) -> Iterator[str]:
    with connect(warehouse_settings) as wh:
        seed_workspace(wh, "acme", ("acme/api",), customer="cus_1")
    config = WebhookConfig(secret=SecretStr(SECRET), port=0)
    server = make_server(config, warehouse_settings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_http_round_trip(base_url: str, warehouse_settings: WarehouseSettings) -> None:
    body = subscription_event("subscription.active", customer_id="cus_1")
    headers = signed_headers(SECRET, body, webhook_id="msg_http")
    url = f"{base_url}/webhooks/polar"
    first = requests.post(url, data=body, headers=headers, timeout=10)
    assert first.status_code == 200 and first.json()["status"] == "activated"
    replay = requests.post(url, data=body, headers=headers, timeout=10)
    assert replay.status_code == 200 and replay.json()["status"] == "duplicate"
    unsigned = requests.post(url, data=body, timeout=10)
    assert unsigned.status_code == 401
    assert requests.post(f"{base_url}/elsewhere", data=body, timeout=10).status_code == 404
    assert requests.get(f"{base_url}/healthz", timeout=10).json() == {"status": "ok"}
    with connect(warehouse_settings) as wh:
        assert wh.scalar("select count(*) from control.backfill_jobs") == 1


def test_busy_warehouse_answers_503(warehouse_settings: WarehouseSettings) -> None:
    def refuse(_settings: WarehouseSettings):
        raise OSError("Could not set lock on file")

    server = make_server(
        WebhookConfig(secret=SecretStr(SECRET), port=0), warehouse_settings, connector=refuse
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        body = subscription_event("subscription.active", customer_id="cus_1")
        url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/polar"
        reply = requests.post(url, data=body, headers=signed_headers(SECRET, body), timeout=10)
        assert reply.status_code == 503
    finally:
        server.shutdown()
        server.server_close()
