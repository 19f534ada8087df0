"""`warehouse embed`: vectors for every issue, pull request and discussion that lacks one
for the configured model or whose text changed (docs/embeddings.md)."""

from __future__ import annotations

import sys

import click

from loaders.embeddings import EmbeddingSettingsError, embed_pending, provider_from_env
from loaders.run import exit_codes
from loaders.run.lock import run_lock
from loaders.warehouse import WarehouseSettings, connect


@click.command("embed")
@click.option("--limit", type=click.IntRange(min=1), help="Embed at most this many items.")
def embed(limit: int | None) -> None:
    """Embed pending items with WAREHOUSE_EMBEDDING_PROVIDER (default: the offline
    `hashing` provider), one committed batch at a time; `warehouse run` does this before
    dbt build. Exit 0 when everything has a vector, 4 when the provider stopped or --limit
    left items (the next run continues), 2 on settings errors."""
    try:
        provider = provider_from_env()
    except EmbeddingSettingsError as error:
        click.secho(str(error), fg="red", err=True)
        sys.exit(exit_codes.BAD_INPUT)
    if provider is None:
        click.echo("WAREHOUSE_EMBEDDING_PROVIDER=off: nothing to do")
        return
    settings = WarehouseSettings.from_env()
    with run_lock(settings), connect(settings) as warehouse:
        report = embed_pending(
            warehouse,
            provider,
            limit=limit,
            on_batch=lambda r: click.echo(f"  {r.embedded}/{r.pending} embedded", err=True),
        )
    click.echo(str(report))
    if not report.complete:
        sys.exit(exit_codes.PARTIAL)
