"""`warehouse lake export`: the loader-written schemas to a Parquet lake with dlt.

Two dlt pipelines with the `filesystem` destination, one per dataset (docs/spark.md):

- raw (`github_raw`): append-only. Each export copies the rows of the dlt loads the
  warehouse committed since the last export (a cursor over `_dlt_loads.inserted_at`, kept
  in the pipeline's dlt state, which travels in the load package with the rows). A
  row merged again by a later load is appended again: the lake holds every exported
  version, and the staging models keep the one of the newest load (`is_latest_version`).
  The warehouse's own `_dlt_loads` goes to the lake table `warehouse_dlt_loads` (dlt
  reserves `_dlt_*` for the lake pipeline's own bookkeeping).
- control: small tables, replaced whole on every export.

Deletions (the purge step, labels replaced whole) do not reach an append-only table, so
after appending, each raw table's count of distinct primary keys in the lake is compared
with the warehouse's rows; a table that differs is replaced by the warehouse's rows.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import dlt
import pyarrow as pa

from loaders.lake.reading import BATCH_ROWS, arrow_batches, columns
from loaders.sources.tables import TABLES
from loaders.sync.pipeline import pipelines_dir
from loaders.warehouse import Warehouse

#: The lake table that holds the warehouse's `_dlt_loads` (registered as `_dlt_loads`).
LOADS_TABLE = "warehouse_dlt_loads"
LOAD_ID = "_dlt_load_id"


class LakeExportError(Exception):
    """The export cannot run as asked (bad destination, empty warehouse, dlt failure)."""


@dataclass
class LakeReport:
    bucket_url: str
    new_loads: int = 0
    #: `schema.table` (the lake's names) -> rows written this export: appended, or the
    #: whole table when replaced.
    rows: dict[str, int] = field(default_factory=dict)
    #: raw tables replaced because the warehouse deleted rows the lake still held.
    replaced: list[str] = field(default_factory=list)
    #: raw tables not checked for deletions: they hold rows of a load not committed yet.
    deferred: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def bucket_url(target: str) -> str:
    """A `file://` URL (absolute) for a local path; other URLs unchanged."""
    if not target.strip():
        raise LakeExportError("no lake destination given: pass a directory or a file:// URL")
    parsed = urlparse(target)
    if parsed.scheme and parsed.scheme != "file" and len(parsed.scheme) > 1:
        return target  # s3://, gs://, az://...: dlt's fsspec clients check them
    local = Path(parsed.path if parsed.scheme == "file" else target).expanduser().absolute()
    if local.exists() and not local.is_dir():
        raise LakeExportError(f"lake destination {local} is a file, not a directory")
    for parent in (local, *local.parents):
        if parent.exists():
            if not os.access(parent, os.W_OK):
                raise LakeExportError(f"lake destination {local}: {parent} is not writable")
            break
    return local.as_uri()


def _pipeline(root: Path, url: str, dataset: str) -> dlt.Pipeline:
    name = f"lake_{dataset}"
    # The raw rows keep the warehouse's load ids: the staging models order versions by them.
    os.environ[f"{name.upper()}__NORMALIZE__PARQUET_NORMALIZER__ADD_DLT_LOAD_ID"] = "false"
    key = hashlib.sha256(url.encode()).hexdigest()[:12]
    return dlt.pipeline(
        pipeline_name=name,
        destination=dlt.destinations.filesystem(bucket_url=url),
        dataset_name=dataset,
        pipelines_dir=str(root / f"lake-{key}"),
        progress=None,
    )


def _run(pipeline: dlt.Pipeline, data: Any) -> None:
    try:
        pipeline.run(data, loader_file_format="parquet")
    except Exception as error:  # dlt wraps the cause (permissions, bucket) in PipelineStepFailed
        url = pipeline.destination.config_params.get("bucket_url")
        raise LakeExportError(f"dlt could not write the lake at {url}: {error}") from error


def _new_loads_filter(state: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """SQL over `_dlt_loads` (alias-free) selecting the committed loads after the cursor."""
    through = state.get("through")
    if through is None:
        return "status = 0", {}
    done = state.get("at_through") or [""]
    marks = ", ".join(f"%(done{i})s" for i in range(len(done)))
    params: dict[str, Any] = {"through": through, **{f"done{i}": v for i, v in enumerate(done)}}
    return (
        f"status = 0 and (inserted_at > %(through)s or (inserted_at = %(through)s"
        f" and load_id not in ({marks})))",
        params,
    )


def _exported_filter(through: str | None) -> tuple[str, dict[str, Any]]:
    """Rows of the loads exported so far (through the cursor)."""
    if through is None:
        return "false", {}
    return "status = 0 and inserted_at <= %(through)s", {"through": through}


def _resource(
    warehouse: Warehouse,
    schema: str,
    table: str,
    disposition: str,
    where: str = "",
    params: dict[str, Any] | None = None,
    name: str | None = None,
    batch_rows: int = BATCH_ROWS,
    counts: dict[str, int] | None = None,
    first: Callable[[], None] | None = None,
) -> Any:
    lake_name = name or table

    def rows() -> Iterator[pa.Table]:
        if first is not None:
            first()  # during extraction: where dlt's source state can be written
        for batch in arrow_batches(
            warehouse, schema, table, where, params, batch_rows, keep_empty=disposition == "replace"
        ):
            if counts is not None:
                key = f"{schema}.{lake_name}"
                counts[key] = counts.get(key, 0) + batch.num_rows
            yield batch

    return dlt.resource(rows, name=lake_name, write_disposition=disposition)


def _raw_tables(warehouse: Warehouse) -> tuple[list[str], list[str]]:
    """(tables with load ids: appended, tables without: replaced) of the raw schema."""
    schema = warehouse.settings.raw_schema
    appended, replaced = [], []
    for table in warehouse.base_tables(schema):
        if table.startswith("_dlt"):
            continue
        (appended if LOAD_ID in columns(warehouse, schema, table) else replaced).append(table)
    return appended, replaced


def export_lake(
    warehouse: Warehouse,
    target: str,
    *,
    batch_rows: int = BATCH_ROWS,
    working_dir: Path | None = None,
) -> LakeReport:
    """Append the new raw loads and replace the control tables in the lake at `target`.

    `working_dir`: dlt's local pipeline folders (default: beside the loaders' pipelines,
    `loaders.sync.pipeline.pipelines_dir`); the lake holds the pipelines' state too."""
    start = time.monotonic()
    url = bucket_url(target)
    raw = warehouse.settings.raw_schema
    if not warehouse.table_exists(raw, "_dlt_loads"):
        raise LakeExportError(
            f"{warehouse.settings.describe()} has no loads yet ({raw}._dlt_loads is missing):"
            " run `warehouse run` or `warehouse load` first"
        )
    report = LakeReport(url)
    root = working_dir or pipelines_dir(warehouse)
    control, raw_pipeline = (
        _pipeline(root, url, d) for d in (warehouse.settings.control_schema, raw)
    )
    for pipeline in (control, raw_pipeline):
        if pipeline.has_pending_data:  # a package an interrupted export left: load it first
            _run(pipeline, None)  # (given data too, dlt's run would load only the package)
    _export_control(control, warehouse, report, batch_rows)
    _export_raw(raw_pipeline, warehouse, report, batch_rows)
    report.seconds = time.monotonic() - start
    return report


