"""Entry point of the `warehouse` console script.

Each room registers its own command group here; the modules stay small and independent.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from loaders.warehouse.busy import WarehouseBusy
from loaders.warehouse.settings import WarehouseSettingsError

#: `loaders.run.exit_codes` BAD_INPUT and LOCKED, repeated so `--help` imports nothing heavy.
BAD_INPUT = 2
LOCKED = 3


class WarehouseGroup(click.Group):
    """The `warehouse` group: one place that turns "another process holds the warehouse"
    (exit 3) and an unusable WAREHOUSE_* variable (exit 2) into one line, for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WarehouseBusy as busy:
            click.secho(str(busy), fg="yellow", err=True)
            sys.exit(LOCKED)
        except WarehouseSettingsError as error:
            click.secho(str(error), fg="red", err=True)
            sys.exit(BAD_INPUT)


def _use_duckdb_file(ctx: click.Context, _param: click.Parameter, path: Path | None) -> None:
    # Every command reads the warehouse location from the environment (and hands it to dbt),
    # so the option simply sets it for this process and its children.
    if path is None:
        return
    if os.environ.get("WAREHOUSE_TARGET", "duckdb") != "duckdb":
        raise click.BadParameter(
            f"names a DuckDB file but WAREHOUSE_TARGET={os.environ['WAREHOUSE_TARGET']}; "
            "unset WAREHOUSE_TARGET or set it to duckdb",
            ctx=ctx,
        )
    os.environ["WAREHOUSE_TARGET"] = "duckdb"
    os.environ["WAREHOUSE_DUCKDB_PATH"] = str(path.absolute())  # dbt runs elsewhere


@click.group(
    cls=WarehouseGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Exit codes of every command: 0 success; 1 a step failed; 2 bad input or settings "
    "(nothing changed); 3 another process holds the warehouse (nothing done); 4 partial "
    "(the next run continues). See docs/running.md.",
)
@click.version_option(package_name="workspace-warehouse", prog_name="warehouse")
@click.option(
    "--duckdb-path",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_use_duckdb_file,
    expose_value=False,
    is_eager=True,
    help="DuckDB file of the warehouse for this command (default: env WAREHOUSE_DUCKDB_PATH, "
    "else ./warehouse.duckdb).",
)
def cli() -> None:
    """workspace_warehouse: GitHub activity for the repositories your workspaces track."""


def _register() -> None:
    # Imported lazily so `warehouse --help` stays fast and a broken room cannot hide the others.
    from loaders.cli import (
        access_commands,
        backfill_commands,
        embed_commands,
        emulator_commands,
        lake_commands,
        load_commands,
        purge_commands,
        report_commands,
        run_commands,
        webhook_commands,
        workspaces_commands,
    )

    cli.add_command(emulator_commands.emulator)
    cli.add_command(workspaces_commands.workspaces)
    cli.add_command(run_commands.run)
    cli.add_command(run_commands.plan)
    cli.add_command(run_commands.demo)
    cli.add_command(backfill_commands.backfill)
    cli.add_command(webhook_commands.webhook)
    cli.add_command(load_commands.load)
    cli.add_command(purge_commands.purge)
    cli.add_command(report_commands.report)
    cli.add_command(access_commands.access)
    cli.add_command(embed_commands.embed)
    cli.add_command(lake_commands.lake)


_register()
