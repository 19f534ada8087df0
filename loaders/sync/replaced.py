"""Child rows replaced whole with their parent: drop the ones the parent's re-read left out.

Labels and closing links are merged on their parent's key (`merge_key`), so every re-read
of an issue or pull request rewrites all of its rows. A parent whose *last* label or link
went away sends no row at all, and a merge cannot delete what nothing names. The rule that
catches it: a child row not written by the load that last wrote its parent is stale (the
fetchers always write a parent and its children in the same load). Applied to the parents
of this run's loads, it costs a lookup per re-read parent (indexed on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Sequence

from loaders.warehouse import Warehouse

#: (child table, parent table, the child's parent key).
REPLACED_WHOLE: tuple[tuple[str, str, str], ...] = (
    ("issue_labels", "issues", "issue_id"),
    ("pull_request_labels", "pull_requests", "pull_request_id"),
    ("issue_pull_request_links", "pull_requests", "pull_request_id"),
    # A repository's languages ride with its metadata row (the probe writes both).
    ("repository_languages", "repositories", "repository_id"),
)


def drop_replaced_children(warehouse: Warehouse, load_ids: Sequence[str]) -> dict[str, int]:
    """Delete stale child rows of the parents `load_ids` wrote; rows deleted per table."""
    if not load_ids:
        return {}
    raw = warehouse.settings.raw_schema
    params = {f"l{i}": load_id for i, load_id in enumerate(load_ids)}
    loads = ", ".join(f"%({name})s" for name in params)
    deleted: dict[str, int] = {}
    for child, parent, key in REPLACED_WHOLE:
        if not (warehouse.table_exists(raw, child) and warehouse.table_exists(raw, parent)):
            continue
        where = (
            f"exists (select 1 from {raw}.{parent} as p where p.id = c.{key} "
            f"and p._dlt_load_id in ({loads}) and p._dlt_load_id <> c._dlt_load_id)"
        )
        stale = warehouse.scalar(f"select count(*) from {raw}.{child} as c where {where}", params)
        if stale:
            warehouse.execute(f"delete from {raw}.{child} as c where {where}", params)
            deleted[child] = int(stale)
    return deleted
