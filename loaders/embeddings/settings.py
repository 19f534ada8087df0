"""Which provider embeds, from the environment (docs/embeddings.md lists the variables)."""

from __future__ import annotations

import os
from pathlib import Path

from loaders.embeddings.hashing import HashingProvider
from loaders.embeddings.openai_client import OpenAIProvider
from loaders.embeddings.provider import EmbeddingError, EmbeddingProvider

PROVIDERS = ("hashing", "hybrid", "openai", "off")


class EmbeddingSettingsError(ValueError):
    """An embedding variable is missing or wrong; names the variable to set."""


def _int(name: str, default: int | None) -> int | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise EmbeddingSettingsError(f"{name}={value!r} is not a whole number") from None
    if number <= 0:
        raise EmbeddingSettingsError(f"{name} must be positive, got {number}")
    return number


def provider_from_env() -> EmbeddingProvider | None:
    """The configured provider; None when WAREHOUSE_EMBEDDING_PROVIDER=off."""
    name = os.environ.get("WAREHOUSE_EMBEDDING_PROVIDER", "hashing").strip().lower()
    if name not in PROVIDERS:
        raise EmbeddingSettingsError(
            f"WAREHOUSE_EMBEDDING_PROVIDER={name!r}: use one of {', '.join(PROVIDERS)}"
        )
    if name == "off":
        return None
    dimension = _int("WAREHOUSE_EMBEDDING_DIMENSION", None)
    if name == "hashing":
        return HashingProvider(dimension or 256)
    if name == "hybrid":
        from loaders.embeddings.hybrid import HybridProvider

        default_cache = Path.home() / ".cache" / "workspace_warehouse" / "wordllama"
        cache = os.environ.get("WAREHOUSE_EMBEDDING_CACHE_DIR", "").strip()
        try:
            return HybridProvider(Path(cache) if cache else default_cache)
        except EmbeddingError as exc:
            raise EmbeddingSettingsError(str(exc)) from None
    base_url = os.environ.get("WAREHOUSE_EMBEDDING_BASE_URL", "").strip()
    model = os.environ.get("WAREHOUSE_EMBEDDING_MODEL", "").strip()
    if not base_url or not model:
        raise EmbeddingSettingsError(
            "WAREHOUSE_EMBEDDING_PROVIDER=openai needs WAREHOUSE_EMBEDDING_BASE_URL "
            "(e.g. https://api.openai.com/v1) and WAREHOUSE_EMBEDDING_MODEL"
        )
    key = os.environ.get("WAREHOUSE_EMBEDDING_API_KEY") or os.environ.get("OPENAI_API_KEY")
    return OpenAIProvider(
        base_url,
        model,
        key,
        dimension=dimension,
        batch_size=_int("WAREHOUSE_EMBEDDING_BATCH_SIZE", 64) or 64,
        max_chars=_int("WAREHOUSE_EMBEDDING_MAX_CHARS", 6000) or 6000,
        token_budget=_int("WAREHOUSE_EMBEDDING_TOKEN_BUDGET", None),
        max_retries=_int("WAREHOUSE_EMBEDDING_MAX_RETRIES", 5) or 5,
    )
