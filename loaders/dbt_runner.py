"""Run dbt against the configured warehouse, with profiles.example.yml used in place.

dbt reads `profiles.yml` from a directory; we keep one generated copy under `.dbt/` so users
never copy files by hand, and hand dbt the warehouse settings through the environment.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loaders import PROJECT_DIR
from loaders.warehouse import WarehouseSettings

PROFILE_TEMPLATE = PROJECT_DIR / "profiles.example.yml"


def _libc_prctl() -> Callable[..., int] | None:
    """libc's `prctl`, looked up once in the parent: after fork only the call may run."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _libc_prctl()
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> Callable[[], None] | None:
    """A `preexec_fn` making the child get SIGKILL when this process dies (Linux).

    Why the parent-death signal and not a process group plus a watchdog: a `kill -9` of
    `warehouse run` (a cron timeout, the OOM killer, a deploy) kills one PID, and nothing of
    ours runs afterwards to signal a group; a watchdog would be one more process to orphan.
    The kernel sends PR_SET_PDEATHSIG itself, however the parent dies. It fires when the
    *thread* that started the child exits, so call `run_dbt` from a thread that outlives
    dbt (the run calls it from its main thread). If the parent died between fork and
    prctl, the child's parent is already someone else: it exits at once.
    """
    prctl = _PRCTL
    if prctl is None:
        return None

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent_pid:
            os._exit(1)

    return preexec


def profiles_dir() -> Path:
    """Directory holding a fresh copy of profiles.example.yml named profiles.yml."""
    if os.environ.get("DBT_PROFILES_DIR"):
        return Path(os.environ["DBT_PROFILES_DIR"])
    target = PROJECT_DIR / ".dbt"
    target.mkdir(exist_ok=True)
    copy = target / "profiles.yml"
    if not copy.exists() or copy.read_bytes() != PROFILE_TEMPLATE.read_bytes():
        # Copy then rename: a dbt started by a concurrent process never reads half a file.
        partial = target / f"profiles.yml.{os.getpid()}.tmp"
        shutil.copyfile(PROFILE_TEMPLATE, partial)
        os.replace(partial, copy)
    return target


@dataclass(frozen=True)
class DbtResult:
    args: tuple[str, ...]
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_dbt(
    args: list[str],
    settings: WarehouseSettings | None = None,
    *,
    capture: bool = False,
    extra_env: dict[str, str] | None = None,
    on_line: Callable[[str], None] | None = None,
) -> DbtResult:
    """Run `dbt <args>` in a subprocess (dbt owns its own DB connection and file locks).

    A subprocess keeps dbt's global state and the DuckDB file lock out of our process; close
    any open DuckDB connection to the same file before calling this. dbt dies with this
    process, even on SIGKILL (`die_with_parent`), so it never keeps the warehouse locked.
    With `capture`, dbt's output is returned instead of printed, and `on_line` sees each line
    as dbt writes it.
    """
    settings = settings or WarehouseSettings.from_env()
    env = {**os.environ, **settings.dbt_env(), **(extra_env or {})}
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    # dbt's own CLI, through loaders.dbt_cli: it keeps the parsed project out of the garbage
    # collector's full passes once models run (each such pass stalled a model 0.1-0.15 s).
    command = [
        sys.executable,
        "-m",
        "loaders.dbt_cli",
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(profiles_dir()),
        "--target",
        settings.target,
    ]
    if capture and on_line is not None:
        return _streamed(command, env, args, on_line)
    completed = subprocess.run(
        command,
        env=env,
        cwd=PROJECT_DIR,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.STDOUT if capture else None,
        check=False,
        preexec_fn=die_with_parent(os.getpid()),
    )
    return DbtResult(tuple(args), completed.returncode, completed.stdout or "")


def _streamed(
    command: list[str], env: dict[str, str], args: list[str], on_line: Callable[[str], None]
) -> DbtResult:
    """Captured like `subprocess.run`, each line handed to `on_line` as it arrives."""
    lines: list[str] = []
    with subprocess.Popen(
        command,
        env=env,
        cwd=PROJECT_DIR,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=die_with_parent(os.getpid()),
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            lines.append(line)
            on_line(line)
    return DbtResult(tuple(args), child.returncode, "".join(lines))
