"""What a killed load leaves behind, cleared before the next one starts (docs/running.md).

A SIGKILL can land anywhere inside dlt: between a save's write and its rename, while an
extracted package is being deleted, or after extraction but before the load. Each function
here repairs one of those states; all of them run when a pipeline opens or a load starts.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# dlt saves its state and schemas atomically: it writes a temporary file named by 16 hex
# digits beside the target, then renames it over the target.
_INTERRUPTED_SAVE = re.compile(r"[0-9a-f]{16}")


def drop_interrupted_saves(working_dir: Path) -> list[Path]:
    """Remove the temporary files of saves a kill interrupted before their rename.

    The file it was replacing is still whole (that is what the rename protects), but dlt
    lists every file in `schemas/` as a schema. A stray `schemas/09f08bbb69342b9d` made
    every later run fail with `InvalidSchemaName` at dlt's `sync` step (found by the
    backfill SIGKILL test). Returns what was removed."""
    removed = []
    for folder in (working_dir, working_dir / "schemas"):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.is_file() and _INTERRUPTED_SAVE.fullmatch(path.name):
                log.warning("removing %s, a dlt save interrupted by a kill", path)
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def finish_pending(pipeline: Any) -> list[str]:
    """Load packages a killed run extracted but did not load: `run()` would load them and
    silently skip the new data, so they are finished first. Returns their load ids."""
    drop_emptied_packages(Path(pipeline.working_dir))
    if pipeline.has_pending_data:
        pipeline.normalize()
        return list(pipeline.load().loads_ids)
    return []


def drop_emptied_packages(working_dir: Path) -> None:
    """Remove extracted packages whose `new_jobs` folder is gone.

    dlt deletes an extracted package once it is normalized; a kill during that deletion
    leaves the folder without its jobs, and normalize then fails on it forever. Such a
    package holds no data (its rows and state are in the normalized package), so it goes.
    """
    extracted = working_dir / "normalize" / "extracted"
    if not extracted.is_dir():
        return
    for package in extracted.iterdir():
        if package.is_dir() and not (package / "new_jobs").is_dir():
            log.warning("dropping a half-deleted extracted dlt package %s", package.name)
            shutil.rmtree(package, ignore_errors=True)
