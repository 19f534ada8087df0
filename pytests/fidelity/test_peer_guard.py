"""The loopback guard every peer runs under (benchmarks/peers/sitecustomize.py).

A peer's interpreter imports it at start-up; here a plain interpreter does the same (the
guard's folder on PYTHONPATH): the public API host is answered by the emulator on
127.0.0.1, and any other name or address is refused before a packet leaves.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .emulator_access import import_or_skip

GUARD_DIR = Path(__file__).resolve().parents[2] / "benchmarks" / "peers"

PROBE = """
import json, socket, requests
out = {}
auth = {"Authorization": "token emulator-guard"}
r = requests.get("https://api.github.com/rate_limit", headers=auth, timeout=10)
out["rate_limit"] = [r.status_code, r.url, sorted(r.json()["resources"])]
for name, call in (
    ("resolve", lambda: socket.getaddrinfo("example.com", 443)),
    ("connect", lambda: socket.create_connection(("10.255.255.1", 443), timeout=1)),
    ("requests", lambda: requests.get("https://example.com", timeout=5)),
):
    try:
        call()
        out[name] = "reached"
    except Exception as exc:
        out[name] = "refused" if "loopback only" in repr(exc) else repr(exc)
print(json.dumps(out))
"""


def test_peers_reach_only_the_emulator_on_loopback():
    testing = import_or_skip("loaders.emulator.testing", "emulator")
    with testing.run_emulator("small", seed=1) as gh:
        env = {
            **os.environ,
            "PYTHONPATH": str(GUARD_DIR),
            "PEERS_EMULATOR_URL": gh.base_url + "/api/v3",
        }
        done = subprocess.run(
            [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout)
    status, url, resources = out["rate_limit"]
    assert status == 200 and url == gh.base_url + "/api/v3/rate_limit"
    assert {"core", "graphql"} <= set(resources)
    assert out["resolve"] == out["connect"] == out["requests"] == "refused", out
