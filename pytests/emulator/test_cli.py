"""`warehouse emulator serve` starts, prints its URL, serves, and stops on Ctrl-C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import requests
from click.testing import CliRunner

from loaders.cli.emulator_commands import emulator


def test_help_lists_the_options() -> None:
    out = CliRunner().invoke(emulator, ["serve", "--help"])
    assert out.exit_code == 0
    for option in ("--world", "--seed", "--port", "--host", "--anchor", "--rest-budget"):
        assert option in out.output


def test_serve_prints_url_and_answers() -> None:
    code = "from loaders.cli.emulator_commands import emulator; emulator()"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            "serve",
            "--world",
            "small",
            "--port",
            "0",
            "--anchor",
            "1767225600",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", first)
        assert match, first
        base = match.group(0)
        now = requests.get(f"{base}/_emulator/now", timeout=10).json()
        assert now["now"] == "2026-01-01T00:00:00Z" and now["world"] == "small"
        r = requests.get(
            f"{base}/repos/acme/web-app",
            headers={"Authorization": "token ghp_emulator_demo"},
            timeout=10,
        )
        assert r.status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            # Generous: on a loaded CI machine interpreter shutdown once took over 10 s.
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(f"serve ignored Ctrl-C for 60 s; stderr:\n{err[-3000:]}") from None
    assert proc.returncode == 0 and "stopping" in out, err[-3000:]
