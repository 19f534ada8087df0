"""Which repositories to load, and what for: read from the dbt view of due repositories."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from loaders.control.migrations import RESOURCES
from loaders.dbt_runner import run_dbt
from loaders.warehouse import Warehouse, connect

FETCH_FLAGS = RESOURCES[1:]  # "repositories" (metadata) is always fetched
TARGETS_VIEW = "repository_sync_targets"


@dataclass(frozen=True)
class RepositoryTarget:
    full_name: str  # "owner/name", lower-case as in control.repositories
    resources: frozenset[str]  # subset of RESOURCES; "repositories" always included
    retention_days: int  # how far back a first load (or a window load) goes
    sync_frequency_hours: int


def parse_resources(text: str | Iterable[str] | None) -> frozenset[str] | None:
    """`issues,stars` -> {"issues", "stars"}; unknown names are a clear error."""
    if text is None:
        return None
    names = [p.strip() for p in (text.split(",") if isinstance(text, str) else text)]
    names = [n for n in names if n]
    unknown = sorted(set(names) - set(RESOURCES))
    if unknown:
        raise ValueError(
            f"unknown resource(s) {', '.join(unknown)}; choose from {', '.join(RESOURCES)}"
        )
    return frozenset(names)


def _ensure_view(warehouse: Warehouse) -> Warehouse:
    """Build the targets view (and what it needs) when dbt has not built it yet.

    dbt runs in a subprocess; a DuckDB file admits one writer, so our connection is closed
    around the call and a fresh one returned.
    """
    settings = warehouse.settings
    if warehouse.table_exists(settings.analytics_schema, TARGETS_VIEW):
        return warehouse
    reopen = warehouse.engine == "duckdb"
    if reopen:
        warehouse.close()
    # `build` (not `run`): the view reads the tier seeds; data tests are left to `dbt build`.
    result = run_dbt(
        ["build", "--select", f"+{TARGETS_VIEW}", "--exclude-resource-type", "test"],
        settings,
        capture=True,
    )
    if reopen:
        warehouse = connect(settings)
    if not result.ok:
        tail = "\n".join(result.output.splitlines()[-15:])
        raise RuntimeError(f"dbt could not build {TARGETS_VIEW}:\n{tail}")
    return warehouse


def targets_from_queue(
    warehouse: Warehouse,
    *,
    workspace: str | None = None,
    repo: str | None = None,
    resources: Iterable[str] | str | None = None,
    due_only: bool = True,
) -> list[RepositoryTarget]:
    """Repositories to load, most urgent first (deferred ones lead, then priority).

    `workspace` keeps that workspace's repositories, `repo` one repository (both still use
    the flags of every active workspace tracking the repository); `resources` narrows the
    fetch flags; `due_only=False` ignores next_sync_at.
    """
    wanted = parse_resources(resources)
    live = _ensure_view(warehouse)
    if live is not warehouse:
        # The caller's DuckDB connection was closed for dbt: keep theirs usable.
        warehouse._conn = live.raw_connection
    settings = warehouse.settings
    control, analytics = settings.control_schema, settings.analytics_schema
    flags = ", ".join(f"t.fetch_{flag}" for flag in FETCH_FLAGS)
    where, params = ["true"], {}
    if due_only:
        where.append("t.is_due")
    if repo:
        where.append("t.full_name = %(repo)s")
        params["repo"] = repo.strip().lower()
    if workspace:
        where.append(
            f"exists (select 1 from {control}.workspace_repositories wr "
            "where wr.full_name = t.full_name and wr.workspace_slug = %(workspace)s "
            "and wr.is_active)"
        )
        params["workspace"] = workspace
    rows = warehouse.query(
        f"""
        select t.full_name, t.retention_days, t.sync_frequency_hours, {flags},
               coalesce(d.deferred, 0) as deferred_resources, t.priority_score
        from {analytics}.{TARGETS_VIEW} t
        left join (
            select full_name, count(*) as deferred
            from {control}.sync_state where last_status = 'deferred' group by full_name
        ) d on d.full_name = t.full_name
        where {" and ".join(where)}
        order by deferred_resources desc, t.priority_score desc, t.full_name
        """,
        params,
    )
    if repo and not rows and not due_only:
        raise LookupError(
            f"{repo} is not tracked by any active workspace (add it to workspaces.yml "
            "and run `warehouse workspaces apply`)"
        )
    if (
        workspace
        and not rows
        and not due_only
        and not warehouse.scalar(
            f"select count(*) from {control}.workspaces where slug = %(w)s", {"w": workspace}
        )
    ):
        raise LookupError(f"no workspace with slug {workspace!r}")
    targets = []
    for row in rows:
        chosen = {flag for flag in FETCH_FLAGS if row[f"fetch_{flag}"]}
        if wanted is not None:
            chosen &= wanted
        targets.append(
            RepositoryTarget(
                full_name=row["full_name"],
                resources=frozenset(chosen | {"repositories"}),
                retention_days=int(row["retention_days"]),
                sync_frequency_hours=int(row["sync_frequency_hours"]),
            )
        )
    return targets
