"""A scripted ChunkLoader: fixed item counts per chunk, faults per repository."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from loaders.backfill import ChunkResult
from loaders.github.errors import BudgetExhausted, NotFound, TransientError
from loaders.sources import RESOURCE_TABLES


@dataclass
class FakeLoader:
    items_per_chunk: int = 10
    not_found: set[str] = field(default_factory=set)
    flaky: set[str] = field(default_factory=set)  # always raise a transient error
    budget_after: int | None = None  # chunks before the budget runs out
    calls: list[tuple[str, str]] = field(default_factory=list)

    def load(
        self, full_name: str, resources: tuple[str, ...], window_start: datetime
    ) -> ChunkResult:
        if self.budget_after is not None and len(self.calls) >= self.budget_after:
            raise BudgetExhausted("graphql", None)
        self.calls.append((full_name, resources))
        if full_name in self.not_found:
            raise NotFound(f"repository {full_name}")
        if full_name in self.flaky:
            raise TransientError("502 from GitHub", 5)
        # rows per raw table, as the real loader reports them
        return ChunkResult(
            counts={t: self.items_per_chunk for r in resources for t in RESOURCE_TABLES[r]}
        )

    def count(self, full_name: str, window_start: datetime) -> dict[str, int] | None:
        if full_name in self.not_found:
            raise NotFound(f"repository {full_name}")
        return {"issues": 30, "commits": 70}
