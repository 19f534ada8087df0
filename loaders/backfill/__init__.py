"""Backfill jobs: the whole purchased history of a workspace's repositories, loaded by the
sync's own source with a wider window, in resumable chunks, with progress and notifications."""

from loaders.backfill.jobs import BackfillError, Job, JobRepository, JobStore
from loaders.backfill.runner import BackfillRunner, ChunkLoader, ChunkResult, JobOutcome

__all__ = [
    "BackfillError",
    "BackfillRunner",
    "ChunkLoader",
    "ChunkResult",
    "Job",
    "JobOutcome",
    "JobRepository",
    "JobStore",
]
