"""SQL of the access layer on PostgreSQL: the functions the row-level security policies call.

`readable_workspaces(reader)` is SECURITY DEFINER: it reads the control schema, which
members cannot read, and answers only for a reader the session may act as, so a member
cannot ask for another member's workspaces. `secure_relation(rel)` is the one place that
says what a mart's policy is; `warehouse access apply` calls it for every relation in the
analytics schema and the dbt post-hook (macros/row_security.sql) for each rebuilt one.
"""

from __future__ import annotations

from psycopg2 import sql

from loaders.access.names import POLICY_NAME

# Key columns in order of preference: a row of a workspace, else a row of a repository
# (visible to members of every active workspace that tracks it).
KEY_COLUMNS = ("workspace_slug", "full_name")


def readable_workspaces(access: str, control: str) -> sql.Composed:
    return sql.SQL(
        """
        create or replace function {access}.readable_workspaces(reader name)
        returns setof text
        language sql stable security definer
        set search_path = pg_catalog, pg_temp
        as $fn$
            select m.workspace_slug
            from {control}.workspace_members as m
            inner join {control}.workspaces as w
                on w.slug = m.workspace_slug and w.is_active
            inner join pg_catalog.pg_roles as r on r.rolname = m.db_role
            where m.is_active
                -- the reader is the member's role, or a login granted it
                and pg_catalog.pg_has_role(reader, r.oid, 'MEMBER')
                -- and the caller may act as the reader (no asking about someone else)
                and pg_catalog.pg_has_role(session_user, reader, 'MEMBER')
        $fn$
        """
    ).format(access=sql.Identifier(access), control=sql.Identifier(control))


def readable_repositories(access: str, control: str) -> sql.Composed:
    return sql.SQL(
        """
        create or replace function {access}.readable_repositories(reader name)
        returns setof text
        language sql stable security definer
        set search_path = pg_catalog, pg_temp
        as $fn$
            select distinct wr.full_name
            from {control}.workspace_repositories as wr
            where wr.is_active
                and wr.workspace_slug in (select {access}.readable_workspaces(reader))
        $fn$
        """
    ).format(access=sql.Identifier(access), control=sql.Identifier(control))


def secure_relation(access: str, group: str) -> sql.Composed:
    """Tables with a key get row-level security and one select policy; tables without one
    are not granted to members at all (they may summarise every workspace); views run with
    the reader's rights (security_invoker), so they never see past the policies below them."""
    return sql.SQL(
        """
        create or replace function {access}.secure_relation(rel regclass)
        returns text
        language plpgsql
        set search_path = pg_catalog, pg_temp
        as $fn$
        declare
            kind "char";
            key text;
        begin
            select c.relkind into kind from pg_catalog.pg_class as c where c.oid = rel;
            if kind = 'v' then
                execute format('alter view %s set (security_invoker = true)', rel);
                return 'view';
            end if;
            if kind not in ('r', 'p') then
                -- Materialized views, foreign tables: no row-level security, so no grant.
                execute format('revoke all on %s from %I', rel, {group});
                return 'not granted';
            end if;
            select a.attname into key
            from pg_catalog.pg_attribute as a
            where a.attrelid = rel and not a.attisdropped and a.attnum > 0
                and a.attname = any ({keys})
            order by array_position({keys}, a.attname::text)
            limit 1;
            execute format('alter table %s enable row level security', rel);
            execute format('drop policy if exists %I on %s', {policy}, rel);
            if key = 'workspace_slug' then
                execute format(
                    'create policy %I on %s for select using '
                    '(workspace_slug in (select %I.readable_workspaces(current_user)))',
                    {policy}, rel, {access_text});
                return 'workspace';
            elsif key = 'full_name' then
                execute format(
                    'create policy %I on %s for select using '
                    '(full_name in (select %I.readable_repositories(current_user)))',
                    {policy}, rel, {access_text});
                return 'repository';
            end if;
            -- No key: no policy (row-level security then shows no row) and no grant.
            execute format('revoke all on %s from %I', rel, {group});
            return 'not granted';
        end
        $fn$
        """
    ).format(
        access=sql.Identifier(access),
        keys=sql.SQL("array[{}]::text[]").format(
            sql.SQL(", ").join(sql.Literal(k) for k in KEY_COLUMNS)
        ),
        policy=sql.Literal(POLICY_NAME),
        access_text=sql.Literal(access),
        group=sql.Literal(group),
    )
