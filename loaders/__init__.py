"""workspace_warehouse loaders: GitHub → dlt raw schema, control plane, CLI."""

import os
from pathlib import Path

#: Root of the dbt project (the repository root), found relative to this package so the
#: CLI works from any working directory of an editable install.
PROJECT_DIR = Path(__file__).resolve().parent.parent

# No anonymous usage telemetry from dlt or dbt, whatever the working directory (dlt reads
# `.dlt/config.toml` relative to it, so the project's copy alone would not do). Set before
# dlt is imported anywhere below this package; an explicit environment value still wins.
# dbt also reads `send_anonymous_usage_stats: false` from dbt_project.yml.
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
