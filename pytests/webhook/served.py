"""A served webhook receiver for tests, and the control rows a delivery may change."""

from __future__ import annotations

import threading

from pydantic import SecretStr

from loaders.warehouse import WarehouseSettings, connect
from loaders.webhook import WebhookConfig, make_server
from loaders.webhook.server import ServerLimits

SECRET = "concurrency-test-secret"
CONTROL_TABLES = ("backfill_jobs", "backfill_job_repositories", "workspace_addons")


def control_rows(settings: WarehouseSettings) -> dict[str, list[tuple]]:
    """Every row of the tables a delivery may change, in a stable order."""
    with connect(settings) as wh:
        tables = (*CONTROL_TABLES, "webhook_events")
        return {
            t: sorted(
                tuple(str(v) for v in r.values()) for r in wh.query(f"select * from control.{t}")
            )
            for t in tables
        }


class Served:
    def __init__(self, settings: WarehouseSettings, limits: ServerLimits | None = None) -> None:
        config = WebhookConfig(secret=SecretStr(SECRET), port=0)
        self.server = make_server(config, settings, limits=limits)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/webhooks/polar"

    def __enter__(self) -> Served:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
