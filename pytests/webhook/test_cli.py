"""`warehouse webhook simulate` against a live receiver; configuration errors."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import SecretStr

from loaders.cli.main import cli
from loaders.warehouse import WarehouseSettings, connect
from loaders.webhook import WebhookConfig, make_server
from loaders.webhook.polar import WebhookConfig as Config
from pytests.backfill.helpers import seed_workspace

SECRET = "cli-test-secret"


def test_simulate_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    with connect(settings) as wh:
        seed_workspace(wh, "acme", ("acme/api",), customer="cus_1")
    server = make_server(WebhookConfig(secret=SecretStr(SECRET), port=0), settings)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/polar"
    monkeypatch.setenv("WAREHOUSE_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("WAREHOUSE_EDR_PRODUCT_IDS", "prod_edr")
    runner = CliRunner()
    try:
        ok = runner.invoke(cli, ["webhook", "simulate", "--url", url, "--customer", "cus_1"])
        assert ok.exit_code == 0 and '"activated"' in ok.output
        other = runner.invoke(
            cli,
            ["webhook", "simulate", "--url", url, "--customer", "cus_1", "--product-id", "p2"],
        )
        assert other.exit_code == 0 and "unknown_product" in other.output
        monkeypatch.setenv("WAREHOUSE_WEBHOOK_SECRET", "not-the-secret")
        refused = runner.invoke(cli, ["webhook", "simulate", "--url", url, "--workspace", "acme"])
        assert refused.exit_code == 1 and "401" in refused.output
        assert "not-the-secret" not in refused.output
    finally:
        server.shutdown()
        server.server_close()


def test_configuration_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WAREHOUSE_WEBHOOK_SECRET", raising=False)
    runner = CliRunner()
    missing = runner.invoke(cli, ["webhook", "simulate", "--customer", "c"])
    assert missing.exit_code == 2 and "WAREHOUSE_WEBHOOK_SECRET is not set" in missing.output
    no_target = runner.invoke(cli, ["webhook", "simulate"])
    assert no_target.exit_code == 2 and "--customer or --workspace" in no_target.output
    unreachable = runner.invoke(
        cli,
        ["webhook", "simulate", "--url", "http://127.0.0.1:9/x", "--customer", "c"],
        env={"WAREHOUSE_WEBHOOK_SECRET": "s"},
    )
    assert unreachable.exit_code == 1 and "could not reach" in unreachable.output
    config = Config.from_env(
        {"WAREHOUSE_WEBHOOK_SECRET": "s", "WAREHOUSE_EDR_PRODUCT_NAMES": "EDR, Retention+"}
    )
    assert config.edr_product_names == frozenset({"edr", "retention+"})
    with pytest.raises(ValueError, match="not base64"):
        from loaders.webhook.verify import webhook_for_secret

        webhook_for_secret("whsec_***")


def test_serve_command_end_to_end(tmp_path: Path) -> None:
    """`warehouse webhook serve` as an operator starts it: loopback, env secret, a free port."""
    import os
    import re
    import subprocess
    import sys

    import requests

    from loaders.webhook import signed_headers, subscription_event

    settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "w.duckdb")
    with connect(settings) as wh:
        seed_workspace(wh, "acme", ("acme/api",), customer="cus_1")
    env = {
        **os.environ,
        **settings.dbt_env(),
        "WAREHOUSE_WEBHOOK_SECRET": SECRET,
        "WAREHOUSE_EDR_PRODUCT_IDS": "prod_edr",
    }
    serve = subprocess.Popen(
        [str(Path(sys.executable).with_name("warehouse")), "webhook", "serve", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert serve.stdout is not None
        banner = serve.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/webhooks/polar", banner)
        assert match, banner
        url = f"http://127.0.0.1:{match.group(1)}/webhooks/polar"
        body = subscription_event("subscription.active", customer_id="cus_1")
        reply = requests.post(url, data=body, headers=signed_headers(SECRET, body), timeout=10)
        assert reply.status_code == 200 and reply.json()["jobs"] == [1]
    finally:
        serve.terminate()
        output = serve.communicate(timeout=10)[0]
    assert SECRET not in output  # the secret never reaches the logs
