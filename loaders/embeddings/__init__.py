"""Embeddings of issues, pull requests and discussions (docs/embeddings.md).

    provider = provider_from_env()          # hashing (offline default) or openai
    report = embed_pending(warehouse, provider)

| module | job |
|---|---|
| `text.py` | the text recipe and the content hash |
| `provider.py` | the provider protocol and its errors |
| `hashing.py` | the built-in offline provider (hashed lexical features) |
| `openai_client.py` | any OpenAI-compatible `/embeddings` endpoint |
| `settings.py` | the provider from WAREHOUSE_EMBEDDING_* variables |
| `store.py` | the raw `embeddings` table: pending items, batch writes |
| `runner.py` | embed what is pending, one committed batch at a time |
| `retention.py` | the purge rule: a vector goes with its item |
| `step.py` | the `embed` step of `warehouse run` |
"""

from loaders.embeddings.hashing import HashingProvider
from loaders.embeddings.openai_client import OpenAIProvider
from loaders.embeddings.provider import (
    BudgetExhausted,
    EmbeddingBatch,
    EmbeddingError,
    EmbeddingProvider,
)
from loaders.embeddings.runner import EmbedReport, embed_pending
from loaders.embeddings.settings import EmbeddingSettingsError, provider_from_env

__all__ = [
    "BudgetExhausted",
    "EmbedReport",
    "EmbeddingBatch",
    "EmbeddingError",
    "EmbeddingProvider",
    "EmbeddingSettingsError",
    "HashingProvider",
    "OpenAIProvider",
    "embed_pending",
    "provider_from_env",
]
