"""control.sync_state and control.repositories bookkeeping after a committed load.

Rules: success -> next_sync_at = now + frequency, attempts reset; failure -> exponential
backoff 15 min x 2^(earlier failures), capped at the frequency (a failure never waits longer
than a success would); deferred -> due again at once (the next run picks it up first);
not_found -> the repository is marked so and retried only at the normal frequency.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from loaders.warehouse import Warehouse

BACKOFF_BASE = timedelta(minutes=15)


def backoff(attempts_before: int, frequency: timedelta) -> timedelta:
    """Wait after a failure, given how many failures came right before it."""
    return min(BACKOFF_BASE * (2 ** min(attempts_before, 20)), frequency)


def record(
    warehouse: Warehouse,
    full_name: str,
    statuses: dict[str, str],
    errors: dict[str, str],
    items: dict[str, int],
    frequency_hours: int,
    now: datetime,
) -> None:
    """Upsert one row per resource of one repository (one transaction per repository)."""
    schema = warehouse.settings.control_schema
    frequency = timedelta(hours=frequency_hours)
    previous = {
        row["resource"]: row["attempts"]
        for row in warehouse.query(
            f"select resource, attempts from {schema}.sync_state where full_name = %(f)s",
            {"f": full_name},
        )
    }
    with warehouse.transaction():
        for resource, status in sorted(statuses.items()):
            attempts = previous.get(resource, 0)
            success_at: datetime | None = None
            if status == "success":
                next_at, attempts, success_at = now + frequency, 0, now
            elif status == "failed" or status == "partial":
                next_at, attempts = now + backoff(attempts, frequency), attempts + 1
            elif status == "deferred":
                next_at = now
            else:  # not_found: nothing to retry soon
                next_at, attempts = now + frequency, attempts + 1
            warehouse.execute(
                f"""
                insert into {schema}.sync_state as s (
                    full_name, resource, last_sync_at, last_success_at, next_sync_at,
                    last_status, attempts, last_error, items_loaded, updated_at)
                values (%(f)s, %(r)s, %(now)s, %(success)s, %(next)s, %(status)s,
                        %(attempts)s, %(error)s, %(items)s, %(now)s)
                on conflict (full_name, resource) do update set
                    last_sync_at = excluded.last_sync_at,
                    last_success_at = coalesce(excluded.last_success_at, s.last_success_at),
                    next_sync_at = excluded.next_sync_at,
                    last_status = excluded.last_status,
                    attempts = excluded.attempts,
                    last_error = excluded.last_error,
                    items_loaded = s.items_loaded + excluded.items_loaded,
                    updated_at = excluded.updated_at
                """,
                {
                    "f": full_name,
                    "r": resource,
                    "now": now,
                    "success": success_at,
                    "next": next_at,
                    "status": status,
                    "attempts": attempts,
                    "error": (errors.get(resource) or None) if status != "success" else None,
                    "items": int(items.get(resource, 0)),
                },
            )


def record_repository(
    warehouse: Warehouse,
    full_name: str,
    *,
    github_id: int | None,
    node_id: str | None,
    renamed_to: str | None,
    not_found: bool,
    now: datetime,
) -> None:
    """GitHub's ids (the dbt models join control to raw on them), renames and 404s."""
    schema = warehouse.settings.control_schema
    if not_found:
        warehouse.execute(
            f"update {schema}.repositories set status = 'not_found', updated_at = %(now)s "
            "where full_name = %(f)s",
            {"f": full_name, "now": now},
        )
        return
    if github_id is not None:
        # github_id is unique: a renamed repository tracked under both names keeps the id
        # on the row that already has it.
        owner = warehouse.scalar(
            f"select full_name from {schema}.repositories where github_id = %(id)s",
            {"id": github_id},
        )
        params = {"id": github_id, "node": node_id, "f": full_name, "now": now}
        if owner is None:
            try:
                warehouse.execute(
                    f"update {schema}.repositories set github_id = %(id)s, node_id = %(node)s, "
                    "updated_at = %(now)s where full_name = %(f)s",
                    params,
                )
            except Exception as exc:
                # DuckDB cannot update a unique column of a row other tables reference
                # (its FK limitation); the dbt models fall back to joining on full_name.
                if warehouse.engine != "duckdb" or "foreign key" not in str(exc).lower():
                    raise
        warehouse.execute(
            f"update {schema}.repositories set node_id = %(node)s where full_name = %(f)s "
            "and node_id is distinct from %(node)s",
            {"node": node_id, "f": full_name},
        )
    status = "renamed" if renamed_to else "active"
    warehouse.execute(
        f"update {schema}.repositories set renamed_to = %(to)s, status = %(status)s, "
        "updated_at = %(now)s where full_name = %(f)s and "
        "(status <> %(status)s or renamed_to is distinct from %(to)s)",
        {"to": renamed_to, "status": status, "f": full_name, "now": now},
    )
