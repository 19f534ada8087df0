"""`warehouse emulator …`: run the offline GitHub emulator from the command line."""

from __future__ import annotations

import signal
import sys

import click

from loaders.cli.ports import BAD_INPUT, bind_problem


@click.group()
def emulator() -> None:
    """Offline GitHub emulator (REST + GraphQL over a generated world)."""


@emulator.command()
@click.option(
    "--world",
    "world_name",
    default="demo",
    show_default=True,
    type=click.Choice(["demo", "small", "large"]),
    help="Which world to generate.",
)
@click.option("--seed", default=1, show_default=True, type=int, help="Generation seed.")
@click.option("--port", default=8765, show_default=True, type=int, help="TCP port (0 = any free).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option(
    "--anchor",
    type=int,
    default=None,
    help="Virtual 'now' at start, epoch seconds (default: current UTC hour).",
)
@click.option(
    "--rest-budget",
    type=int,
    default=5000,
    show_default=True,
    help="REST requests per token per (virtual) hour.",
)
@click.option(
    "--graphql-budget",
    type=int,
    default=5000,
    show_default=True,
    help="GraphQL points per token per (virtual) hour.",
)
@click.option(
    "--prewarm", is_flag=True, help="Generate every repository before listening (benchmarks)."
)
def serve(
    world_name: str,
    seed: int,
    port: int,
    host: str,
    anchor: int | None,
    rest_budget: int,
    graphql_budget: int,
    prewarm: bool,
) -> None:
    """Serve the emulator until interrupted (Ctrl-C)."""
    # Imported here so `warehouse --help` does not pay for building the GraphQL schema.
    from loaders.emulator.ratelimit import Limits
    from loaders.emulator.server import EmulatorServer

    limits = Limits(core=rest_budget, graphql=graphql_budget)
    try:
        server = EmulatorServer.create(
            world=world_name,
            seed=seed,
            host=host,
            port=port,
            anchor=anchor,
            limits=limits,
            prewarm=prewarm,
        )
    except OSError as error:
        click.secho(bind_problem(host, port, error, "the emulator"), fg="red", err=True)
        sys.exit(BAD_INPUT)
    click.echo(f"GitHub emulator ({world_name}, seed {seed}) listening on {server.base_url}")
    click.echo(f"GraphQL: {server.base_url}/graphql   virtual now: {server.state.world.now_iso()}")
    click.echo("sample token: ghp_emulator_demo  (any token starting ghp_emulator or emulator-)")
    # Ctrl-C (and SIGTERM) stop it even when the parent left SIGINT ignored, which a child
    # inherits (a background job of a non-interactive shell): seen as a hang in CI's tests.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopping")
    finally:
        server.shutdown()
