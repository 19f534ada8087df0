"""The warehouse is busy: another process holds it, named by PID and command line.

A DuckDB file admits one writing process; while a `warehouse run` (or the dbt it starts)
holds it, every other command's connect fails with DuckDB's `IOException ... Conflicting
lock is held in <program> (PID n)`. `connect` turns that into `WarehouseBusy`, and the CLI
turns `WarehouseBusy` into one line and exit code 3, for every command alike.
"""

from __future__ import annotations

import re
from pathlib import Path

_DUCKDB_LOCK = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")
_LOCKED_FILE = re.compile(r'Could not set lock on file "(?P<path>[^"]+)"')


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse; this command did nothing (exit code 3)."""

    def __init__(self, where: str, holder: str | None = None, message: str | None = None) -> None:
        self.where = where
        self.holder = holder
        held = f" (held by {holder})" if holder else ""
        super().__init__(
            message
            or f"{where} is in use by another process{held}; a DuckDB file admits one process "
            "at a time, so this command did nothing. Try again when that process has finished."
        )


def describe_pid(pid: int) -> str:
    """`pid 123: warehouse run --workspaces w.yml`, or just `pid 123` when the command line
    cannot be read (another user's process, or not Linux)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return f"pid {pid}"
    argv = [part.decode(errors="replace") for part in raw.split(b"\0") if part]
    if not argv:
        return f"pid {pid}"
    # `python .../bin/warehouse run` reads better as `warehouse run`.
    if len(argv) > 1 and Path(argv[0]).name.startswith("python") and not argv[1].startswith("-"):
        argv = argv[1:]
    argv[0] = Path(argv[0]).name
    command = " ".join(" ".join(argv).split())  # one line, even for `python -c '...'`
    return f"pid {pid}: {command if len(command) <= 300 else command[:299] + '…'}"


def busy_from_duckdb_error(error: BaseException, where: str) -> WarehouseBusy | None:
    """`WarehouseBusy` for DuckDB's lock conflict, None for any other error."""
    match = _DUCKDB_LOCK.search(str(error))
    if match is None:
        return None
    return WarehouseBusy(where, describe_pid(int(match["pid"])))


def busy_in_text(text: str) -> WarehouseBusy | None:
    """`WarehouseBusy` when DuckDB's lock conflict is quoted in `text` (an exception another
    library wrapped, or dbt's captured log), naming the file and its holder; else None."""
    match = _DUCKDB_LOCK.search(text)
    if match is None:
        return None
    file = _LOCKED_FILE.search(text)
    where = f"duckdb file {file['path']}" if file else "the DuckDB file"
    return WarehouseBusy(where, describe_pid(int(match["pid"])))


def busy_in_chain(error: BaseException) -> WarehouseBusy | None:
    """The `WarehouseBusy` raised or wrapped (`raise ... from`) anywhere in `error`'s chain,
    or DuckDB's lock conflict quoted in any of its messages."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, WarehouseBusy):
            return current
        busy = busy_in_text(str(current))
        if busy is not None:
            return busy
        current = current.__cause__ or current.__context__
    return None
