"""Declarative apply on both engines: add, re-apply, update, remove, invalid input."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.control.migrations import MIGRATIONS, applied_versions, migrate
from loaders.warehouse import Warehouse, WarehouseSettings
from loaders.workspaces import apply_workspaces, load_workspaces_file

BASE = """
workspaces:
  - slug: alpha
    name: Alpha
    tier: pro
    billing_customer_id: cus_1
    repositories:
      - acme/one
      - repo: acme/two
        sync_frequency_hours: 24
        fetch: {discussions: false}
  - slug: beta
    name: Beta
    tier: free
    addons: [extended_data_retention]
    repositories: [acme/one]
"""


def apply_text(warehouse: Warehouse, tmp_path: Path, text: str):
    path = tmp_path / "workspaces.yml"
    path.write_text(text)
    return apply_workspaces(warehouse, load_workspaces_file(path))


def memberships(warehouse: Warehouse) -> dict[tuple[str, str], dict]:
    rows = warehouse.query(
        "select workspace_slug, full_name, is_active, sync_frequency_hours, fetch_discussions, "
        "added_at, removed_at from control.workspace_repositories"
    )
    return {(r["workspace_slug"], r["full_name"]): r for r in rows}


def test_migrations_are_idempotent(warehouse: Warehouse) -> None:
    versions = [m.version for m in MIGRATIONS]  # numbers are handed out per issue: gaps happen
    assert [m.version for m in migrate(warehouse)] == versions
    assert migrate(warehouse) == []
    assert applied_versions(warehouse) == set(versions)


def test_constraints_reject_bad_rows(warehouse: Warehouse) -> None:
    migrate(warehouse)
    warehouse.execute("insert into control.workspaces (slug, name, tier) values ('w', 'W', 'pro')")
    warehouse.execute("insert into control.repositories (full_name) values ('o/r')")
    bad_statements = [
        "insert into control.repositories (full_name) values ('no-slash')",
        "insert into control.workspace_repositories (workspace_slug, full_name, "
        "sync_frequency_hours) values ('w', 'o/r', 500)",
        "insert into control.workspace_repositories (workspace_slug, full_name) "
        "values ('missing', 'o/r')",
        "insert into control.sync_state (full_name, resource) values ('o/r', 'wikis')",
    ]
    for statement in bad_statements:
        with pytest.raises(Exception), warehouse.transaction():  # noqa: B017 - driver-specific
            warehouse.execute(statement)


def test_apply_reapply_update_remove(warehouse: Warehouse, tmp_path: Path) -> None:
    report = apply_text(warehouse, tmp_path, BASE)
    assert report.workspaces_added == ["alpha", "beta"]
    assert len(report.repositories_added) == 3
    first = memberships(warehouse)
    assert first[("alpha", "acme/two")]["fetch_discussions"] is False
    assert (
        warehouse.scalar(
            "select status from control.workspace_addons where workspace_slug = 'beta'"
        )
        == "active"
    )

    again = apply_text(warehouse, tmp_path, BASE)
    assert not again.changed
    assert memberships(warehouse) == first

    changed = (
        BASE.replace("sync_frequency_hours: 24", "sync_frequency_hours: 48")
        .replace("    repositories: [acme/one]\n", "    repositories: []\n")
        .replace("    addons: [extended_data_retention]\n", "")
    )
    report = apply_text(warehouse, tmp_path, changed)
    assert report.repositories_updated == [("alpha", "acme/two")]
    assert report.repositories_deactivated == [("beta", "acme/one")]
    after = memberships(warehouse)
    assert after[("alpha", "acme/two")]["sync_frequency_hours"] == 48
    assert after[("beta", "acme/one")]["is_active"] is False
    assert after[("beta", "acme/one")]["removed_at"] is not None
    assert (
        warehouse.scalar(
            "select status from control.workspace_addons where workspace_slug = 'beta'"
        )
        == "canceled"
    )

    # Re-adding keeps the original added_at: the data was retained meanwhile.
    apply_text(warehouse, tmp_path, BASE)
    readded = memberships(warehouse)[("beta", "acme/one")]
    assert readded["is_active"] is True
    assert readded["removed_at"] is None
    assert readded["added_at"] == first[("beta", "acme/one")]["added_at"]

    report = apply_text(warehouse, tmp_path, "workspaces: []\n")
    assert sorted(report.workspaces_deactivated) == ["alpha", "beta"]
    assert warehouse.scalar("select count(*) from control.repositories") == 2
    assert (
        warehouse.scalar("select count(*) from control.workspace_repositories where is_active") == 0
    )


def test_billing_addons_are_not_touched_by_apply(warehouse: Warehouse, tmp_path: Path) -> None:
    apply_text(warehouse, tmp_path, BASE.replace("    addons: [extended_data_retention]\n", ""))
    warehouse.execute(
        "insert into control.workspace_addons (workspace_slug, addon, source, status) "
        "values ('alpha', 'extended_data_retention', 'billing', 'active')"
    )
    apply_text(warehouse, tmp_path, BASE.replace("    addons: [extended_data_retention]\n", ""))
    assert (
        warehouse.scalar(
            "select status from control.workspace_addons where workspace_slug = 'alpha'"
        )
        == "active"
    )


def test_cli_invalid_file_changes_nothing(
    warehouse_settings: WarehouseSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in warehouse_settings.dbt_env().items():
        monkeypatch.setenv(key, value)
    good = tmp_path / "good.yml"
    good.write_text(BASE)
    runner = CliRunner()
    result = runner.invoke(cli, ["workspaces", "apply", str(good)])
    assert result.exit_code == 0, result.output
    assert "workspaces added (2)" in result.output

    bad = tmp_path / "bad.yml"
    bad.write_text(BASE.replace("tier: pro", "tier: gold").replace("acme/one\n", "acme one\n", 1))
    result = runner.invoke(cli, ["workspaces", "apply", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:5: workspaces[0].tier: unknown tier 'gold'" in result.output
    assert "nothing was changed" in result.output

    listing = runner.invoke(cli, ["workspaces", "list"])
    assert listing.exit_code == 0
    assert "pro" in listing.output and "free +EDR" in listing.output
    assert "gold" not in listing.output
