"""The control plane: workspaces, tracked repositories, sync state, add-ons, backfill jobs."""
