"""One `warehouse run` at a time per warehouse.

PostgreSQL: a session-level advisory lock held on a connection of its own, so the server
releases it when the process dies, however it dies. DuckDB: an OS file lock (`flock`) on
`<file>.lock` next to the database file; the kernel drops it when the process exits, also on
SIGKILL. Neither lock needs cleaning up after a crash.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from loaders.warehouse import WarehouseSettings
from loaders.warehouse.busy import WarehouseBusy, describe_pid

#: Namespace of the advisory lock key; another application sharing the database would have
#: to pick the same 64-bit number by accident to collide with us.
LOCK_NAME = "workspace_warehouse.run"


class RunLockHeld(WarehouseBusy):
    """Another run holds the lock of this warehouse (a `WarehouseBusy`: exit code 3)."""

    def __init__(self, where: str, holder: str | None = None) -> None:
        detail = f" (held by {holder})" if holder else ""
        super().__init__(
            where,
            holder,
            f"another `warehouse run` is already running against {where}{detail}; "
            "this one exits without doing anything. Try again when it has finished.",
        )


def advisory_lock_key(name: str = LOCK_NAME) -> int:
    """Stable signed 64-bit key derived from the lock name (what pg advisory locks take)."""
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_path(settings: WarehouseSettings) -> Path:
    return settings.duckdb_path.with_name(settings.duckdb_path.name + ".lock")


@contextmanager
def run_lock(settings: WarehouseSettings, name: str = LOCK_NAME) -> Iterator[None]:
    """Hold the run lock of the configured warehouse, or raise `RunLockHeld` at once."""
    if settings.target == "duckdb":
        with _file_lock(lock_path(settings)):
            yield
    else:
        with _advisory_lock(settings, advisory_lock_key(name)):
            yield


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Never truncate on open: the holder's pid written in the file is what we report.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip()
            where = f"duckdb file {path.with_suffix('')}"
            named = describe_pid(int(holder)) if holder.isdigit() else None
            raise RunLockHeld(where, named) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def _advisory_lock(settings: WarehouseSettings, key: int) -> Iterator[None]:
    import psycopg2

    conn: Any = psycopg2.connect(
        host=settings.pg_host,
        port=settings.pg_port,
        user=settings.pg_user,
        password=settings.pg_password.get_secret_value() or None,
        dbname=settings.pg_database,
        # The OS pid in the name lets a refused run name its holder (a backend pid alone
        # means little to an operator looking at `ps`).
        application_name=f"warehouse run lock (pid {os.getpid()})",
    )
    conn.autocommit = True
    try:
        cursor = conn.cursor()
        cursor.execute("select pg_try_advisory_lock(%s)", (key,))
        if not cursor.fetchone()[0]:
            cursor.execute(
                "select l.pid, a.application_name, a.client_addr::text "
                "from pg_locks as l left join pg_stat_activity as a on a.pid = l.pid "
                "where l.locktype = 'advisory' and l.granted "
                # Advisory locks are per database: another warehouse on the same server
                # holds its own lock under the same key.
                "and l.database = (select oid from pg_database where datname = current_database()) "
                "and l.classid::bigint = %s and l.objid::bigint = %s limit 1",
                ((key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF),
            )
            row = cursor.fetchone()
            raise RunLockHeld(settings.describe(), _pg_holder(row) if row else None)
        try:
            yield
        finally:
            cursor.execute("select pg_advisory_unlock(%s)", (key,))
    finally:
        conn.close()


_HOLDER_PID = re.compile(r"\(pid (\d+)\)")


def _pg_holder(row: tuple[Any, ...]) -> str:
    """`pid 123: warehouse run ... (backend pid 456)`: the holder's OS pid comes from its
    application_name (set by `_advisory_lock`); its command line when it runs on this host."""
    backend_pid, application, client = row
    match = _HOLDER_PID.search(application or "")
    if match is None:
        return f"backend pid {backend_pid}" + (f", {application}" if application else "")
    holder = (
        describe_pid(int(match[1]))
        if client in (None, "127.0.0.1/32", "::1/128")
        else (f"pid {match[1]} on {client}")
    )
    return f"{holder} (backend pid {backend_pid})"
