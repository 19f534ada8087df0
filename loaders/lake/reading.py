"""Rows of the warehouse as Arrow tables, a batch at a time (DuckDB or PostgreSQL).

The lake export never holds a whole table in memory: DuckDB streams record batches from a
cursor of its own; PostgreSQL reads through a server-side (named) cursor, converted to Arrow
with types taken from the catalog.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pyarrow as pa

from loaders.warehouse import Warehouse, connect

#: Rows per Arrow batch (one Parquet row group per batch in the lake's files).
BATCH_ROWS = 50_000

# PostgreSQL catalog types -> Arrow; anything else is read as text (`cast(... as text)`).
_PG_ARROW: dict[str, pa.DataType] = {
    "bigint": pa.int64(),
    "integer": pa.int32(),
    "smallint": pa.int16(),
    "boolean": pa.bool_(),
    "double precision": pa.float64(),
    "real": pa.float32(),
    "text": pa.string(),
    "character varying": pa.string(),
    "date": pa.date32(),
    "timestamp with time zone": pa.timestamp("us", tz="UTC"),
    "timestamp without time zone": pa.timestamp("us"),
}


def columns(warehouse: Warehouse, schema: str, table: str) -> dict[str, str]:
    """Column name -> catalog data type, in table order."""
    rows = warehouse.query(
        "select column_name, data_type from information_schema.columns"
        " where table_schema = %(s)s and table_name = %(t)s order by ordinal_position",
        {"s": schema, "t": table},
    )
    return {r["column_name"]: r["data_type"].lower() for r in rows}


def arrow_batches(
    warehouse: Warehouse,
    schema: str,
    table: str,
    where: str = "",
    params: Mapping[str, Any] | None = None,
    batch_rows: int = BATCH_ROWS,
    keep_empty: bool = False,
) -> Iterator[pa.Table]:
    """`select * from schema.table [where ...]` as Arrow tables of at most `batch_rows`.

    `keep_empty`: an empty result still yields one empty table, so dlt writes a file with
    the columns (a table Spark can register)."""
    if warehouse.engine == "duckdb":
        batches = _duckdb_batches(warehouse, schema, table, where, params, batch_rows)
    else:
        batches = _postgres_batches(warehouse, schema, table, where, params, batch_rows)
    columns_only, any_rows = None, False
    for batch in batches:
        if batch.num_rows:
            any_rows = True
            yield batch
        elif columns_only is None:
            columns_only = batch
    if keep_empty and not any_rows and columns_only is not None:
        yield columns_only


def _duckdb_batches(
    warehouse: Warehouse,
    schema: str,
    table: str,
    where: str,
    params: Mapping[str, Any] | None,
    batch_rows: int,
) -> Iterator[pa.Table]:
    sql = f'select * from "{schema}"."{table}" {where}'
    # A cursor of its own: dlt interleaves resources, and a second query on the shared
    # connection would end this one's result.
    cursor = warehouse.raw_connection.cursor()
    try:
        translated = warehouse._translate(sql)  # %(name)s -> $name, as Warehouse.query does
        result = cursor.execute(translated, dict(params)) if params else cursor.execute(sql)
        reader = result.to_arrow_reader(batch_rows)
        yield reader.schema.empty_table()  # the columns, for an empty result
        for batch in reader:
            yield pa.Table.from_batches([batch])
    finally:
        cursor.close()


def _postgres_batches(
    warehouse: Warehouse,
    schema: str,
    table: str,
    where: str,
    params: Mapping[str, Any] | None,
    batch_rows: int,
) -> Iterator[pa.Table]:
    # A connection of its own: dlt interleaves resources, and the shared connection
    # commits after each query, which would close this named cursor.
    with connect(warehouse.settings) as reader:
        types = columns(reader, schema, table)
        fields = [pa.field(name, _PG_ARROW.get(typ, pa.string())) for name, typ in types.items()]
        select = ", ".join(
            f'"{name}"' if typ in _PG_ARROW else f'cast("{name}" as text) as "{name}"'
            for name, typ in types.items()
        )
        arrow_schema = pa.schema(fields)
        # A named cursor streams from the server instead of fetching every row at once.
        with reader.raw_connection.cursor(name=f"lake_{table}") as cursor:
            cursor.itersize = batch_rows
            cursor.execute(f'select {select} from "{schema}"."{table}" {where}', dict(params or {}))
            yield arrow_schema.empty_table()  # the columns, for an empty result
            while rows := cursor.fetchmany(batch_rows):
                yield pa.Table.from_pylist(
                    [dict(zip(types, row, strict=True)) for row in rows], schema=arrow_schema
                )
