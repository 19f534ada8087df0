"""`warehouse purge`: what goes, what stays, dry run vs --apply, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.retention import purge
from loaders.retention.policy import window_start
from loaders.warehouse import Warehouse, WarehouseSettings, connect
from pytests.dbt import control_rows, raw_tables

NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def _setup(warehouse: Warehouse) -> None:
    control_rows.track(
        warehouse,
        [
            control_rows.Tracked("free-ws", "acme/free", 501, tier="free"),  # 30 days
            control_rows.Tracked("ent-ws", "acme/ent", 502, tier="enterprise"),  # 365 days
            control_rows.Tracked("free-ws", "acme/shared", 503, tier="free"),
            control_rows.Tracked("ent-ws", "acme/shared", 503, tier="enterprise"),
            control_rows.Tracked("old-ws", "acme/dropped", 504, tier="enterprise"),
        ],
    )
    control = warehouse.settings.control_schema
    warehouse.execute(f"update {control}.workspaces set is_active = false where slug = 'old-ws'")
    raw_tables.load(
        warehouse,
        "1782806400.25",
        {
            "repositories": [{"id": i, "full_name": f"r/{i}"} for i in (501, 502, 503, 504, 505)],
            "issues": [
                # closed 40 days ago: outside the free tier's 30 days
                {"id": 1, "repository_id": 501, "state": "closed", "created_at": ago(60),
                 "updated_at": ago(40), "closed_at": ago(40)},
                # opened 100 days ago but closed 5 days ago: recent activity, kept
                {"id": 2, "repository_id": 501, "state": "closed", "created_at": ago(100),
                 "updated_at": ago(5), "closed_at": ago(5)},
                {"id": 3, "repository_id": 502, "state": "open", "created_at": ago(300)},
                {"id": 4, "repository_id": 504, "state": "open", "created_at": ago(1)},
            ],
            "issue_labels": [
                {"issue_id": 1, "repository_id": 501, "name": "bug"},
                {"issue_id": 2, "repository_id": 501, "name": "bug"},
                {"issue_id": 4, "repository_id": 504, "name": "bug"},
            ],
            "commits": [
                {"repository_id": 501, "sha": "a", "committed_at": ago(31)},
                {"repository_id": 501, "sha": "b", "committed_at": ago(29)},
                {"repository_id": 502, "sha": "c", "committed_at": ago(200)},
                {"repository_id": 502, "sha": "d", "committed_at": ago(400)},
                # shared: the enterprise workspace's 365 days win over free's 30
                {"repository_id": 503, "sha": "e", "committed_at": ago(200)},
                {"repository_id": 504, "sha": "f", "committed_at": ago(1)},
                {"repository_id": 505, "sha": "g", "committed_at": ago(1)},
            ],
            "stargazers": [{"repository_id": 502, "user_id": 9, "starred_at": None}],
        },
    )  # fmt: skip


EXPECTED = {
    # 504 (only an inactive workspace) and 505 (no workspace) go entirely.
    "repositories": 2,
    "issues": 2,  # issue 1 (old) and issue 4 (untracked repository)
    "issue_labels": 2,  # with their issues
    "commits": 4,  # a (31 days, free), d (400 days), f and g (untracked)
    "stargazers": 0,  # no timestamp: kept while tracked
}


def _remaining(warehouse: Warehouse) -> dict[str, list]:
    raw = warehouse.settings.raw_schema
    return {
        "issues": [r["id"] for r in warehouse.query(f"select id from {raw}.issues order by id")],
        "commits": [
            r["sha"] for r in warehouse.query(f"select sha from {raw}.commits order by sha")
        ],
        "repositories": [
            r["id"] for r in warehouse.query(f"select id from {raw}.repositories order by id")
        ],
        "labels": [
            r["issue_id"]
            for r in warehouse.query(f"select issue_id from {raw}.issue_labels order by issue_id")
        ],
    }


def _event_stream(warehouse: Warehouse) -> None:
    """A stand-in for dbt's persisted int_activity_events: events keyed by source row."""
    events = f"{warehouse.settings.intermediate_schema}.int_activity_events"
    warehouse.execute(f"create schema if not exists {warehouse.settings.intermediate_schema}")
    warehouse.execute(f"create table {events} (source_key varchar)")
    for key in ("issues:1", "issues:2", "commits:501:a", "commits:501:b", "commits:505:g"):
        # issue 1's opened and closed events share the row's key; both go with it
        for _ in range(2 if key == "issues:1" else 1):
            warehouse.execute(f"insert into {events} values (%(k)s)", {"k": key})


def test_purge_dry_run_counts_then_apply_deletes_exactly_those(warehouse: Warehouse) -> None:
    _setup(warehouse)
    _event_stream(warehouse)
    before = _remaining(warehouse)

    dry = purge(warehouse, now=NOW)
    assert not dry.applied
    assert {t: n for t, n in dry.rows.items() if t in EXPECTED} == EXPECTED
    # the events of purged rows: issue 1 (two), commit a, commit g (untracked 505); issue
    # 2 was opened 100 days ago but its row is kept, so its events stay too
    assert dry.analytics["int_activity_events"] == 4
    assert dry.repositories_retained == 3
    assert _remaining(warehouse) == before  # a dry run changes nothing

    applied = purge(warehouse, apply=True, now=NOW)
    assert applied.rows == dry.rows
    assert _remaining(warehouse) == {
        "issues": [2, 3],
        "commits": ["b", "c", "e"],
        "repositories": [501, 502, 503],
        "labels": [2],
    }
    remaining_events = warehouse.query(
        "select source_key from analytics_intermediate.int_activity_events order by source_key"
    )
    assert [r["source_key"] for r in remaining_events] == ["commits:501:b", "issues:2"]
    assert purge(warehouse, apply=True, now=NOW).total == 0  # idempotent


