"""The issue's definition of done, on PostgreSQL: the emulator's `demo` world, the Extended
Data Retention purchase simulated by a signed Polar webhook, then one `warehouse run`:
the backfill job completes with 100% of its repositories and the marts cover 365 days."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import SecretStr

from loaders import PROJECT_DIR
from loaders.run import exit_codes
from loaders.run.pipeline import RunHooks, RunOptions, run_pipeline
from loaders.warehouse import WarehouseSettings, connect
from loaders.webhook import WebhookConfig, WebhookHandler, signed_headers, subscription_event
from pytests.conftest import make_settings

EXAMPLE = PROJECT_DIR / "workspaces.example.yml"
ACME = ("acme/api-server", "acme/web-app", "acme/infra", "acme/design-system")
SECRET = "whsec_" + "c2VjcmV0LWZvci10ZXN0cw=="


@pytest.fixture
def pg_settings(tmp_path: Path) -> Iterator[WarehouseSettings]:
    yield from make_settings("postgres", tmp_path)


def test_purchase_backfills_365_days(
    pg_settings: WarehouseSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loaders.emulator.testing import run_emulator

    monkeypatch.setenv("WAREHOUSE_PIPELINES_DIR", str(tmp_path / "pipelines"))
    monkeypatch.delenv("GITHUB_TOKENS", raising=False)
    monkeypatch.delenv("WAREHOUSE_NOTIFY_URL", raising=False)
    hooks = RunHooks()  # every real step, the retention purge included
    with run_emulator(world="demo", seed=1) as github:
        monkeypatch.setenv("GITHUB_API_URL", github.base_url)
        monkeypatch.setenv("GITHUB_TOKEN", github.token)
        only_apply = RunOptions(
            workspaces_file=EXAMPLE, load=False, backfill=False, dbt=False, freshness=False
        )
        assert run_pipeline(pg_settings, only_apply, hooks).exit_code == exit_codes.OK

        handler = WebhookHandler(
            WebhookConfig(secret=SecretStr(SECRET), edr_product_ids=frozenset({"prod_edr"}))
        )
        body = subscription_event("subscription.active", customer_id="cus_acme_001")
        with connect(pg_settings) as wh:
            response = handler.handle(wh, signed_headers(SECRET, body), body)
        assert response.status == 200 and response.body["workspaces"] == ["acme-engineering"]

        # source freshness is dbt's own concern (tested elsewhere); skipping it saves time
        full = RunOptions(workspaces_file=EXAMPLE, freshness=False)
        report = run_pipeline(pg_settings, full, hooks)
        assert report.exit_code == exit_codes.OK, report.steps

    today = datetime.now(timezone.utc).date()
    with connect(pg_settings) as wh:
        [job] = wh.query("select id, status, retention_days, trigger from control.backfill_jobs")
        assert (job["status"], job["retention_days"], job["trigger"]) == (
            "completed",
            365,
            "billing",
        )
        repos = wh.query(
            "select full_name, status, items_loaded, items_total from "
            "control.backfill_job_repositories order by full_name"
        )
        assert [r["full_name"] for r in repos] == sorted(ACME)
        assert all(r["status"] == "completed" and r["items_loaded"] > 0 for r in repos)
        progress = wh.query(
            "select distinct job_pct_complete, job_repositories_completed, "
            "job_repositories_total from analytics.backfill_progress"
        )
        assert [
            (
                float(p["job_pct_complete"]),
                p["job_repositories_completed"],
                p["job_repositories_total"],
            )
            for p in progress
        ] == [(100.0, 4, 4)]
        # Embedded items of each repository's window, counted from the raw tables.
        embedded = wh.query(
            """
            select p.full_name, p.window_items_embedded, (
                select count(*) from github_raw.embeddings e
                join (
                    select 'issue' as t, id, repository_id, created_at from github_raw.issues
                    union all select 'pull_request', id, repository_id, created_at
                    from github_raw.pull_requests
                    union all select 'discussion', id, repository_id, created_at
                    from github_raw.discussions
                ) i on i.t = e.item_type and i.id = e.item_id
                join github_raw.repositories r on r.id = i.repository_id
                join control.backfill_job_repositories j
                    on lower(j.full_name) = lower(r.full_name) and j.job_id = p.backfill_job_id
                    and lower(j.full_name) = p.full_name
                where i.created_at >= j.window_start and i.created_at < j.window_end
            ) as expected
            from analytics.backfill_progress p order by p.full_name
            """
        )
        assert len(embedded) == 4 and all(r["window_items_embedded"] > 0 for r in embedded)
        assert [r["window_items_embedded"] for r in embedded] == [r["expected"] for r in embedded]
        kinds = [r["kind"] for r in wh.query("select kind from control.notifications order by id")]
        assert kinds == ["job_started", "job_completed"]
        coverage = wh.query(
            """
            select r.full_name, min(d.activity_date) as first_day,
                   count(distinct d.activity_date) as days,
                   sum(d.commits_count) as commits
            from analytics.daily_activity_metrics d
            join github_raw.repositories r on r.id = d.repository_id
            group by r.full_name
            """
        )
    by_name = {row["full_name"]: row for row in coverage}
    for name in ACME:
        first_day = by_name[name]["first_day"]
        first_day = first_day if isinstance(first_day, date) else first_day.date()
        assert first_day <= today - timedelta(days=364), (name, first_day)
        assert by_name[name]["days"] >= 365
    # a workspace without the add-on keeps its tier's window (free: 30 days)
    tiny = by_name["quietco/tiny-utils"]
    assert tiny["days"] <= 31