def _export_control(
    pipeline: dlt.Pipeline, warehouse: Warehouse, report: LakeReport, batch_rows: int
) -> None:
    control = warehouse.settings.control_schema
    tables = warehouse.base_tables(control)
    if not tables:
        return
    resources = [
        _resource(warehouse, control, t, "replace", batch_rows=batch_rows, counts=report.rows)
        for t in tables
    ]
    _run(pipeline, resources)


def _export_raw(
    pipeline: dlt.Pipeline, warehouse: Warehouse, report: LakeReport, batch_rows: int
) -> None:
    raw = warehouse.settings.raw_schema
    pipeline.sync_destination()  # the cursor from the lake when the local state is gone
    state = pipeline.state.get("sources", {}).get("lake_raw", {})
    new_where, params = _new_loads_filter(state)
    loads = warehouse.query(
        f"select load_id, cast(inserted_at as text) as inserted_at from {raw}._dlt_loads"
        f" where {new_where} order by inserted_at, load_id",
        params,
    )
    report.new_loads = len(loads)
    appended, replaced = _raw_tables(warehouse)
    through, at_through = state.get("through"), state.get("at_through", [])
    if loads:
        through = max(r["inserted_at"] for r in loads)
        at_through = [r["load_id"] for r in loads if r["inserted_at"] == through]
        if through == state.get("through"):
            at_through += state.get("at_through", [])
        # Bounded by the snapshot above: a load committing meanwhile waits for the next
        # export (else its rows would go now and again then, two copies of one version).
        new_where += " and inserted_at <= %(last)s"
        params = {**params, "last": through}
    in_new = f"where {LOAD_ID} in (select load_id from {raw}._dlt_loads where {new_where})"

    def move_cursor() -> None:
        # Saved in the load package that holds the rows: a package that failed to load is
        # loaded first by the next run, so a moved cursor never skips rows.
        dlt.current.source_state().update(through=through, at_through=at_through)

    @dlt.source(name="lake_raw", max_table_nesting=0)
    def lake_raw() -> list[Any]:
        resources = [
            _resource(warehouse, raw, "_dlt_loads", "append", f"where {new_where}", params,
                      LOADS_TABLE, batch_rows, report.rows, move_cursor if loads else None),
            *(_resource(warehouse, raw, t, "append", in_new, params, None, batch_rows,
                        report.rows) for t in appended),
            *(_resource(warehouse, raw, t, "replace", "", None, None, batch_rows, report.rows)
              for t in replaced),
        ]  # fmt: skip
        return resources

    if loads or replaced:
        _run(pipeline, lake_raw())
    stale = _tables_with_deletions(warehouse, pipeline, appended, through, report)
    if stale:
        exported, exported_params = _exported_filter(through)
        where = f"where {LOAD_ID} in (select load_id from {raw}._dlt_loads where {exported})"
        for table in stale:
            report.rows.pop(f"{raw}.{table}", None)
        _run(
            pipeline,
            [
                _resource(warehouse, raw, t, "replace", where, exported_params, None,
                          batch_rows, report.rows)
                for t in stale
            ],
        )  # fmt: skip
        report.replaced = stale


