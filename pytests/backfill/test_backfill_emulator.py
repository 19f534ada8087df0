"""Backfill against the offline emulator (DuckDB): faults, retry, and SIGKILL at random points.

The crash test drives the real CLI (`warehouse backfill start`) in a subprocess, kills it at
random moments, restarts it, and compares every raw table with an uninterrupted job's.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from loaders.backfill.execute import run_backfills
from loaders.backfill.jobs import JobStore
from loaders.backfill.sync_loader import SyncChunkLoader
from loaders.emulator.testing import EmulatorHandle, run_emulator
from loaders.github import GitHubClient, GitHubSettings
from loaders.warehouse import WarehouseSettings, connect
from pytests.backfill.helpers import seed_workspace

ROOT = Path(__file__).resolve().parents[2]
REPOS = ("opentail/lib-00", "opentail/lib-01")
ANCHOR = 1_790_000_000 // 3600 * 3600  # a fixed virtual "now": both runs see one world
# Lines of a backfill's output that say why it stopped short.
_CLUE = re.compile(r"warn|error|fail|budget|defer|exhaust|retry|traceback", re.IGNORECASE)


@pytest.fixture(scope="module")
def github() -> Iterator[EmulatorHandle]:
    with run_emulator(world="small", seed=1, anchor=ANCHOR) as gh:
        yield gh


@pytest.fixture(autouse=True)
def _own_pipelines_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAREHOUSE_PIPELINES_DIR", str(tmp_path / "pipelines"))


def _client(github: EmulatorHandle) -> GitHubClient:
    # No backoff: a repository that keeps failing should fail fast in a test.
    return GitHubClient(
        GitHubSettings(
            api_url=github.base_url,
            tokens=[github.token],
            max_retries=1,
            backoff_base_seconds=0,
            backoff_max_seconds=0,
        ),
        budget_share=0.6,
    )


def test_failing_repositories_fail_alone_and_retry_finishes(
    github: EmulatorHandle, tmp_path: Path
) -> None:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    repos = (*REPOS, "quietco/deleted-repo")
    with connect(settings) as wh:
        seed_workspace(wh, "ws", repos)
        store = JobStore(wh)
        job, _ = store.create("ws", 3650)
        github.inject_faults(
            script=[{"kind": "500", "match": "/repos/opentail/lib-01/", "count": 10_000}]
        )
        try:
            first = run_backfills(wh, loader=SyncChunkLoader(wh, _client(github)))
        finally:
            github.clear_faults()
        assert first.outcomes[0].status == "failed"
        status = {r.full_name: r for r in store.repositories(job.id)}
        assert status["opentail/lib-00"].status == "completed"
        assert status["opentail/lib-01"].status == "failed"
        assert status["quietco/deleted-repo"].status == "failed"
        assert "not found" in (status["quietco/deleted-repo"].error or "").lower()
        kinds = [r["kind"] for r in wh.query("select kind from control.notifications order by id")]
        assert kinds == ["job_started", "job_failed"]

        store.retry(job.id)
        run_backfills(wh, loader=SyncChunkLoader(wh, _client(github)))
        status = {r.full_name: r for r in store.repositories(job.id)}
        assert status["opentail/lib-01"].status == "completed"
        assert status["opentail/lib-01"].items_loaded > 0
        assert status["quietco/deleted-repo"].status == "failed"  # still gone on GitHub


def _raw_snapshot(settings: WarehouseSettings) -> dict[str, list[tuple]]:
    with connect(settings) as wh:
        tables = [
            r["table_name"]
            for r in wh.query(
                "select table_name from information_schema.tables "
                "where table_schema = 'github_raw' and table_name not like '_dlt%' "
                "order by table_name"
            )
        ]
        snapshot = {}
        for table in tables:
            columns = [
                r["column_name"]
                for r in wh.query(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'github_raw' and table_name = %(t)s "
                    "order by column_name",
                    {"t": table},
                )
                # dlt bookkeeping and the fetch time differ between any two loads
                if not r["column_name"].startswith("_dlt") and r["column_name"] != "fetched_at"
            ]
            rows = wh.raw_connection.execute(
                f"select {', '.join(columns)} from github_raw.{table}"
            ).fetchall()
            snapshot[table] = sorted(rows, key=repr)
        return snapshot


def _cli_env(github: EmulatorHandle, settings: WarehouseSettings, tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        **settings.dbt_env(),
        "GITHUB_API_URL": github.base_url,
        "GITHUB_TOKEN": github.token,
        "WAREHOUSE_PIPELINES_DIR": str(tmp / "pipelines"),
        "PYTHONPATH": str(ROOT),
    }


def _start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`warehouse backfill start`, its output appended to `log` (read back on failure)."""
    warehouse = str(Path(sys.executable).with_name("warehouse"))
    with log.open("ab") as out:
        return subprocess.Popen(
            [warehouse, "backfill", "start", "--workspace", "ws", "--days", "3650"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _finished(proc: subprocess.Popen[bytes], log: Path, github: EmulatorHandle) -> None:
    """The backfill must end complete (exit 0); otherwise fail with the evidence.

    Clean-clone CI runs once ended partial here (exit 4): a kill inside a dlt save left a
    file that failed every later load (fixed in loaders/sync/pipeline.py, tested in
    pytests/loaders/test_crash.py). The message carries the matching lines of the output
    and the emulator's spend, so another cause would name itself in CI's output.
    """
    if proc.returncode == 0:
        return
    output = log.read_text(errors="replace")
    lines = output.splitlines()
    clues = [  # a matching line and the next (dlt puts the cause on the next line)
        f"{ln.strip()} {lines[i + 1].strip() if i + 1 < len(lines) else ''}"
        for i, ln in enumerate(lines)
        if _CLUE.search(ln)
    ]
    stats = github.stats()
    spent = {k: stats.get(k) for k in ("graphql_points", "requests_total")}
    evidence = " | ".join(dict.fromkeys(clues))[-2500:]
    raise AssertionError(
        f"backfill exited {proc.returncode}; emulator {spent}; {evidence}\n{output[-4000:]}"
    )


def test_sigkill_at_random_points_then_resume_equals_uninterrupted(
    github: EmulatorHandle, tmp_path: Path
) -> None:
    clean = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "clean" / "w.duckdb")
    crashed = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "crashed" / "w.duckdb")
    for settings in (clean, crashed):
        with connect(settings) as wh:
            seed_workspace(wh, "ws", REPOS)

    clean_env = _cli_env(github, clean, tmp_path / "clean")
    clean_log, crashed_log = tmp_path / "clean.log", tmp_path / "crashed.log"
    started = time.monotonic()
    proc = _start(clean_env, clean_log)
    proc.wait(300)
    _finished(proc, clean_log, github)
    uninterrupted = time.monotonic() - started

    rng = random.Random(int(os.environ.get("BACKFILL_CRASH_SEED", "7")))
    env = _cli_env(github, crashed, tmp_path / "crashed")
    kills = 0
    for _ in range(6):
        proc = _start(env, crashed_log)
        try:
            proc.wait(rng.uniform(0.1, 0.5) * uninterrupted)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
            kills += 1
            continue
        _finished(proc, crashed_log, github)
        break
    else:
        proc = _start(env, crashed_log)
        proc.wait(300)
        _finished(proc, crashed_log, github)
    assert kills >= 1, "the job finished before any kill: the test proved nothing"

    with connect(crashed) as wh:
        store = JobStore(wh)
        # A kill that lands after the job completed makes the next `start` a new job (the
        # user asked for one): every job there is must have completed, nothing in between.
        jobs = store.list()
        assert {j.status for j in jobs} == {"completed"}
        assert {r.status for j in jobs for r in store.repositories(j.id)} == {"completed"}
    after_crashes, reference = _raw_snapshot(crashed), _raw_snapshot(clean)
    assert sorted(after_crashes) == sorted(reference)
    for table, rows in reference.items():
        missing = [r for r in rows if r not in after_crashes[table]]
        extra = [r for r in after_crashes[table] if r not in rows]
        assert (missing, extra) == ([], []), f"{table}: {len(missing)} missing, {len(extra)} extra"


