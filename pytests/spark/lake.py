"""Raw data onto the `spark` dbt target, and marts back for comparison (docs/spark.md).

The path tested here: the DuckDB warehouse's loader-written schemas (raw and control) go to
a Parquet lake through dlt's filesystem destination (`warehouse lake export`, raw tables
append-only), and each lake table folder is registered as a Spark table over its files;
`dbt build --target spark` then runs in .spark-venv. Spark writes its marts as Parquet
under WAREHOUSE_SPARK_DIR, which DuckDB reads back without a Spark session.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from loaders import PROJECT_DIR
from loaders.dbt_runner import profiles_dir
from loaders.lake import export_lake, lake_tables
from loaders.warehouse import WarehouseSettings, connect

SPARK_VENV = PROJECT_DIR / ".spark-venv"
SPARK_DBT = SPARK_VENV / "bin" / "dbt"
# The loaders write these; dbt only reads them (dbt_project.yml vars).
LOADER_SCHEMAS = ("control", "github_raw")


@dataclass(frozen=True)
class ParquetTable:
    schema: str
    name: str  # the name the models read (the lake's `warehouse_dlt_loads` is `_dlt_loads`)
    path: str
    rows: int  # every row of the folder's files: all exported versions


def export_parquet(
    duckdb_path: Path, out_dir: Path, schemas: tuple[str, ...] = LOADER_SCHEMAS
) -> list[ParquetTable]:
    """The warehouse's loader-written schemas as a dlt Parquet lake at `out_dir`
    (`warehouse lake export`): every table of `schemas` with its folder of load files.

    Called again on the same `out_dir` after new loads, it appends only those loads (dlt's
    pipeline state, kept beside the lake in `out_dir`.dlt, holds the cursor); Spark sees
    them after `refresh table`, or after `register_tables` again."""
    settings = WarehouseSettings(target="duckdb", duckdb_path=duckdb_path)
    with connect(settings) as warehouse:
        export_lake(warehouse, str(out_dir), working_dir=out_dir.with_name(out_dir.name + ".dlt"))
    tables = []
    with duckdb.connect() as con:
        for table in lake_tables(out_dir, schemas):
            (rows,) = con.execute(
                f"select count(*) from read_parquet('{table.path}/*.parquet')"
            ).fetchone()
            tables.append(ParquetTable(table.schema, table.name, str(table.path), int(rows)))
    return tables


def spark_env(spark_dir: Path) -> dict[str, str]:
    """Environment for the spark venv's dbt: its files under `spark_dir`, loopback only."""
    return {
        **os.environ,
        "WAREHOUSE_TARGET": "spark",
        "WAREHOUSE_SPARK_DIR": str(spark_dir),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        # Each dbt invocation writes its logs and target/ under spark_dir, not the checkout.
        "DBT_LOG_PATH": str(spark_dir / "logs"),
        "DBT_TARGET_PATH": str(spark_dir / "target"),
    }


@dataclass(frozen=True)
class SparkDbtResult:
    args: tuple[str, ...]
    returncode: int
    output: str
    seconds: float

    def summary(self, limit: int = 8000) -> str:
        """dbt's own lines from the first failure on, without the JVM's log noise."""
        lines = [
            line for line in self.output.splitlines()
            if not line.startswith("{") and " WARN " not in line and "\tat " not in line
        ]  # fmt: skip
        marks = [i for i, line in enumerate(lines) if "ERROR" in line or "FAIL" in line]
        text = "\n".join(lines[marks[0] :] if marks else lines)
        return f"dbt {' '.join(self.args)} exited {self.returncode}:\n{text[-limit:]}"


def run_spark_dbt(spark_dir: Path, *args: str, timeout: float = 1800) -> SparkDbtResult:
    """`dbt ARGS --target spark` in .spark-venv (a JVM per call: ~10 s of start-up)."""
    if not SPARK_DBT.exists():
        raise FileNotFoundError(f"{SPARK_DBT} is missing: run `make spark-venv` first")
    command = [
        str(SPARK_DBT), *args, "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(profiles_dir()), "--target", "spark",
    ]  # fmt: skip
    start = time.monotonic()
    done = subprocess.run(
        command, cwd=spark_dir, env=spark_env(spark_dir), capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip
    return SparkDbtResult(
        tuple(args), done.returncode, done.stdout + done.stderr, time.monotonic() - start
    )


def register_tables(spark_dir: Path, tables: list[ParquetTable]) -> SparkDbtResult:
    """Create the Spark tables over the exported Parquet directories."""
    spark_dir.mkdir(parents=True, exist_ok=True)
    listing = [{"schema": t.schema, "name": t.name, "path": t.path} for t in tables]
    return run_spark_dbt(
        spark_dir, "run-operation", "register_parquet_tables", "--args",
        json.dumps({"tables": listing}),
    )  # fmt: skip


def export_marts(spark_dir: Path, names: list[str], out_dir: Path) -> SparkDbtResult:
    """Spark writes each mart (table or view) as Parquet under `out_dir`/<name>."""
    return run_spark_dbt(
        spark_dir, "run-operation", "export_relations_to_parquet", "--args",
        json.dumps({"relations": names, "directory": str(out_dir)}),
    )  # fmt: skip


def parquet_rows(directory: Path) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of the Parquet files under `directory`, read by DuckDB."""
    if not directory.is_dir():
        raise FileNotFoundError(f"no Parquet files at {directory}")
    with duckdb.connect() as con:
        con.execute("set time zone 'UTC'")
        cursor = con.execute(f"select * from read_parquet('{directory}/*.parquet')")
        return [d[0] for d in cursor.description], cursor.fetchall()
