"""Run backfill jobs with the real pieces: the sync's loader, a GitHub client capped at the
backfill's share of the hourly budget, and notifications. Used by `warehouse run` and
`warehouse backfill start|retry`."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from loaders.backfill.jobs import JobRepository, JobStore
from loaders.backfill.runner import BackfillRunner, ChunkLoader, JobOutcome
from loaders.notifications import Notifier, NotifierSettings
from loaders.run import exit_codes
from loaders.warehouse import Warehouse

DEFAULT_BACKFILL_SHARE = 0.6


def backfill_share(env: Mapping[str, str] | None = None) -> float:
    """`WAREHOUSE_BACKFILL_SHARE`: share of each token's hourly limit backfills may spend."""
    env = os.environ if env is None else env
    raw = env.get("WAREHOUSE_BACKFILL_SHARE", str(DEFAULT_BACKFILL_SHARE))
    try:
        share = float(raw)
    except ValueError:
        share = -1.0
    if not 0 < share <= 1:
        raise ValueError(f"WAREHOUSE_BACKFILL_SHARE must be a number in (0, 1], got {raw!r}")
    return share


@dataclass
class BackfillRun:
    outcomes: list[JobOutcome]
    notifications_recorded: int = 0

    @property
    def exit_code(self) -> int:
        if any(o.deferred or o.status in ("failed", "in_progress") for o in self.outcomes):
            return exit_codes.PARTIAL
        return exit_codes.OK


def default_loader(warehouse: Warehouse, share: float | None = None) -> ChunkLoader:
    """The sync's own loader behind the chunk interface, with the backfill's budget cap."""
    from loaders.backfill.sync_loader import SyncChunkLoader
    from loaders.github import GitHubClient, GitHubSettings

    client = GitHubClient(GitHubSettings.from_env(), budget_share=share or backfill_share())
    return SyncChunkLoader(warehouse, client)


def run_backfills(
    warehouse: Warehouse,
    *,
    job_ids: list[int] | None = None,
    loader: ChunkLoader | None = None,
    notifier: Notifier | None = None,
    on_chunk: Callable[[JobRepository, tuple[str, ...]], None] | None = None,
) -> BackfillRun:
    """Work the runnable jobs (or `job_ids`); always records notification outcomes."""
    store = JobStore(warehouse)
    if not store.runnable():
        return BackfillRun([])
    notifier = notifier or Notifier(warehouse, NotifierSettings.from_env())
    loader = loader or default_loader(warehouse)
    runner = BackfillRunner(store, loader, notifier=notifier, on_chunk=on_chunk)
    try:
        outcomes = runner.run_pending(job_ids)
    finally:
        recorded = notifier.drain()
        close = getattr(loader, "close", None)
        if close is not None:
            close()
    return BackfillRun(outcomes, recorded)
