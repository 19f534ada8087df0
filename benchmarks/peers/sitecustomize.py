"""Loaded by a peer's own interpreter (copied into its venv's site-packages): loopback only.

Peers call the public API host for some requests whatever their API URL setting says
(tap-github: `/rate_limit`, GitHub App token URLs). Every `requests` URL on that host is
rewritten to the emulator given in ``PEERS_EMULATOR_URL``; and every socket the process
opens or name it resolves must be loopback, so nothing can leave the machine even if a
peer grows a new hard-coded host.
"""

from __future__ import annotations

import os
import socket

_EMULATOR = os.environ.get("PEERS_EMULATOR_URL", "").rstrip("/")
_PUBLIC = ("https://api.github.com", "http://api.github.com")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class OffMachine(OSError):
    """A peer tried to reach a host other than loopback."""


def _check_host(host: object) -> None:
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name not in _LOOPBACK and not name.startswith("127."):
        raise OffMachine(f"peers run offline: refused to reach {name!r} (loopback only)")


_getaddrinfo = socket.getaddrinfo


def _guarded_getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    if host is not None:
        _check_host(host)
    return _getaddrinfo(host, *args, **kwargs)


_connect = socket.socket.connect


def _guarded_connect(self, address):  # type: ignore[no-untyped-def]
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check_host(address[0])
    return _connect(self, address)


socket.getaddrinfo = _guarded_getaddrinfo
socket.socket.connect = _guarded_connect  # type: ignore[method-assign]


def _rewrite(url: str) -> str:
    for public in _PUBLIC:
        if _EMULATOR and (url == public or url.startswith(public + "/")):
            return _EMULATOR + url[len(public) :]
    return url


def _patch_requests() -> None:
    try:
        import requests.sessions
    except ImportError:
        return
    original = requests.sessions.Session.send

    # `send` sees every request, prepared by `Session.request` or by the caller.
    def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        request.url = _rewrite(str(request.url))
        return original(self, request, **kwargs)

    requests.sessions.Session.send = send  # type: ignore[method-assign]


_patch_requests()
