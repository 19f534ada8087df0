"""The `openai` provider against the emulator's OpenAI-compatible `/v1/embeddings` on
loopback (real HTTP): batching, retries with retry-after on 429/5xx, token accounting, the
budget, clear errors without the key."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from loaders.embeddings import (
    BudgetExhausted,
    EmbeddingError,
    EmbeddingSettingsError,
    HashingProvider,
    OpenAIProvider,
    provider_from_env,
)
from loaders.emulator.embeddings_api import key_digest
from loaders.emulator.testing import EmulatorHandle, run_emulator

KEY = "sk-test-secret-0123456789"


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorHandle]:
    with run_emulator("small") as gh:
        yield gh


@pytest.fixture
def server(emulator: EmulatorHandle) -> EmulatorHandle:
    emulator.script_embeddings([], dimension=16)
    return emulator


def _provider(url: str, **options: object) -> tuple[OpenAIProvider, list[float]]:
    sleeps: list[float] = []
    provider = OpenAIProvider(url, "fake-embed", KEY, sleep=sleeps.append, **options)  # type: ignore[arg-type]
    return provider, sleeps


def test_retries_429_and_5xx_then_counts_tokens(server: EmulatorHandle) -> None:
    server.script_embeddings(["429", "503"], dimension=16)
    provider, sleeps = _provider(server.embeddings_url)
    batch = provider.embed(["crash on start", "crash on start up"])
    assert len(batch.vectors) == 2 and all(len(v) == 16 for v in batch.vectors)
    assert batch.tokens == 7 and provider.tokens_used == 7
    log = server.embeddings_log()
    assert provider.retries == 2 and log["requests"] == 3
    assert sleeps[0] < 0.01  # retry-after: 0 honoured
    assert 1.0 <= sleeps[1] <= 1.1  # no retry-after: 0.5 s doubled per attempt (+ jitter)
    assert log["log"][0]["key_digest"] == key_digest(KEY)
    assert log["log"][0]["model"] == "fake-embed" and log["log"][0]["inputs"] == 2
    assert provider.dimension == 16  # learnt from the first answer


def test_401_fails_at_once_without_leaking_the_key(
    server: EmulatorHandle, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.script_embeddings(["401"])  # its message echoes the key: the client must redact
    provider, sleeps = _provider(server.embeddings_url)
    with pytest.raises(EmbeddingError, match="HTTP 401") as error:
        provider.embed(["text"])
    assert server.embeddings_log()["requests"] == 1 and sleeps == []
    assert KEY not in str(error.value) and "***" in str(error.value)
    assert KEY not in caplog.text


def test_wrong_dimension_and_a_storm_of_429_are_clear_errors(server: EmulatorHandle) -> None:
    server.script_embeddings(["dim:8"])
    provider, _ = _provider(server.embeddings_url, dimension=16)
    with pytest.raises(EmbeddingError, match=r"dimension \[8\].*expected 16"):
        provider.embed(["text"])
    assert server.embeddings_log()["log"][0]["dimensions"] == 16
    assert provider.model == "fake-embed@d16"
    server.script_embeddings(["429"] * 10)
    provider, sleeps = _provider(server.embeddings_url, max_retries=3)
    with pytest.raises(EmbeddingError, match="after 4 attempts: HTTP 429"):
        provider.embed(["text"])
    assert len(sleeps) == 3


def test_budget_stops_before_the_batch_that_would_exceed_it(server: EmulatorHandle) -> None:
    provider, _ = _provider(server.embeddings_url, token_budget=12)
    provider.embed(["one two three four five"])  # estimate 2, counted 5
    with pytest.raises(BudgetExhausted, match="token budget 12"):
        provider.embed(["x" * 40])  # estimate 11: 5 + 11 > 12
    assert server.embeddings_log()["requests"] == 1


def test_endpoint_down_is_an_error_after_retries() -> None:
    with run_emulator("small") as gh:
        url = gh.embeddings_url  # nothing listens there once the block ends
    provider, sleeps = _provider(url, max_retries=2)
    with pytest.raises(EmbeddingError, match="after 3 attempts: ConnectionError"):
        provider.embed(["text"])
    assert len(sleeps) == 2


def test_provider_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PROVIDER", "BASE_URL", "MODEL", "API_KEY", "DIMENSION", "TOKEN_BUDGET"):
        monkeypatch.delenv(f"WAREHOUSE_EMBEDDING_{name}", raising=False)
    assert isinstance(provider_from_env(), HashingProvider)
    monkeypatch.setenv("WAREHOUSE_EMBEDDING_PROVIDER", "off")
    assert provider_from_env() is None
    monkeypatch.setenv("WAREHOUSE_EMBEDDING_PROVIDER", "openai")
    with pytest.raises(EmbeddingSettingsError, match="WAREHOUSE_EMBEDDING_BASE_URL"):
        provider_from_env()
    monkeypatch.setenv("WAREHOUSE_EMBEDDING_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("WAREHOUSE_EMBEDDING_MODEL", "m")
    monkeypatch.setenv("WAREHOUSE_EMBEDDING_TOKEN_BUDGET", "many")
    with pytest.raises(EmbeddingSettingsError, match="WAREHOUSE_EMBEDDING_TOKEN_BUDGET"):
        provider_from_env()
    monkeypatch.setenv("WAREHOUSE_EMBEDDING_TOKEN_BUDGET", "1000")
    provider = provider_from_env()
    assert isinstance(provider, OpenAIProvider) and provider.token_budget == 1000
