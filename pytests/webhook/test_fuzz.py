"""1,000 random deliveries over HTTP (a seeded generator): never a 500, never a job, no row
changed. Bodies are random bytes, random JSON and Polar-shaped events; header sets are
missing, garbled, forged (another secret), stale, or correctly signed over a body that is
not a readable event. WAREHOUSE_FUZZ_SEED and WAREHOUSE_FUZZ_CASES change the draw."""

from __future__ import annotations

import json
import os
import random
import string
from datetime import datetime, timedelta, timezone
from typing import Any

import requests

from loaders.warehouse import WarehouseSettings
from loaders.webhook import signed_headers
from pytests.webhook.served import SECRET, Served, control_rows

SEED = int(os.environ.get("WAREHOUSE_FUZZ_SEED", "17"))
CASES = int(os.environ.get("WAREHOUSE_FUZZ_CASES", "1000"))
EVENT_TYPES = ("subscription.created", "subscription.active", "subscription.revoked", "x")
HEADER_NAMES = ("webhook-id", "webhook-timestamp", "webhook-signature")


def _text(rng: random.Random, limit: int = 40) -> str:
    alphabet = string.printable + "é€\u202e\x00"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, limit)))


def _json_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randint(0, 6 if depth < 3 else 3)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False, 0, -1, 2**63, 1.5e308, float("-0")])
    if kind in (2, 3):
        return _text(rng)
    if kind == 4:
        return [_json_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = ["type", "data", "id", "status", "product", "customer_id", "metadata", "workspace"]
    return {
        rng.choice(keys) if rng.random() < 0.7 else _text(rng, 10): _json_value(rng, depth + 1)
        for _ in range(rng.randint(0, 5))
    }


def _polar_shaped(rng: random.Random) -> dict[str, Any]:
    return {
        "type": rng.choice(EVENT_TYPES),
        "data": {
            "id": _json_value(rng),
            "status": rng.choice(["active", "canceled", None, _text(rng)]),
            "customer_id": rng.choice(["cus_1", None, _text(rng)]),
            "product": {"id": "prod_edr", "name": "Extended Data Retention"},
            "metadata": {"workspace": rng.choice(["acme", _text(rng)])},
        },
    }


def _body(rng: random.Random) -> bytes:
    kind = rng.randint(0, 3)
    if kind == 0:
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 600)))
    if kind == 1:
        return json.dumps(_json_value(rng)).encode()
    if kind == 2:
        return json.dumps(_polar_shaped(rng)).encode()
    return _text(rng, 200).encode("utf-8", "surrogatepass")


def _unreadable(rng: random.Random) -> bytes:
    """A body no parse turns into an event: signing it correctly must still change nothing."""
    choices: list[Any] = [
        b"",
        b"{",
        b"[]",
        b"null",
        json.dumps({"type": 7, "data": {}}).encode(),
        json.dumps({"type": "subscription.active", "data": _text(rng)}).encode(),
        json.dumps(_text(rng)).encode(),
        b"\xff\xfe" + bytes(rng.getrandbits(8) for _ in range(20)),
    ]
    return rng.choice(choices)


def _headers(rng: random.Random, body: bytes) -> tuple[dict[str, str], bytes]:
    kind = rng.randint(0, 5)
    if kind == 0:  # random subset of the headers, random values
        return {h: _text(rng) for h in HEADER_NAMES if rng.random() < 0.6}, body
    if kind == 1:  # forged: another secret
        safe = body.decode("utf-8", "replace").encode()
        return signed_headers(_text(rng, 20) or "x", safe), safe
    if kind == 2:  # stale or from the future
        minutes = rng.choice([-1, 1]) * rng.randint(6, 10_000)
        at = datetime.now(timezone.utc) + timedelta(minutes=minutes)
        safe = body.decode("utf-8", "replace").encode()
        return signed_headers(SECRET, safe, at=at), safe
    if kind == 3:  # a valid signature for another body
        other = json.dumps(_polar_shaped(rng)).encode()
        return signed_headers(SECRET, other), body if body != other else body + b" "
    if kind == 4:  # garbled signature lists
        headers = signed_headers(SECRET, b"{}")
        headers["webhook-signature"] = rng.choice(
            ["v1", "v1,", "v1,!!!", "v2,abc", " ", "v1,a v1,b", _text(rng)]
        )
        return headers, body
    unreadable = _unreadable(rng)  # correctly signed, not an event
    safe = unreadable.decode("utf-8", "replace").encode()
    return signed_headers(SECRET, safe), safe


def _header_value(value: str) -> str:
    """What an HTTP client can send at all: latin-1, no line breaks, no leading blank."""
    cleaned = value.encode("latin-1", "replace").decode("latin-1")
    return "".join(c for c in cleaned if c not in "\r\n\x00\x0b\x0c").lstrip()


def test_random_deliveries_change_nothing(
    duckdb_served: tuple[Served, WarehouseSettings],
) -> None:
    served, settings = duckdb_served
    rng = random.Random(SEED)
    before = control_rows(settings)
    statuses: dict[int, int] = {}
    with requests.Session() as session:
        for case in range(CASES):
            headers, body = _headers(rng, _body(rng))
            headers = {k: _header_value(v) for k, v in headers.items()}
            if rng.random() < 0.2:
                headers["content-type"] = _header_value(rng.choice(["text/plain", _text(rng, 10)]))
            reply = session.post(served.url, data=body, headers=headers, timeout=30)
            statuses[reply.status_code] = statuses.get(reply.status_code, 0) + 1
            assert reply.status_code in (400, 401), (case, reply.status_code, reply.text)
    assert control_rows(settings) == before
    assert sum(statuses.values()) == CASES and set(statuses) == {400, 401}, statuses
