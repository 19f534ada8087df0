"""Embed every item lacking a vector of the current model for its current text.

Batches of `provider.batch_size` items are embedded and committed one at a time, so a
crash loses at most the batch in flight and nothing committed is embedded again: the next
run's pending list no longer holds it. A provider failure (after its retries) or a spent
budget ends the run early with what is committed kept; the report says so.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from loaders.embeddings import store
from loaders.embeddings.provider import EmbeddingError, EmbeddingProvider
from loaders.embeddings.text import item_text
from loaders.warehouse import Warehouse

log = logging.getLogger("loaders.embeddings")


@dataclass
class EmbedReport:
    model: str
    pending: int = 0
    embedded: int = 0
    batches: int = 0
    tokens: int = 0
    seconds: float = 0.0
    other_models_removed: int = 0
    #: Stored vectors given band keys of the current LSH scheme (no provider call).
    band_keys_refreshed: int = 0
    error: str | None = None

    @property
    def complete(self) -> bool:
        return self.error is None and self.embedded == self.pending

    @property
    def per_second(self) -> float:
        return self.embedded / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        text = (
            f"{self.embedded} of {self.pending} items embedded with {self.model} in "
            f"{self.batches} batches ({self.per_second:.0f}/s"
            + (f", {self.tokens} tokens" if self.tokens else "")
            + ")"
        )
        if self.band_keys_refreshed:
            text += f"; band keys refreshed for {self.band_keys_refreshed} stored vectors"
        if self.other_models_removed:
            text += f"; {self.other_models_removed} vectors of other models removed"
        if self.error:
            text += f"; stopped: {self.error} (the next run continues)"
        return text


def embed_pending(
    wh: Warehouse,
    provider: EmbeddingProvider,
    *,
    limit: int | None = None,
    on_batch: Callable[[EmbedReport], None] | None = None,
) -> EmbedReport:
    """Embed what is pending (at most `limit` items); see the module docstring."""
    started = time.monotonic()
    store.ensure_table(wh)
    refreshed = store.refresh_band_keys(wh, provider.model)
    todo = store.pending(wh, provider.model)
    report = EmbedReport(provider.model, pending=len(todo), band_keys_refreshed=refreshed)
    if limit is not None:
        todo = todo[:limit]
    for start in range(0, len(todo), provider.batch_size):
        items = store.texts(wh, todo[start : start + provider.batch_size])
        if not items:
            continue
        texts = [item_text(i.title, i.body, provider.max_chars) for i in items]
        try:
            batch = provider.embed(texts)
        except EmbeddingError as exc:
            report.error = str(exc)
            log.warning("embedding stopped: %s", exc)
            break
        store.replace(wh, provider.model, items, batch.vectors)
        report.embedded += len(items)
        report.batches += 1
        report.tokens += batch.tokens
        report.seconds = time.monotonic() - started
        if on_batch is not None:
            on_batch(report)
    if report.complete:
        report.other_models_removed = store.drop_other_models(wh, provider.model)
    report.seconds = time.monotonic() - started
    return report
