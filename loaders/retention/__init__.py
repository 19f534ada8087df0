"""Retention: delete raw rows that no active workspace retains any more (`warehouse purge`),
after the grace period of untracked repositories."""

from loaders.retention.grace import GRACE_VARIABLE, GraceSettingError, untracked_grace_days
from loaders.retention.policy import RepositoryRetention, retained_repositories
from loaders.retention.purge import purge
from loaders.retention.report import PurgeReport

__all__ = [
    "GRACE_VARIABLE",
    "GraceSettingError",
    "PurgeReport",
    "RepositoryRetention",
    "purge",
    "retained_repositories",
    "untracked_grace_days",
]
