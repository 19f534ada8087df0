"""Billing webhook: signatures, idempotency, add-ons and jobs, on both engines."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from pydantic import SecretStr

from loaders.warehouse import Warehouse
from loaders.webhook import WebhookConfig, WebhookHandler, signed_headers, subscription_event
from pytests.backfill.helpers import seed_workspace

SECRET = "polar_whs_test_secret_value"


@pytest.fixture
def handler() -> WebhookHandler:
    return WebhookHandler(
        WebhookConfig(secret=SecretStr(SECRET), edr_product_ids=frozenset({"prod_edr"}))
    )


@pytest.fixture
def seeded(warehouse: Warehouse) -> Warehouse:
    seed_workspace(warehouse, "acme", ("acme/api", "acme/web"), customer="cus_1")
    seed_workspace(warehouse, "guild", ("acme/api", "data/pipe"), customer="cus_2")
    return warehouse


def _jobs(wh: Warehouse) -> list[dict]:
    return wh.query(
        "select workspace_slug, status, retention_days, trigger from control.backfill_jobs "
        "order by id"
    )


def _addons(wh: Warehouse) -> list[dict]:
    return wh.query(
        "select workspace_slug, addon, source, status, billing_subscription_id "
        "from control.workspace_addons order by workspace_slug"
    )


def _events(wh: Warehouse) -> list[dict]:
    return wh.query("select webhook_id, event_type, outcome from control.webhook_events")


def _deliver(handler, wh, body: bytes, **kwargs):
    return handler.handle(wh, signed_headers(SECRET, body, **kwargs), body)


def test_purchase_activates_addon_and_creates_one_job(handler, seeded) -> None:
    body = subscription_event("subscription.active", customer_id="cus_1")
    response = _deliver(handler, seeded, body, webhook_id="msg_1")
    assert response.status == 200 and response.body["status"] == "activated"
    assert response.body["workspaces"] == ["acme"]
    assert _addons(seeded) == [
        {
            "workspace_slug": "acme",
            "addon": "extended_data_retention",
            "source": "billing",
            "status": "active",
            "billing_subscription_id": "sub_simulated",
        }
    ]
    assert _jobs(seeded) == [
        {"workspace_slug": "acme", "status": "pending", "retention_days": 365, "trigger": "billing"}
    ]
    # a replay of the same delivery: 200, nothing new
    again = _deliver(handler, seeded, body, webhook_id="msg_1")
    assert again.status == 200 and again.body["status"] == "duplicate"
    # a second, different event while the job is pending: no second job
    updated = subscription_event("subscription.updated", customer_id="cus_1")
    assert _deliver(handler, seeded, updated, webhook_id="msg_2").body["status"] == "activated"
    assert len(_jobs(seeded)) == 1
    assert sorted(e["webhook_id"] for e in _events(seeded)) == ["msg_1", "msg_2"]


def test_metadata_names_workspaces(handler, seeded) -> None:
    body = subscription_event("subscription.created", customer_id="cus_x", workspace="guild")
    response = _deliver(handler, seeded, body)
    assert response.body["workspaces"] == ["guild"]
    assert [j["workspace_slug"] for j in _jobs(seeded)] == ["guild"]


def test_cancel_and_revoke_return_to_tier(handler, seeded) -> None:
    _deliver(handler, seeded, subscription_event("subscription.active", customer_id="cus_1"))
    canceled = _deliver(
        handler, seeded, subscription_event("subscription.canceled", customer_id="cus_1")
    )
    assert canceled.body["status"] == "canceled" and canceled.body["canceled_jobs"]
    assert _addons(seeded)[0]["status"] == "canceled"
    assert _jobs(seeded)[0]["status"] == "canceled"
    revoked = _deliver(
        handler, seeded, subscription_event("subscription.revoked", customer_id="cus_1")
    )
    assert revoked.body["status"] == "revoked"
    assert _addons(seeded)[0]["status"] == "revoked"


def test_unknown_product_is_recorded_and_changes_nothing(handler, seeded) -> None:
    body = subscription_event(
        "subscription.active", customer_id="cus_1", product_id="prod_other", product_name="Pro Plan"
    )
    response = _deliver(handler, seeded, body, webhook_id="msg_u")
    assert response.status == 202 and response.body["status"] == "unknown_product"
    assert _events(seeded) == [
        {"webhook_id": "msg_u", "event_type": "subscription.active", "outcome": "unknown_product"}
    ]
    assert _addons(seeded) == [] and _jobs(seeded) == []
    tiers = seeded.query("select slug, tier from control.workspaces order by slug")
    assert tiers == [{"slug": "acme", "tier": "pro"}, {"slug": "guild", "tier": "pro"}]


def test_product_matched_by_name(seeded) -> None:
    by_name = WebhookHandler(WebhookConfig(secret=SecretStr(SECRET)))
    body = subscription_event("subscription.active", customer_id="cus_2", product_id="prod_zzz")
    assert _deliver(by_name, seeded, body).body["status"] == "activated"


@pytest.mark.parametrize(
    "tamper",
    [
        "bad_signature",
        "missing_signature",
        "missing_id",
        "garbled",
        "old",
        "future",
        "wrong_secret",
    ],
)
def test_refused_deliveries_are_401_and_change_nothing(handler, seeded, tamper) -> None:
    body = subscription_event("subscription.active", customer_id="cus_1")
    headers = signed_headers(SECRET, body)
    if tamper == "bad_signature":
        headers["webhook-signature"] = signed_headers(SECRET, body + b" ")["webhook-signature"]
    elif tamper == "missing_signature":
        del headers["webhook-signature"]
    elif tamper == "missing_id":
        del headers["webhook-id"]
    elif tamper == "garbled":
        headers["webhook-signature"] = "v1nocomma"
    elif tamper in ("old", "future"):
        shift = timedelta(minutes=6) * (-1 if tamper == "old" else 1)
        headers = signed_headers(SECRET, body, at=datetime.now(timezone.utc) + shift)
    elif tamper == "wrong_secret":
        headers = signed_headers("another-secret", body)
    response = handler.handle(seeded, headers, body)
    assert response.status == 401
    assert SECRET not in json.dumps(response.body)
    assert _events(seeded) == [] and _jobs(seeded) == [] and _addons(seeded) == []


def test_within_tolerance_is_accepted(handler, seeded) -> None:
    body = subscription_event("subscription.active", customer_id="cus_1")
    at = datetime.now(timezone.utc) - timedelta(minutes=4)
    assert _deliver(handler, seeded, body, at=at).status == 200


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"type": "subscription.active"}'])
def test_malformed_json_is_400(handler, seeded, body) -> None:
    response = _deliver(handler, seeded, body)
    assert response.status == 400 and "malformed" in response.body["error"]
    assert _events(seeded) == []


def test_other_event_types_and_unknown_customers_are_acknowledged(handler, seeded) -> None:
    order = json.dumps({"type": "order.paid", "data": {"id": "o1"}}).encode()
    assert _deliver(handler, seeded, order).status == 202
    stranger = subscription_event("subscription.active", customer_id="cus_nobody")
    response = _deliver(handler, seeded, stranger)
    assert response.status == 202 and response.body["status"] == "no_matching_workspace"
    assert {e["outcome"] for e in _events(seeded)} == {
        "ignored_event_type",
        "no_matching_workspace",
    }
    assert _jobs(seeded) == []


def test_renewal_of_a_backfilled_subscription_creates_no_job(handler, seeded) -> None:
    _deliver(handler, seeded, subscription_event("subscription.active", customer_id="cus_1"))
    seeded.execute("update control.backfill_jobs set status = 'completed'")
    renewal = _deliver(
        handler, seeded, subscription_event("subscription.updated", customer_id="cus_1")
    )
    assert renewal.body["status"] == "activated" and renewal.body["jobs"] == []
    assert len(_jobs(seeded)) == 1
    # after a revoke the purge trims history: buying again backfills again
    _deliver(handler, seeded, subscription_event("subscription.revoked", customer_id="cus_1"))
    again = _deliver(
        handler, seeded, subscription_event("subscription.active", customer_id="cus_1")
    )
    assert len(again.body["jobs"]) == 1 and len(_jobs(seeded)) == 2
