"""GitHub's pricing we cannot see offline: the emulator's readings of the cost rules, and a
load that meets a pessimistic GitHub (charges above its estimates), records estimate vs
charge per operation in the run summary and sends smaller probes and batches afterwards."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import requests

from loaders.emulator.core import Emulator
from loaders.emulator.testing import run_emulator
from loaders.github.query_shape import with_rate_limit
from loaders.run.steps import summarise_load
from loaders.sources import queries as q
from loaders.sync import load_repositories
from loaders.warehouse import WarehouseSettings, connect

from .helpers import ALL, client_for, raw_counts, targets, track, world_counts


def _dry_run_cost(gh, query: str, variables: dict | None = None) -> int:
    text = with_rate_limit(query)[0] if "rateLimit" not in query else query
    text = text.replace("rateLimit {", "rateLimit(dryRun: true) {")
    body = {"query": text, "variables": variables or {}}
    answer = requests.post(gh.graphql_url, json=body, headers=gh.headers()).json()
    block = next(v for v in answer["data"].values() if isinstance(v, dict) and "cost" in v)
    return block["cost"]


def test_the_emulator_prices_the_largest_queries_under_each_reading(monkeypatch):
    specs = [dataclasses.replace(q._ALL_PROBE, alias=f"r{i}") for i in range(50)]
    probe = q.build_probe_query(specs)
    comments = q.build_nodes_query("discussion_comments", 100)
    ids = {"ids": [f"D_kwDO{i}" for i in range(50)]}
    costs = {}
    with run_emulator("small", seed=1) as gh:
        for pricing in ("documented", "count_per_parent", "ids_multiply", "pessimistic"):
            gh.set_pricing(pricing)
            costs[pricing] = (_dry_run_cost(gh, probe), _dry_run_cost(gh, comments, ids))
        with pytest.raises(ValueError, match="unknown pricing"):
            gh.set_pricing("cheap")
    # The arithmetic: 4-5 points for the probe (5 since it reads each repository's
    # languages: 50 more requests), 92 (+1) when every count-only connection is charged per
    # parent; 1 point for 50 discussions' comments, 50 when ids multiply.
    assert costs == {
        "documented": (5, 1),
        "count_per_parent": (93, 1),
        "ids_multiply": (5, 50),
        "pessimistic": (93, 50),
    }
    monkeypatch.setenv("EMULATOR_PRICING", "ids_multiply")
    assert Emulator("small").graphql.pricing == "ids_multiply"
    monkeypatch.setenv("EMULATOR_PRICING", "free")
    with pytest.raises(ValueError, match="unknown pricing"):
        Emulator("small")


def test_a_load_under_pessimistic_pricing_reports_the_charges_and_shrinks_its_probes(
    tmp_path: Path,
):
    with run_emulator("small", seed=1) as gh:
        gh.set_pricing("pessimistic")
        busy = ("acme/", "nebula/")  # the quiet ones are enough to see the probes adapt
        names = sorted(
            r.full_name.lower() for r in gh.world.repos if not r.full_name.startswith(busy)
        )
        settings = WarehouseSettings(target="duckdb", duckdb_path=tmp_path / "wh.duckdb")
        with connect(settings) as warehouse, client_for(gh) as client:
            track(warehouse, names)
            first = load_repositories(warehouse, targets(names), client=client, workers=1)
            counts = raw_counts(warehouse)
            quiet = load_repositories(warehouse, targets(names), client=client, workers=1)
            ratio = client.cost_ratio("graphql:Probe")
        expected = world_counts(gh, names, ALL)

    assert counts == expected  # the data is whole whatever GitHub charges
    probe = first.graphql_costs["Probe"]
    assert probe["queries"] == 1 and probe["charged"] > probe["estimated"]
    assert ratio == probe["charged"] / probe["estimated"] > 5
    assert "GraphQL charged" in summarise_load(first, len(names)).detail
    # The quiet rerun probes in batches shrunk by that ratio: more, smaller queries.
    again = quiet.graphql_costs["Probe"]
    assert again["queries"] == -(-len(names) // max(1, int(50 / ratio)))
    assert again["charged"] <= probe["charged"] + again["queries"]
