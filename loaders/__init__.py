"""workspace_warehouse loaders: GitHub → dlt raw schema, control plane, CLI."""

from pathlib import Path

#: Root of the dbt project (the repository root), found relative to this package so the
#: CLI works from any working directory of an editable install.
PROJECT_DIR = Path(__file__).resolve().parent.parent
