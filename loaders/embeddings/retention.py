"""Embeddings go with their item: the retention purge's rule for the `embeddings` table.

A vector is purged when its repository is no longer retained, when its issue, pull
request or discussion is purged in the same run, or when that item is gone from raw.
"""

from __future__ import annotations

from collections.abc import Callable

from loaders.embeddings.store import ITEM_TABLES, TABLE

EMBEDDINGS = TABLE


def purge_where(schema: str, existing: set[str], kept: Callable[[str, str], str]) -> str:
    """The purge predicate over `embeddings as t`; `kept(table, alias)` is the purge's own
    "some workspace retains this row" predicate. Run before the item tables are purged."""
    where = f"not {kept(EMBEDDINGS, 't')}"
    for item_type, table in ITEM_TABLES.items():
        if table not in existing:
            where += f" or t.item_type = '{item_type}'"
            continue
        where += (
            f" or (t.item_type = '{item_type}' and not exists (select 1 from {schema}.{table} "
            f"as p where p.id = t.item_id and {kept(table, 'p')}))"
        )
    return where
