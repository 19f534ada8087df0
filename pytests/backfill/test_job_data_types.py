"""Backfill jobs as the product tracks them, on both engines: the add-on purchase (billing
webhook delivery, subscription) that started a job, the data types it loads per repository
(fixed when it is created) and each type's outcome, in backfill_job_data_types and
backfill_progress after the real webhook handler and runner (scripted GitHub answers)."""

from __future__ import annotations

from pydantic import SecretStr

from loaders.backfill import BackfillRunner, JobStore
from loaders.backfill.jobs import FETCH_RESOURCES
from loaders.backfill.runner import RunnerOptions, plan_chunks
from loaders.dbt_runner import run_dbt
from loaders.warehouse import WarehouseSettings, connect
from loaders.webhook import WebhookConfig, WebhookHandler, signed_headers, subscription_event
from pytests.backfill.fake_loader import FakeLoader
from pytests.backfill.helpers import seed_workspace

SECRET = "polar_whs_test_secret_value"
REPOS = ("acme/api", "acme/infra", "acme/web")
WEB_OFF = ("events", "discussions")  # acme/web does not fetch these


def test_jobs_name_their_purchase_and_each_data_types_outcome(
    warehouse_settings: WarehouseSettings,
) -> None:
    with connect(warehouse_settings) as wh:
        seed_workspace(wh, "acme", REPOS, customer="cus_1")
        wh.execute(
            "update control.workspace_repositories set fetch_events = false, "
            "fetch_discussions = false where full_name = 'acme/web'"
        )
        handler = WebhookHandler(
            WebhookConfig(secret=SecretStr(SECRET), edr_product_ids=frozenset({"prod_edr"}))
        )
        body = subscription_event(
            "subscription.active", customer_id="cus_1", subscription_id="sub_9"
        )
        reply = handler.handle(wh, signed_headers(SECRET, body, webhook_id="msg_7"), body)
        assert reply.body["status"] == "activated", reply.body
        store = JobStore(wh)
        (job,) = store.list()
        assert (job.trigger, job.webhook_id, job.billing_subscription_id) == (
            "billing", "msg_7", "sub_9",
        )  # fmt: skip
        # Flags changed after the purchase do not change what the job loads.
        wh.execute(
            "update control.workspace_repositories set fetch_commits = false "
            "where full_name = 'acme/api'"
        )
        # api loads everything; infra is gone (404); web fails on its first chunk.
        loader = FakeLoader(not_found={"acme/infra"}, flaky={"acme/web"})
        options = RunnerOptions(retry_pause_seconds=0)
        BackfillRunner(store, loader, options=options).run_pending()
        repos = {r.full_name: r for r in store.repositories(job.id)}
        web_types = tuple(t for t in FETCH_RESOURCES if t not in WEB_OFF)
        assert repos["acme/api"].data_types == FETCH_RESOURCES
        assert repos["acme/web"].data_types == web_types
        first_chunk = plan_chunks(list(web_types), options.resources_per_chunk)[0]
        assert repos["acme/web"].failed_data_types == first_chunk
        assert ("acme/api", ("commits", "events")) in loader.calls  # commits still loaded

    result = run_dbt(
        [
            "build",
            "--select",
            "+backfill_progress",
            "+backfill_job_data_types",
            "--indirect-selection",
            "cautious",
        ],
        warehouse_settings,
        capture=True,
    )
    assert result.ok, result.output[-3000:]
    with connect(warehouse_settings) as wh:
        rows = wh.query("select * from analytics.backfill_job_data_types")
        progress = wh.query("select * from analytics.backfill_progress order by full_name")

    want = {("acme/api", t): "done" for t in FETCH_RESOURCES}
    want |= {("acme/infra", t): "not_loaded" for t in FETCH_RESOURCES}
    want |= {("acme/web", t): "failed" if t in first_chunk else "not_loaded" for t in web_types}
    assert {(r["full_name"], r["data_type"]): r["data_type_status"] for r in rows} == want
    assert {(r["webhook_id"], r["billing_subscription_id"], r["job_trigger"]) for r in rows} == {
        ("msg_7", "sub_9", "billing")
    }
    got = {
        r["full_name"]: (
            r["webhook_id"], r["data_types_total"], r["data_types_done"], r["data_types_failed"]
        )
        for r in progress
    }  # fmt: skip
    assert got == {
        "acme/api": ("msg_7", len(FETCH_RESOURCES), len(FETCH_RESOURCES), 0),
        "acme/infra": ("msg_7", len(FETCH_RESOURCES), 0, 0),
        "acme/web": ("msg_7", len(web_types), 0, len(first_chunk)),
    }
