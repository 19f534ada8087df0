"""What every embedding provider offers the runner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class EmbeddingBatch:
    vectors: list[list[float]]
    #: Tokens the provider reported (0 when it counts none, like the offline provider).
    tokens: int


class EmbeddingProvider(Protocol):
    #: Stored with every vector; vectors of two models are never compared.
    model: str
    #: Expected vector length; None until the first answer tells it (openai without a
    #: configured dimension).
    dimension: int | None
    #: Characters of text one item may send (item_text truncates to it).
    max_chars: int
    #: Texts per request / per committed batch.
    batch_size: int

    def embed(self, texts: list[str]) -> EmbeddingBatch: ...


class EmbeddingError(RuntimeError):
    """The provider failed for good (after retries); the message holds no secret."""


class BudgetExhausted(EmbeddingError):
    """The per-run token budget is spent; the next run continues."""