def test_purge_keeps_grace_repositories_and_settles_coverage(warehouse: Warehouse) -> None:
    """Untracked within the grace period: everything kept. Past it: deleted, with its sync
    state and coverage (its `purged_at` says it must be reloaded whole). Retained ones'
    coverage rises to the cut-off the purge trims to."""
    _setup(warehouse)
    control = warehouse.settings.control_schema
    for name, complete_from, untracked in (
        ("acme/free", ago(60), None),  # free: 30 days kept, so complete from 30 days ago
        ("acme/ent", ago(100), None),  # enterprise: 365 days, nothing to raise
        ("acme/dropped", ago(90), NOW - timedelta(days=2)),  # 2 days into its grace
    ):
        warehouse.execute(
            f"insert into {control}.repository_coverage "
            "(full_name, history_complete_from, untracked_since) values (%(f)s, %(c)s, %(u)s)",
            {"f": name, "c": complete_from, "u": untracked},
        )
    warehouse.execute(
        f"insert into {control}.sync_state (full_name, resource, last_status) "
        "values ('acme/dropped', 'issues', 'success')"
    )

    report = purge(warehouse, apply=True, now=NOW, grace_days=7)
    assert [u.full_name for u in report.in_grace] == ["acme/dropped"]
    assert report.in_grace[0].kept_until == NOW + timedelta(days=5)
    assert 504 in _remaining(warehouse)["repositories"]  # kept during the grace period
    assert report.purged_untracked == []
    coverage = {
        r["full_name"]: r for r in warehouse.query(f"select * from {control}.repository_coverage")
    }
    # raised to the purge's cut-off: midnight (UTC) of the 30-day window's first day
    assert coverage["acme/free"]["history_complete_from"] == window_start(NOW, 30)
    assert coverage["acme/ent"]["history_complete_from"] == ago(100)

    report = purge(warehouse, apply=True, now=NOW + timedelta(days=6), grace_days=7)
    assert report.in_grace == [] and report.purged_untracked == ["acme/dropped"]
    assert 504 not in _remaining(warehouse)["repositories"]
    [dropped] = warehouse.query(
        f"select history_complete_from, purged_at from {control}.repository_coverage "
        "where full_name = 'acme/dropped'"
    )
    assert dropped["history_complete_from"] is None and dropped["purged_at"] is not None
    assert not warehouse.scalar(
        f"select count(*) from {control}.sync_state where full_name = 'acme/dropped'"
    )


def test_purge_cli_is_a_dry_run_unless_apply(warehouse_settings: WarehouseSettings) -> None:
    with connect(warehouse_settings) as warehouse:
        _setup(warehouse)
    runner = CliRunner()
    env = warehouse_settings.dbt_env()

    dry = runner.invoke(cli, ["purge"], env=env)
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.output
    with connect(warehouse_settings) as warehouse:
        assert len(_remaining(warehouse)["repositories"]) == 5

    applied = runner.invoke(cli, ["purge", "--apply"], env=env)
    assert applied.exit_code == 0, applied.output
    assert "deleted" in applied.output
    with connect(warehouse_settings) as warehouse:
        # Real clock: the 2026-06-30 fixtures are recent, only untracked repositories go.
        assert _remaining(warehouse)["repositories"] == [501, 502, 503]


def test_purge_right_after_a_build_touches_no_dbt_row(
    warehouse_settings: WarehouseSettings,
) -> None:
    """The purge and int_repository_first_contributions agree on that table's window (all
    the events int_activity_events holds): once a purge has run, the next one, right after
    a build, deletes and rewrites nothing, although contributors whose first day is older
    than the cut-off remain (their old events belong to kept rows)."""
    from pytests.dbt.helpers import dbt, query
    from pytests.dbt.synthetic import Scenario, first_batch

    settings = warehouse_settings
    now = datetime(2026, 6, 30, 20, tzinfo=UTC)
    as_of = "2026-06-30 20:00:00"
    with connect(settings) as warehouse:
        control_rows.track(
            warehouse,
            [
                control_rows.Tracked("small-team", "acme/api", 501, tier="free"),
                control_rows.Tracked("small-team", "acme/web", 502, tier="free"),
            ],
        )
        raw_tables.load(
            warehouse,
            "1782806400.25",
            first_batch(Scenario(), {501: "acme/api", 502: "acme/web"}, now.date()),
        )
    build = ["build", "--select", "+daily_activity_metrics", "--exclude", "test_type:data"]
    dbt(settings, *build, "test_type:unit", as_of=as_of)
    with connect(settings) as warehouse:
        first = purge(warehouse, apply=True, now=now)
    assert first.total > 0 and first.analytics["int_activity_events"] > 0
    dbt(settings, "run", "--select", "+daily_activity_metrics", as_of=as_of)
    old = query(
        settings,
        "select count(*) as n from analytics_intermediate.int_repository_first_contributions "
        "where first_contribution_date <= date '2026-05-31'",
    )
    assert int(old[0]["n"]) > 0  # what the purge used to recompute on every run

    with connect(settings) as warehouse:
        again = purge(warehouse, apply=True, now=now)
    assert again.total == 0
    assert again.analytics == {
        "int_activity_events": 0,
        "int_repository_first_contributions": 0,
    }
    assert "dbt copies" not in str(again)
