"""The product promise as a dbt test: it fails while a repository added more than 24 hours
ago has no successful issues sync, and passes once it has one (or while it is new)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loaders.dbt_runner import run_dbt
from loaders.warehouse import WarehouseSettings, connect
from pytests.dbt import control_rows
from pytests.dbt.helpers import dbt

AS_OF = datetime(2026, 6, 30, 12, tzinfo=UTC)
PROMISE = "assert_tracked_repositories_have_issues_sync"


def _build(settings: WarehouseSettings) -> None:
    dbt(
        settings, "build", "--select", "+repository_freshness",
        "--exclude", "test_type:data", "test_type:unit",
        "--vars", '{"as_of": "2026-06-30 12:00:00"}',
    )  # fmt: skip


def _promise(settings: WarehouseSettings) -> tuple[bool, str]:
    command = ["test", "--select", PROMISE, "--vars", '{"as_of": "2026-06-30 12:00:00"}']
    result = run_dbt(command, settings, capture=True)
    return result.ok, result.output


def test_issues_sync_promise_fails_for_an_old_unsynced_repository(
    warehouse_settings: WarehouseSettings,
) -> None:
    settings = warehouse_settings
    with connect(settings) as warehouse:
        control_rows.track(
            warehouse,
            [
                control_rows.Tracked("team", "acme/old", 501, added_at=AS_OF - timedelta(hours=30)),
                control_rows.Tracked("team", "acme/new", 502, added_at=AS_OF - timedelta(hours=2)),
            ],
        )
    _build(settings)
    ok, output = _promise(settings)
    assert not ok and "Got 1 result" in output  # acme/old; acme/new is within its 24 hours

    with connect(settings) as warehouse:
        control_rows.mark_synced(warehouse, "acme/old", AS_OF - timedelta(hours=1), ["issues"])
    _build(settings)
    ok, output = _promise(settings)
    assert ok, output[-3000:]
