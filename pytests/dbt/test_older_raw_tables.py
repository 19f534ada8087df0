"""Staging builds on a warehouse loaded before issue 13 (both engines): raw issue_events and
pull_requests without the new columns, and none of the new raw tables. The new columns read
as nulls, the new staging models build empty, and the stream still has its events."""

from __future__ import annotations

from loaders.warehouse import WarehouseSettings, connect
from pytests.dbt import control_rows
from pytests.dbt.helpers import dbt, query
from pytests.dbt.raw_tables import raw_columns

NEW_COLUMNS = {
    "issue_events": {
        "label_name", "assignee_login", "milestone_title", "subject_type", "subject_node_id",
        "subject_number", "subject_repository_full_name",
    },
    "pull_requests": {"milestone_title", "assignee_logins"},
}  # fmt: skip
ROWS = {
    "issue_events": "'E1', 9, 501, 'reopened', 'bob', false, timestamp '2026-06-30 10:00:00'",
    "pull_requests": "10, 'PR_10', 501, 4, 'Fix', null, 'OPEN', false, 'carol', false, null, "
    "1, 1, 1, 1, 0, 'main', 'fix', 'acme/api', timestamp '2026-06-30 09:00:00', "
    "timestamp '2026-06-30 09:00:00', null, null",
}


def _create_older_tables(settings: WarehouseSettings) -> None:
    schema = settings.raw_schema
    with connect(settings) as warehouse, warehouse.transaction():
        warehouse.execute(f"create schema if not exists {schema}")
        warehouse.execute(
            f"create table {schema}._dlt_loads (load_id text, schema_name text, status bigint, "
            "inserted_at timestamptz, schema_version_hash text)"
        )
        warehouse.execute(
            f"insert into {schema}._dlt_loads values "
            "('1782806400.25', 'github', 0, timestamptz '2026-06-30 12:00:00+00', null)"
        )
        for table, new in NEW_COLUMNS.items():
            old = [(n, t) for n, t in raw_columns()[table] if n not in new]
            columns = ", ".join(f"{n} {t}" for n, t in old)
            warehouse.execute(f"create table {schema}.{table} ({columns})")
            warehouse.execute(
                f"insert into {schema}.{table} values ({ROWS[table]}, '1782806400.25')"
            )


def test_older_raw_tables_build_with_null_new_columns(
    warehouse_settings: WarehouseSettings,
) -> None:
    settings = warehouse_settings
    with connect(settings) as warehouse:
        control_rows.track(warehouse, [control_rows.Tracked("team", "acme/api", 501)])
    _create_older_tables(settings)
    dbt(
        settings, "build", "--select", "+daily_activity_metrics", "+issue_pull_request_links",
        "+int_review_request_turnarounds", "stg_github__pull_request_labels",
        "--exclude", "test_type:unit",
        as_of="2026-06-30 20:00:00",
    )  # fmt: skip

    events = query(
        settings,
        "select issue_event_id, event_type, label_name, assignee_login, milestone_title, "
        "subject_type, subject_node_id, subject_number, subject_repository_full_name "
        "from analytics_staging.stg_github__issue_events",
    )
    assert events == [
        {"issue_event_id": "E1", "event_type": "reopened"}
        | dict.fromkeys(sorted(NEW_COLUMNS["issue_events"]))
    ]
    prs = query(
        settings,
        "select pull_request_id, milestone_title, assignee_logins "
        "from analytics_staging.stg_github__pull_requests",
    )
    assert prs == [{"pull_request_id": 10, "milestone_title": None, "assignee_logins": None}]
    for model in (
        "analytics_staging.stg_github__pull_request_comments",
        "analytics_staging.stg_github__pull_request_labels",
        "analytics_staging.stg_github__pull_request_review_requests",
        "analytics_staging.stg_github__issue_pull_request_links",
        "analytics.issue_pull_request_links",
    ):
        assert query(settings, f"select count(*) as n from {model}") == [{"n": 0}]
    stream = query(
        settings,
        "select activity_type from analytics_intermediate.int_activity_events "
        "order by activity_type",
    )
    assert [r["activity_type"] for r in stream] == ["issue_reopened", "pr_opened"]
