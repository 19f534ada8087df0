"""Lake tests keep dlt's local pipeline state in their own temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _pipelines_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAREHOUSE_PIPELINES_DIR", str(tmp_path / "dlt_pipelines"))
