"""Headless Chromium (the Debian package) over file://, with the network disabled.

The page records its own checks into the DOM (loaders/report/page.py): chart mark counts,
captured errors, external requests, the tiles' text. `--dump-dom` hands the DOM back.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

# Every request that is not file:// goes to a closed loopback port, and no name resolves.
OFFLINE = ["--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("no Chromium: apt-get install chromium (.ci/run installs it when missing)")


def _run(page: Path, extra: list[str], width: int, height: int, tmp: Path) -> str:
    command = [
        chromium(),
        "--headless=new",
        "--no-sandbox",  # root in CI
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={tmp / 'chromium-profile'}",
        f"--window-size={width},{height}",
        "--virtual-time-budget=15000",
        *OFFLINE,
        *extra,
        page.absolute().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def dump_dom(page: Path, tmp: Path, width: int = 1280, height: int = 900) -> str:
    return _run(page, ["--dump-dom"], width, height, tmp)


def checks(dom: str) -> dict[str, Any]:
    """The page's own check results (written once its charts have drawn)."""
    assert 'data-checked="true"' in dom, "the page's self-check did not run"
    found = re.search(r'<pre id="report-checks">(.*?)</pre>', dom, re.S)
    assert found, "no #report-checks in the DOM"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def screenshot(page: Path, target: Path, tmp: Path, width: int = 1280, height: int = 2400) -> Path:
    _run(page, [f"--screenshot={target}", "--hide-scrollbars"], width, height, tmp)
    return target
