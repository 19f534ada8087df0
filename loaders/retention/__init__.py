"""Retention: delete raw rows that no active workspace retains any more (`warehouse purge`)."""

from loaders.retention.policy import RepositoryRetention, retained_repositories
from loaders.retention.purge import PurgeReport, purge

__all__ = ["PurgeReport", "RepositoryRetention", "purge", "retained_repositories"]
