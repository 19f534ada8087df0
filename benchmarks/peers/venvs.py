"""A peer's own virtual environment: `.peers/<name>/`, created and filled on first use.

Only the package registry is asked (pip, pinned versions); the loopback guard
(`sitecustomize.py`) is copied into the environment on every run so a stale copy never
decides what a peer may reach.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / ".peers"
GUARD = Path(__file__).with_name("sitecustomize.py")

#: name -> (pinned requirement, console script)
PEERS = {
    "tap-github": ("meltanolabs-tap-github==1.30.1", "tap-github"),
    "airbyte-github": ("airbyte-source-github==2.7.1", "source-github"),
}


def ensure(name: str) -> Path:
    """The peer's console script, installing the peer first if needed."""
    requirement, script = PEERS[name]
    home = ROOT / name
    stamp = home / ".installed"
    if not stamp.exists() or stamp.read_text() != requirement:
        if not (home / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(home)], check=True)
        subprocess.run(
            [str(home / "bin" / "pip"), "install", "--quiet", requirement],
            check=True,
        )
        stamp.write_text(requirement)
    site = subprocess.run(
        [
            str(home / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_path('purelib'))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    shutil.copyfile(GUARD, Path(site) / "sitecustomize.py")
    return home / "bin" / script


__all__ = ["PEERS", "ROOT", "ensure"]
