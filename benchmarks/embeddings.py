"""Embeddings at scale with the offline `hashing` provider: throughput, the no-change run,
and the `similar_items` build, on a fresh warehouse.

    .venv/bin/python -m benchmarks.embeddings [--items 100000]
    scripts/with_postgres.sh .venv/bin/python -m benchmarks.embeddings --engine postgres

Synthetic issues in 50 repositories (titles of 3-8 words, bodies of 20-120, drawn mostly
from one of 2,000 topics of a 6,000-word made-up vocabulary, so that items have real
neighbours; 1% are exact copies of another item) are written to github_raw.issues, a
quarter of them open. Prints the provider alone (texts/s), `embed_pending` end to end
(items/s: pending query, reads, embedding, LSH band keys, one committed batch at a time),
a second run with nothing changed (must embed 0 items), then the dbt build times of the
embedding models and of `similar_items` with its candidates and scores, for 10
workspaces of 5 repositories each (the models they read besides the embeddings are
stand-in tables, not built). Memory
stays bounded by the batch size (512 texts). PostgreSQL: WAREHOUSE_PG_* of a throwaway
database (the script refuses a warehouse that already has github_raw.issues).
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from pathlib import Path

import pyarrow as pa

from loaders.dbt_runner import run_dbt
from loaders.embeddings import HashingProvider, embed_pending
from loaders.embeddings.text import item_text
from loaders.warehouse import Warehouse, WarehouseSettings, connect

REPOSITORIES = 50
PER_WORKSPACE = 5
EMBEDDING_MODELS = ("stg_embeddings__vectors", "int_embedding_vectors", "int_embedding_bands")
SIMILAR_MODELS = ("int_similar_item_candidates", "int_similar_item_scores", "similar_items")


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    syllables = ["ka", "lo", "mi", "ten", "sor", "va", "ru", "pel", "dan", "qui", "zo", "ber"]
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _issues(count: int) -> pa.Table:
    rng = random.Random(1)
    vocabulary = _vocabulary(rng, 6000)
    topics = [rng.sample(vocabulary, 25) for _ in range(2000)]

    def text(topic: list[str], low: int, high: int) -> str:
        return " ".join(
            rng.choice(topic) if rng.random() < 0.7 else rng.choice(vocabulary)
            for _ in range(rng.randint(low, high))
        )

    titles: list[str] = []
    bodies: list[str] = []
    for n in range(count):
        if n > 100 and rng.random() < 0.01:  # an exact duplicate of an earlier item
            copied = rng.randrange(n)
            titles.append(titles[copied])
            bodies.append(bodies[copied])
            continue
        topic = rng.choice(topics)
        titles.append(text(topic, 3, 8))
        bodies.append(text(topic, 20, 120))
    return pa.table(
        {
            "id": list(range(1, count + 1)),
            "repository_id": [rng.randrange(REPOSITORIES) + 1 for _ in range(count)],
            "number": list(range(1, count + 1)),
            "title": titles,
            "body": bodies,
            "is_open": [rng.random() < 0.25 for _ in range(count)],
            "_dlt_load_id": ["1.0"] * count,
        }
    )


def _write(wh: Warehouse, name: str, table: pa.Table) -> None:
    """A table from Arrow: registered on DuckDB, one multi-row insert on PostgreSQL."""
    if wh.engine == "duckdb":
        wh.raw_connection.register("bench_rows", table)
        wh.execute(f"create table {name} as select * from bench_rows")
        wh.raw_connection.unregister("bench_rows")
        return
    from psycopg2.extras import execute_values

    types = {pa.int64(): "bigint", pa.string(): "text", pa.bool_(): "boolean"}
    columns = ", ".join(f"{f.name} {types[f.type]}" for f in table.schema)
    wh.execute(f"create table {name} ({columns})")
    rows = list(zip(*(table[c].to_pylist() for c in table.column_names), strict=True))
    with wh.raw_connection.cursor() as cursor:
        execute_values(cursor, f"insert into {name} values %s", rows, page_size=5000)
    wh.raw_connection.commit()


def _stand_ins(wh: Warehouse, issues: pa.Table) -> None:
    """What similar_items reads besides the embeddings, as the dbt models would give it."""
    staging, intermediate = wh.settings.staging_schema, wh.settings.intermediate_schema
    for schema in (staging, intermediate):
        wh.execute(f"create schema if not exists {schema}")
    open_ = issues["is_open"].to_pylist()
    _write(
        wh,
        f"{intermediate}.int_embedding_items",
        pa.table(
            {
                "item_type": ["issue"] * len(issues),
                "item_id": issues["id"],
                "repository_id": issues["repository_id"],
                "item_number": issues["number"],
                "title": issues["title"],
                "item_state": ["open" if o else "closed" for o in open_],
            }
        ),
    )
    repositories = list(range(1, REPOSITORIES + 1))
    slugs = [f"workspace-{(r - 1) // PER_WORKSPACE}" for r in repositories]
    _write(
        wh,
        f"{intermediate}.int_workspace_repository_windows",
        pa.table({"workspace_slug": slugs, "repository_id": pa.array(repositories, pa.int64())}),
    )
    _write(
        wh,
        f"{staging}.stg_control__workspaces",
        pa.table({"workspace_slug": sorted(set(slugs)), "is_active": [True] * len(set(slugs))}),
    )
    _write(
        wh,
        f"{staging}.stg_github__repositories",
        pa.table(
            {
                "repository_id": pa.array(repositories, pa.int64()),
                "full_name": [f"bench/repo-{r}" for r in repositories],
            }
        ),
    )


def _model_seconds(output: str) -> dict[str, float]:
    # "OK created sql table model analytics.x .... [OK in 1.2s]" ([SELECT 7064 in 1.2s] on
    # PostgreSQL).
    found = re.findall(r"OK created \w+ \w+ model \w+\.(\w+) \.*\s*\[[^\]]* in ([\d.]+)s\]", output)
    return {name: float(seconds) for name, seconds in found}


def _dbt(settings: WarehouseSettings, *args: str) -> dict[str, float]:
    result = run_dbt(list(args), settings, capture=True)
    if not result.ok:
        raise SystemExit(f"dbt {' '.join(args)} failed:\n{result.output[-4000:]}")
    return _model_seconds(result.output)


def run(settings: WarehouseSettings, count: int, similar: bool) -> None:
    provider = HashingProvider(256)
    issues = _issues(count)
    texts = [
        item_text(t, b, provider.max_chars)
        for t, b in zip(issues["title"].to_pylist(), issues["body"].to_pylist(), strict=True)
    ]
    started = time.perf_counter()
    provider.embed(texts[:5000])
    alone = min(count, 5000) / (time.perf_counter() - started)
    mean_chars = sum(map(len, texts)) // count
    print(f"hashing provider alone: {alone:,.0f} texts/s (mean {mean_chars} chars)")
    with connect(settings) as wh:
        if wh.table_exists("github_raw", "issues"):
            raise SystemExit(f"{settings.describe()} has github_raw.issues: use a fresh one")
        wh.execute("create schema if not exists github_raw")
        _write(wh, "github_raw.issues", issues.drop_columns(["number", "is_open"]))
        first = embed_pending(wh, provider)
        print(f"first run: {first} in {first.seconds:.1f}s")
        second = embed_pending(wh, provider)
        print(f"second run (no change): {second} in {second.seconds:.2f}s")
        if similar:
            _stand_ins(wh, issues)
    if not similar:
        return
    built = _dbt(settings, "run", "--select", *EMBEDDING_MODELS)
    print("dbt (s): " + ", ".join(f"{m} {built.get(m, 0):.1f}" for m in EMBEDDING_MODELS))
    started = time.perf_counter()
    mart = _dbt(settings, "run", "--select", *SIMILAR_MODELS)
    wall = time.perf_counter() - started
    with connect(settings) as wh:
        rows = wh.scalar("select count(*) from analytics.similar_items")
        issues_with = wh.scalar("select count(distinct issue_id) from analytics.similar_items")
        candidates = wh.scalar(
            f"select count(*) from {settings.intermediate_schema}.int_similar_item_candidates"
        )
    steps = ", ".join(f"{m} {mart.get(m, 0):.1f}" for m in SIMILAR_MODELS)
    print(
        f"similar_items on {settings.target}: {sum(mart.values()):.1f}s ({steps}; "
        f"dbt run {wall:.1f}s wall), {candidates} candidate pairs, {rows} rows for "
        f"{issues_with} open issues of {sum(issues['is_open'].to_pylist())}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--engine", choices=["duckdb", "postgres"], default="duckdb")
    parser.add_argument("--no-similar", action="store_true", help="skip the dbt part")
    args = parser.parse_args()
    if args.engine == "postgres":
        run(WarehouseSettings.from_env("postgres"), args.items, not args.no_similar)
        return
    with tempfile.TemporaryDirectory() as tmp:
        settings = WarehouseSettings(target="duckdb", duckdb_path=Path(tmp) / "w.duckdb")
        run(settings, args.items, not args.no_similar)


if __name__ == "__main__":
    main()
