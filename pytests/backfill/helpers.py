"""Control-plane rows for backfill tests, written with plain SQL (no workspaces file needed)."""

from __future__ import annotations

from loaders.control.migrations import migrate
from loaders.warehouse import Warehouse


def seed_workspace(
    warehouse: Warehouse,
    slug: str = "acme",
    repos: tuple[str, ...] = ("acme/api", "acme/web", "acme/infra"),
    *,
    tier: str = "pro",
    customer: str | None = None,
) -> None:
    migrate(warehouse)
    schema = warehouse.settings.control_schema
    warehouse.execute(
        f"insert into {schema}.workspaces (slug, name, tier, billing_customer_id) "
        "values (%(s)s, %(s)s, %(t)s, %(c)s)",
        {"s": slug, "t": tier, "c": customer},
    )
    for full_name in repos:
        if not warehouse.scalar(
            f"select count(*) from {schema}.repositories where full_name = %(r)s", {"r": full_name}
        ):
            warehouse.execute(
                f"insert into {schema}.repositories (full_name) values (%(r)s)", {"r": full_name}
            )
        warehouse.execute(
            f"insert into {schema}.workspace_repositories (workspace_slug, full_name) "
            "values (%(s)s, %(r)s)",
            {"s": slug, "r": full_name},
        )
