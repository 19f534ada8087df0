"""`warehouse webhook serve|simulate`: the Polar billing receiver and a signed test sender."""

from __future__ import annotations

import logging
import sys

import click
import requests

from loaders.cli.ports import BAD_INPUT, bind_problem
from loaders.control.migrations import migrate
from loaders.warehouse import WarehouseSettings, connect
from loaders.webhook import WebhookConfig, make_server, signed_headers, subscription_event
from loaders.webhook.server import ServerLimits


def _config(**overrides: object) -> WebhookConfig:
    try:
        return WebhookConfig.from_env(**overrides)
    except ValueError as exc:
        raise click.UsageError(str(exc).splitlines()[0]) from None


@click.group()
def webhook() -> None:
    """Billing webhook (Polar, signed per Standard Webhooks)."""


@webhook.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on; loopback by default (put a TLS proxy in front).",
)
@click.option("--port", default=8787, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Receive Polar subscription events on POST /webhooks/polar.

    Needs WAREHOUSE_WEBHOOK_SECRET (the endpoint's signing secret). The Extended Data
    Retention product is recognised by WAREHOUSE_EDR_PRODUCT_IDS (comma-separated Polar
    product ids) or by name (WAREHOUSE_EDR_PRODUCT_NAMES, default "Extended Data Retention").
    """
    config = _config(host=host, port=port)
    settings = WarehouseSettings.from_env()
    with connect(settings) as wh:
        migrate(wh)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        server = make_server(config, settings)
    except OSError as error:
        click.secho(bind_problem(host, port, error, "the webhook receiver"), fg="red", err=True)
        sys.exit(BAD_INPUT)
    limits = ServerLimits()
    click.echo(
        f"listening on http://{host}:{server.server_address[1]}{config.path} "
        f"(warehouse: {settings.describe()}; waitress, {limits.threads} threads, bodies up to "
        f"{limits.max_body_bytes // 1024} KiB, idle connections closed after "
        f"{limits.idle_timeout_seconds} s); Ctrl-C stops"
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@webhook.command()
@click.option("--url", default="http://127.0.0.1:8787/webhooks/polar", show_default=True)
@click.option(
    "--event",
    "event_type",
    default="subscription.active",
    show_default=True,
    type=click.Choice(
        [
            "subscription.created",
            "subscription.active",
            "subscription.updated",
            "subscription.canceled",
            "subscription.revoked",
            "subscription.uncanceled",
        ]
    ),
)
@click.option("--customer", help="Polar customer id (matches billing_customer_id).")
@click.option("--workspace", help="Workspace slug put in the subscription metadata.")
@click.option("--product-id", default=None, help="Default: the first of WAREHOUSE_EDR_PRODUCT_IDS.")
@click.option(
    "--product-name",
    default=None,
    help="Default: 'Extended Data Retention' without --product-id, else 'Other product'.",
)
def simulate(
    url: str,
    event_type: str,
    customer: str | None,
    workspace: str | None,
    product_id: str | None,
    product_name: str | None,
) -> None:
    """Send a subscription event signed with WAREHOUSE_WEBHOOK_SECRET, as Polar would."""
    if not customer and not workspace:
        raise click.UsageError("give --customer or --workspace (or both)")
    config = _config()
    product = product_id or next(iter(sorted(config.edr_product_ids)), "prod_edr")
    name = product_name or ("Other product" if product_id else "Extended Data Retention")
    body = subscription_event(
        event_type,
        customer_id=customer,
        workspace=workspace,
        product_id=product,
        product_name=name,
    )
    headers = signed_headers(config.secret.get_secret_value(), body)
    try:
        reply = requests.post(url, data=body, headers=headers, timeout=30)
    except requests.RequestException as exc:
        click.echo(f"could not reach {url}: {type(exc).__name__}", err=True)
        sys.exit(1)
    click.echo(f"{reply.status_code} {reply.text}")
    sys.exit(0 if reply.status_code < 300 else 1)
