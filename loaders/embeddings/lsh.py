"""Band keys for candidate pre-selection: random-hyperplane LSH (SimHash) per vector.

`similar_items` cannot compare every open issue with every item at scale, so each vector
gets BANDS keys when it is stored. A key is the sign pattern of the vector against BITS
random hyperplanes (one bit per hyperplane), so two vectors at angle θ agree on one bit
with probability 1 - θ/π and share a band's key with probability (1 - θ/π)^BITS. dbt
compares exactly (cosine) only pairs sharing at least one key: similar pairs almost
always do, unrelated ones rarely (docs/embeddings.md measures the recall).

The hyperplanes are drawn from a seed derived from the model name, so every vector of
one model is cut by the same planes in every process; the band index is folded into
the key (band * 2^BITS + bits) so one integer column joins candidates. SCHEME names the
parameters: vectors whose keys were made under another scheme get new keys
(`store.refresh_band_keys`), never compared across schemes.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

BANDS = 32
BITS = 10
SCHEME = f"rh-b{BANDS}r{BITS}-v1"


@lru_cache(maxsize=8)
def _planes(model: str, dimension: int) -> np.ndarray:
    seed = zlib.crc32(f"{SCHEME}:{model}:{dimension}".encode())
    rng = np.random.default_rng(seed)
    return rng.standard_normal((dimension, BANDS * BITS)).astype(np.float32)


_WEIGHTS = (1 << np.arange(BITS, dtype=np.int64)).astype(np.int64)
_OFFSETS = (np.arange(BANDS, dtype=np.int64) << BITS).astype(np.int64)


def band_keys(model: str, vectors: Sequence[Sequence[float]]) -> list[list[int]]:
    """BANDS integer keys per vector (all vectors of one model have one dimension)."""
    if not vectors:
        return []
    matrix = np.asarray(vectors, dtype=np.float32)
    signs = (matrix @ _planes(model, matrix.shape[1])) > 0
    bits = signs.reshape(len(vectors), BANDS, BITS).astype(np.int64)
    keys = bits @ _WEIGHTS + _OFFSETS
    return keys.tolist()
