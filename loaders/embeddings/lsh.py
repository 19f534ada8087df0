"""Band keys for candidate pre-selection: random-hyperplane LSH (SimHash) per vector.

`similar_items` cannot compare every open issue with every item at scale, so each vector
gets BANDS keys when it is stored. A key is the sign pattern of the vector against BITS
random hyperplanes (one bit per hyperplane), so two vectors at angle θ agree on one bit
with probability 1 - θ/π and share a band's key with probability (1 - θ/π)^BITS. dbt
compares exactly (cosine) only pairs sharing at least one key: similar pairs almost
always do, unrelated ones rarely (docs/embeddings.md measures the recall).

The hyperplanes are drawn from a seed derived from the model name, so every vector of
one model is cut by the same planes in every process; the band index is folded into
the key (band * 2^BITS + bits) so one integer column joins candidates. The same
BANDS * BITS sign bits, packed into 64-bit words, are the vector's signature: the share of
bits two signatures differ in estimates their angle (θ/π) far more finely than shared band
keys, and cheaply (an xor and a bit count per word), so similar_items ranks candidates by
it and computes the exact cosine only for the closest few. SCHEME names the parameters:
vectors whose keys were made under another scheme get new ones
(`store.refresh_band_keys`), never compared across schemes.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

BANDS = 32
BITS = 10
#: 64-bit words per signature; macros/embedding_cosine.sql's embedding_signature_distance
#: reads exactly this many; int_similar_item_candidates assumes BANDS * BITS = 320.
SIGNATURE_WORDS = 5
SCHEME = f"rh-b{BANDS}r{BITS}-v2"
assert BANDS * BITS == SIGNATURE_WORDS * 64


@lru_cache(maxsize=8)
def _planes(model: str, dimension: int) -> np.ndarray:
    seed = zlib.crc32(f"{SCHEME}:{model}:{dimension}".encode())
    rng = np.random.default_rng(seed)
    return rng.standard_normal((dimension, BANDS * BITS)).astype(np.float32)


_WEIGHTS = (1 << np.arange(BITS, dtype=np.int64)).astype(np.int64)
_OFFSETS = (np.arange(BANDS, dtype=np.int64) << BITS).astype(np.int64)


def sketches(
    model: str, vectors: Sequence[Sequence[float]]
) -> tuple[list[list[int]], list[list[int]]]:
    """Per vector: BANDS integer band keys and SIGNATURE_WORDS signed 64-bit signature
    words (all vectors of one model have one dimension)."""
    if not vectors:
        return [], []
    matrix = np.asarray(vectors, dtype=np.float32)
    signs = (matrix @ _planes(model, matrix.shape[1])) > 0
    bits = signs.reshape(len(vectors), BANDS, BITS).astype(np.int64)
    keys = bits @ _WEIGHTS + _OFFSETS
    packed = np.packbits(signs, axis=1)  # big-endian bytes, 8 per word
    words = packed.reshape(len(vectors), SIGNATURE_WORDS, 8).view(">i8")
    return keys.tolist(), words.reshape(len(vectors), SIGNATURE_WORDS).astype(np.int64).tolist()
