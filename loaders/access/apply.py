"""`warehouse access apply`: make PostgreSQL's roles, grants and policies say what the
control schema's workspace_members say.

Idempotent and declarative, in one transaction: roles of active members are created (when
the file names no `db_role`) and granted the group role; roles granted the group but no
longer wanted lose it; the group reads the analytics schema only; every relation there is
secured (loaders/access/policy_sql.py). Needs PostgreSQL 15+ (security_invoker views) and a
warehouse user with CREATEROLE that owns the marts (the one dbt builds as).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from psycopg2 import sql

from loaders.access import policy_sql
from loaders.access.names import access_schema, group_role, role_prefix
from loaders.control.migrations import migrate
from loaders.warehouse import Warehouse

MIN_SERVER_VERSION = 150000


class AccessError(ValueError):
    """The access layer cannot be applied as asked; the message says what to change."""


@dataclass
class AccessReport:
    group: str = ""
    roles_created: list[str] = field(default_factory=list)
    roles_granted: list[str] = field(default_factory=list)
    roles_revoked: list[str] = field(default_factory=list)
    #: how many relations got which treatment: workspace, repository, view, not granted
    relations: Counter[str] = field(default_factory=Counter)


def _run(wh: Warehouse, statement: sql.Composable) -> None:
    wh.execute(statement.as_string(wh.raw_connection))


def _wanted_roles(wh: Warehouse) -> dict[str, bool]:
    """db_role → managed, for members of active workspaces."""
    control = wh.settings.control_schema
    rows = wh.query(
        f"""
        select m.db_role, bool_and(m.db_role_managed) as managed
        from {control}.workspace_members as m
        inner join {control}.workspaces as w on w.slug = m.workspace_slug and w.is_active
        where m.is_active
        group by m.db_role
        """
    )
    return {r["db_role"]: r["managed"] for r in rows}


def _existing_roles(wh: Warehouse, names: list[str]) -> set[str]:
    if not names:
        return set()
    rows = wh.query("select rolname from pg_roles where rolname = any(%(n)s)", {"n": names})
    return {r["rolname"] for r in rows}


def _group_members(wh: Warehouse, group: str) -> set[str]:
    rows = wh.query(
        """
        select m.rolname from pg_auth_members as a
        inner join pg_roles as g on g.oid = a.roleid
        inner join pg_roles as m on m.oid = a.member
        where g.rolname = %(group)s
        """,
        {"group": group},
    )
    return {r["rolname"] for r in rows}


def check_roles(wh: Warehouse, wanted: dict[str, bool]) -> None:
    """Refuse, before anything changes, a `db_role` that does not exist or that would read
    every row anyway. `wanted`: role name → created by the warehouse (managed)."""
    declared = [r for r, managed in wanted.items() if not managed]
    missing = sorted(set(declared) - _existing_roles(wh, declared))
    if missing:
        raise AccessError(
            f"db_role {', '.join(missing)} named in workspaces.yml does not exist in "
            "PostgreSQL: create it (CREATE ROLE ... LOGIN) or remove db_role to let "
            "`warehouse access apply` create one; nothing was changed"
        )
    bypassing = wh.query(
        "select rolname from pg_roles where rolname = any(%(n)s) "
        "and (rolsuper or rolbypassrls or rolname = current_user)",
        {"n": list(wanted)},
    )
    if bypassing:
        names = ", ".join(sorted(r["rolname"] for r in bypassing))
        raise AccessError(
            f"db_role {names} would read every row (a superuser, BYPASSRLS, or the warehouse "
            "user that owns the marts): name a role of the member's own; nothing was changed"
        )


def _sync_roles(wh: Warehouse, group: str, report: AccessReport) -> None:
    wanted = _wanted_roles(wh)
    check_roles(wh, wanted)
    existing = _existing_roles(wh, [*wanted, group])
    ident = sql.Identifier
    if group not in existing:
        _run(wh, sql.SQL("create role {} nologin").format(ident(group)))
        report.roles_created.append(group)
    for role in sorted(r for r in wanted if r not in existing):
        _run(wh, sql.SQL("create role {} nologin").format(ident(role)))
        report.roles_created.append(role)
    members = _group_members(wh, group)
    for role in sorted(set(wanted) - members):
        _run(wh, sql.SQL("grant {} to {}").format(ident(group), ident(role)))
        report.roles_granted.append(role)
    # Revoked, not dropped: the role may be a person's login or hold grants of its own.
    for role in sorted(members - set(wanted)):
        _run(wh, sql.SQL("revoke {} from {}").format(ident(group), ident(role)))
        report.roles_revoked.append(role)


def _install_functions(wh: Warehouse, access: str, group: str) -> None:
    control, ident = wh.settings.control_schema, sql.Identifier
    _run(wh, sql.SQL("create schema if not exists {}").format(ident(access)))
    _run(wh, sql.SQL("revoke all on schema {} from public").format(ident(access)))
    _run(wh, policy_sql.readable_workspaces(access, control))
    _run(wh, policy_sql.readable_repositories(access, control))
    _run(wh, policy_sql.secure_relation(access, group))
    _run(wh, sql.SQL("revoke all on all functions in schema {} from public").format(ident(access)))
    for function in ("readable_workspaces(name)", "readable_repositories(name)"):
        _run(
            wh,
            sql.SQL("grant execute on function {}.{} to {}").format(
                ident(access), sql.SQL(function), ident(group)
            ),
        )
    _run(wh, sql.SQL("grant usage on schema {} to {}").format(ident(access), ident(group)))


def _grant_marts(wh: Warehouse, group: str) -> None:
    """Read on the marts' schema only: raw, control, staging and intermediate stay closed.
    Default privileges cover tables dbt creates later (as this same user)."""
    analytics, ident = wh.settings.analytics_schema, sql.Identifier
    _run(wh, sql.SQL("create schema if not exists {}").format(ident(analytics)))
    _run(wh, sql.SQL("grant usage on schema {} to {}").format(ident(analytics), ident(group)))
    _run(
        wh,
        sql.SQL("grant select on all tables in schema {} to {}").format(
            ident(analytics), ident(group)
        ),
    )
    _run(
        wh,
        sql.SQL("alter default privileges in schema {} grant select on tables to {}").format(
            ident(analytics), ident(group)
        ),
    )


def _secure_relations(wh: Warehouse, access: str, report: AccessReport) -> None:
    rows = wh.query(
        """
        select c.oid::regclass::text as rel from pg_class as c
        inner join pg_namespace as n on n.oid = c.relnamespace
        where n.nspname = %(schema)s and c.relkind in ('r', 'p', 'v', 'm', 'f')
        order by 1
        """,
        {"schema": wh.settings.analytics_schema},
    )
    for row in rows:
        kind = wh.scalar(
            sql.SQL("select {}.secure_relation(%(rel)s::regclass)")
            .format(sql.Identifier(access))
            .as_string(wh.raw_connection),
            {"rel": row["rel"]},
        )
        report.relations[kind] += 1


def apply_access(wh: Warehouse) -> AccessReport:
    """Roles, grants and policies for the members in the control schema (PostgreSQL only)."""
    if wh.engine != "postgres":
        raise AccessError(
            "DuckDB is a single-user engine: it has no roles or row-level security, so "
            "whoever opens the file reads every row. Serve members from PostgreSQL "
            "(docs/running.md, Multi-tenant access)"
        )
    version = int(wh.scalar("show server_version_num"))
    if version < MIN_SERVER_VERSION:
        raise AccessError(
            f"PostgreSQL {version // 10000} is too old for members: views must run with the "
            "reader's rights (security_invoker, PostgreSQL 15+); upgrade the server"
        )
    migrate(wh)
    group = group_role(role_prefix())
    report = AccessReport(group=group)
    access = access_schema(wh.settings)
    with wh.transaction():
        _sync_roles(wh, group, report)
        _install_functions(wh, access, group)
        _grant_marts(wh, group)
        _secure_relations(wh, access, report)
    return report
