"""LSH band keys and signatures (loaders/embeddings/lsh.py): deterministic per model,
closer vectors share more, and a table written before band keys existed gets them from
its stored vectors without a provider call, on both engines."""

from __future__ import annotations

import math
import random

from loaders.embeddings import HashingProvider, embed_pending, lsh
from loaders.embeddings.provider import EmbeddingBatch
from loaders.embeddings.text import item_text
from loaders.warehouse import Warehouse


def _distance(left: list[int], right: list[int]) -> int:
    return sum(bin((a ^ b) & (2**64 - 1)).count("1") for a, b in zip(left, right, strict=True))


def _rotated(vector: list[float], rng: random.Random, noise: float) -> list[float]:
    moved = [v + rng.gauss(0, noise) for v in vector]
    norm = math.sqrt(sum(v * v for v in moved))
    return [v / norm for v in moved]


def test_keys_are_deterministic_and_track_the_angle() -> None:
    rng = random.Random(3)
    base = _rotated([0.0] * 64, rng, 1.0)
    near, far = _rotated(base, rng, 0.02), _rotated([0.0] * 64, rng, 1.0)
    keys, signatures = lsh.sketches("m1", [base, near, far, base])
    again, _ = lsh.sketches("m1", [base])
    other_model, _ = lsh.sketches("m2", [base])
    assert keys[0] == keys[3] == again[0] != other_model[0]
    assert len(keys[0]) == lsh.BANDS and len(signatures[0]) == lsh.SIGNATURE_WORDS
    # Band b's keys lie in [b * 2^bits, (b + 1) * 2^bits): one column joins by band.
    assert all(b << lsh.BITS <= k < (b + 1) << lsh.BITS for b, k in enumerate(keys[0]))
    assert all(-(2**63) <= w < 2**63 for w in signatures[0])  # fits a bigint
    shared = [sum(a == b for a, b in zip(keys[0], k, strict=True)) for k in keys[1:3]]
    assert shared[0] > shared[1]
    bits = lsh.BANDS * lsh.BITS
    assert _distance(signatures[0], signatures[1]) < 0.1 * bits
    assert 0.3 * bits < _distance(signatures[0], signatures[2]) < 0.7 * bits
    assert lsh.sketches("m1", []) == ([], [])


class _Counting(HashingProvider):
    calls = 0

    def embed(self, texts: list[str]) -> EmbeddingBatch:
        self.calls += 1
        return super().embed(texts)


def test_vectors_stored_without_band_keys_get_them_without_a_provider_call(
    warehouse: Warehouse,
) -> None:
    provider = _Counting(64)
    warehouse.execute("create schema github_raw")
    warehouse.execute(
        "create table github_raw.issues (id bigint, repository_id bigint, title text, "
        "body text, _dlt_load_id text)"
    )
    for n in range(3):
        warehouse.execute(
            "insert into github_raw.issues values (%(id)s, 1, %(t)s, 'body', '1.0')",
            {"id": n + 1, "t": f"issue {n}"},
        )
    first = embed_pending(warehouse, provider)
    assert (first.embedded, first.band_keys_refreshed, provider.calls) == (3, 0, 1)
    # As a warehouse embedded before band keys existed (or under an older scheme) has it.
    warehouse.execute("update github_raw.embeddings set lsh_scheme = null, band_keys = null")
    second = embed_pending(warehouse, provider)
    assert (second.embedded, second.band_keys_refreshed, provider.calls) == (0, 3, 1)
    rows = warehouse.query(
        "select lsh_scheme, band_keys, lsh_signature from github_raw.embeddings order by item_id"
    )
    assert {r["lsh_scheme"] for r in rows} == {lsh.SCHEME}
    vectors = provider.embed([item_text("issue 0", "body", provider.max_chars)]).vectors
    keys, signatures = lsh.sketches(provider.model, vectors)
    assert list(rows[0]["band_keys"]) == keys[0]
    assert list(rows[0]["lsh_signature"]) == signatures[0]
    assert embed_pending(warehouse, provider).band_keys_refreshed == 0