def _tables_with_deletions(
    warehouse: Warehouse,
    pipeline: dlt.Pipeline,
    tables: list[str],
    through: str | None,
    report: LakeReport,
) -> list[str]:
    """Raw tables whose lake holds keys the warehouse no longer has (or lacks some).

    After an append the lake has every key of the warehouse's exported rows, so the counts
    differ only if the warehouse deleted rows (purge, labels replaced whole). A table with
    rows of a load not committed yet (a load killed mid-way, finished by the next run) is
    left for a later export: a rewrite now would drop the rows that load re-merged."""
    if through is None or not pipeline.default_schema_name:
        return []
    raw = warehouse.settings.raw_schema
    exported, params = _exported_filter(through)
    in_lake = set(pipeline.default_schema.data_table_names())
    stale = []
    with pipeline.sql_client() as lake:
        for table in (t for t in tables if t in in_lake):
            spec = TABLES.get(table)
            # Without a known key every version counts: any merged row triggers a rewrite.
            keys = ", ".join(spec.primary_key) if spec else "*"
            (lake_keys,) = lake.execute_sql(
                f"select count(*) from (select distinct {keys} from {table})"
            )[0]
            counts = warehouse.query(
                f"select sum(case when l.load_id is null then 0 else 1 end) as exported,"
                f" sum(case when l.load_id is null then 1 else 0 end) as pending"
                f" from {raw}.{table} as t left join (select distinct load_id"
                f" from {raw}._dlt_loads where {exported}) as l on t.{LOAD_ID} = l.load_id",
                params,
            )[0]
            if counts["pending"]:
                report.deferred.append(table)
            elif int(lake_keys) != int(counts["exported"] or 0):
                stale.append(table)
    return stale
