"""`warehouse backfill start|status|retry|cancel` through click, on a DuckDB file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from loaders.backfill import execute
from loaders.cli.main import cli
from loaders.run import exit_codes
from loaders.warehouse import WarehouseSettings, connect
from pytests.backfill.fake_loader import FakeLoader
from pytests.backfill.helpers import seed_workspace


@pytest.fixture
def duckdb_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WarehouseSettings:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    for key, value in settings.dbt_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("WAREHOUSE_NOTIFY_URL", raising=False)
    # `status` asks GitHub for the budget (ETA): keep it on loopback, where nothing listens.
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")
    with connect(settings) as wh:
        seed_workspace(wh, "acme", ("acme/api", "acme/web"))
    return settings


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_start_status_cancel(duckdb_env: WarehouseSettings) -> None:
    code, out = _invoke("backfill", "start", "--workspace", "acme", "--days", "30", "--no-run")
    assert code == 0 and "Created backfill job 1 for acme (30 days)" in out
    code, out = _invoke("backfill", "start", "--workspace", "acme", "--days", "30", "--no-run")
    assert code == 0 and "already pending; resuming it" in out
    code, out = _invoke("backfill", "status")
    assert code == 0 and "acme" in out and "pending" in out
    code, out = _invoke("backfill", "status", "1")
    assert code == 0 and "acme/api" in out and "0/2 repositories" in out
    code, out = _invoke("backfill", "cancel", "1")
    assert code == 0 and "Job 1 canceled" in out
    code, out = _invoke("backfill", "retry", "1")
    assert code == exit_codes.BAD_INPUT and "start a new one" in out


def test_bad_input_exits_2(duckdb_env: WarehouseSettings) -> None:
    code, out = _invoke("backfill", "start", "--workspace", "nope", "--days", "30")
    assert code == exit_codes.BAD_INPUT and "unknown workspace 'nope'" in out
    code, _ = _invoke("backfill", "start", "--workspace", "acme", "--days", "0")
    assert code == 2  # click's range check
    code, out = _invoke("backfill", "status", "42")
    assert code == exit_codes.BAD_INPUT and "no backfill job 42" in out


def test_start_runs_with_live_progress_and_retry(
    duckdb_env: WarehouseSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    loader = FakeLoader(not_found={"acme/web"})
    monkeypatch.setattr(execute, "default_loader", lambda wh, share=None: loader)
    code, out = _invoke("backfill", "start", "--workspace", "acme", "--days", "30")
    assert code == exit_codes.PARTIAL and "failed" in out and "not found" in out
    loader.not_found.clear()
    code, out = _invoke("backfill", "retry", "1")
    assert code == exit_codes.OK and "completed" in out and "2/2 repositories" in out
    code, out = _invoke("backfill", "status")
    assert "100%" in out
    code, out = _invoke("backfill", "status", "1", "--watch", "--interval", "0")
    assert code == 0 and "completed" in out and "ETA done" in out


def test_budget_spent_exits_4_and_says_when(
    duckdb_env: WarehouseSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        execute, "default_loader", lambda wh, share=None: FakeLoader(budget_after=2)
    )
    code, out = _invoke("backfill", "start", "--workspace", "acme", "--days", "30")
    assert code == exit_codes.PARTIAL and "continues on the next `warehouse run`" in out


def test_share_setting_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    assert execute.backfill_share({}) == 0.6
    assert execute.backfill_share({"WAREHOUSE_BACKFILL_SHARE": "0.25"}) == 0.25
    for bad in ("0", "1.5", "lots"):
        with pytest.raises(ValueError, match="WAREHOUSE_BACKFILL_SHARE"):
            execute.backfill_share({"WAREHOUSE_BACKFILL_SHARE": bad})


def test_busy_duckdb_file_is_explained(duckdb_env: WarehouseSettings) -> None:
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True);"
            " time.sleep(30)",
            str(duckdb_env.duckdb_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        code, out = _invoke("backfill", "status")
        assert code == exit_codes.LOCKED
        assert "is in use by another process" in out and f"pid {holder.pid}" in out
    finally:
        holder.kill()
        holder.wait(10)


def test_watch_follows_a_running_job_to_the_end(duckdb_env: WarehouseSettings) -> None:
    import threading
    import time

    from loaders.backfill import BackfillRunner, JobStore

    class SlowLoader(FakeLoader):
        def load(self, full_name, resources, window_start):  # type: ignore[no-untyped-def]
            time.sleep(0.05)
            return super().load(full_name, resources, window_start)

    _invoke("backfill", "start", "--workspace", "acme", "--days", "30", "--no-run")

    def work() -> None:
        with connect(duckdb_env) as wh:
            BackfillRunner(JobStore(wh), SlowLoader()).run_pending()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        code, out = _invoke("backfill", "status", "1", "--watch", "--interval", "0.05")
    finally:
        worker.join(30)
    assert code == 0 and "completed" in out and "2/2 repositories" in out
