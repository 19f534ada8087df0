"""A `warehouse run` talks to loopback only: no telemetry from dlt or dbt by default.

The CLI runs in a subprocess with pytests/run/netguard on PYTHONPATH: its sitecustomize
refuses and records every non-loopback lookup or connection, in that process and in dbt's
(a child, which inherits PYTHONPATH). The telemetry switches are removed from the child's
environment and it starts outside the project directory, so what is proven is the
project's own default. The same guard is shown to catch dlt's and dbt's telemetry when
they are switched on, so an empty record cannot come from a blind guard.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from loaders import PROJECT_DIR
from loaders.emulator.testing import EmulatorHandle, run_emulator

GUARD = Path(__file__).parent / "netguard"
CLI = str(Path(sys.executable).with_name("warehouse"))
SWITCHES = ("RUNTIME__DLTHUB_TELEMETRY", "DBT_SEND_ANONYMOUS_USAGE_STATS", "DO_NOT_TRACK")


def _guarded_env(log: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SWITCHES}
    env["PYTHONPATH"] = os.pathsep.join([str(GUARD), *filter(None, [env.get("PYTHONPATH")])])
    env["NETGUARD_LOG"] = str(log)
    env.pop("GITHUB_TOKENS", None)
    return {**env, **extra}


def _record(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_the_guard_refuses_and_records_what_is_not_loopback(tmp_path: Path) -> None:
    log = tmp_path / "net.log"
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        code = f"""
import socket, urllib.request
socket.create_connection(("127.0.0.1", {port}), timeout=5).close()
for attempt in (
    lambda: urllib.request.urlopen("http://example.com/", timeout=5),
    lambda: socket.socket().connect(("192.0.2.1", 80)),
):
    try:
        attempt()
        print("reached")
    except OSError:
        print("refused")
"""
        done = subprocess.run(
            [sys.executable, "-c", code],
            env=_guarded_env(log),
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        )
    assert done.stdout.split() == ["refused", "refused"]
    assert [line.split(" ", 1)[1] for line in _record(log)] == [
        "lookup example.com",
        "connect 192.0.2.1:80",
    ]


@pytest.fixture
def github() -> Iterator[EmulatorHandle]:
    with run_emulator(world="demo", seed=1) as handle:
        yield handle


def test_a_whole_run_stays_on_loopback(tmp_path: Path, github: EmulatorHandle) -> None:
    log = tmp_path / "net.log"
    env = _guarded_env(
        log,
        WAREHOUSE_TARGET="duckdb",
        WAREHOUSE_DUCKDB_PATH=str(tmp_path / "w.duckdb"),
        WAREHOUSE_PIPELINES_DIR=str(tmp_path / "pipelines"),
        GITHUB_API_URL=github.base_url,
        GITHUB_TOKEN=github.token,
    )
    workspaces = str(PROJECT_DIR / "workspaces.example.yml")
    run = subprocess.run(
        [CLI, "run", "--workspaces", workspaces],
        env=env,
        cwd=tmp_path,  # not the project: its .dlt/config.toml is not what protects this
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "dbt build passed" in run.stdout and "dbt source freshness passed" in run.stdout
    assert _record(log) == []
    # stdout is a pipe: the step lines only, no live bars of the load or dbt
    assert "\x1b" not in run.stdout and "load:" not in run.stdout
    assert "dbt build:" not in run.stdout and "freshness:" not in run.stdout

    # dlt's telemetry, switched on: the guard sees the attempt
    on = {**env, "RUNTIME__DLTHUB_TELEMETRY": "true"}
    load = [CLI, "load", "--repo", "nebula/stardust", "--all"]
    subprocess.run(load, env=on, cwd=tmp_path, capture_output=True, check=True)
    dlt_attempts = _record(log)
    assert dlt_attempts and all(" lookup " in line for line in dlt_attempts)
    log.unlink()

    # dbt's, switched on, in the dbt child that run_dbt starts
    code = "import os; from loaders.dbt_runner import run_dbt; print(os.getpid()); "
    code += "assert run_dbt(['parse'], capture=True).ok"
    dbt_on = {**env, "DBT_SEND_ANONYMOUS_USAGE_STATS": "true"}
    parent = subprocess.run(
        [sys.executable, "-c", code], env=dbt_on, cwd=tmp_path, capture_output=True, text=True
    )
    assert parent.returncode == 0, parent.stderr
    pids = {line.split()[0] for line in _record(log)}
    assert pids and parent.stdout.strip() not in pids  # all from the dbt child


def test_the_project_dlt_config_turns_telemetry_off(tmp_path: Path) -> None:
    code = (
        "from dlt.common.configuration.resolve import resolve_configuration\n"
        "from dlt.common.configuration.specs import RuntimeConfiguration\n"
        "print(resolve_configuration(RuntimeConfiguration()).dlthub_telemetry)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in SWITCHES}
    # dlt alone, from the repository root: .dlt/config.toml
    from_root = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=PROJECT_DIR, capture_output=True, text=True
    )
    # anywhere else, once the loaders are imported: their default
    elsewhere = subprocess.run(
        [sys.executable, "-c", "import loaders\n" + code],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert from_root.stdout.strip() == "False", from_root.stderr
    assert elsewhere.stdout.strip() == "False", elsewhere.stderr
