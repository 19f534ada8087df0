"""The `embed` step of `warehouse run`: ok and `data_changed` when vectors were stored,
partial (exit code 4, the rest of the run goes on) when the provider is down, failed on
settings errors, skipped when off."""

from __future__ import annotations

import pytest

from loaders.embeddings.step import default_embed
from loaders.emulator.testing import run_emulator
from loaders.warehouse import Warehouse
from pytests.embeddings.test_resume import _raw_issues


def test_embed_step_outcomes(warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    _raw_issues(warehouse)
    with run_emulator("small") as gh:
        down = gh.embeddings_url  # nothing listens there once the block ends
    monkeypatch.setenv("WAREHOUSE_EMBEDDING_PROVIDER", "openai")
    monkeypatch.setenv("WAREHOUSE_EMBEDDING_BASE_URL", down)
    monkeypatch.setenv("WAREHOUSE_EMBEDDING_MODEL", "fake")
    monkeypatch.setenv("WAREHOUSE_EMBEDDING_MAX_RETRIES", "1")
    monkeypatch.setattr("loaders.embeddings.openai_client.MAX_WAIT_SECONDS", 0.0)
    outcome = default_embed(warehouse)
    assert outcome.status == "partial" and not outcome.data_changed
    assert "0 of 5 items embedded" in outcome.detail and "ConnectionError" in outcome.detail

    monkeypatch.delenv("WAREHOUSE_EMBEDDING_MODEL")
    failed = default_embed(warehouse)
    assert failed.status == "failed" and "WAREHOUSE_EMBEDDING_MODEL" in failed.detail

    monkeypatch.setenv("WAREHOUSE_EMBEDDING_PROVIDER", "hashing")
    done = default_embed(warehouse)
    assert (done.status, done.data_changed) == ("ok", True)
    idle = default_embed(warehouse)
    assert (idle.status, idle.data_changed) == ("ok", False)

    monkeypatch.setenv("WAREHOUSE_EMBEDDING_PROVIDER", "off")
    assert default_embed(warehouse).status == "skipped"
