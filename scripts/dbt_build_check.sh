#!/usr/bin/env bash
# dbt build on the target named by WAREHOUSE_TARGET for workspaces.example.yml:
# apply the file (control schema), then `dbt build`
# (models + all data tests) and `dbt docs generate`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
$BIN/warehouse workspaces apply workspaces.example.yml
$BIN/python -c "from loaders.dbt_runner import profiles_dir; profiles_dir()"
$BIN/dbt build --project-dir . --profiles-dir .dbt --target "$WAREHOUSE_TARGET"
$BIN/dbt docs generate --project-dir . --profiles-dir .dbt --target "$WAREHOUSE_TARGET" --quiet
