"""`warehouse report`: the workspace activity pages (loaders/report, docs/report.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from loaders.warehouse import WarehouseSettings, connect

BAD_INPUT = 2  # loaders.run.exit_codes.BAD_INPUT


def write_report(settings: WarehouseSettings, out_dir: Path, workspace: str | None = None) -> Path:
    """Write the pages and print where; returns the index page (also used by `run`/`demo`)."""
    from loaders.report import write_reports

    with connect(settings) as wh:
        result = write_reports(wh, out_dir, workspace)
    for page in result.pages:
        state = "" if page.has_data else "  (no data loaded yet)"
        click.echo(f"  {page.slug:<24} {page.path}{state}")
    click.echo(f"report: {result.index.absolute()}")
    return result.index


@click.command()
@click.option(
    "--workspace", metavar="SLUG", help="Only this workspace (default: every active one)."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("report"),
    show_default=True,
    help="Directory for index.html and one <slug>.html per workspace.",
)
def report(workspace: str | None, out_dir: Path) -> None:
    """Write a self-contained HTML activity page per workspace (charts, tiles, repositories,
    contributors, open issues, backfill) plus an index, from the marts. Opens offline."""
    from loaders.report import UnknownWorkspace

    try:
        write_report(WarehouseSettings.from_env(), out_dir, workspace)
    except UnknownWorkspace as exc:
        click.secho(str(exc), fg="red", err=True)
        sys.exit(BAD_INPUT)
