"""`warehouse lake export`: the raw and control schemas to a Parquet lake (docs/spark.md)."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console

from loaders.lake.export import BATCH_ROWS, LakeExportError, bucket_url, export_lake
from loaders.lake.layout import lake_tables
from loaders.run import exit_codes
from loaders.run.lock import run_lock
from loaders.warehouse import WarehouseSettings, connect

console = Console()


@click.group("lake")
def lake() -> None:
    """The warehouse's raw and control schemas as Parquet files for Spark (dlt filesystem)."""


@lake.command("export")
@click.option(
    "--to",
    "target",
    required=True,
    help="Lake root: a directory or file:// URL (s3://, gs://, az:// with dlt's fsspec extras).",
)
@click.option(
    "--batch-rows",
    type=click.IntRange(min=1),
    default=BATCH_ROWS,
    show_default=True,
    help="Rows read from the warehouse per Arrow batch (bounds memory).",
)
def export(target: str, batch_rows: int) -> None:
    """Append the raw rows of the loads committed since the last export (dlt state keeps
    the cursor), replace the control tables, and replace any raw table the warehouse
    deleted rows from (purge). Takes the run lock: never runs beside a `warehouse run`."""
    try:
        settings = WarehouseSettings.from_env()
        bucket_url(target)
    except (ValueError, LakeExportError) as error:
        console.print(f"[red]{error}[/red]")
        sys.exit(exit_codes.BAD_INPUT)
    try:
        with run_lock(settings), connect(settings) as warehouse:
            report = export_lake(warehouse, target, batch_rows=batch_rows)
    except LakeExportError as error:
        console.print(f"[red]lake export failed:[/red] {error}")
        sys.exit(exit_codes.FAILURE)
    replaced = (
        f"; replaced after deletions: {', '.join(report.replaced)}" if report.replaced else ""
    )
    console.print(
        f"lake {report.bucket_url}: {report.new_loads} new loads, {report.total_rows} rows"
        f" written in {report.seconds:.1f} s{replaced}"
    )


@lake.command("tables")
@click.argument("lake_root")
def tables(lake_root: str) -> None:
    """Print the lake's tables as the `--args` of `dbt run-operation register_parquet_tables
    --target spark` (one external Spark table per table folder; docs/spark.md)."""
    try:
        found = lake_tables(lake_root)
    except FileNotFoundError as error:
        console.print(f"[red]{error}[/red]")
        sys.exit(exit_codes.BAD_INPUT)
    listing = [{"schema": t.schema, "name": t.name, "path": str(t.path)} for t in found]
    click.echo(json.dumps({"tables": listing}))
