"""The served receiver under concurrency and hostile clients (real HTTP on loopback).

- 20 concurrent valid deliveries of one purchase (distinct webhook-ids): one job, on both
  engines; every delivery names that job.
- Slow clients trickling their headers do not hold up a valid delivery.
- A body over the limit gets 413 before it is sent, so it is never read whole.
- Forged, stale and replayed deliveries stay refused, and change nothing.
"""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import requests

from loaders.warehouse import WarehouseSettings, connect
from loaders.webhook import signed_headers, subscription_event
from loaders.webhook.server import MAX_BODY_BYTES, ServerLimits
from pytests.backfill.helpers import seed_workspace
from pytests.webhook.served import SECRET, Served, control_rows


def test_twenty_concurrent_deliveries_of_one_purchase_create_one_job(
    warehouse_settings: WarehouseSettings,
) -> None:
    with connect(warehouse_settings) as wh:
        seed_workspace(wh, "acme", ("acme/api", "acme/web"), customer="cus_1")
    body = subscription_event("subscription.active", customer_id="cus_1")
    start = threading.Barrier(20)

    def deliver(number: int) -> requests.Response:
        headers = signed_headers(SECRET, body, webhook_id=f"msg_race_{number}")
        start.wait()
        return requests.post(served.url, data=body, headers=headers, timeout=60)

    served = Served(warehouse_settings, ServerLimits(threads=20))
    with served, ThreadPoolExecutor(20) as pool:
        replies = list(pool.map(deliver, range(20)))
    assert [r.status_code for r in replies] == [200] * 20, [r.text for r in replies]
    with connect(warehouse_settings) as wh:
        jobs = wh.query("select id, status from control.backfill_jobs")
        assert len(jobs) == 1 and jobs[0]["status"] == "pending"
        assert wh.scalar("select count(*) from control.webhook_events") == 20
        assert wh.scalar("select count(*) from control.backfill_job_repositories") == 2
    # Winners and losers alike answer with the one job (losers get the existing one).
    assert {tuple(r.json()["jobs"]) for r in replies} <= {(jobs[0]["id"],), ()}
    assert any(r.json()["jobs"] == [jobs[0]["id"]] for r in replies)


def _trickle(port: int, stop: threading.Event) -> None:
    """A client sending its request line and headers one byte per second."""
    request = b"POST /webhooks/polar HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        for byte in request:
            if stop.wait(1.0):
                return
            conn.sendall(bytes([byte]))


def test_slow_clients_do_not_delay_a_valid_delivery(
    duckdb_served: tuple[Served, WarehouseSettings],
) -> None:
    served, _settings = duckdb_served
    stop = threading.Event()
    # More slow clients than worker threads: a thread-per-connection server would stall.
    slow = [
        threading.Thread(target=_trickle, args=(served.port, stop), daemon=True) for _ in range(12)
    ]
    for thread in slow:
        thread.start()
    try:
        time.sleep(1.5)  # every slow client is connected and has sent a byte or two
        body = subscription_event("subscription.updated", customer_id="cus_unknown")
        started = time.monotonic()
        reply = requests.post(
            served.url, data=body, headers=signed_headers(SECRET, body), timeout=30
        )
        elapsed = time.monotonic() - started
        assert reply.status_code == 202, reply.text
        assert elapsed < 1.0, f"a valid delivery took {elapsed:.2f} s behind slow clients"
    finally:
        stop.set()
        for thread in slow:
            thread.join(5)


def test_body_over_the_limit_is_refused_before_it_is_sent(
    duckdb_served: tuple[Served, WarehouseSettings],
) -> None:
    served, settings = duckdb_served
    before = control_rows(settings)
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as conn:
        conn.sendall(
            b"POST /webhooks/polar HTTP/1.1\r\nHost: x\r\n"
            + f"Content-Length: {MAX_BODY_BYTES + 1}\r\n\r\n".encode()
            + b"{"  # one byte of the promised megabyte: the answer must not wait for more
        )
        answer = conn.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    # Exactly at the limit is still read (and refused only for its signature).
    body = b" " * MAX_BODY_BYTES
    reply = requests.post(served.url, data=body, timeout=30)
    assert reply.status_code == 401
    assert control_rows(settings) == before


def test_forged_stale_and_replayed_deliveries_stay_refused(
    duckdb_served: tuple[Served, WarehouseSettings],
) -> None:
    served, settings = duckdb_served
    body = subscription_event("subscription.active", workspace="acme")
    forged = signed_headers("not-the-secret", body)
    stale = signed_headers(SECRET, body, at=datetime.now(timezone.utc) - timedelta(minutes=10))
    tampered = signed_headers(SECRET, body)
    before = control_rows(settings)
    assert requests.post(served.url, data=body, headers=forged, timeout=10).status_code == 401
    assert requests.post(served.url, data=body, headers=stale, timeout=10).status_code == 401
    changed = body.replace(b"acme", b"acmf")
    assert requests.post(served.url, data=changed, headers=tampered, timeout=10).status_code == 401
    assert control_rows(settings) == before
    valid = signed_headers(SECRET, body, webhook_id="msg_replayed")
    first = requests.post(served.url, data=body, headers=valid, timeout=10)
    assert first.status_code == 200 and first.json()["status"] == "activated"
    after_first = control_rows(settings)
    replay = requests.post(served.url, data=body, headers=valid, timeout=10)
    assert replay.status_code == 200 and replay.json()["status"] == "duplicate"
    assert control_rows(settings) == after_first
