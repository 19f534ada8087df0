"""The loader-written schemas as a Parquet lake for engines that read files (Spark)."""

from loaders.lake.export import LOADS_TABLE, LakeExportError, LakeReport, export_lake
from loaders.lake.layout import LakeTable, lake_tables

__all__ = [
    "LOADS_TABLE",
    "LakeExportError",
    "LakeReport",
    "LakeTable",
    "export_lake",
    "lake_tables",
]
