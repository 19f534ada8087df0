"""A scripted ChunkLoader: fixed item counts per chunk, faults per repository."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from loaders.backfill import ChunkResult
from loaders.github.errors import BudgetExhausted, NotFound, TransientError


@dataclass
class FakeLoader:
    items_per_chunk: int = 10
    not_found: set[str] = field(default_factory=set)
    flaky: set[str] = field(default_factory=set)  # always raise a transient error
    budget_after: int | None = None  # chunks before the budget runs out
    calls: list[tuple[str, str]] = field(default_factory=list)

    def load(self, full_name: str, resource: str, window_start: datetime) -> ChunkResult:
        if self.budget_after is not None and len(self.calls) >= self.budget_after:
            raise BudgetExhausted("graphql", None)
        self.calls.append((full_name, resource))
        if full_name in self.not_found:
            raise NotFound(f"repository {full_name}")
        if full_name in self.flaky:
            raise TransientError("502 from GitHub", 5)
        return ChunkResult(counts={resource: self.items_per_chunk})

    def count(self, full_name: str, window_start: datetime) -> dict[str, int] | None:
        if full_name in self.not_found:
            raise NotFound(f"repository {full_name}")
        return {"issues": 30, "commits": 70}
