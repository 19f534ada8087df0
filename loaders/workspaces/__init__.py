"""workspaces.yml: the declarative list of workspaces and the repositories they track."""

from loaders.workspaces.apply import ApplyReport, apply_workspaces
from loaders.workspaces.config import (
    FETCH_FLAGS,
    RepositoryEntry,
    WorkspaceConfig,
    WorkspacesConfigError,
    WorkspacesFile,
    load_workspaces_file,
)

__all__ = [
    "FETCH_FLAGS",
    "ApplyReport",
    "RepositoryEntry",
    "WorkspaceConfig",
    "WorkspacesConfigError",
    "WorkspacesFile",
    "apply_workspaces",
    "load_workspaces_file",
]
