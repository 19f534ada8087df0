"""The one dlt source for GitHub: queries, row mapping, change detection and paging.

`github_source(works, client, collector, window_start=None)` yields every raw table of
docs/raw_schema.md for the given repositories; `loaders.sync` runs it in a pipeline.
"""

from loaders.sources.source import (
    GROUPS,
    Collector,
    RepoResult,
    RepoWork,
    github_source,
)
from loaders.sources.tables import RESOURCE_TABLES, TABLES, TableSpec

__all__ = [
    "GROUPS",
    "RESOURCE_TABLES",
    "TABLES",
    "Collector",
    "RepoResult",
    "RepoWork",
    "TableSpec",
    "github_source",
]
