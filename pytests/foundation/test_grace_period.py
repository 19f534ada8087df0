"""The untracked grace period as the CLI states it: `workspaces apply` says until when a
dropped repository's data is kept, `purge` (a dry run) lists it, a bad
WAREHOUSE_UNTRACKED_GRACE_DAYS is a settings error naming the variable (exit 2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from loaders.cli.main import cli
from loaders.retention import GraceSettingError, untracked_grace_days
from loaders.warehouse import WarehouseSettings, connect

BOTH = """
workspaces:
  - slug: alpha
    name: Alpha
    tier: pro
    repositories: [acme/one, acme/two]
"""


def test_grace_days_setting() -> None:
    assert untracked_grace_days({}) == 7
    assert untracked_grace_days({"WAREHOUSE_UNTRACKED_GRACE_DAYS": "0"}) == 0
    assert untracked_grace_days({"WAREHOUSE_UNTRACKED_GRACE_DAYS": " 30 "}) == 30
    for bad in ("seven", "-1", "1.5", "99999"):
        with pytest.raises(GraceSettingError, match="WAREHOUSE_UNTRACKED_GRACE_DAYS"):
            untracked_grace_days({"WAREHOUSE_UNTRACKED_GRACE_DAYS": bad})


def test_apply_and_purge_say_until_when_data_is_kept(
    warehouse_settings: WarehouseSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in warehouse_settings.dbt_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("WAREHOUSE_UNTRACKED_GRACE_DAYS", "3")
    runner = CliRunner()
    both, one = tmp_path / "both.yml", tmp_path / "one.yml"
    both.write_text(BOTH)
    one.write_text(BOTH.replace(", acme/two", ""))
    assert runner.invoke(cli, ["workspaces", "apply", str(both)]).exit_code == 0
    with connect(warehouse_settings) as wh:  # acme/two was loaded once
        wh.execute(
            "insert into control.sync_state (full_name, resource, last_status) "
            "values ('acme/two', 'issues', 'success')"
        )
        wh.execute("update control.repositories set github_id = 2 where full_name = 'acme/two'")

    result = runner.invoke(cli, ["workspaces", "apply", str(one)])
    assert result.exit_code == 0, result.output
    until = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%d")
    text = " ".join(result.output.split())
    assert "repositories removed (1): alpha: acme/two" in text
    assert f"acme/two (raw data kept until {until}" in text
    assert "(grace 3 days), then purged" in text

    dry = runner.invoke(cli, ["purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    text = " ".join(dry.output.split())
    assert f"acme/two: untracked, raw data kept until {until}" in text
    assert "(grace 3 days)" in text

    again = runner.invoke(cli, ["workspaces", "apply", str(both)])
    assert "tracked again (1): acme/two (within its grace period: its data was kept)" in " ".join(
        again.output.split()
    )

    monkeypatch.setenv("WAREHOUSE_UNTRACKED_GRACE_DAYS", "a week")
    for args in (["workspaces", "apply", str(one)], ["purge"], ["run", "--no-load"]):
        bad = runner.invoke(cli, args)
        assert bad.exit_code == 2, bad.output
        assert "WAREHOUSE_UNTRACKED_GRACE_DAYS must be a whole number of days" in bad.output
    with connect(warehouse_settings) as wh:  # the bad setting changed nothing
        active = wh.scalar(
            "select is_active from control.workspace_repositories where full_name = 'acme/two'"
        )
    assert active
