"""A server that cannot bind its port says why, in one line (exit 2), not a traceback."""

from __future__ import annotations

import errno

BAD_INPUT = 2  #: loaders.run.exit_codes.BAD_INPUT (not imported: --help stays light)


def bind_problem(host: str, port: int, error: OSError, server: str) -> str:
    """Why `server` cannot listen on host:port, and what to do about it."""
    if error.errno == errno.EADDRINUSE:
        return (
            f"{server} cannot listen on {host}:{port}: the port is already in use (another "
            f"{server} still running?). Stop that process, or pick another port with --port "
            "(--port 0 takes any free one)."
        )
    if error.errno == errno.EACCES:
        return (
            f"{server} cannot listen on {host}:{port}: permission denied (ports below 1024 need "
            "privileges). Pick a port above 1023 with --port."
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return f"{server} cannot listen on {host}:{port}: {host} is no address here (--host)."
    return f"{server} cannot listen on {host}:{port}: {error.strerror or error}"
