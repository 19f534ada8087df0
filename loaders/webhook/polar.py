"""Polar subscription events, reduced to what the warehouse acts on.

A Polar delivery is `{"type": "subscription.created", "timestamp": ..., "data": {<Subscription>}}`
where the subscription carries `id`, `status`, `product_id`, `product {id, name}`,
`customer_id`, `customer {id, external_id}` and `metadata` (free key/values set at checkout).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr

#: Deliveries that turn the add-on on when the subscription's status allows it.
ACTIVATING_TYPES = ("subscription.created", "subscription.active", "subscription.uncanceled")
#: Polar statuses in which the customer has paid access.
PAID_STATUSES = ("active", "trialing")
#: Statuses after which access is gone (`subscription.updated` may carry them).
ENDED_STATUSES = ("canceled", "unpaid", "incomplete_expired")
#: Metadata keys naming workspaces (a slug, or several separated by commas).
WORKSPACE_METADATA_KEYS = ("workspace", "workspace_slug", "workspaces")
DEFAULT_EDR_PRODUCT_NAME = "Extended Data Retention"


class MalformedEvent(ValueError):
    """The body is JSON but not a Polar event we can read."""


class WebhookConfig(BaseModel):
    """Where the receiver listens and which Polar products mean Extended Data Retention."""

    model_config = ConfigDict(frozen=True)

    secret: SecretStr
    edr_product_ids: frozenset[str] = frozenset()
    edr_product_names: frozenset[str] = frozenset({DEFAULT_EDR_PRODUCT_NAME.lower()})
    host: str = "127.0.0.1"
    port: int = 8787
    path: str = "/webhooks/polar"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> WebhookConfig:
        """`WAREHOUSE_WEBHOOK_SECRET` (required), `WAREHOUSE_EDR_PRODUCT_IDS` and
        `WAREHOUSE_EDR_PRODUCT_NAMES` (comma-separated)."""
        env = os.environ if env is None else env
        secret = env.get("WAREHOUSE_WEBHOOK_SECRET", "")
        if not secret:
            raise ValueError(
                "WAREHOUSE_WEBHOOK_SECRET is not set: copy the signing secret of the Polar "
                "webhook endpoint into it"
            )
        values: dict[str, Any] = {"secret": SecretStr(secret)}
        ids = _split(env.get("WAREHOUSE_EDR_PRODUCT_IDS", ""))
        if ids:
            values["edr_product_ids"] = frozenset(ids)
        names = _split(env.get("WAREHOUSE_EDR_PRODUCT_NAMES", ""))
        if names:
            values["edr_product_names"] = frozenset(n.lower() for n in names)
        values.update(overrides)
        return cls(**values)

    def is_edr(self, event: SubscriptionEvent) -> bool:
        if event.product_id and event.product_id in self.edr_product_ids:
            return True
        return bool(event.product_name) and event.product_name.lower() in self.edr_product_names


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


@dataclass(frozen=True)
class SubscriptionEvent:
    type: str
    subscription_id: str | None
    status: str | None
    product_id: str | None
    product_name: str | None
    customer_ids: tuple[str, ...]  # Polar's id and the external id we may have given Polar
    metadata_workspaces: tuple[str, ...]

    @property
    def is_subscription(self) -> bool:
        return self.type.startswith("subscription.")

    @property
    def action(self) -> str:
        """`activate`, `cancel`, `revoke` or `none` (the add-on stays as it is)."""
        if self.type == "subscription.revoked":
            return "revoke"
        if self.type == "subscription.canceled" or (
            self.type == "subscription.updated" and self.status in ENDED_STATUSES
        ):
            return "cancel"
        if self.type in (*ACTIVATING_TYPES, "subscription.updated") and (
            self.status is None or self.status in PAID_STATUSES
        ):
            return "activate"
        return "none"


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, (str, int)) and str(value) else None


def parse_event(payload: Any) -> SubscriptionEvent:
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        raise MalformedEvent("expected a JSON object with a string `type`")
    data = payload.get("data")
    if not isinstance(data, dict):
        raise MalformedEvent("expected `data` to be a JSON object")
    product = data.get("product") if isinstance(data.get("product"), dict) else {}
    customer = data.get("customer") if isinstance(data.get("customer"), dict) else {}
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    customer_ids = [
        _text(data.get("customer_id")),
        _text(customer.get("id")),
        _text(customer.get("external_id")),
    ]
    slugs: list[str] = []
    for key in WORKSPACE_METADATA_KEYS:
        raw = metadata.get(key)
        if isinstance(raw, str):
            slugs.extend(_split(raw))
    return SubscriptionEvent(
        type=payload["type"],
        subscription_id=_text(data.get("id")),
        status=_text(data.get("status")),
        product_id=_text(data.get("product_id")) or _text(product.get("id")),
        product_name=_text(product.get("name")),
        customer_ids=tuple(dict.fromkeys(c for c in customer_ids if c)),
        metadata_workspaces=tuple(dict.fromkeys(slugs)),
    )
