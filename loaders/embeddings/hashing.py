"""The built-in offline provider: hashed lexical features, no download, no service.

Each text becomes a bag of features (lower-cased words minus a few stop words, adjacent
word pairs, and character trigrams of each word), counted with a sublinear weight
(1 + log count), hashed into `dimension` buckets with a sign (crc32: stable across
processes, unlike `hash()`), and L2-normalised. Two texts score high when they share words,
word pairs and word pieces ("crash", "crashes", "crashed" share trigrams). It captures
lexical overlap only: no synonyms, no paraphrase, no language knowledge, and no IDF (there
is no corpus), so frequent words count as much as rare ones beyond the stop list.
"""

from __future__ import annotations

import itertools
import math
import re
import zlib
from collections import Counter

from loaders.embeddings.provider import EmbeddingBatch

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A few English function words that would otherwise dominate short texts.
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "i",
        "we",
        "you",
        "our",
        "not",
        "no",
        "but",
        "if",
        "when",
    ]
)
VERSION = "v1"


class HashingProvider:
    """Feature-hashing embeddings; the model name carries the version and the dimension."""

    max_chars = 8000
    batch_size = 512

    def __init__(self, dimension: int = 256) -> None:
        if dimension < 16:
            raise ValueError("the hashing provider needs a dimension of at least 16")
        self.dimension = dimension
        self.model = f"hashing-ngrams-{VERSION}-d{dimension}"

    def embed(self, texts: list[str]) -> EmbeddingBatch:
        return EmbeddingBatch([self._vector(t) for t in texts], tokens=0)

    def _features(self, text: str) -> Counter[str]:
        words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
        features: Counter[str] = Counter(words)
        features.update(f"{a} {b}" for a, b in itertools.pairwise(words))
        for word in words:
            padded = f"<{word}>"
            features.update(f"#{padded[i : i + 3]}" for i in range(len(padded) - 2))
        return features

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for feature, count in self._features(text).items():
            h = zlib.crc32(feature.encode("utf-8"))
            sign = 1.0 if h & 0x80000000 else -1.0
            vector[h % self.dimension] += sign * (1.0 + math.log(count))
        norm = math.sqrt(sum(v * v for v in vector))
        if norm == 0.0:
            return vector
        return [round(v / norm, 6) for v in vector]
