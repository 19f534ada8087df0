"""Sync orchestration: which repositories are due, load them, book sync state.

from loaders.sync import targets_from_queue, load_repositories
report = load_repositories(warehouse, targets_from_queue(warehouse))
"""

from loaders.sync.counts import count_items
from loaders.sync.runner import LoadReport, RepositoryOutcome, load_repositories
from loaders.sync.targets import RepositoryTarget, parse_resources, targets_from_queue

__all__ = [
    "LoadReport",
    "RepositoryOutcome",
    "RepositoryTarget",
    "count_items",
    "load_repositories",
    "parse_resources",
    "targets_from_queue",
]
