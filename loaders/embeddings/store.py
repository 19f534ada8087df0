"""The raw-side `embeddings` table: one vector per item and model, replaced per batch.

Key (item_type, item_id, model), not declared: DuckDB rejects a delete and re-insert of
one key inside a transaction, and a batch is exactly that. Vectors are native float
arrays (`float[]` on DuckDB, `real[]` on PostgreSQL; pgvector is not assumed), stored
with their LSH band keys (`lsh.py`) for `similar_items`' candidate pre-selection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from loaders.embeddings import lsh
from loaders.embeddings.text import content_hash_sql
from loaders.warehouse import Warehouse

TABLE = "embeddings"
#: item_type -> raw table; the ids are GitHub's database ids of that table.
ITEM_TABLES = {"issue": "issues", "pull_request": "pull_requests", "discussion": "discussions"}
_NEEDED_COLUMNS = {"id", "repository_id", "title", "body", "_dlt_load_id"}


@dataclass(frozen=True)
class PendingItem:
    item_type: str
    item_id: int
    content_hash: str


@dataclass(frozen=True)
class ItemText:
    item_type: str
    item_id: int
    repository_id: int | None
    content_hash: str
    title: str | None
    body: str | None


def ensure_table(wh: Warehouse) -> str:
    raw = wh.settings.raw_schema
    vector_type = "float[]" if wh.engine == "duckdb" else "real[]"
    wh.execute(f"create schema if not exists {raw}")
    wh.execute(
        f"create table if not exists {raw}.{TABLE} ("
        "item_type varchar not null, item_id bigint not null, repository_id bigint, "
        "model varchar not null, dimension integer not null, content_hash varchar not null, "
        f"vector {vector_type} not null, embedded_at timestamp with time zone not null, "
        "lsh_scheme varchar, band_keys integer[], lsh_signature bigint[])"
    )
    # Tables made before the band keys existed get the columns (refresh_band_keys fills them).
    added = (("lsh_scheme", "varchar"), ("band_keys", "integer[]"), ("lsh_signature", "bigint[]"))
    for column, kind in added:
        wh.execute(f"alter table {raw}.{TABLE} add column if not exists {column} {kind}")
    return f"{raw}.{TABLE}"


def _item_tables(wh: Warehouse) -> dict[str, str]:
    """The item tables that exist with the columns the recipe reads."""
    raw = wh.settings.raw_schema
    found: dict[str, str] = {}
    for item_type, table in ITEM_TABLES.items():
        columns = {
            r["column_name"]
            for r in wh.query(
                "select column_name from information_schema.columns "
                "where table_schema = %(s)s and table_name = %(t)s",
                {"s": raw, "t": table},
            )
        }
        if columns >= _NEEDED_COLUMNS:
            found[item_type] = f"{raw}.{table}"
    return found


def _latest(relation: str) -> str:
    # The newest raw version of an item, as staging reads it (macro is_latest_version).
    return (
        f"not exists (select 1 from {relation} as newer where newer.id = t.id "
        "and cast(newer._dlt_load_id as double precision) "
        "> cast(t._dlt_load_id as double precision))"
    )


def pending(wh: Warehouse, model: str) -> list[PendingItem]:
    """Items with no vector of `model` for their current text, in a stable order."""
    tables = _item_tables(wh)
    if not tables:
        return []
    store = f"{wh.settings.raw_schema}.{TABLE}"
    items = " union all ".join(
        f"select '{item_type}' as item_type, t.id as item_id, {content_hash_sql('t')} "
        f"as content_hash from {relation} as t where {_latest(relation)}"
        for item_type, relation in tables.items()
    )
    rows = wh.query(
        f"select item_type, item_id, content_hash from ({items}) as items where not exists ("
        f"select 1 from {store} as e where e.item_type = items.item_type "
        "and e.item_id = items.item_id and e.model = %(model)s "
        "and e.content_hash = items.content_hash) order by item_type, item_id",
        {"model": model},
    )
    return [PendingItem(r["item_type"], int(r["item_id"]), r["content_hash"]) for r in rows]


def texts(wh: Warehouse, batch: Sequence[PendingItem]) -> list[ItemText]:
    """Title and body of a batch's items (their latest version), in the batch's order."""
    tables = _item_tables(wh)
    found: dict[tuple[str, int], ItemText] = {}
    for item_type in sorted({p.item_type for p in batch}):
        ids = ", ".join(str(p.item_id) for p in batch if p.item_type == item_type)
        relation = tables[item_type]
        for r in wh.query(
            f"select t.id, t.repository_id, t.title, t.body, {content_hash_sql('t')} as h "
            f"from {relation} as t where t.id in ({ids}) and {_latest(relation)}"
        ):
            repository_id = None if r["repository_id"] is None else int(r["repository_id"])
            found[(item_type, int(r["id"]))] = ItemText(
                item_type, int(r["id"]), repository_id, r["h"], r["title"], r["body"]
            )
    return [found[key] for p in batch if (key := (p.item_type, p.item_id)) in found]


def replace(
    wh: Warehouse, model: str, items: Sequence[ItemText], vectors: Sequence[list[float]]
) -> None:
    """Store one batch in one transaction: committed whole or not at all."""
    store = f"{wh.settings.raw_schema}.{TABLE}"
    now = datetime.now(UTC)
    with wh.transaction():
        for item_type in sorted({i.item_type for i in items}):
            ids = ", ".join(str(i.item_id) for i in items if i.item_type == item_type)
            wh.execute(
                f"delete from {store} where model = %(model)s and item_type = %(type)s "
                f"and item_id in ({ids})",
                {"model": model, "type": item_type},
            )
        keys, signatures = lsh.sketches(model, vectors)
        _insert(
            wh,
            store,
            [
                (
                    i.item_type,
                    i.item_id,
                    i.repository_id,
                    model,
                    len(v),
                    i.content_hash,
                    v,
                    now,
                    lsh.SCHEME,
                    k,
                    g,
                )
                for i, v, k, g in zip(items, vectors, keys, signatures, strict=True)
            ],
        )


def refresh_band_keys(wh: Warehouse, model: str, batch_size: int = 2000) -> int:
    """Give `model`'s vectors stored under another LSH scheme (or none) keys of the
    current one, from the stored vectors: no provider call. Returns how many."""
    store = f"{wh.settings.raw_schema}.{TABLE}"
    stale = "model = %(model)s and (lsh_scheme is null or lsh_scheme <> %(scheme)s)"
    params = {"model": model, "scheme": lsh.SCHEME}
    done = 0
    while True:
        rows = wh.query(
            f"select {_COLUMNS} from {store} where {stale} order by item_type, item_id "
            f"limit {batch_size}",
            params,
        )
        if not rows:
            return done
        keys, signatures = lsh.sketches(model, [list(r["vector"]) for r in rows])
        with wh.transaction():
            for item_type in sorted({r["item_type"] for r in rows}):
                ids = ", ".join(str(r["item_id"]) for r in rows if r["item_type"] == item_type)
                wh.execute(
                    f"delete from {store} where model = %(model)s and item_type = %(type)s "
                    f"and item_id in ({ids})",
                    {"model": model, "type": item_type},
                )
            _insert(
                wh,
                store,
                [
                    (*(r[c] for c in _NAMES[:-3]), lsh.SCHEME, k, g)
                    for r, k, g in zip(rows, keys, signatures, strict=True)
                ],
            )
        done += len(rows)


_COLUMNS = (
    "item_type, item_id, repository_id, model, dimension, content_hash, vector, embedded_at, "
    "lsh_scheme, band_keys, lsh_signature"
)
_NAMES = _COLUMNS.split(", ")


def _insert(wh: Warehouse, store: str, rows: list[tuple]) -> None:
    """One statement per batch. DuckDB binds list parameters slowly (per element), so
    the batch goes in as an Arrow table; PostgreSQL gets one multi-row insert."""
    if wh.engine == "duckdb":
        import pyarrow as pa

        batch = pa.table(
            {name: [row[n] for row in rows] for n, name in enumerate(_NAMES)},
            schema=pa.schema(
                [
                    ("item_type", pa.string()),
                    ("item_id", pa.int64()),
                    ("repository_id", pa.int64()),
                    ("model", pa.string()),
                    ("dimension", pa.int32()),
                    ("content_hash", pa.string()),
                    ("vector", pa.list_(pa.float32())),
                    ("embedded_at", pa.timestamp("us", tz="UTC")),
                    ("lsh_scheme", pa.string()),
                    ("band_keys", pa.list_(pa.int32())),
                    ("lsh_signature", pa.list_(pa.int64())),
                ]
            ),
        )
        conn = wh.raw_connection
        conn.register("embedding_batch", batch)
        try:
            conn.execute(f"insert into {store} ({_COLUMNS}) select {_COLUMNS} from embedding_batch")
        finally:
            conn.unregister("embedding_batch")
        return
    from psycopg2.extras import execute_values

    with wh.raw_connection.cursor() as cursor:
        execute_values(
            cursor,
            f"insert into {store} ({_COLUMNS}) values %s",
            rows,
            template="(%s, %s, %s, %s, %s, %s, %s::real[], %s, %s, %s::integer[], %s::bigint[])",
            page_size=1000,
        )


def drop_other_models(wh: Warehouse, model: str) -> int:
    """Once every item has a `model` vector, vectors of earlier models go (one model only)."""
    store = f"{wh.settings.raw_schema}.{TABLE}"
    params = {"model": model}
    count = int(wh.scalar(f"select count(*) from {store} where model <> %(model)s", params) or 0)
    if count:
        wh.execute(f"delete from {store} where model <> %(model)s", params)
    return count
