"""Turn one verified Polar delivery into control-plane changes, exactly once.

Verification → parse → (replay? 200) → classify → in ONE transaction: record the event in
`webhook_events` (its `webhook_id` is the idempotency key), upsert the add-on, create or
cancel backfill jobs. A crash mid-way leaves nothing, and Polar's retry redoes it all.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from loaders.backfill.jobs import BackfillError, JobStore
from loaders.control.tiers import load_addon_retention
from loaders.warehouse import Warehouse
from loaders.webhook.conflicts import retry_on_conflict
from loaders.webhook.polar import MalformedEvent, SubscriptionEvent, WebhookConfig, parse_event
from loaders.webhook.verify import SignatureInvalid, verify, webhook_for_secret

log = logging.getLogger("loaders.webhook")

ADDON = "extended_data_retention"
CANCEL_STATUS = {"cancel": "canceled", "revoke": "revoked"}


@dataclass(frozen=True)
class Delivery:
    """A delivery whose signature checked out and whose body is a Polar event."""

    webhook_id: str
    payload: Any
    event: SubscriptionEvent


@dataclass(frozen=True)
class WebhookResponse:
    status: int
    body: dict[str, Any] = field(default_factory=dict)


class WebhookHandler:
    def __init__(self, config: WebhookConfig) -> None:
        self.config = config
        self._webhook = webhook_for_secret(config.secret.get_secret_value())

    def handle(
        self, warehouse: Warehouse, headers: Mapping[str, str], body: bytes
    ) -> WebhookResponse:
        checked = self.check(headers, body)
        if isinstance(checked, WebhookResponse):
            return checked
        return self.apply(warehouse, checked)

    def check(self, headers: Mapping[str, str], body: bytes) -> Delivery | WebhookResponse:
        """Signature, timestamp and shape, without the warehouse: a delivery that is not
        provably Polar's, or not an event we can read, never opens a connection."""
        try:
            webhook_id = verify(self._webhook, body, headers)
        except SignatureInvalid as exc:
            log.warning("refused a webhook delivery: %s", exc)
            return WebhookResponse(401, {"error": f"signature check failed: {exc}"})
        try:
            payload = json.loads(body)
            event = parse_event(payload)
        except (ValueError, MalformedEvent) as exc:
            # json.JSONDecodeError is a ValueError; its message quotes no body content.
            return WebhookResponse(400, {"error": f"malformed event: {exc}"})
        return Delivery(webhook_id, payload, event)

    def apply(self, warehouse: Warehouse, delivery: Delivery) -> WebhookResponse:
        """Apply a checked delivery, exactly once per webhook-id."""
        webhook_id, event = delivery.webhook_id, delivery.event
        # Concurrent deliveries touching the same rows: the loser's transaction is undone and
        # the whole delivery runs again, now seeing the winner's job or webhook-id.
        status, outcome, details = retry_on_conflict(
            lambda: self._record(warehouse, webhook_id, delivery.payload, event)
        )
        log.info("webhook %s (%s): %s", webhook_id, event.type, outcome)
        return WebhookResponse(status, {"status": outcome, "webhook_id": webhook_id, **details})

    def _record(
        self, warehouse: Warehouse, webhook_id: str, payload: Any, event: SubscriptionEvent
    ) -> tuple[int, str, dict[str, Any]]:
        """In one transaction: skip a replay, or apply the event and record its webhook-id."""
        store = JobStore(warehouse)
        schema = store.schema
        with warehouse.transaction():
            if warehouse.scalar(
                f"select count(*) from {schema}.webhook_events where webhook_id = %(id)s",
                {"id": webhook_id},
            ):
                return 200, "duplicate", {}
            status, outcome, details = self._apply(warehouse, store, event, webhook_id)
            warehouse.execute(
                f"insert into {schema}.webhook_events "
                "(webhook_id, event_type, product_id, customer_id, outcome, payload_json) "
                "values (%(id)s, %(type)s, %(product)s, %(customer)s, %(outcome)s, %(payload)s)",
                {
                    "id": webhook_id,
                    "type": event.type,
                    "product": event.product_id,
                    "customer": event.customer_ids[0] if event.customer_ids else None,
                    "outcome": outcome,
                    "payload": json.dumps(payload, sort_keys=True),
                },
            )
        return status, outcome, details

    def _apply(
        self, wh: Warehouse, store: JobStore, event: SubscriptionEvent, webhook_id: str
    ) -> tuple[int, str, dict[str, Any]]:
        if not event.is_subscription:
            return 202, "ignored_event_type", {}
        if not self.config.is_edr(event):
            # Acknowledged and recorded; an unknown product never changes a tier or add-on.
            return 202, "unknown_product", {}
        workspaces = self._workspaces(wh, store.schema, event)
        if not workspaces:
            return 202, "no_matching_workspace", {}
        action = event.action
        if action == "none":
            return 200, "no_change", {"workspaces": workspaces}
        if action == "activate":
            jobs: list[int] = []
            problems: list[str] = []
            days = load_addon_retention()[ADDON]
            for slug in workspaces:
                was_active = self._addon_status(wh, store.schema, slug) == "active"
                self._upsert_addon(wh, store.schema, slug, "active", event.subscription_id)
                if was_active and store.completed_covering(slug, days):
                    # Renewals and other updates of a live subscription: history is loaded,
                    # the scheduled syncs keep it; another backfill would only cost budget.
                    continue
                try:
                    job, _created = store.create(
                        slug,
                        days,
                        trigger="billing",
                        webhook_id=webhook_id,
                        subscription_id=event.subscription_id,
                    )
                except BackfillError as exc:  # e.g. no repository yet: the add-on still counts
                    problems.append(str(exc))
                    continue
                jobs.append(job.id)
            details: dict[str, Any] = {"workspaces": workspaces, "jobs": jobs}
            if problems:
                details["problems"] = problems
            return 200, "activated", details
        canceled_jobs: list[int] = []
        for slug in workspaces:
            self._upsert_addon(wh, store.schema, slug, CANCEL_STATUS[action], event.subscription_id)
            # The purchased window is gone: a billing backfill not yet done has no purpose.
            active = store.active_for(slug)
            if active is not None and active.trigger == "billing":
                store.cancel(active.id)
                canceled_jobs.append(active.id)
        return (
            200,
            CANCEL_STATUS[action],
            {"workspaces": workspaces, "canceled_jobs": canceled_jobs},
        )

    def _workspaces(self, wh: Warehouse, schema: str, event: SubscriptionEvent) -> list[str]:
        """Active workspaces whose billing customer is the event's, or that metadata names."""
        rows = wh.query(
            f"select slug, billing_customer_id from {schema}.workspaces where is_active "
            "order by slug"
        )
        return [
            r["slug"]
            for r in rows
            if r["slug"] in event.metadata_workspaces
            or (r["billing_customer_id"] and r["billing_customer_id"] in event.customer_ids)
        ]

    def _addon_status(self, wh: Warehouse, schema: str, slug: str) -> str | None:
        return wh.scalar(
            f"select status from {schema}.workspace_addons "
            "where workspace_slug = %(w)s and addon = %(a)s",
            {"w": slug, "a": ADDON},
        )

    def _upsert_addon(
        self, wh: Warehouse, schema: str, slug: str, status: str, subscription_id: str | None
    ) -> None:
        params = {"w": slug, "a": ADDON, "s": status, "sub": subscription_id}
        if self._addon_status(wh, schema, slug) is not None:
            wh.execute(
                f"update {schema}.workspace_addons set source = 'billing', status = %(s)s, "
                "billing_subscription_id = coalesce(%(sub)s, billing_subscription_id), "
                "updated_at = current_timestamp where workspace_slug = %(w)s and addon = %(a)s",
                params,
            )
        else:
            wh.execute(
                f"insert into {schema}.workspace_addons "
                "(workspace_slug, addon, source, status, billing_subscription_id) "
                "values (%(w)s, %(a)s, 'billing', %(s)s, %(sub)s)",
                params,
            )
