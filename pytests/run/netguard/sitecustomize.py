"""A socket guard for tests: put this directory on PYTHONPATH and every Python process
started with it (and its children, which inherit PYTHONPATH) refuses and records any
name lookup or connection that is not loopback. Records go to the file NETGUARD_LOG names,
one `<pid> <kind> <target>` line each.

Python imports `sitecustomize` at start-up, before the program runs, so nothing the
program imports later can slip past. Connections made inside C libraries (libpq, DuckDB's
own HTTP client) are not seen; the warehouse makes those to loopback only.
"""

from __future__ import annotations

import ipaddress
import os
import socket

_LOG = os.environ.get("NETGUARD_LOG")
_LOCAL_NAMES = {None, "", "localhost", b"localhost"}


def _record(kind: str, target: object) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {kind} {target}\n")


def _is_loopback(host: object) -> bool:
    if host in _LOCAL_NAMES:
        return True
    text = host.decode() if isinstance(host, bytes) else str(host)
    try:
        return ipaddress.ip_address(text.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _guard_lookup(original):  # type: ignore[no-untyped-def]
    def lookup(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not _is_loopback(host):
            _record("lookup", host)
            raise socket.gaierror(socket.EAI_NONAME, f"netguard: lookup of {host} refused")
        return original(host, *args, **kwargs)

    return lookup


def _guard_connect(original):  # type: ignore[no-untyped-def]
    def connect(self, address, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            _record("connect", f"{address[0]}:{address[1]}")
            raise ConnectionRefusedError(f"netguard: connection to {address[0]} refused")
        return original(self, address, *args, **kwargs)

    return connect


if _LOG:
    socket.getaddrinfo = _guard_lookup(socket.getaddrinfo)
    socket.gethostbyname = _guard_lookup(socket.gethostbyname)
    socket.gethostbyname_ex = _guard_lookup(socket.gethostbyname_ex)
    socket.socket.connect = _guard_connect(socket.socket.connect)  # type: ignore[method-assign]
    socket.socket.connect_ex = _guard_connect(socket.socket.connect_ex)  # type: ignore[method-assign]
