"""The optional `hybrid` provider (hashing + WordLlama, `pip install '.[wordllama]'`):
loads offline, and ranks a paraphrase that shares no word above an unrelated text, which
the lexical provider alone cannot. Skipped where the extra is not installed."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from loaders.embeddings import HashingProvider

pytest.importorskip("wordllama")

from loaders.embeddings.hybrid import HybridProvider

TEXTS = [
    "Memory leak when processing large files",
    "RAM usage keeps growing on big uploads",
    "Typo in the installation docs",
]


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def test_hybrid_sees_paraphrases(tmp_path: Path) -> None:
    provider = HybridProvider(tmp_path)
    query, paraphrase, unrelated = provider.embed(TEXTS).vectors
    assert provider.dimension == len(query) == 512
    assert provider.model.startswith("hybrid-hashing-ngrams-v1-d256-w0.3+wordllama-")
    assert _cosine(query, paraphrase) > _cosine(query, unrelated) + 0.1
    lexical = HashingProvider(256).embed(TEXTS).vectors
    assert _cosine(lexical[0], lexical[1]) < 0.1  # no shared word: hashing sees ~nothing
    empty = provider.embed(["\u2063"]).vectors[0]
    assert all(math.isfinite(x) for x in empty)
