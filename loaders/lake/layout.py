"""The tables of a local Parquet lake written by `warehouse lake export`.

dlt's filesystem layout: `<lake>/<dataset>/<table>/<load id>.<file id>.parquet`, beside the
pipeline's own `_dlt_loads`, `_dlt_pipeline_state` and `_dlt_version` folders (not data).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from loaders.lake.export import LOADS_TABLE

#: The lake table name -> the name the models read it by (dbt's `source()`).
SOURCE_NAMES = {LOADS_TABLE: "_dlt_loads"}


@dataclass(frozen=True)
class LakeTable:
    schema: str  # the dataset: github_raw or control
    name: str  # the name the models read (`warehouse_dlt_loads` -> `_dlt_loads`)
    path: Path  # the folder of its Parquet files

    @property
    def files(self) -> list[Path]:
        return sorted(self.path.glob("*.parquet"))


def lake_tables(lake: str | Path, datasets: tuple[str, ...] | None = None) -> list[LakeTable]:
    """Every data table folder of the local lake at `lake` (a path or file:// URL)."""
    text = str(lake)
    root = Path(urlparse(text).path if text.startswith("file://") else text).absolute()
    if not root.is_dir():
        raise FileNotFoundError(f"no lake at {root}: run `warehouse lake export --to {root}`")
    tables = []
    for dataset in sorted(p for p in root.iterdir() if p.is_dir()):
        if datasets is not None and dataset.name not in datasets:
            continue
        for folder in sorted(p for p in dataset.iterdir() if p.is_dir()):
            if folder.name.startswith("_dlt") or not any(folder.glob("*.parquet")):
                continue
            name = SOURCE_NAMES.get(folder.name, folder.name)
            tables.append(LakeTable(dataset.name, name, folder))
    return tables
