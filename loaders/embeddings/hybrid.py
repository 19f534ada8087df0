"""The optional `hybrid` provider: lexical hashing plus WordLlama's static word vectors.

WordLlama (`pip install '.[wordllama]'`, MIT) ships a 256-dimension static token-embedding
model inside its wheel, so it runs offline; it knows that "launch" and "start up" are
related, which hashing cannot. Each item gets both vectors, each L2-normalised, joined as
sqrt(w) * hashing ⊕ sqrt(1 - w) * wordllama: the cosine of two joined vectors is then
w * lexical + (1 - w) * semantic. The weight 0.3 is what ranked paraphrased issue pairs
best in our measurement (docs/embeddings.md). The WordLlama part is dense, so
similar_items compares ~2x more components than with `hashing` alone.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

from loaders.embeddings.hashing import HashingProvider
from loaders.embeddings.provider import EmbeddingBatch, EmbeddingError

LEXICAL_WEIGHT = 0.3


def _load_wordllama(cache_dir: Path) -> Any:
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError:
        raise EmbeddingError(
            "WAREHOUSE_EMBEDDING_PROVIDER=hybrid needs WordLlama: "
            "pip install '.[wordllama]' (or choose hashing)"
        ) from None
    # WordLlama looks for its bundled tokenizer config under <cache>/tokenizers/ and would
    # otherwise try to download it: copy it there once, and forbid downloads.
    bundled = Path(wordllama.__file__).parent / "tokenizers"
    target = cache_dir / "tokenizers"
    target.mkdir(parents=True, exist_ok=True)
    for config in bundled.glob("*.json"):
        if not (target / config.name).exists():
            shutil.copy(config, target / config.name)
    return WordLlama.load(cache_dir=cache_dir, disable_download=True), wordllama.__version__


class HybridProvider:
    max_chars = 8000
    batch_size = 512

    def __init__(self, cache_dir: Path, lexical_weight: float = LEXICAL_WEIGHT) -> None:
        self._lexical = HashingProvider(256)
        self._model, version = _load_wordllama(cache_dir)
        self._weights = (math.sqrt(lexical_weight), math.sqrt(1.0 - lexical_weight))
        self.dimension = 512
        self.model = f"hybrid-{self._lexical.model}-w{lexical_weight}+wordllama-{version}-d256"

    def embed(self, texts: list[str]) -> EmbeddingBatch:
        lexical = self._lexical.embed(texts).vectors
        semantic = self._model.embed(texts, batch_size=self.batch_size)
        a, b = self._weights
        vectors = [
            [round(a * x, 6) for x in lex] + _scaled([float(y) for y in sem], b)
            for lex, sem in zip(lexical, semantic, strict=True)
        ]
        return EmbeddingBatch(vectors, tokens=0)


def _scaled(vector: list[float], weight: float) -> list[float]:
    """L2-normalised times `weight`; zeros for a text with no known token (no NaN)."""
    norm = math.sqrt(sum(x * x for x in vector))
    if norm == 0.0 or not math.isfinite(norm):
        return [0.0] * len(vector)
    return [round(weight * x / norm, 6) for x in vector]
