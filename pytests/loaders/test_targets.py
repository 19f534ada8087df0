"""`targets_from_queue` over the dbt view (built on demand): scope, flags, order."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from loaders.sync import targets_from_queue
from loaders.warehouse import Warehouse

from .helpers import track


def test_targets_follow_workspaces_flags_and_due_dates(warehouse: Warehouse):
    track(warehouse, ["a/one", "a/two"], slug="alpha", issues=True, stars=False, commits=False)
    track(warehouse, ["a/two", "b/three"], slug="beta", issues=False, stars=True, commits=False)
    control = warehouse.settings.control_schema
    now = datetime.now(timezone.utc)
    # b/three was synced and is not due; a/two has a deferred resource.
    for name, resource, status, next_at in (
        ("b/three", "repositories", "success", now + timedelta(hours=5)),
        ("a/two", "stars", "deferred", now - timedelta(minutes=1)),
    ):
        warehouse.execute(
            f"insert into {control}.sync_state (full_name, resource, last_sync_at, "
            "next_sync_at, last_status) values (%(f)s, %(r)s, %(now)s, %(next)s, %(s)s)",
            {"f": name, "r": resource, "now": now, "next": next_at, "s": status},
        )

    due = targets_from_queue(warehouse)  # builds the dbt view first
    assert [t.full_name for t in due] == ["a/two", "a/one"]  # deferred work leads
    by_name = {t.full_name: t for t in due}
    # Flags are ORed over the active workspaces tracking a repository.
    assert {"issues", "stars", "repositories"} <= by_name["a/two"].resources
    assert "stars" not in by_name["a/one"].resources
    assert "commits" not in by_name["a/two"].resources

    everything = targets_from_queue(warehouse, due_only=False)
    assert {t.full_name for t in everything} == {"a/one", "a/two", "b/three"}
    beta = targets_from_queue(warehouse, workspace="beta", due_only=False)
    assert {t.full_name for t in beta} == {"a/two", "b/three"}
    one = targets_from_queue(warehouse, repo="A/One", resources="issues,stars", due_only=False)
    assert [(t.full_name, t.resources) for t in one] == [
        ("a/one", frozenset({"issues", "repositories"}))
    ]
    assert one[0].retention_days > 0 and one[0].sync_frequency_hours > 0

    with pytest.raises(LookupError, match="not tracked"):
        targets_from_queue(warehouse, repo="nobody/else", due_only=False)
    with pytest.raises(LookupError, match="no workspace"):
        targets_from_queue(warehouse, workspace="gamma", due_only=False)
    with pytest.raises(ValueError, match="unknown resource"):
        targets_from_queue(warehouse, resources="issues,tickets")
