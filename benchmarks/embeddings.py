"""Embedding throughput with the offline `hashing` provider, on a fresh DuckDB warehouse.

    .venv/bin/python -m benchmarks.embeddings [--items 100000]

Synthetic issues (3-10 word titles, 20-150 word bodies) are written to github_raw.issues;
prints the provider alone (texts/s), `embed_pending` end to end (items/s: pending query,
reads, embedding, one committed batch at a time) and a second run with nothing changed
(must embed 0 items). Memory stays bounded by the batch size (512 texts).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import pyarrow as pa

from loaders.embeddings import HashingProvider, embed_pending
from loaders.embeddings.text import item_text
from loaders.emulator.world.genbase import WORDS
from loaders.warehouse import WarehouseSettings, connect


def _issues(count: int) -> pa.Table:
    rng = random.Random(1)
    return pa.table(
        {
            "id": list(range(1, count + 1)),
            "repository_id": [i % 50 for i in range(count)],
            "title": [
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 10))) for _ in range(count)
            ],
            "body": [
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 150)))
                for _ in range(count)
            ],
            "_dlt_load_id": ["1.0"] * count,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    count = parser.parse_args().items
    provider = HashingProvider(256)
    issues = _issues(count)
    texts = [
        item_text(t, b, provider.max_chars)
        for t, b in zip(issues["title"].to_pylist(), issues["body"].to_pylist(), strict=True)
    ]
    started = time.perf_counter()
    provider.embed(texts[:5000])
    alone = min(count, 5000) / (time.perf_counter() - started)
    print(
        f"hashing provider alone: {alone:,.0f} texts/s (mean {sum(map(len, texts)) // count} chars)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        settings = WarehouseSettings(target="duckdb", duckdb_path=Path(tmp) / "w.duckdb")
        with connect(settings) as wh:
            wh.execute("create schema github_raw")
            wh.raw_connection.register("bench_issues", issues)
            wh.execute("create table github_raw.issues as select * from bench_issues")
            first = embed_pending(wh, provider)
            print(f"first run: {first} in {first.seconds:.1f}s")
            second = embed_pending(wh, provider)
            print(f"second run (no change): {second} in {second.seconds:.2f}s")


if __name__ == "__main__":
    main()