def test_budget_view_reads_the_share_of_the_hourly_limit(github: EmulatorHandle) -> None:
    from loaders.backfill.progress import budget_view_from_client

    with _client(github) as client:
        view = budget_view_from_client(client)
    assert view is not None
    # 5000 points an hour, reserve 1000: the backfill's 60% share (3000) is the binding cap
    assert view.points_per_hour == 3000
    assert 0 < view.points_available <= 3000


def test_backfill_keeps_to_its_share_and_leaves_the_rest_to_syncs(tmp_path: Path) -> None:
    """With 40 GraphQL points an hour and no reserve, a backfill capped at 60% stops at
    24 points (deferred, resumable; the whole job needs about 48) and the sync still finds
    its 40% untouched."""
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    with run_emulator(world="small", seed=1, anchor=ANCHOR, graphql=40) as gh:

        def client(share: float | None) -> GitHubClient:
            return GitHubClient(
                GitHubSettings(api_url=gh.base_url, tokens=[gh.token], reserve=0),
                budget_share=share,
            )

        with connect(settings) as wh:
            seed_workspace(wh, "ws", ("acme/api-server", "acme/web-app"))
            store = JobStore(wh)
            job, _ = store.create("ws", 3650)
            backfill_client = client(0.6)
            result = run_backfills(wh, loader=SyncChunkLoader(wh, backfill_client))
            repos = [(r.full_name, r.status, r.error) for r in store.repositories(job.id)]
            assert result.outcomes[0].deferred, (result, repos, gh.stats()["graphql_points"])
            assert store.get(job.id).status == "in_progress"
            assert result.exit_code == 4
        spent = gh.stats()["graphql_points"]
        assert 0 < spent <= 24, spent
        with client(None) as sync_client:
            assert sync_client.can_spend("graphql", 40 - 24)
