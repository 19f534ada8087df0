"""The `embed` step of `warehouse run`: after load, backfill and purge, before dbt build."""

from __future__ import annotations

from loaders.embeddings.runner import embed_pending
from loaders.embeddings.settings import EmbeddingSettingsError, provider_from_env
from loaders.run.steps import StepOutcome
from loaders.warehouse import Warehouse


def default_embed(wh: Warehouse) -> StepOutcome:
    """ok when everything has a vector; partial when the provider stopped (exit code 4, the
    next run resumes); failed on settings errors. New vectors make dbt rebuild."""
    try:
        provider = provider_from_env()
    except EmbeddingSettingsError as exc:
        return StepOutcome("failed", str(exc))
    if provider is None:
        return StepOutcome("skipped", "WAREHOUSE_EMBEDDING_PROVIDER=off")
    report = embed_pending(wh, provider)
    changed = (
        report.embedded > 0 or report.other_models_removed > 0 or report.band_keys_refreshed > 0
    )
    return StepOutcome("ok" if report.complete else "partial", str(report), changed)
