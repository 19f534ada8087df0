"""Embeddings end to end on the small emulator world, on both engines: load → embed →
dbt build → the planted duplicate issue pair (same title and body in acme/api-server and
acme/web-app) is each other's top match; a second embed does nothing; an edited body
re-embeds exactly that issue; a new model re-embeds everything and is never compared
with the old one; the purge takes vectors with their items."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from loaders.embeddings import HashingProvider, embed_pending
from loaders.emulator.testing import run_emulator
from loaders.emulator.world.generate import DUPLICATE_TITLE
from loaders.retention import purge
from loaders.sync import RepositoryTarget, load_repositories
from loaders.warehouse import WarehouseSettings, connect
from pytests.dbt import control_rows
from pytests.dbt.helpers import dbt, query
from pytests.loaders.helpers import client_for

RESOURCES = frozenset({"repositories", "issues", "pull_requests", "discussions"})
DELETED = "quietco/deleted-repo"
MODELS = ("+similar_items",)
OURS = (
    "stg_embeddings__vectors",
    "int_embedding_vectors",
    "int_embedding_bands",
    "int_embedding_components",
    "int_similar_item_candidates",
    "int_similar_item_scores",
    "int_embedding_items",
    "similar_items",
)


def _as_of(epoch: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))


def _load(settings: WarehouseSettings, gh) -> None:
    names = sorted(r.full_name.lower() for r in gh.world.repos if r.full_name.lower() != DELETED)
    rows = control_rows.one_workspace("all", names)
    rows.append(control_rows.Tracked("solo", "acme/web-app", None, tier="enterprise"))
    with connect(settings) as wh:
        control_rows.track(wh, rows)
        targets = [RepositoryTarget(n, RESOURCES, 365, 24) for n in names]
        report = load_repositories(wh, targets, client=client_for(gh))
        assert not report.by_status("failed"), report


def _items(settings: WarehouseSettings) -> int:
    counts = query(
        settings,
        "select (select count(*) from github_raw.issues) + "
        "(select count(*) from github_raw.pull_requests) + "
        "(select count(*) from github_raw.discussions) as n",
    )
    return int(counts[0]["n"])


def _matches(settings: WarehouseSettings, workspace: str) -> list[dict]:
    return query(
        settings,
        "select issue_repository, similar_repository, similar_title, cosine_similarity "
        f"from analytics.similar_items where workspace_slug = '{workspace}' "
        f"and issue_title = '{DUPLICATE_TITLE}' and similar_item_type = 'issue' "
        "and similarity_rank = 1 order by issue_repository",
    )


def test_embed_build_duplicates_incremental_and_model_change(
    warehouse_settings: WarehouseSettings,
) -> None:
    settings = warehouse_settings
    with run_emulator("small", seed=1) as gh:
        _load(settings, gh)
        as_of = _as_of(gh.now)
    items = _items(settings)
    first_model = HashingProvider(256)
    with connect(settings) as wh:
        first = embed_pending(wh, first_model)
        again = embed_pending(wh, first_model)
    assert first.complete and first.embedded == first.pending == items > 100
    assert (again.pending, again.embedded) == (0, 0)  # nothing embedded twice

    dbt(
        settings,
        "build",
        "--select",
        *MODELS,
        "--exclude",
        "test_type:data",
        "test_type:unit",
        as_of=as_of,
    )
    both = _matches(settings, "all")
    assert [(m["issue_repository"], m["similar_repository"]) for m in both] == [
        ("acme/api-server", "acme/web-app"),
        ("acme/web-app", "acme/api-server"),
    ]
    assert all(m["similar_title"] == DUPLICATE_TITLE for m in both)
    assert all(abs(float(m["cosine_similarity"]) - 1.0) < 1e-5 for m in both)
    # A workspace sees only its own repositories: the twin in api-server is not in `solo`.
    assert _matches(settings, "solo") == []
    outside = query(
        settings,
        "select count(*) as n from analytics.similar_items where workspace_slug = 'solo' "
        "and similar_repository <> 'acme/web-app'",
    )
    assert outside[0]["n"] == 0

    with connect(settings) as wh:
        wh.execute(
            "update github_raw.issues set body = 'Edited: it also fails at 5 MB.' "
            "where id = (select min(id) from github_raw.issues)"
        )
        edited = embed_pending(wh, first_model)
        assert (edited.pending, edited.embedded) == (1, 1)
        assert wh.scalar("select count(*) from github_raw.embeddings") == items

        # A new model: a partial pass first (a run stopped by its budget) ...
        second_model = HashingProvider(128)
        partial = embed_pending(wh, second_model, limit=10)
        assert (partial.pending, partial.embedded) == (items, 10)
        assert partial.other_models_removed == 0
    # Rebuilt with their data tests (the upstream models are unchanged).
    dbt(settings, "build", "--select", *OURS, "--exclude", "test_type:unit", as_of=as_of)
    used = query(settings, "select distinct model from analytics.similar_items")
    assert [r["model"] for r in used] in ([], [second_model.model])
    components = query(
        settings, "select distinct model from analytics_intermediate.int_embedding_components"
    )
    assert [r["model"] for r in components] == [second_model.model]

    # ... then the rest; the old model's vectors go once every item has a new one.
    with connect(settings) as wh:
        rest = embed_pending(wh, second_model)
        assert (rest.pending, rest.embedded) == (items - 10, items - 10)
        assert rest.other_models_removed == items
        models = wh.query("select model, count(*) as n from github_raw.embeddings group by 1")
        assert [(r["model"], r["n"]) for r in models] == [(second_model.model, items)]

        # Far in the future every item is past retention: its vector goes with it.
        report = purge(wh, apply=True, now=datetime(2100, 1, 1, tzinfo=UTC))
        assert report.rows["embeddings"] == items
        assert wh.scalar("select count(*) from github_raw.embeddings") == 0
