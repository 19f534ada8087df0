"""One small connection type over DuckDB and PostgreSQL.

SQL is written once with named parameters in psycopg style (`%(name)s`); for DuckDB they
are rewritten to `$name`. Transactions are explicit so a failed apply changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from loaders.warehouse.busy import busy_from_duckdb_error
from loaders.warehouse.settings import WarehouseSettings

_NAMED_PARAM = re.compile(r"%\((\w+)\)s")


class Warehouse:
    """A live connection plus the engine it talks to."""

    def __init__(self, settings: WarehouseSettings, raw_connection: Any) -> None:
        self.settings = settings
        self.engine = settings.target
        self._conn = raw_connection
        self._in_transaction = False

    @property
    def raw_connection(self) -> Any:
        """The driver connection (duckdb or psycopg2), e.g. to hand to dlt."""
        return self._conn

    def _translate(self, sql: str) -> str:
        if self.engine == "duckdb":
            return _NAMED_PARAM.sub(r"$\1", sql)
        return sql

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self._run(sql, params)
        if not self._in_transaction and self.engine == "postgres":
            self._conn.commit()

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        cursor = self._run(sql, params)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        if not self._in_transaction and self.engine == "postgres":
            self._conn.commit()
        return rows

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        rows = self.query(sql, params)
        return next(iter(rows[0].values())) if rows else None

    def executemany(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        for row in rows:
            self._run(sql, row)
        if not self._in_transaction and self.engine == "postgres":
            self._conn.commit()

    def _run(self, sql: str, params: Mapping[str, Any] | None) -> Any:
        if self.engine == "duckdb":
            if params:
                return self._conn.execute(self._translate(sql), dict(params))
            return self._conn.execute(sql)
        cursor = self._conn.cursor()
        # Without parameters psycopg2 must not see `%` as a placeholder (e.g. in LIKE '%_/_%').
        if params:
            cursor.execute(sql, dict(params))
        else:
            cursor.execute(sql)
        return cursor

    @contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        """All statements inside commit together or not at all."""
        if self._in_transaction:
            yield self
            return
        if self.engine == "duckdb":
            self._conn.execute("begin transaction")
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self._in_transaction = False
            self._conn.rollback()
            raise
        self._in_transaction = False
        self._conn.commit()

    def table_exists(self, schema: str, table: str) -> bool:
        return bool(
            self.scalar(
                "select count(*) from information_schema.tables "
                "where table_schema = %(schema)s and table_name = %(table)s",
                {"schema": schema, "table": table},
            )
        )

    def base_tables(self, schema: str) -> list[str]:
        """The tables (not views) of `schema`, by name."""
        rows = self.query(
            "select table_name from information_schema.tables where table_schema = %(s)s"
            " and table_type = 'BASE TABLE' order by table_name",
            {"s": schema},
        )
        return [r["table_name"] for r in rows]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(settings: WarehouseSettings | None = None) -> Warehouse:
    """Open the configured warehouse (the DuckDB file is created on first use).

    Raises `WarehouseBusy` (naming the holder) when another process holds the DuckDB file.
    """
    settings = settings or WarehouseSettings.from_env()
    if settings.target == "duckdb":
        import duckdb

        settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = duckdb.connect(str(settings.duckdb_path))
        except duckdb.IOException as exc:
            busy = busy_from_duckdb_error(exc, settings.describe())
            if busy is None:
                raise
            raise busy from None
        return Warehouse(settings, conn)
    import psycopg2

    conn = psycopg2.connect(
        host=settings.pg_host,
        port=settings.pg_port,
        user=settings.pg_user,
        password=settings.pg_password.get_secret_value() or None,
        dbname=settings.pg_database,
    )
    return Warehouse(settings, conn)
