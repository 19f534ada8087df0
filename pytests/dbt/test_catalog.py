"""What analysts see, on both engines: the analytics schema holds the marts and nothing
else (staging and intermediate live beside it), every count is a bigint (DuckDB's sum() is
HUGEINT, PostgreSQL's sum() of bigint numeric: most clients cannot read either), and a
warehouse built with the old one-schema layout upgrades itself on its next build.
"""

from __future__ import annotations

from loaders import PROJECT_DIR
from loaders.warehouse import Warehouse, WarehouseSettings, connect
from pytests.dbt import control_rows
from pytests.dbt.helpers import dbt

MODELS = PROJECT_DIR / "models"
SEEDS = {p.stem for p in (PROJECT_DIR / "seeds").glob("*.csv")}
# Integer types wider than bigint, or integers stored as numeric.
WIDE = {"duckdb": ("HUGEINT", "INT128", "UHUGEINT"), "postgres": ("numeric",)}


def _models(layer: str) -> set[str]:
    return {p.stem for p in (MODELS / layer).rglob("*.sql")}


def _relations(warehouse: Warehouse, schema: str) -> set[str]:
    rows = warehouse.query(
        "select table_name from information_schema.tables where table_schema = %(s)s",
        {"s": schema},
    )
    return {r["table_name"] for r in rows}


def _wide_columns(warehouse: Warehouse) -> list[str]:
    settings = warehouse.settings
    schemas = (settings.analytics_schema, settings.staging_schema, settings.intermediate_schema)
    rows = warehouse.query(
        "select table_schema, table_name, column_name, data_type "
        "from information_schema.columns where table_schema in (%(a)s, %(s)s, %(i)s)",
        dict(zip("asi", schemas, strict=True)),
    )
    wide = WIDE[settings.target]
    return sorted(
        f"{r['table_schema']}.{r['table_name']}.{r['column_name']} {r['data_type']}"
        for r in rows
        if str(r["data_type"]) in wide
    )


def _build(settings: WarehouseSettings, *select: str) -> None:
    selection = ["--select", *select] if select else []
    dbt(settings, "build", *selection, "--exclude-resource-type", "test", "unit_test")


def test_layers_have_their_own_schemas_counts_are_bigint_and_old_layouts_upgrade(
    warehouse_settings: WarehouseSettings,
) -> None:
    settings = warehouse_settings
    analytics = settings.analytics_schema
    with connect(settings) as warehouse:
        control_rows.track(warehouse, [control_rows.Tracked("team", "acme/api", 501)])
    _build(settings)
    with connect(settings) as warehouse:
        assert _relations(warehouse, analytics) == _models("marts")
        assert _relations(warehouse, settings.staging_schema) == _models("staging") | SEEDS
        assert _relations(warehouse, settings.intermediate_schema) == _models("intermediate")
        assert _wide_columns(warehouse) == []

    wide = WIDE[settings.target][0]
    with connect(settings) as warehouse:
        # What a warehouse built before the split holds: every layer in the marts schema
        # (one copy of each kind here) and an incremental mart with a 128-bit count.
        warehouse.execute(f"create table {analytics}.int_activity_events (source_key varchar)")
        warehouse.execute(f"create view {analytics}.stg_github__issues as select 1 as issue_id")
        warehouse.execute(f"create table {analytics}.tiers (tier varchar)")
        warehouse.execute(
            f"alter table {analytics}.daily_activity_metrics alter column commits_count type {wide}"
        )
        assert _wide_columns(warehouse) == [
            f"{analytics}.daily_activity_metrics.commits_count {wide}"
        ]
    legacy = {"int_activity_events", "stg_github__issues", "tiers"}

    # A partial build narrows the count (its on-run-start hook) but keeps the old copies:
    # a view it did not rebuild may still read them.
    _build(settings, "sync_queue")
    with connect(settings) as warehouse:
        assert _wide_columns(warehouse) == []
        assert legacy <= _relations(warehouse, analytics)

    # A complete build drops them: the marts schema holds marts only again.
    _build(settings)
    with connect(settings) as warehouse:
        assert _relations(warehouse, analytics) == _models("marts")
