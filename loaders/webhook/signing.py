"""Sign deliveries the way Polar does, for tests and `warehouse webhook simulate`.

Only ever used with a secret the operator already holds; the signature is computed by the
same `standardwebhooks` library that verifies it.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any

from loaders.webhook.verify import webhook_for_secret


def signed_headers(
    secret: str, body: bytes, *, webhook_id: str | None = None, at: datetime | None = None
) -> dict[str, str]:
    """`webhook-id`, `webhook-timestamp`, `webhook-signature` for `body`."""
    webhook_id = webhook_id or f"msg_{uuid.uuid4().hex}"
    at = at or datetime.now(timezone.utc)
    signature = webhook_for_secret(secret).sign(webhook_id, at, body.decode())
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
    }


def subscription_event(
    event_type: str,
    *,
    customer_id: str | None = None,
    workspace: str | None = None,
    product_id: str = "prod_edr",
    product_name: str = "Extended Data Retention",
    status: str = "active",
    subscription_id: str = "sub_simulated",
) -> bytes:
    """A Polar-shaped subscription event body (only the fields the receiver reads, and a few
    more so it looks like the real thing)."""
    now = datetime.now(timezone.utc).isoformat()
    data: dict[str, Any] = {
        "id": subscription_id,
        "status": status,
        "created_at": now,
        "product_id": product_id,
        "product": {"id": product_id, "name": product_name, "is_recurring": True},
        "customer_id": customer_id,
        "customer": {"id": customer_id, "external_id": None},
        "metadata": {"workspace": workspace} if workspace else {},
    }
    return json.dumps({"type": event_type, "timestamp": now, "data": data}).encode()
