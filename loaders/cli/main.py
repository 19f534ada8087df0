"""Entry point of the `warehouse` console script.

Each room registers its own command group here; the modules stay small and independent.
"""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """workspace_warehouse: GitHub activity for the repositories your workspaces track."""


def _register() -> None:
    # Imported lazily so `warehouse --help` stays fast and a broken room cannot hide the others.
    from loaders.cli import emulator_commands, workspaces_commands

    cli.add_command(emulator_commands.emulator)
    cli.add_command(workspaces_commands.workspaces)
    from loaders.cli import backfill_commands, run_commands, webhook_commands

    cli.add_command(run_commands.run)
    cli.add_command(run_commands.plan)
    cli.add_command(run_commands.demo)
    cli.add_command(backfill_commands.backfill)
    cli.add_command(webhook_commands.webhook)
    from loaders.cli import load_commands

    cli.add_command(load_commands.load)
    from loaders.cli import purge_commands

    cli.add_command(purge_commands.purge)


_register()
