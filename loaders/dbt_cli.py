"""dbt's own command line (`python -m loaders.dbt_cli <dbt args>`), with one change: once
the project is parsed and nodes start to run, the objects alive at that point (dbt's parsed
manifest, most of them) are moved out of the cyclic garbage collector's reach (gc.freeze).

The manifest is a large object graph that lives for the whole run. Python's full
collections walked it again and again, each a 0.1-0.15 s pause charged to whichever model
was running at the time (benchmarks/dbt_build.py, docs/incremental_models.md). Frozen
objects are never freed, which costs nothing here: the manifest is needed until dbt exits.
Arguments, output and exit codes are dbt's: this calls the same click command as `dbt`.
"""

from __future__ import annotations

import gc
import sys

from dbt.cli.main import cli
from dbt_common.events.base_types import EventMsg

# Fired once the manifest is loaded, just before the first node runs.
NODES_START_EVENT = "ConcurrencyLine"


def freeze_when_nodes_start(event: EventMsg) -> None:
    if event.info.name == NODES_START_EVENT:
        gc.freeze()


def main(argv: list[str]) -> None:
    cli.main(args=argv, prog_name="dbt", obj={"callbacks": [freeze_when_nodes_start]})


if __name__ == "__main__":  # pragma: no cover - exercised through run_dbt's subprocess
    main(sys.argv[1:])
